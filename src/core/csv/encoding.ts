import { FileRejectedError } from "../errors.js";
import { FILE } from "../messages/files.js";

/**
 * Bytes to text for an uploaded CSV file (SPEC §4: UTF-8 with or without BOM, UTF-16 with BOM,
 * or Windows-1252, what Excel writes in Western locales). Nothing is ever stored with a mangled
 * character, so anything that cannot be decoded exactly is refused with a message that says what
 * to do, instead of being decoded with replacement characters.
 */

export type DetectedEncoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "windows-1252";

export interface DecodedText {
  /** Never starts with a byte-order mark. */
  text: string;
  encoding: DetectedEncoding;
}

export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) throw emptyFile();
  rejectKnownBinaryFormats(bytes);

  const decoded = decodeByBom(bytes) ?? decodeWithoutBom(bytes);
  if (decoded.text.length === 0) throw emptyFile();
  rejectControlCharacters(decoded.text);
  return decoded;
}

/**
 * A file's bytes read a slice at a time: held whole in memory (an upload), or read from disk as
 * asked (`cosell import` of a large file, never read whole).
 */
export interface ByteSource {
  size: number;
  /** Up to `length` bytes from `start` (fewer at the end). */
  read(start: number, length: number): Uint8Array;
}

/** Bytes in memory as a source. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (start, length) => bytes.subarray(start, start + length) };
}

const SCAN_BYTES = 1024 * 1024;

function* scanSlices(
  source: ByteSource,
  from: number,
): Generator<{ at: number; bytes: Uint8Array }> {
  for (let at = from; at < source.size; at += SCAN_BYTES) {
    yield { at, bytes: source.read(at, SCAN_BYTES) };
  }
}

/**
 * The encoding of a file too large to decode whole (a streamed import), found as `decodeBytes`
 * finds it and refused for the same reasons, by a look at every byte that decodes none:
 * `isUtf8` says whether the bytes from an offset are valid UTF-8 (Node's `buffer.isUtf8` on
 * bytes in memory, a streaming check on a file). UTF-16 is left to `decodeBytes` (the caller
 * reads such a file whole). Control characters are checked on the first slice (`decodeSlices`).
 */
export function detectEncoding(
  source: ByteSource,
  isUtf8: (from: number) => boolean,
): DetectedEncoding {
  if (source.size === 0) throw emptyFile();
  const head = source.read(0, 1024);
  rejectKnownBinaryFormats(head);
  const [b0, b1, b2] = head;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    return b0 === 0xff ? "utf-16le" : "utf-16be";
  }
  const bom = b0 === 0xef && b1 === 0xbb && b2 === 0xbf;
  if (bom && source.size === 3) throw emptyFile();
  for (const { bytes } of scanSlices(source, bom ? 3 : 0)) {
    if (bytes.indexOf(0) === -1) continue;
    throw new FileRejectedError(
      "unreadable_file",
      !bom && looksLikeUtf16WithoutBom(head)
        ? FILE.utf16WithoutBom
        : bom
          ? FILE.nulCharacters
          : FILE.nulBytes,
    );
  }
  if (isUtf8(bom ? 3 : 0)) return bom ? "utf-8-bom" : "utf-8";
  if (bom) {
    throw new FileRejectedError("unreadable_file", FILE.badAfterBom("UTF-8"));
  }
  for (const { at, bytes } of scanSlices(source, 0)) {
    for (let i = 0; i < WINDOWS_1252_C1.length; i++) {
      if (WINDOWS_1252_C1[i] !== 0) continue;
      const found = bytes.indexOf(0x80 + i);
      if (found !== -1) decodeWindows1252(bytes.subarray(found, found + 1), at + found);
    }
  }
  return "windows-1252";
}

/**
 * Whether a source's bytes from `from` on are valid UTF-8, slice by slice (a character cut by a
 * slice's end is completed by the next): the portable check, for bytes not in memory.
 */
