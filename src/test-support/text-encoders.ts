/**
 * Text to bytes in the encodings an upload may use, for round-trip tests. Written independently of
 * src/core/csv/encoding.ts (its own Windows-1252 table) so that a mistake in one shows in the other.
 */

export function encodeUtf8WithBom(text: string): Uint8Array {
  const body = new TextEncoder().encode(text.startsWith("\uFEFF") ? text.slice(1) : text);
  const bytes = new Uint8Array(body.length + 3);
  bytes.set([0xef, 0xbb, 0xbf]);
  bytes.set(body, 3);
  return bytes;
}

export function encodeUtf16WithBom(text: string, endian: "le" | "be"): Uint8Array {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const bytes = new Uint8Array(2 + body.length * 2);
  const view = new DataView(bytes.buffer);
  const littleEndian = endian === "le";
  view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < body.length; i++) {
    view.setUint16(2 + i * 2, body.charCodeAt(i), littleEndian);
  }
  return bytes;
}

/** Bytes 0x80–0x9F of Windows-1252 as Microsoft documents them; a space marks the five unassigned. */
const WINDOWS_1252_HIGH = "€ ‚ƒ„…†‡ˆ‰Š‹Œ Ž  ‘’“”•–—˜™š›œ žŸ";

/** Every character Windows-1252 can write (tab, CR and LF among the controls). */
export const WINDOWS_1252_CHARACTERS: readonly string[] = [
  "\t",
  "\n",
  "\r",
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...[...WINDOWS_1252_HIGH].filter((ch) => ch !== " "),
  ...Array.from({ length: 0x100 - 0xa0 }, (_, i) => String.fromCharCode(0xa0 + i)),
];

export function encodeWindows1252(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const high = WINDOWS_1252_HIGH.indexOf(text.charAt(i));
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes[i] = code;
    else if (high !== -1) bytes[i] = 0x80 + high;
    else throw new Error(`U+${code.toString(16)} has no Windows-1252 byte`);
  }
  return bytes;
}
