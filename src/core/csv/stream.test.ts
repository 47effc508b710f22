import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesSource, decodeBytes, decodeSlices, detectEncoding } from "./encoding.js";
import { readCsv } from "./read.js";
import { openCsvStream } from "./stream.js";
import { writeCsv } from "./write.js";

const GUARD = { maxColumns: 1000, cellChars: 32_000 };
const OPTIONS = { maxCellChars: 5 * 1024 * 1024, lineGuard: GUARD };

/** `text` cut into slices at the given lengths (the rest in one last slice). */
function* sliced(text: string, cuts: readonly number[]): Generator<string> {
  let at = 0;
  for (const n of cuts) {
    if (at >= text.length) return;
    yield text.slice(at, at + n);
    at += n;
  }
  if (at < text.length) yield text.slice(at);
}

/** What the stream reads, or its rejection's code. */
const streamed = (text: string, cuts: readonly number[]) => {
  try {
    const csv = openCsvStream(sliced(text, cuts), OPTIONS);
    return { delimiter: csv.delimiter, header: csv.header, records: [...csv.batches].flat() };
  } catch (error) {
    return { rejected: error instanceof Error && "code" in error ? error.code : String(error) };
  }
};

/** What `readCsv` reads of the whole text, or its rejection's code. */
const whole = (text: string) => {
  try {
    return readCsv(text, OPTIONS);
  } catch (error) {
    return { rejected: error instanceof Error && "code" in error ? error.code : String(error) };
  }
};

const cell = fc.oneof(
  fc.constantFrom(
    "",
    "a",
    "Fabrikam, Inc.",
    'say "hi"',
    "two\r\nlines",
    "lf\nonly",
    "cr\ronly",
    "x;y",
    "t\tab",
  ),
  fc.string({ maxLength: 12 }),
);

describe("openCsvStream", () => {
  it("reads any file cut anywhere exactly as readCsv reads it whole", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom<"," | ";" | "\t">(",", ";", "\t"),
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 60 }),
        (rows, delimiter, cuts) => {
          const text = writeCsv([["Deal Name", "Notes", "City"], ...rows], {
            delimiter,
            bom: false,
          });
          expect(streamed(text, cuts)).toEqual(whole(text));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("refuses what readCsv refuses, wherever the slices end", () => {
    const bad = [
      'Name,Notes\r\nA,"never closed\r\nB,x\r\n', // a quote never closed
      'Name,Notes\r\nA,"closed"then text\r\n', // text after a closing quote
      "\r\nA,B\r\n", // no header
    ];
    for (const text of bad) {
      for (const n of [1, 2, 3, 5, 8, 1000]) {
        expect(streamed(text, Array(200).fill(n))).toEqual(whole(text));
      }
    }
  });

  it("refuses a line that never ends once it is longer than its columns could make", () => {
    const guard = { maxColumns: 1000, cellChars: 10 };
    const text = `A,B\r\nok,ok\r\n${"x".repeat(5000)}`;
    for (const n of [16, 64, 1000]) {
      const slices = sliced(text, Array(100).fill(n));
      expect(() => [
        ...openCsvStream(slices, { maxCellChars: 1_000_000, lineGuard: guard }).batches,
      ]).toThrow(/^Line 3 is more than 46 characters long/);
    }
  });
});

describe("detectEncoding and decodeSlices", () => {
  const encoder = new TextEncoder();
  const isUtf8 = (bytes: Uint8Array) => (from: number) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(from));
      return true;
    } catch {
      return false;
    }
  };
  const decoded = (bytes: Uint8Array, slice: number) => {
    const source = bytesSource(bytes);
    const encoding = detectEncoding(source, isUtf8(bytes));
    if (encoding === "utf-16le" || encoding === "utf-16be") throw new Error("UTF-16");
    return { encoding, text: [...decodeSlices(source, encoding, slice)].join("") };
  };

  it("decode any file cut anywhere as decodeBytes decodes it whole", () => {
    const samples = [
      encoder.encode("Name,City\r\nMünchen,Hauptstraße 5 — 7 rue de l'Église 😀\r\n"),
      Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode("Name\r\nÉcole\r\n")]),
      // Windows-1252: é, €, ’
      Uint8Array.from([0x4e, 0x61, 0x6d, 0x65, 0x0d, 0x0a, 0xe9, 0x80, 0x92, 0x0d, 0x0a]),
    ];
    for (const bytes of samples) {
      const expected = decodeBytes(bytes);
      for (const slice of [1, 2, 3, 5, 1024]) {
        expect(decoded(bytes, slice)).toEqual({ encoding: expected.encoding, text: expected.text });
      }
    }
  });

  it("refuse what decodeBytes refuses, from a look at every byte", () => {
    const bad = [
      Uint8Array.from([0x41, 0x2c, 0x42, 0x0d, 0x0a, 0x81]), // a byte no Windows-1252 character has
      Uint8Array.from([0xef, 0xbb, 0xbf, 0x41, 0xff, 0x42]), // a UTF-8 BOM, then not UTF-8
      Uint8Array.from([0x41, 0x00, 0x42, 0x00]), // NUL bytes
      Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00]), // a zip (xlsx)
    ];
    for (const bytes of bad) {
      let whole = "";
      try {
        decodeBytes(bytes);
      } catch (error) {
        whole = error instanceof Error ? error.message : "";
      }
      expect(whole).not.toBe("");
      expect(() => decoded(bytes, 2)).toThrow(whole);
    }
  });
});
