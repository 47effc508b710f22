/**
 * SPEC §6: when a field stops being editable, decided in one place for the importer, the
 * API (which reports locks to the page) and the page itself.
 */
import { COLUMNS, type ColumnKey, type FieldKey, type Lock } from "./columns.js";
import { type DealFields, isSharedWithMicrosoft } from "./deal.js";

export const lockOf = (key: ColumnKey): Lock =>
  COLUMNS.find((c) => c.key === key)?.lock ?? "editable";

/** Is this field's column lock in force on `deal` (SPEC §6)? Terminal deals aside. */
export const isFieldLocked = (key: FieldKey, deal: DealFields): boolean => {
  switch (lockOf(key)) {
    case "system":
    case "after-create":
      return true;
    case "once-shared":
      return isSharedWithMicrosoft(deal);
    case "once-yes":
      return deal[key] === true;
    case "once-set":
      return isSharedWithMicrosoft(deal) && deal[key] !== null;
    case "editable":
      return false;
  }
};
