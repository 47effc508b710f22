/**
 * Where a page of the deal list ends, as an opaque cursor (`GET /api/deals?after=…`): the sort
 * column's value and the id of the page's last deal. The next page starts strictly after that
 * pair in the list's order (keyset paging), so a deep page costs what the first one costs,
 * where an OFFSET walks every deal before it. Pure: the page may hold one and send it back.
 */
import { RequestError } from "./errors.js";

export interface DealCursor {
  value: string | number;
  id: string;
}

function toBase64Url(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(
    Uint8Array.from(binary, (c) => c.charCodeAt(0)),
  );
}

export function encodeDealCursor(cursor: DealCursor): string {
  return toBase64Url(JSON.stringify([cursor.value, cursor.id]));
}

/** The cursor a list page handed out; anything else is refused as a bad argument. */
export function decodeDealCursor(text: string): DealCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(text));
  } catch {
    parsed = null;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    (typeof parsed[0] === "string" || typeof parsed[0] === "number") &&
    typeof parsed[1] === "string"
  ) {
    return { value: parsed[0], id: parsed[1] };
  }
  throw new RequestError(
    "invalid_argument",
    "'after' is not a cursor this list gave out: pass the `next` of the page before, unchanged (and the same sort)",
  );
}
