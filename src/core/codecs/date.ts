import { type CellResult, fail, ok } from "../errors.js";
import { CELL } from "../messages/cells.js";
import type { Label } from "../messages/text.js";
import { blankCell, trimCell } from "./cell-text.js";

const EXAMPLE_DATE = "01/30/2027";
const EXAMPLE_TIMESTAMP = "2026-11-24T10:00:00Z";

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const daysInMonth = (y: number, m: number): number =>
  m === 2 && isLeapYear(y) ? 29 : (DAYS_IN_MONTH[m - 1] ?? 0);
const isRealDate = (y: number, m: number, d: number): boolean =>
  m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
const mdy = (y: number, m: number, d: number): string => `${pad(m)}/${pad(d)}/${pad(y, 4)}`;

/** Why month `m`, day `d` of year `y` is not a calendar date, for a month that exists. */
const notRealDate = (column: Label, value: string, y: number, m: number) =>
  CELL.dateNotReal(column, value, y, m, daysInMonth(y, m));

/**
 * The midnight Excel or a database may append to a date: `T00:00:00`, `T00:00:00Z`,
 * ` 00:00:00`, ` 0:00`, `T00:00:00.000+00:00`, ` 12:00:00 AM`.
 */
const MIDNIGHT = /^(?:0?0:00(?::00(?:\.0+)?)?|12:00(?::00)? ?AM)(?:Z|[+-]00:?00)?$/i;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](.+))?$/;
/** Three numbers with one separator: M/D/YYYY is the accepted form, the others are recognised to explain. */
const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(?:[T ](.+))?$/;

const hasTime = (column: Label, value: string, example: string): CellResult<never> =>
  fail("invalid_date", CELL.dateHasTime(column, value, example));

/**
 * SPEC §5, row 24: `M/D/YYYY` (leading zeros optional) or ISO `YYYY-MM-DD`, optionally with the
 * midnight a spreadsheet adds; a real calendar date. Returns `YYYY-MM-DD`.
 */
export const decodeCloseDate = (raw: string, column: Label): CellResult<string> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);

  const iso = ISO_DATE.exec(value);
  if (iso) {
    const [, yText = "", mText, dText, time] = iso;
    const y = Number(yText);
    const m = Number(mText);
    const d = Number(dText);
    if (!isRealDate(y, m, d)) {
      return m >= 1 && m <= 12
        ? fail("invalid_date", notRealDate(column, value, y, m))
        : fail("invalid_date", CELL.dateNoMonth(column, value, m));
    }
    const date = `${yText}-${pad(m)}-${pad(d)}`;
    if (time !== undefined && !MIDNIGHT.test(time)) return hasTime(column, value, mdy(y, m, d));
    return ok(date);
  }

  const parts = NUMERIC_DATE.exec(value);
  if (parts) {
    const [, aText, separator, bText, yText = "", time] = parts;
    const a = Number(aText);
    const b = Number(bText);
    const y = Number(yText);
    if (yText.length === 2) {
      const guess = isRealDate(2000 + y, a, b) ? mdy(2000 + y, a, b) : null;
      return fail("invalid_date", CELL.dateTwoDigitYear(column, value, guess, EXAMPLE_DATE));
    }
    const monthFirst = isRealDate(y, a, b);
    const dayFirst = isRealDate(y, b, a);
    if (time !== undefined && !MIDNIGHT.test(time)) {
      return hasTime(column, value, monthFirst ? mdy(y, a, b) : EXAMPLE_DATE);
    }
    if (separator === "/" && monthFirst) return ok(`${yText}-${pad(a)}-${pad(b)}`);
    if (separator === "/" && a >= 1 && a <= 12 && !dayFirst) {
      return fail("invalid_date", notRealDate(column, value, y, a));
    }
    // Suggest only when one reading alone is a real date: 30/01/2027 can only be 01/30/2027.
    const guess =
      monthFirst && !dayFirst ? mdy(y, a, b) : dayFirst && !monthFirst ? mdy(y, b, a) : null;
    return fail("invalid_date", CELL.dateNotFormat(column, value, guess, EXAMPLE_DATE));
  }

  return fail("invalid_date", CELL.dateNotFormat(column, value, null, EXAMPLE_DATE));
};

/** `2027-05-02` → `05/02/2027`, the form SPEC §5 asks files to carry. */
export const encodeCloseDate = (date: string): string => {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!parts) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  const [, y, m, d] = parts;
  return `${m}/${d}/${y}`;
};

/** An instant read from a `Last Modified` cell, and how finely the cell could say it. */
export interface Timestamp {
  /** ISO 8601 UTC with milliseconds, e.g. `2026-11-24T10:00:00.000Z`. */
  iso: string;
  /** 1 when the cell had milliseconds, 1000 for seconds, 60000 for minutes. */
  precisionMs: number;
}

/** ISO 8601 with seconds, fractions and zone optional (a missing zone is refused, not guessed). */
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** What Excel rewrites an ISO timestamp into: `M/D/YYYY H:mm[:ss]`, possibly with AM/PM. */
const EXCEL_TIMESTAMP =
  /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AP]M))?$/i;

