/**
 * The first half of an import (SPEC §4): the file read, the deals it names looked up, and
 * every row planned with the pure core rules — what a dry run reports and a real run applies.
 * Writes nothing. Also serves the vendor side's `receive` (inbound referrals), which only
 * creates.
 */
import { canSee, requiredMember, type UserActor, type VendorActor } from "../../core/actor.js";
import type { Deal, DealFields } from "../../core/deal.js";
import type { CellCorrection } from "../../core/import/corrections.js";
import {
  importPlanner,
  needsPreviousChanges,
  type PlannedRow,
  referencedIds,
} from "../../core/import/plan-import.js";
import {
  type ImportFile,
  openImportTable,
  parseImportRows,
} from "../../core/import/read-import-file.js";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import type { HeaderMap } from "../../core/header-map.js";
import { columnLabel, type ParsedRow } from "../../core/row/parse-row.js";
import type { ByteSource } from "../../core/csv/index.js";
import { previousChangeTimes } from "../db/audit-repo.js";
import type { Db } from "../db/db.js";
import { type DealUpdate, findDealsByCrmIds, findDealsByIds } from "../db/deals-repo.js";
import { newDealId } from "../db/ids.js";
import type { Store } from "../db/store.js";
import { readUploadTable } from "../xlsx/open-upload.js";
import type { AuditOrigin } from "./audit.js";
import { type ChosenMapping, chooseMapping, type MappingRequest } from "./import-presets.js";

export interface ImportOptions extends MappingRequest {
  dryRun?: boolean;
  upsertByCrmId?: boolean;
}

export interface ImportRequest extends ImportOptions {
  actor: UserActor | VendorActor;
  /** The file, whole (empty when it comes as `file`). */
  bytes: Uint8Array;
  /** A large file on disk, read slice by slice instead of whole (`cosell import`). */
  file?: FileOnDisk;
  /** The file's SHA-256 (hex) when it is known already (`fileHashInTurns`). */
  fileHash?: string;
  /**
   * Bytes a streamed import reads, parses and plans between two turns of the event loop:
   * small on a server (`SERVER_SLICE_BYTES`, a few ms of work), large for the CLI.
   */
  sliceBytes?: number;
  fileName?: string | null;
  /** Where the request came from, for the audit trail (default: the CLI's `cosell import` or `cosell receive`). */
  origin?: AuditOrigin;
  limits?: Limits;
  now?: Date;
  /** Cells the person corrected in the browser before the upload (kept in the import record). */
  corrections?: readonly CellCorrection[];
  /** Files from this many bytes on are streamed (default `STREAM_FROM_BYTES`; tests go lower). */
  streamFromBytes?: number;
  /**
   * The results file piece by piece as it is written (`--results`): whole at the end for a
   * file read whole, chunk by chunk for a streamed one, which never holds it whole.
   */
  resultsTo?: (piece: string) => Promise<void>;
  /**
   * Which rows' summaries a streamed import keeps for its report: every row (default), or
   * those a person is shown (the rows not processed, the first updates).
   */
  keepRows?: "all" | "shown";
  /** Told how far along the import is: rows checked, then rows written. */
  onProgress?: (done: number, total: number, phase: "checking" | "writing") => void;
}

/** A file on disk too large to read whole: read a slice at a time, its hash taken as it was read. */
export interface FileOnDisk {
  source: ByteSource;
  sha256: string;
  /** The whole file, for what is never streamed (a workbook, UTF-16). */
  readAll(): Promise<Uint8Array>;
}

/** A file read and every row planned: what a dry run reports and a real run applies. */
export interface PreparedImport {
  kind: "whole";
  request: ImportRequest;
  file: ImportFile;
  /** The column mapping the file was read with (none: `{}`). */
  mapping: ChosenMapping;
  now: string;
  /** One per data row, in file order. */
  writes: RowWrite[];
}

/** One planned row and what applying it writes: a new deal, a new version, or nothing. */
export interface RowWrite {
  planned: PlannedRow;
  create: Deal | null;
  update: DealUpdate | null;
}

/**
 * A planned new deal with its ids: outbound from a partner, inbound (received now) from the
 * vendor. Its own properties come before the fields: V8 (Node 20) adds properties written
 * after a spread one by one, slowly (docs/BENCHMARKS.md; the same holds for the per-row
 * literals of the summaries and the audit entries).
 */
export function newDeal(fields: DealFields, actor: UserActor | VendorActor, now: string): Deal {
  return {
    id: newDealId(),
    orgId: actor.orgId,
    direction: actor.kind === "vendor" ? "inbound" : "outbound",
    createdAt: now,
    updatedAt: now,
    receivedAt: actor.kind === "vendor" ? now : null,
    version: 1,
    ...fields,
    engagementId: fields.engagementId || newDealId(),
  };
}

