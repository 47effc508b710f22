import { describe, expect, it } from "vitest";
import { sniffDialect } from "./dialect.js";

describe("sniffDialect", () => {
  it("picks the delimiter that appears most often on the header row", () => {
    expect(sniffDialect("a,b,c\r\n1;2;3;4;5\r\n").delimiter).toBe(",");
    expect(sniffDialect("Nom;Ville, pays;Code\r\n").delimiter).toBe(";");
    expect(sniffDialect("a\tb\tc\n").delimiter).toBe("\t");
  });

  it("ignores delimiters inside quoted headers", () => {
    expect(sniffDialect('"a,b,c";d;e\n').delimiter).toBe(";");
    expect(sniffDialect('"x;""y"";z",b,c\n').delimiter).toBe(",");
  });

  it("treats a quote inside an unquoted header as text", () => {
    expect(sniffDialect('Size 5" screen;b;c\n"q,q,q,q"\n').delimiter).toBe(";");
  });

  it("prefers comma on a tie, then semicolon", () => {
    expect(sniffDialect("a,b;c\n").delimiter).toBe(",");
    expect(sniffDialect("a;b\tc\n").delimiter).toBe(";");
    expect(sniffDialect("single column\n").delimiter).toBe(",");
  });

  it("reads the line end of the header row", () => {
    expect(sniffDialect("a,b\r\n1,2\r\n").newline).toBe("\r\n");
    expect(sniffDialect("a,b\n1,2\n").newline).toBe("\n");
    expect(sniffDialect("a,b\r1,2\r").newline).toBe("\r");
    expect(sniffDialect("a,b").newline).toBe("\r\n");
  });

  it("looks past a line break inside a quoted header", () => {
    expect(sniffDialect('"two\r\nlines";b;c\n1;2;3\n')).toEqual({ delimiter: ";", newline: "\n" });
  });
});