const MINUTE_MS = 60_000;

/** Epoch milliseconds of a UTC wall-clock time. `Date.UTC` reads years 0–99 as 1900–1999, so those go the long way. */
const utcMs = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) => {
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
};

/** Epoch milliseconds in years 0000–9999, the range a four-digit ISO year can write. */
const MIN_MS = utcMs(0, 1, 1, 0, 0, 0, 0);
const MAX_MS = utcMs(9999, 12, 31, 23, 59, 59, 999);

const notTimestamp = (column: Label, value: string): CellResult<never> =>
  fail("invalid_timestamp", CELL.notTimestamp(column, value, EXAMPLE_TIMESTAMP));

/** ISO 8601 UTC with milliseconds, formatted by hand: `toISOString` is several times slower. */
const isoOf = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) =>
  `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}Z`;

const isoAt = (at: number): string => {
  const t = new Date(at);
  return isoOf(
    t.getUTCFullYear(),
    t.getUTCMonth() + 1,
    t.getUTCDate(),
    t.getUTCHours(),
    t.getUTCMinutes(),
    t.getUTCSeconds(),
    t.getUTCMilliseconds(),
  );
};

const decodeIsoTimestamp = (
  column: Label,
  value: string,
  parts: RegExpExecArray,
): CellResult<Timestamp> => {
  const [, yText, moText, dText, hText, miText, sText, fraction, zone] = parts;
  const y = Number(yText);
  const mo = Number(moText);
  const d = Number(dText);
  const h = Number(hText);
  const mi = Number(miText);
  const s = sText === undefined ? 0 : Number(sText);
  if (!isRealDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return notTimestamp(column, value);
  if (zone === undefined) {
    return fail("invalid_timestamp", CELL.timestampNoZone(column, value, EXAMPLE_TIMESTAMP));
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return notTimestamp(column, value);
    offsetMinutes = sign * (oh * 60 + om);
  }
  // Beyond milliseconds, digits are dropped (truncated, like the export's own rounding down).
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, "0"));
  const precisionMs =
    fraction !== undefined
      ? 10 ** Math.max(0, 3 - fraction.length)
      : sText !== undefined
        ? 1000
        : MINUTE_MS;
  if (offsetMinutes === 0) return ok({ iso: isoOf(y, mo, d, h, mi, s, ms), precisionMs });
  const at = utcMs(y, mo, d, h, mi, s, ms) - offsetMinutes * MINUTE_MS;
  if (at < MIN_MS || at > MAX_MS) return notTimestamp(column, value);
  return ok({ iso: isoAt(at), precisionMs });
};

const decodeExcelTimestamp = (
  column: Label,
  value: string,
  parts: RegExpExecArray,
): CellResult<Timestamp> => {
  const [, moText, dText, yText = "", hText, miText, sText, meridiem] = parts;
  const mo = Number(moText);
  const d = Number(dText);
  const y = Number(yText);
  const h = Number(hText);
  const mi = Number(miText);
  if (yText.length === 2) {
    return fail("invalid_timestamp", CELL.timestampTwoDigitYear(column, value, EXAMPLE_TIMESTAMP));
  }
  if (!isRealDate(y, mo, d)) {
    const time = value.slice(value.indexOf(" "));
    const guess = isRealDate(y, d, mo) ? `${mdy(y, d, mo)}${time}` : null;
    return fail("invalid_timestamp", CELL.timestampNotExcelForm(column, value, guess));
  }
  let hour = h;
  if (meridiem !== undefined) {
    if (h < 1 || h > 12) return notTimestamp(column, value);
    hour = (h % 12) + (meridiem.toUpperCase() === "PM" ? 12 : 0);
  }
  const s = sText === undefined ? 0 : Number(sText);
  if (hour > 23 || mi > 59 || s > 59) return notTimestamp(column, value);
  return ok({
    iso: isoOf(y, mo, d, hour, mi, s, 0),
    precisionMs: sText === undefined ? MINUTE_MS : 1000,
  });
};

/**
 * The `Last Modified` column (SPEC §4): ISO 8601 with `Z` or an offset, or the `M/D/YYYY H:mm[:ss]`
 * Excel turns it into (taken as UTC). Says how precise the cell was, so a time Excel cut to the
 * minute is compared at the minute.
 */
export const decodeTimestamp = (raw: string, column: Label): CellResult<Timestamp> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const iso = ISO_TIMESTAMP.exec(value);
  if (iso) return decodeIsoTimestamp(column, value, iso);
  const excel = EXCEL_TIMESTAMP.exec(value);
  if (excel) return decodeExcelTimestamp(column, value, excel);
  return notTimestamp(column, value);
};

/** ISO 8601 UTC to the second, e.g. `2026-11-24T10:00:00Z`; milliseconds are dropped (rounded down). */
export const encodeTimestamp = (iso: string): string => {
  const decoded = decodeTimestamp(iso, "timestamp");
  if (!decoded.ok) throw new RangeError(decoded.message);
  return `${decoded.value.iso.slice(0, 19)}Z`;
};
