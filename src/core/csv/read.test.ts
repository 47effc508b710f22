import { describe, expect, it } from "vitest";
import { readCsv } from "./read.js";

const rejected = (code: string, message?: RegExp) =>
  expect.objectContaining({
    name: "FileRejectedError",
    code,
    ...(message ? { message: expect.stringMatching(message) } : {}),
  });

describe("readCsv", () => {
  it("returns the delimiter, the header and the records with their line numbers", () => {
    expect(readCsv("Deal,City\r\nA,Austin\r\nB,Lyon\r\n")).toEqual({
      delimiter: ",",
      header: ["Deal", "City"],
      records: [
        { line: 2, cells: ["A", "Austin"] },
        { line: 3, cells: ["B", "Lyon"] },
      ],
    });
  });

  it("reads quoted delimiters, doubled quotes and quoted line breaks", () => {
    const text = 'Name,Notes\r\n"Fabrikam, Inc.","say ""hi""\r\nsecond line"\r\nNext,x\r\n';
    expect(readCsv(text).records).toEqual([
      { line: 2, cells: ["Fabrikam, Inc.", 'say "hi"\r\nsecond line'] },
      { line: 4, cells: ["Next", "x"] },
    ]);
  });

  it("reads CRLF, LF and CR files alike", () => {
    for (const end of ["\r\n", "\n", "\r"]) {
      const text = ["h1;h2", "1;2", '"multi', 'line";3', "4;5", ""].join(end);
      expect(readCsv(text)).toEqual({
        delimiter: ";",
        header: ["h1", "h2"],
        records: [
          { line: 2, cells: ["1", "2"] },
          { line: 3, cells: [`multi${end}line`, "3"] },
          { line: 5, cells: ["4", "5"] },
        ],
      });
    }
  });

  it("keeps a quoted line break that differs from the file's line end, as it is", () => {
    const { records } = readCsv('a,b\r\n"x\ny",1\r\nz,2\r\n');
    expect(records).toEqual([
      { line: 2, cells: ["x\ny", "1"] },
      { line: 4, cells: ["z", "2"] },
    ]);
  });

  it("reads tab-delimited files", () => {
    expect(readCsv("a\tb\n1\t2,5\n").records).toEqual([{ line: 2, cells: ["1", "2,5"] }]);
  });

  it("uses the header's delimiter even when data rows have more of another", () => {
    const text = "Deal,Solution 1\r\nX,SOL-1; SOL-2; SOL-3; SOL-4\r\n";
    expect(readCsv(text)).toMatchObject({
      delimiter: ",",
      records: [{ cells: ["X", "SOL-1; SOL-2; SOL-3; SOL-4"] }],
    });
  });

  it("drops records whose cells are all empty, but counts their lines", () => {
    const text = "a;b;c\r\n1;2;3\r\n;;\r\n\r\n4;;\r\n;;;;\r\n";
    expect(readCsv(text).records).toEqual([
      { line: 2, cells: ["1", "2", "3"] },
      { line: 5, cells: ["4", "", ""] },
    ]);
  });

  it("neither pads, trims nor converts cells", () => {
    const text = "a,b,c\n 007 ,1.50\n1,2,3,4\n";
    expect(readCsv(text).records).toEqual([
      { line: 2, cells: [" 007 ", "1.50"] },
      { line: 3, cells: ["1", "2", "3", "4"] },
    ]);
  });

  it("keeps quotes inside an unquoted cell", () => {
    expect(readCsv('a,b\n5" screen,x\n').records).toEqual([{ line: 2, cells: ['5" screen', "x"] }]);
  });

  it("drops a byte-order mark left at the start of the text", () => {
    expect(readCsv("\uFEFFErrors,Deal\r\n,x\r\n").header).toEqual(["Errors", "Deal"]);
  });

  it("reads a file without a final line end, and a file with a header only", () => {
    expect(readCsv("a,b\n1,2").records).toEqual([{ line: 2, cells: ["1", "2"] }]);
    expect(readCsv("a,b\r\n")).toEqual({ delimiter: ",", header: ["a", "b"], records: [] });
  });

  it("refuses a file whose first line is empty", () => {
    for (const text of ["", "\r\n", "\r\nDeal,City\r\n", ";;;\r\n1;2;3;4\r\n", "  ,  \n"]) {
      expect(() => readCsv(text)).toThrow(rejected("no_header", /first line/));
    }
  });

  it("refuses an unterminated quote, naming the line where its record starts", () => {
    const text = 'Deal,Notes\r\nA,ok\r\nB,"never closed\r\nC,x\r\n';
    expect(() => readCsv(text)).toThrow(
      rejected("unreadable_file", /^Line 3 cannot be read: a quoted cell is never closed/),
    );
  });

  it("refuses text after a closing quote", () => {
    const text = 'Deal,Notes\n"A"B,x\n';
    expect(() => readCsv(text)).toThrow(
      rejected("unreadable_file", /^Line 2 .*text after its closing quote/),
    );
  });

  it("counts quoted line breaks before a broken record", () => {
    const text = 'Deal,Notes\n"A","1\n2\n3"\n"B"x,y\n';
    expect(() => readCsv(text)).toThrow(rejected("unreadable_file", /^Line 5 /));
  });

  it("refuses a cell over the cell limit, as it is nearly always a quote never closed", () => {
    const text = `Deal,Notes\nA,${"x".repeat(11)}\n`;
    expect(readCsv(text, { maxCellChars: 11 }).records).toHaveLength(1);
    expect(() => readCsv(text, { maxCellChars: 10 })).toThrow(
      rejected("unreadable_file", /^Line 2 .*column 2 holds more than 10 characters/),
    );
  });
});

