/**
 * File-level import rules on top of the row rules: which rows create and which update,
 * "not found" for anything the actor cannot see, the CRM ID duplicate guard (and the
 * opt-in upsert), and one row per deal. Pure: the caller supplies what it looked up.
 */
import type { Deal } from "../deal.js";
import { type RowError, rowError } from "../errors.js";
import { ROW } from "../messages/rows.js";
import { splitText } from "../messages/text.js";
import { columnLabel, crmIdOf, type ParsedRow, referralIdOf } from "../row/parse-row.js";
import { planCreate, planUpdate, type RowContext, type RowOutcome } from "../row/plan-row.js";
import type { ImportFile, ImportTable } from "./read-import-file.js";

export interface ImportLookups {
  /** Deals the actor can see, by Referral ID (only those the file names). */
  visible: ReadonlyMap<string, Deal>;
  /** Deals of the organisation by CRM ID (only those the file names), with whether the actor can see them. */
  byCrmId: ReadonlyMap<string, readonly { deal: Deal | null; id: string }[]>;
  /**
   * When each deal changed before its last change, for the deals that did (from the audit
   * trail): looked up only when the file's `Last Modified` is the stale-row check (no `Version`
   * column), whose time may be too coarse to tell the two apart (`needsPreviousChanges`).
   */
  previousChange?: ReadonlyMap<string, string>;
}

/** Whether the stale-row check of this file needs `previousChange`: Last Modified without Version. */
export const needsPreviousChanges = (map: ImportTable["map"]): boolean =>
  map.columns.has("lastModified") && !map.columns.has("version");

export interface ImportOptions {
  /** A create row whose CRM ID matches one existing deal updates that deal instead. */
  upsertByCrmId: boolean;
}

export interface PlannedRow {
  parsed: ParsedRow;
  outcome: RowOutcome;
  /** The deal an update applies to; null for a create. */
  deal: Deal | null;
}

/**
 * The Referral IDs and CRM IDs (of rows without a Referral ID) the file names, for the
 * caller's look-ups — read from the cells, so the look-ups can start before the rows are
 * parsed. A CRM ID that its row then refuses (too long) is looked up for nothing, harmlessly.
 */
export const referencedIds = (
  table: Pick<ImportTable, "map" | "records">,
): { referralIds: string[]; crmIds: string[] } => {
  const referralIds = new Set<string>();
  const crmIds = new Set<string>();
  for (const { cells } of table.records) {
    const referralId = referralIdOf(table.map, cells);
    const crmId = referralId ? null : crmIdOf(table.map, cells);
    if (referralId) referralIds.add(referralId);
    else if (crmId) crmIds.add(crmId);
  }
  return { referralIds: [...referralIds], crmIds: [...crmIds] };
};

/**
 * A copy of an id that holds nothing else: a cell read from a slice of a file is a view of that
 * slice (V8 keeps the parent string of a substring alive), and the planner keeps the ids of a
 * whole file — kept as views, they would keep the whole file's text.
 */
const own = (id: string): string => ` ${id}`.slice(1);

const notProcessed = (parsed: ParsedRow, extra: RowError): PlannedRow => ({
  parsed,
  outcome: { result: "Not processed", errors: [...parsed.errors, extra] },
  deal: null,
});

export const planImport = (
  file: ImportFile,
  lookups: ImportLookups,
  ctx: RowContext,
  options: ImportOptions,
): PlannedRow[] => importPlanner(file.map, ctx, options)(file.rows, lookups);

/**
 * The file-level rules as a planner of consecutive batches of one file's rows (a streamed
 * import plans chunk after chunk): it remembers every Referral ID and new CRM ID it has seen,
 * so a deal named twice is caught however far apart the rows are. Each batch comes with the
 * look-ups of the ids it names.
 */
export const importPlanner = (
  map: ImportTable["map"],
  ctx: RowContext,
  options: ImportOptions,
): ((rows: readonly ParsedRow[], lookups: ImportLookups) => PlannedRow[]) => {
  const referralColumn = columnLabel(map, "referralId");
  const crmColumn = columnLabel(map, "crmId");
  const rowOfReferral = new Map<string, number>();
  const rowOfNewCrmId = new Map<string, number>();

  return (rows, lookups) =>
    rows.map((parsed): PlannedRow => {
      let deal: Deal | null = null;
      if (parsed.referralId) {
        const earlier = rowOfReferral.get(parsed.referralId);
        if (earlier !== undefined) {
          return notProcessed(
            parsed,
            rowError(referralColumn, {
              code: "duplicate_referral_in_file",
              ...splitText(ROW.referralTwice(referralColumn, parsed.referralId, earlier)),
            }),
          );
        }
        rowOfReferral.set(own(parsed.referralId), parsed.row);
        deal = lookups.visible.get(parsed.referralId) ?? null;
        if (!deal) {
          return notProcessed(
            parsed,
            rowError(referralColumn, {
              code: "not_found",
              ...splitText(ROW.referralNotFound(referralColumn, parsed.referralId)),
            }),
          );
        }
      } else if (parsed.fields.crmId) {
        const crmId = parsed.fields.crmId;
        const earlierRow = rowOfNewCrmId.get(crmId);
        if (earlierRow !== undefined) {
          return notProcessed(
            parsed,
            rowError(crmColumn, {
              code: "crm_id_duplicate",
              ...splitText(ROW.crmIdTwice(crmColumn, crmId, earlierRow)),
            }),
          );
        }
        const matches = lookups.byCrmId.get(crmId) ?? [];
        if (matches.length > 0) {
          const only = matches.length === 1 ? matches[0] : undefined;
          if (options.upsertByCrmId && only?.deal) deal = only.deal;
          else return notProcessed(parsed, crmDuplicate(crmColumn, crmId, matches, options));
        }
      }

      const outcome = deal
        ? planUpdate(parsed, deal, ctx, lookups.previousChange?.get(deal.id) ?? null)
        : planCreate(parsed, ctx);
      if (outcome.result === "Created" && parsed.fields.crmId) {
        rowOfNewCrmId.set(own(parsed.fields.crmId), parsed.row);
      }
      if (deal && parsed.referralId === null) rowOfReferral.set(deal.id, parsed.row);
      return { parsed, outcome, deal };
    });
};

const crmDuplicate = (
  column: string,
  crmId: string,
  matches: readonly { deal: Deal | null; id: string }[],
  options: ImportOptions,
): RowError => {
  const seen = matches.filter((m) => m.deal);
  const text =
    matches.length > 1
      ? ROW.crmIdOnMany(
          column,
          crmId,
          matches.length,
          seen.map((m) => m.id),
        )
      : // A plain user is told the CRM ID is taken, never which deal (outside their scope) has it.
        ROW.crmIdUsed(column, crmId, seen[0]?.id ?? null, !options.upsertByCrmId);
  return rowError(column, { code: "crm_id_duplicate", ...splitText(text) });
};
