import { type CodeList, describeCodes } from "../code-lists.js";
import { type CellResult, fail, ok } from "../errors.js";
import { CELL, NUMBER_WHY } from "../messages/cells.js";
import type { Label, Text } from "../messages/text.js";
import { blankCell, quote, trimCell } from "./cell-text.js";

/**
 * The spellings of a non-negative decimal that spreadsheets write (SPEC §5, row 22), tried in
 * order. A group never starts with 0, so `0,500` is a decimal comma while `1,000` is a thousand.
 * Each yields the integer digits (separators still in) and the fraction.
 */
const DECIMAL_FORMS: readonly RegExp[] = [
  // 1,234 · 1,234,567.89 — a comma followed by exactly three digits groups thousands
  /^([1-9]\d{0,2}(?:,\d{3})+)(?:\.(\d+))?$/,
  // 1 234,56 · 1 234.56 — space, no-break space, narrow no-break space or thin space groups
  /^([1-9]\d{0,2}(?:[ \u00a0\u202f\u2009]\d{3})+)(?:[.,](\d+))?$/,
  // 1.234,56 · 1.234.567 — dots group only when that is the only reading
  /^([1-9]\d{0,2}(?:\.\d{3})+),(\d+)$/,
  /^([1-9]\d{0,2}(?:\.\d{3}){2,})()$/,
  // 1234 · 1234.56 · 1234,56 · .5 (at least one digit)
  /^(?=[.,]?\d)(\d*)(?:[.,](\d+))?$/,
];

/** The common, unambiguous case, read without the forms above: `1234`, `1234.56`. */
const PLAIN = /^\d+(?:\.\d+)?$/;
const SCIENTIFIC = /^\d+(?:[.,]\d+)?e[+-]?\d+$/i;

type Reading = { ok: true; value: number } | { ok: false; why: Text };

const finite = (value: number): Reading =>
  Number.isFinite(value)
    ? { ok: true, value: value + 0 } // `+ 0` turns -0 into 0, so "-0" reads as plain 0
    : { ok: false, why: NUMBER_WHY.tooLarge };

/** Reads the text of a number, sign included, without judging its range; says what is wrong when it cannot. */
const readNumber = (value: string): Reading => {
  const first = value.charAt(0);
  // ASCII hyphen-minus, or the minus sign U+2212 some spreadsheets write.
  const sign = first === "-" || first === "\u2212" ? -1 : 1;
  const body = sign === -1 || first === "+" ? value.slice(1) : value;
  if (PLAIN.test(body)) return finite(sign * Number(body));
  for (const form of DECIMAL_FORMS) {
    const parts = form.exec(body);
    if (!parts) continue;
    const digits = (parts[1] ?? "").replace(/\D/g, "");
    const fraction = parts[2] ?? "";
    return finite(sign * Number(fraction === "" ? digits : `${digits || "0"}.${fraction}`));
  }
  if (SCIENTIFIC.test(body)) {
    const number = sign * Number(body.replace(",", "."));
    if (Number.isFinite(number)) {
      return { ok: false, why: NUMBER_WHY.scientific(encodeDecimal(number)) };
    }
  }
  if (/\p{Sc}/u.test(body)) {
    return { ok: false, why: NUMBER_WHY.currencySymbol };
  }
  if (/\p{L}/u.test(body)) return { ok: false, why: NUMBER_WHY.letters };
  return { ok: false, why: NUMBER_WHY.unreadable };
};

const DIGITS_AND_EXPONENT = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/;

/**
 * The shortest text that reads back as exactly `value`, always in plain digits with `.`:
 * JavaScript's own shortest form, with any exponent spelled out (1e21 → 1000000000000000000000,
 * 1.5e-7 → 0.00000015), so every finite number round-trips and no cell holds an exponent.
 */
export const encodeDecimal = (value: number): string => {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  const text = String(value);
  const parts = DIGITS_AND_EXPONENT.exec(text);
  if (!parts) return text;
  const [, sign, lead = "", rest = "", exponentText] = parts;
  const digits = lead + rest;
  const point = 1 + Number(exponentText);
  const plain =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + "0".repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + plain;
};

/**
 * A decimal ≥ 0: `1234.56`, `1,234.56`, `1 234,56`, `1234,56`, `1.234,56`. A lone comma before
 * exactly three digits groups thousands (`1,000` is 1000); otherwise a comma is a decimal comma.
 * Scientific notation is refused: a spreadsheet wrote it, and it may have dropped digits.
 */
export const decodeDecimal = (raw: string, column: Label): CellResult<number> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const reading = readNumber(value);
  if (!reading.ok) return fail("invalid_number", CELL.notNumber(column, value, reading.why));
  if (reading.value < 0) return fail("negative_number", CELL.negative(column, value));
  return ok(reading.value);
};

/** A whole number ≥ 1, such as a solution's quantity (thousands separators allowed, `10.0` is 10). */
export const decodeQuantity = (raw: string, column: Label): CellResult<number> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const reading = readNumber(value);
  if (!reading.ok) return fail("invalid_number", CELL.notNumber(column, value, reading.why));
  if (reading.value < 0) return fail("negative_number", CELL.negativeQuantity(column, value));
  if (!Number.isSafeInteger(reading.value) || reading.value < 1) {
    return fail("invalid_number", CELL.notWholeQuantity(column, value));
  }
  return ok(reading.value);
};

/**
 * A code of a numbered list (SPEC §7): the number alone, or the number followed by a label or a
 * percent sign, as drop-downs write them: `3`, `3 - Customer chose another vendor`, `40%`.
 * Only the number counts; the text after it is not checked (it may be French, or abridged).
 */
const CODE_CELL = /^(\d+)(?:\.0+)?(?:\s*%)?(?:\s*[-–—:.)]\s*|\s+|$)(.*)$/su;

export const decodeCode = (raw: string, column: Label, list: CodeList): CellResult<number> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const parts = CODE_CELL.exec(value);
  const code = parts && !/^\d/.test(parts[2] ?? "") ? Number(parts[1]) : Number.NaN;
  if (list.entries.has(code)) return ok(code);
  return fail("invalid_code", CELL.notCode(column, value, describeCodes(list)));
};

/**
 * The `Version` column an export writes: the deal's version, a whole number from 1. A
 * spreadsheet keeps an integer as it is (at most it writes `3.0`), which is why the stale-row
 * check trusts it over a time the spreadsheet may have cut to the minute.
 */
export const decodeVersion = (raw: string, column: string): CellResult<number> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const whole = /^(\d{1,15})(?:\.0*)?$/.exec(value);
  const version = whole ? Number(whole[1]) : 0;
  if (version < 1) {
    return fail(
      "invalid_number",
      `${column} ${quote(value)} is not a deal version (a whole number from 1, as the export wrote it); keep the exported value, or clear the cell to skip the check`,
    );
  }
  return ok(version);
};
