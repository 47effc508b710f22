/**
 * Spreadsheet formula-injection guard (SPEC §3): a cell that a spreadsheet would run as a formula
 * gets a leading apostrophe on export, and the importer takes it off again.
 *
 * A cell that already starts with apostrophes before a trigger character gets one more, so that
 * restoreCell(neutraliseCell(s)) === s for every string: otherwise `'=1` typed by a user and `=1`
 * neutralised by us would both export as `'=1` and one of them would come back changed.
 */

/** `=`, `+`, `-`, `@`, tab or carriage return, after any number of apostrophes. */
const NEEDS_GUARD = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return NEEDS_GUARD.test(value) ? `'${value}` : value;
}

/** The exact inverse of neutraliseCell: removes one apostrophe, and only where it added one. */
export function restoreCell(value: string): string {
  return GUARDED.test(value) ? value.slice(1) : value;
}