/** Reads and plans the file (throws `FileRejectedError` for a whole-file problem). Writes nothing. */
export async function prepareImport(store: Store, request: ImportRequest): Promise<PreparedImport> {
  const limits = request.limits ?? DEFAULT_LIMITS;
  const now = (request.now ?? new Date()).toISOString();
  const { actor } = request;
  const raw = await readUploadTable(request.bytes, limits);
  const mapping = await chooseMapping(store.db, actor, raw.csv.header, request);
  const table = openImportTable(raw.csv, raw.encoding, limits, mapping.mapping);
  // The look-ups go out first; the rows are parsed while the database answers (PostgreSQL
  // works in its own processes; a yield lets the statements leave before parsing starts).
  const lookups = lookUp(store.db, actor, referencedIds(table), needsPreviousChanges(table.map));
  lookups.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
  await new Promise<void>((resolve) => setImmediate(resolve));
  const file = parseImportRows(table, limits);
  const planner = rowPlanner(actor, file.map, request.upsertByCrmId ?? false, limits);
  const writes = rowWrites(planner(file.rows, await lookups), actor, now);
  return { kind: "whole", request, file, mapping, now, writes };
}

/** What applying each planned row writes: a new deal, a new version, or nothing. */
export function rowWrites(
  planned: readonly PlannedRow[],
  actor: UserActor | VendorActor,
  now: string,
): RowWrite[] {
  return planned.map((p): RowWrite => {
    const { outcome } = p;
    if (outcome.result === "Created") {
      const create = newDeal(outcome.fields, actor, now);
      return { planned: p, create, update: null };
    }
    if (outcome.result === "Updated" && p.deal) {
      const update = {
        before: p.deal,
        after: { ...p.deal, ...outcome.fields, updatedAt: now, version: p.deal.version + 1 },
      };
      return { planned: p, create: null, update };
    }
    return { planned: p, create: null, update: null };
  });
}

/** The deals a file names, as the import rules need them. */
export interface Lookups {
  visible: Map<string, Deal>;
  byCrmId: Map<string, { deal: Deal | null; id: string }[]>;
  previousChange?: Map<string, string>;
}

/**
 * Finds the deals the file names by Referral ID (those the actor sees) and by CRM ID, and with
 * `history`, when those by Referral ID changed before their last change.
 */
export const lookUp = async (
  db: Db,
  actor: UserActor | VendorActor,
  { referralIds, crmIds }: { referralIds: string[]; crmIds: string[] },
  history = false,
): Promise<Lookups> => {
  const sees = (d: Deal) => actor.kind === "user" && canSee(actor, d);
  const byUser = actor.kind === "user" && referralIds.length > 0;
  const [byId, byCrm, previousChange] = await Promise.all([
    byUser ? findDealsByIds(db, actor.orgId, referralIds) : [],
    findDealsByCrmIds(db, actor.orgId, crmIds),
    byUser && history ? previousChangeTimes(db, actor.orgId, referralIds) : undefined,
  ]);
  const byCrmId = new Map<string, { deal: Deal | null; id: string }[]>();
  for (const d of byCrm) {
    if (!d.crmId) continue;
    const list = byCrmId.get(d.crmId) ?? [];
    list.push({ deal: sees(d) ? d : null, id: d.id });
    byCrmId.set(d.crmId, list);
  }
  const visible = new Map(byId.filter(sees).map((d) => [d.id, d]));
  return previousChange ? { visible, byCrmId, previousChange } : { visible, byCrmId };
};

/**
 * The core rules for one file's rows, batch after batch (all of them at once, or a stream's
 * chunks), each with what was looked up for it.
 */
export function rowPlanner(
  actor: UserActor | VendorActor,
  map: HeaderMap,
  upsertByCrmId: boolean,
  limits: Limits,
): (rows: readonly ParsedRow[], lookups: Lookups) => PlannedRow[] {
  const ctx = {
    map,
    limits,
    mode: actor.kind === "vendor" ? ("receive" as const) : ("import" as const),
    requiredMember: actor.kind === "user" ? requiredMember(actor) : null,
  };
  const planner = importPlanner(map, ctx, { upsertByCrmId });
  if (actor.kind === "user") return planner;
  // The vendor side only sends new referrals.
  const column = columnLabel(map, "referralId");
  return (rows, lookups) =>
    planner(rows, lookups).map((p) =>
      p.parsed.referralId
        ? {
            ...p,
            deal: null,
            outcome: {
              result: "Not processed",
              errors: [
                {
                  column,
                  code: "not_found",
                  message: `${column} must be empty: receiving creates new inbound referrals only`,
                },
              ],
            },
          }
        : p,
    );
}
