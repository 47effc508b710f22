import { describe, expect, it } from "vitest";
import {
  encodeUtf8WithBom,
  encodeUtf16WithBom,
  encodeWindows1252,
} from "../../test-support/text-encoders.js";
import { FileRejectedError } from "../errors.js";
import { decodeBytes } from "./encoding.js";

const utf8 = (text: string) => new TextEncoder().encode(text);
const rejected = (code: string, message?: RegExp) =>
  expect.objectContaining({
    name: "FileRejectedError",
    code,
    ...(message ? { message: expect.stringMatching(message) } : {}),
  });

describe("decodeBytes", () => {
  it("reads UTF-8 without a BOM", () => {
    expect(decodeBytes(utf8("Deal,City\r\nx,München\r\n"))).toEqual({
      text: "Deal,City\r\nx,München\r\n",
      encoding: "utf-8",
    });
  });

  it("reads UTF-8 with a BOM and drops the BOM", () => {
    expect(decodeBytes(encodeUtf8WithBom("Deal,City\r\nx,São Paulo"))).toEqual({
      text: "Deal,City\r\nx,São Paulo",
      encoding: "utf-8-bom",
    });
  });

  it("reads UTF-16 with a BOM in either byte order, astral characters included", () => {
    const text = "Nom;Ville\r\n😀;Zürich";
    expect(decodeBytes(encodeUtf16WithBom(text, "le"))).toEqual({ text, encoding: "utf-16le" });
    expect(decodeBytes(encodeUtf16WithBom(text, "be"))).toEqual({ text, encoding: "utf-16be" });
  });

  it("falls back to Windows-1252 when the bytes are not UTF-8, with its own 0x80–0x9F characters", () => {
    const bytes = Uint8Array.from([
      ...utf8("Ville;Prix\r\n"),
      0x4d,
      0xfc,
      0x6e,
      0x63,
      0x68,
      0x65,
      0x6e, // München
      0x3b,
      0x80,
      0x92,
      0x8a,
      0x9f, // ;€’ŠŸ
    ]);
    expect(decodeBytes(bytes)).toEqual({
      text: "Ville;Prix\r\nMünchen;€’ŠŸ",
      encoding: "windows-1252",
    });
  });

  it("agrees with the test encoder on every Windows-1252 character", () => {
    const all = "é\u00a0€ ‚ƒ„…†‡ˆ‰Š‹Œ Ž ‘’“”•–—˜™š›œ žŸ ÿ";
    expect(decodeBytes(encodeWindows1252(all))).toEqual({ text: all, encoding: "windows-1252" });
  });

  it("refuses bytes that are neither UTF-8 nor Windows-1252", () => {
    expect(() => decodeBytes(Uint8Array.from([0x61, 0xe9, 0x81]))).toThrow(
      rejected("unreadable_file", /neither UTF-8 nor Windows-1252.*CSV UTF-8/),
    );
  });

  it("refuses a UTF-8 BOM followed by bytes that are not UTF-8", () => {
    expect(() => decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0xe9, 0x62]))).toThrow(
      rejected("unreadable_file", /UTF-8 byte-order mark/),
    );
  });

  it("refuses a UTF-16 BOM followed by broken UTF-16", () => {
    expect(() => decodeBytes(Uint8Array.from([0xff, 0xfe, 0x41, 0x00, 0x42]))).toThrow(
      rejected("unreadable_file", /UTF-16/),
    );
    expect(() => decodeBytes(Uint8Array.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]))).toThrow(
      rejected("unreadable_file", /UTF-16/),
    );
  });

  it("refuses an Excel workbook with a message that says how to save it as CSV", () => {
    const xlsx = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    expect(() => decodeBytes(xlsx)).toThrow(
      rejected("unreadable_file", /Excel workbook \(\.xlsx\).*CSV UTF-8/),
    );
    const xls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(() => decodeBytes(xls)).toThrow(rejected("unreadable_file", /\.xls\)/));
  });

  it("refuses NUL bytes outside UTF-16, naming UTF-16 when that is what it looks like", () => {
    expect(() => decodeBytes(Uint8Array.from([0x61, 0x2c, 0x00, 0x62, 0x0a]))).toThrow(
      rejected("unreadable_file", /NUL/),
    );
    const utf16NoBom = encodeUtf16WithBom("Deal,City\r\nx,y\r\n", "le").subarray(2);
    expect(() => decodeBytes(utf16NoBom)).toThrow(
      rejected("unreadable_file", /UTF-16.*without a byte-order mark/),
    );
    expect(() => decodeBytes(encodeUtf8WithBom("a,b\u0000"))).toThrow(
      rejected("unreadable_file", /NUL/),
    );
    expect(() => decodeBytes(encodeUtf16WithBom("a,b\u0000", "le"))).toThrow(
      rejected("unreadable_file", /NUL/),
    );
  });

  it("refuses text full of control characters, but keeps a stray one", () => {
    const binary = Uint8Array.from({ length: 400 }, (_, i) => 1 + (i % 31));
    expect(() => decodeBytes(binary)).toThrow(rejected("unreadable_file", /control characters/));
    expect(decodeBytes(utf8("Notes\r\nline\u000bbreak from Word\r\n")).text).toContain("\u000b");
  });

  it("refuses an empty file, or one that holds only a BOM", () => {
    expect(() => decodeBytes(new Uint8Array())).toThrow(rejected("empty_file"));
    expect(() => decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf]))).toThrow(rejected("empty_file"));
    expect(() => decodeBytes(Uint8Array.from([0xff, 0xfe]))).toThrow(rejected("empty_file"));
  });

  it("throws FileRejectedError instances", () => {
    expect(() => decodeBytes(new Uint8Array())).toThrow(FileRejectedError);
  });
});
