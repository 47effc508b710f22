/**
 * Stable error codes. Row errors are data (returned, never thrown); a whole-file
 * rejection is the only thing thrown. The edges (HTTP, CLI) map codes to statuses
 * and exit codes; the codes themselves never change once published.
 */
import { splitText, type Text } from "./messages/text.js";

/** Problems with one cell or one row: the row is "Not processed", the others go on. */
export const ROW_ERROR_CODES = [
  "required", // a mandatory cell is empty or its column is missing
  "too_long", // text over its maximum length
  "invalid_yes_no",
  "invalid_status",
  "invalid_substatus",
  "invalid_date",
  "invalid_timestamp",
  "invalid_number",
  "negative_number",
  "invalid_code", // a number outside its code list (reason, help, sales stage)
  "invalid_country",
  "invalid_currency",
  "invalid_duns",
  "duns_scientific_notation",
  "spreadsheet_scientific_notation", // a phone, postal code, CRM or campaign ID a spreadsheet rewrote as 1.2E+10
  "postal_code_lost_leading_zero", // a five-digit country's postal code with fewer digits
  "invalid_email",
  "invalid_solution",
  "invalid_team_member",
  "too_many_solutions",
  "too_many_team_members",
  "consent_required",
  "help_type_required",
  "help_type_not_allowed",
  "contact_required",
  "invalid_status_pair", // a substatus that does not belong to the status
  "invalid_create_status", // a new deal must start Active/Accepted
  "invalid_transition",
  "reason_required",
  "system_only_status", // e.g. Expired: set by the system, never by a file
  "not_found",
  "engagement_mismatch",
  "engagement_on_create",
  "terminal",
  "locked",
  "crm_id_duplicate",
  "stale_row",
  "duplicate_referral_in_file",
  "not_reached", // the import stopped (failed, given up on, canceled) before this row
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

/** Problems with the whole file: nothing is written. */
export const FILE_ERROR_CODES = [
  "empty_file",
  "unreadable_file",
  "file_too_large",
  "too_many_rows",
  "no_header",
  "duplicate_header",
  "too_many_columns",
  "line_too_long", // a line no row of the file's columns could make at the cell limit
] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

/**
 * One error of one row: which column, a stable code, and a message that says how to fix it —
 * in English, and in French when the catalogue (src/core/messages/) has its words.
 */
export interface RowError {
  /** The column's header as the file spells it, or the canonical English header when the column is absent. Empty for row-level errors. */
  column: string;
  code: RowErrorCode;
  message: string;
  fr?: string;
}

/** The outcome of decoding one cell. */
export type CellResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: RowErrorCode; message: string; fr?: string };

export const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
export const fail = <T = never>(code: RowErrorCode, message: string | Text): CellResult<T> => ({
  ok: false,
  code,
  ...splitText(message),
});

/** A row error from a failed decoding (or any coded message), keeping both languages. */
export function rowError(
  column: string,
  failure: { code: RowErrorCode; message: string; fr?: string | undefined },
): RowError {
  const error: RowError = { column, code: failure.code, message: failure.message };
  if (failure.fr !== undefined) error.fr = failure.fr;
  return error;
}

/** Thrown when a whole file is refused. Carries a stable code and a message that says how to fix it. */
export class FileRejectedError extends Error {
  readonly code: FileErrorCode;
  readonly fr: string | undefined;
  constructor(code: FileErrorCode, message: string | Text) {
    const split = splitText(message);
    super(split.message);
    this.name = "FileRejectedError";
    this.code = code;
    this.fr = split.fr;
  }
}

/** Failures of a whole request (not of a row or a file): the edges map each code to a status. */
export const REQUEST_ERROR_CODES = [
  "invalid_argument",
  "not_found",
  "already_exists",
  "unauthenticated",
  "forbidden",
  "conflict",
] as const;
export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];

export class RequestError extends Error {
  readonly code: RequestErrorCode;
  readonly fr: string | undefined;
  constructor(code: RequestErrorCode, message: string | Text) {
    const split = splitText(message);
    super(split.message);
    this.name = "RequestError";
    this.code = code;
    this.fr = split.fr;
  }
}
