/**
 * A file name that came from outside (an upload's name, `?fileName=`) reduced to its base
 * name before it is stored or sent back in a Content-Disposition: no folders (`../`, `C:\`),
 * no control characters. A download must never suggest a path to the browser.
 */

/** The last path segment, without control characters; "" when nothing usable is left. */
export function baseFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, "");
  const last = clean.split(/[/\\]/).pop() ?? "";
  const trimmed = last.trim();
  return trimmed === "." || trimmed === ".." ? "" : trimmed;
}
