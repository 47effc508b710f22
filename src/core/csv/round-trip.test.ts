import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeUtf8WithBom,
  encodeUtf16WithBom,
  encodeWindows1252,
  WINDOWS_1252_CHARACTERS,
} from "../../test-support/text-encoders.js";
import { CSV_DELIMITERS, type CsvDelimiter } from "./dialect.js";
import { decodeBytes } from "./encoding.js";
import { neutraliseCell, restoreCell } from "./formula.js";
import { readCsv } from "./read.js";
import { writeCsv } from "./write.js";

/**
 * What we write, we read back exactly: every cell, every record's line, in every encoding an
 * upload may use. Rows of empty cells are the one expected loss (the reader drops them).
 */

/** Pieces that stress quoting, line ends and the formula guard. */
const TRICKY = [",", ";", "\t", '"', '""', "\r", "\n", "\r\n", " ", "=", "+", "-", "@", "'", "'="];

/** decodeBytes refuses NUL and treats many other C0 controls as a binary file: keep them out. */
const isText = (s: string): boolean =>
  [...s].every((ch) => ch >= " " || ch === "\t" || ch === "\r" || ch === "\n") &&
  !s.includes("\u007f");

const unicodeCell = fc
  .array(
    fc.oneof(
      fc.constantFrom(...TRICKY, "é", "ß", "😀", "漢字", "\u00a0", "€"),
      fc.string({ unit: "grapheme", maxLength: 6 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(""))
  .filter(isText);

const windows1252Cell = fc
  .array(fc.oneof(fc.constantFrom(...TRICKY), fc.constantFrom(...WINDOWS_1252_CHARACTERS)), {
    maxLength: 12,
  })
  .map((parts) => parts.join(""));

/** Plain words, several of them, so that the header says which delimiter the file uses. */
const header = fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/), {
  minLength: 2,
  maxLength: 6,
});

const table = (cell: fc.Arbitrary<string>) =>
  fc.tuple(header, fc.array(fc.array(cell, { minLength: 0, maxLength: 8 }), { maxLength: 12 }));

const hasContent = (row: readonly string[]) => row.some((cell) => cell !== "");
const lineBreaks = (s: string) => s.match(/\r\n|\r|\n/g)?.length ?? 0;

/** Each kept record starts on the line after everything written before it. */
function expectedRecords(
  rows: readonly string[][],
  head: readonly string[],
  delimiter: CsvDelimiter,
) {
  const written = [head, ...rows];
  return rows.flatMap((cells, index) =>
    hasContent(cells)
      ? [
          {
            line: 1 + lineBreaks(writeCsv(written.slice(0, index + 1), { delimiter, bom: false })),
            cells,
          },
        ]
      : [],
  );
}

function roundTrip(
  head: string[],
  rows: string[][],
  delimiter: CsvDelimiter,
  encode: (text: string) => Uint8Array,
) {
  const { text } = decodeBytes(encode(writeCsv([head, ...rows], { delimiter })));
  return readCsv(text);
}

describe("write → encode → decode → read", () => {
  const delimiter = fc.constantFrom(...CSV_DELIMITERS);

  it("gives back every cell and line through UTF-8 with a BOM", () => {
    fc.assert(
      fc.property(table(unicodeCell), delimiter, ([head, rows], d) => {
        const read = roundTrip(head, rows, d, encodeUtf8WithBom);
        expect(read.delimiter).toBe(d);
        expect(read.header).toEqual(head);
        expect(read.records).toEqual(expectedRecords(rows, head, d));
      }),
      { numRuns: 300 },
    );
  });

  it("gives back every cell through UTF-16 with a BOM, in both byte orders", () => {
    fc.assert(
      fc.property(
        table(unicodeCell),
        delimiter,
        fc.constantFrom("le" as const, "be" as const),
        ([head, rows], d, endian) => {
          const read = roundTrip(head, rows, d, (text) => encodeUtf16WithBom(text, endian));
          expect(read.header).toEqual(head);
          expect(read.records).toEqual(expectedRecords(rows, head, d));
        },
      ),
    );
  });

  it("gives back every cell through Windows-1252, as Excel saves it", () => {
    // `Société` makes the bytes invalid UTF-8, so the Windows-1252 fallback is what is tested.
    fc.assert(
      fc.property(table(windows1252Cell), delimiter, ([words, rows], d) => {
        const head = ["Société", ...words];
        const bytes = encodeWindows1252(writeCsv([head, ...rows], { delimiter: d, bom: false }));
        const decoded = decodeBytes(bytes);
        expect(decoded.encoding).toBe("windows-1252");
        const read = readCsv(decoded.text);
        expect(read.delimiter).toBe(d);
        expect(read.header).toEqual(head);
        expect(read.records).toEqual(expectedRecords(rows, head, d));
      }),
      { numRuns: 200 },
    );
  });

  it("undoes the formula guard on import, so an exported file re-imports unchanged", () => {
    fc.assert(
      fc.property(table(unicodeCell), delimiter, ([head, rows], d) => {
        const exported = writeCsv(
          [head, ...rows].map((row) => row.map(neutraliseCell)),
          {
            delimiter: d,
          },
        );
        const read = readCsv(decodeBytes(encodeUtf8WithBom(exported)).text);
        expect(read.records.map((r) => r.cells.map(restoreCell))).toEqual(rows.filter(hasContent));
      }),
    );
  });
});
