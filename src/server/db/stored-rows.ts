/**
 * Row results are stored as JSON; reading them back checks their shape instead of trusting
 * it, so a hand-edited or older row cannot smuggle a wrong type into a summary.
 */

import { FIELD_KEYS } from "../../core/columns.js";
import { ROW_ERROR_CODES, type RowError, type RowErrorCode } from "../../core/errors.js";
import { isRecord } from "../../core/json.js";
import type { Change } from "../../core/row/plan-row.js";

const FIELDS: readonly Change["field"][] = [...FIELD_KEYS, "solutions", "team"];

const text = (v: unknown): string => (typeof v === "string" ? v : "");
const textOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);
const asCode = (v: unknown): RowErrorCode => ROW_ERROR_CODES.find((c) => c === v) ?? "required";

const list = (json: string): unknown[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value : [];
};

export const parseStoredErrors = (json: string): RowError[] =>
  list(json)
    .filter(isRecord)
    .map((e) => {
      const error: RowError = {
        column: text(e.column),
        code: asCode(e.code),
        message: text(e.message),
      };
      // The French words, when the core wrote them (rows recorded before it did have none).
      if (typeof e.fr === "string") error.fr = e.fr;
      return error;
    });

export const parseStoredChanges = (json: string): Change[] =>
  list(json)
    .filter(isRecord)
    .flatMap((c): Change[] => {
      const field = FIELDS.find((f) => f === c.field);
      if (!field) return [];
      return [
        {
          field,
          column: text(c.column),
          header: text(c.header),
          from: textOrNull(c.from),
          to: textOrNull(c.to),
        },
      ];
    });