describe("readCsv with a line guard", () => {
  const guard = { lineGuard: { maxColumns: 5, cellChars: 10 } };

  it("refuses a header wider than the guard allows, naming line 1", () => {
    expect(() => readCsv("a,b,c,d,e,f\r\n1,2,3,4,5,6\r\n", guard)).toThrow(
      expect.objectContaining({
        code: "too_many_columns",
        message: expect.stringMatching(/^Line 1 /),
      }),
    );
    expect(readCsv("a,b,c,d,e\r\n1,2,3,4,5\r\n", guard).header).toHaveLength(5);
  });

  it("counts a quoted delimiter in a header as text, not as a column", () => {
    const wide = { lineGuard: { maxColumns: 5, cellChars: 20 } };
    expect(readCsv('"a,b,c,d,e,f",g\r\n1,2\r\n', wide).header).toEqual(["a,b,c,d,e,f", "g"]);
  });

  it("refuses a header cell longer than the cell limit", () => {
    expect(() => readCsv(`${"x".repeat(11)},b\r\n1,2\r\n`, guard)).toThrow(
      expect.objectContaining({ code: "line_too_long" }),
    );
  });

  it("refuses a line longer than its columns can make, naming that line, and takes one that fits", () => {
    // Two columns of at most 10 characters, each quoted with doubled quotes: 45 characters.
    expect(() => readCsv(`a,b\r\n1,2\r\n${"y".repeat(47)}\r\n`, guard)).toThrow(
      expect.objectContaining({
        code: "line_too_long",
        message: expect.stringMatching(/^Line 3 /),
      }),
    );
    const fits = `"${'""'.repeat(10)}","${'""'.repeat(10)}"`;
    expect(fits.length).toBe(45);
    expect(readCsv(`a,b\r\n${fits}\r\n`, guard).records).toHaveLength(1);
  });

  it("counts the physical lines of a quoted multi-line cell", () => {
    expect(() => readCsv(`a,b\r\n"1\n2",x\r\n${"z".repeat(47)}\r\n`, guard)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^Line 4 /) }),
    );
  });
});