export function isUtf8Source(source: ByteSource, from: number): boolean {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  try {
    for (const { bytes } of scanSlices(source, from)) decoder.decode(bytes, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

/**
 * The text of a file of a detected encoding (UTF-8 or Windows-1252), slice by slice of about
 * `sliceBytes` bytes, never whole; a character cut by a slice's end comes whole in the next.
 */
export function* decodeSlices(
  source: ByteSource,
  encoding: "utf-8" | "utf-8-bom" | "windows-1252",
  sliceBytes: number,
): Generator<string, void, undefined> {
  const utf8 = encoding === "windows-1252" ? null : new TextDecoder("utf-8", { ignoreBOM: true });
  const start = encoding === "utf-8-bom" ? 3 : 0;
  for (let at = start; at < source.size; at += sliceBytes) {
    const slice = source.read(at, sliceBytes);
    const last = at + sliceBytes >= source.size;
    const text = utf8 ? utf8.decode(slice, { stream: !last }) : decodeWindows1252(slice, at);
    if (at === start) rejectControlCharacters(text);
    yield text;
  }
}

function decodeByBom(bytes: Uint8Array): DecodedText | undefined {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    return { text: strictDecode("utf-8", bytes.subarray(3)), encoding: "utf-8-bom" };
  }
  if (b0 === 0xff && b1 === 0xfe) {
    return { text: strictDecode("utf-16le", bytes.subarray(2)), encoding: "utf-16le" };
  }
  if (b0 === 0xfe && b1 === 0xff) {
    return { text: strictDecode("utf-16be", bytes.subarray(2)), encoding: "utf-16be" };
  }
  return undefined;
}

function decodeWithoutBom(bytes: Uint8Array): DecodedText {
  // Without a BOM a NUL byte means UTF-16 or a binary file: either way not text we can read.
  if (bytes.indexOf(0) !== -1) {
    throw new FileRejectedError(
      "unreadable_file",
      looksLikeUtf16WithoutBom(bytes) ? FILE.utf16WithoutBom : FILE.nulBytes,
    );
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: "windows-1252" };
  }
}

function strictDecode(label: "utf-8" | "utf-16le" | "utf-16be", bytes: Uint8Array): string {
  try {
    const text = new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
    if (text.includes("\u0000")) {
      throw new FileRejectedError("unreadable_file", FILE.nulCharacters);
    }
    return text;
  } catch (error) {
    if (error instanceof FileRejectedError) throw error;
    const name = label === "utf-8" ? "UTF-8" : "UTF-16";
    throw new FileRejectedError("unreadable_file", FILE.badAfterBom(name));
  }
}

/**
 * Windows-1252 bytes 0x80–0x9F (WHATWG index); 0 marks the five bytes that have no character.
 * Node 20.18.3+ decodes "windows-1252" as Latin-1 (nodejs/node#60888), turning `€` and `’` into
 * control characters, so whatever the decoder leaves in U+0080–U+009F is mapped here: correct on
 * a conforming decoder (browsers) and on the Latin-1 one alike.
 */
const WINDOWS_1252_C1 = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0, 0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161,
  0x203a, 0x0153, 0, 0x017e, 0x0178,
];

function decodeWindows1252(bytes: Uint8Array, from = 0): string {
  const latin = new TextDecoder("windows-1252").decode(bytes);
  // One byte per character, so the offset in the text is the offset in the file.
  return latin.replace(/[\u0080-\u009f]/g, (ch, at: number) => {
    const offset = from + at;
    const unit = WINDOWS_1252_C1[ch.charCodeAt(0) - 0x80];
    if (!unit) {
      throw new FileRejectedError(
        "unreadable_file",
        FILE.neitherEncoding(ch.charCodeAt(0).toString(16), offset),
      );
    }
    return String.fromCharCode(unit);
  });
}

function rejectKnownBinaryFormats(bytes: Uint8Array): void {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) {
    throw new FileRejectedError("unreadable_file", FILE.xlsxAsCsv);
  }
  if (b0 === 0xd0 && b1 === 0xcf && b2 === 0x11 && b3 === 0xe0) {
    throw new FileRejectedError("unreadable_file", FILE.xlsAsCsv);
  }
}

/** UTF-16 of mostly ASCII text has a zero in every other byte. */
function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 1024);
  let evenZeros = 0;
  let oddZeros = 0;
  sample.forEach((byte, index) => {
    if (byte !== 0) return;
    if (index % 2 === 0) evenZeros++;
    else oddZeros++;
  });
  return Math.max(evenZeros, oddZeros) > sample.length / 4;
}

/**
 * A stray control character (a vertical tab pasted from Word) is kept as it is, but text where
 * they are frequent is a binary file decoded as if it were text.
 */
const CONTROL_SAMPLE_CHARS = 65_536;

function rejectControlCharacters(text: string): void {
  const end = Math.min(text.length, CONTROL_SAMPLE_CHARS);
  let controls = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) {
      controls++;
    }
  }
  if (controls > 16 && controls * 20 > end) {
    throw new FileRejectedError("unreadable_file", FILE.controlCharacters);
  }
}

function emptyFile(): FileRejectedError {
  return new FileRejectedError("empty_file", FILE.empty);
}
