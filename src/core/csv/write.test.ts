import { describe, expect, it } from "vitest";
import { csvRow, writeCsv } from "./write.js";

describe("csvRow", () => {
  it("leaves plain cells bare", () => {
    expect(csvRow(["a", "", "b c", "São Paulo"], ",")).toBe("a,,b c,São Paulo");
  });

  it("quotes cells holding the delimiter, a quote or a line break, and doubles quotes", () => {
    expect(csvRow(["Fabrikam, Inc.", 'say "hi"', "two\nlines", "cr\ronly", "crlf\r\n"], ",")).toBe(
      '"Fabrikam, Inc.","say ""hi""","two\nlines","cr\ronly","crlf\r\n"',
    );
  });

  it("quotes only for the delimiter in use", () => {
    expect(csvRow(["a,b", "c;d"], ";")).toBe('a,b;"c;d"');
    expect(csvRow(["a,b", "c\td"], "\t")).toBe('a,b\t"c\td"');
    expect(csvRow(["a;b"], ",")).toBe("a;b");
  });

  it("quotes cells with leading or trailing spaces, which some tools trim", () => {
    expect(csvRow([" lead", "trail ", "in side"], ",")).toBe('" lead","trail ",in side');
  });

  it("does not neutralise formulas: that is the caller's explicit step", () => {
    expect(csvRow(["=1+1", "-5", "@x"], ",")).toBe("=1+1,-5,@x");
  });

  it("defaults to comma", () => {
    expect(csvRow(["a", "b"])).toBe("a,b");
  });
});

describe("writeCsv", () => {
  it("starts with a BOM by default and ends every record with CRLF", () => {
    expect(
      writeCsv([
        ["h1", "h2"],
        ["1", "2"],
      ]),
    ).toBe("\uFEFFh1,h2\r\n1,2\r\n");
  });

  it("can leave the BOM out and use another delimiter", () => {
    expect(
      writeCsv(
        [
          ["a", "b"],
          ["1;2", "3"],
        ],
        { delimiter: ";", bom: false },
      ),
    ).toBe('a;b\r\n"1;2";3\r\n');
  });

  it("writes rows of any length, unpadded", () => {
    expect(writeCsv([["a", "b", "c"], ["1"], []], { bom: false })).toBe("a,b,c\r\n1\r\n\r\n");
  });

  it("writes nothing but the BOM for no rows", () => {
    expect(writeCsv([])).toBe("\uFEFF");
    expect(writeCsv([], { bom: false })).toBe("");
  });
});
