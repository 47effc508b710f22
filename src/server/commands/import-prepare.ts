/**
 * The first half of an import (SPEC §4): the file read, the deals it names looked up, and
 * every row planned with the pure core rules — what a dry run reports and a real run applies.
 * Writes nothing. Also serves the vendor side's `receive` (inbound referrals), which only
 * creates.
 */
import { canSee, requiredMember, type UserActor, type VendorActor } from "../../core/actor.js";
import type { Deal, DealFields } from "../../core/deal.js";
import type { CellCorrection } from "../../core/import/corrections.js";
import { type PlannedRow, planImport, referencedIds } from "../../core/import/plan-import.js";
import {
  type ImportFile,
  openImportTable,
  parseImportRows,
} from "../../core/import/read-import-file.js";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import { columnLabel } from "../../core/row/parse-row.js";
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
  bytes: Uint8Array;
  fileName?: string | null;
  /** Where the request came from, for the audit trail (default: the CLI's `cosell import` or `cosell receive`). */
  origin?: AuditOrigin;
  limits?: Limits;
  now?: Date;
  /** Cells the person corrected in the browser before the upload (kept in the import record). */
  corrections?: readonly CellCorrection[];
  /** Told how far along the import is: rows checked, then rows written. */
  onProgress?: (done: number, total: number, phase: "checking" | "writing") => void;
}

/** A file read and every row planned: what a dry run reports and a real run applies. */
export interface PreparedImport {
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
  const lookups = lookUp(store.db, actor, referencedIds(table));
  lookups.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
  await new Promise<void>((resolve) => setImmediate(resolve));
  const file = parseImportRows(table, limits);
  const planned = plan(actor, file, await lookups, request.upsertByCrmId ?? false, limits);
  const writes = planned.map((p): RowWrite => {
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
  return { request, file, mapping, now, writes };
}

/** The deals a file names, as the import rules need them. */
interface Lookups {
  visible: Map<string, Deal>;
  byCrmId: Map<string, { deal: Deal | null; id: string }[]>;
}

/** Finds the deals the file names by Referral ID (those the actor sees) and by CRM ID. */
const lookUp = async (
  db: Db,
  actor: UserActor | VendorActor,
  { referralIds, crmIds }: { referralIds: string[]; crmIds: string[] },
): Promise<Lookups> => {
  const sees = (d: Deal) => actor.kind === "user" && canSee(actor, d);
  const [byId, byCrm] = await Promise.all([
    actor.kind === "user" ? findDealsByIds(db, actor.orgId, referralIds) : [],
    findDealsByCrmIds(db, actor.orgId, crmIds),
  ]);
  const byCrmId = new Map<string, { deal: Deal | null; id: string }[]>();
  for (const d of byCrm) {
    if (!d.crmId) continue;
    const list = byCrmId.get(d.crmId) ?? [];
    list.push({ deal: sees(d) ? d : null, id: d.id });
    byCrmId.set(d.crmId, list);
  }
  return { visible: new Map(byId.filter(sees).map((d) => [d.id, d])), byCrmId };
};

/** Runs the core rules on every row, with what was looked up. */
const plan = (
  actor: UserActor | VendorActor,
  file: ImportFile,
  lookups: Lookups,
  upsertByCrmId: boolean,
  limits: Limits,
): PlannedRow[] => {
  const ctx = {
    map: file.map,
    limits,
    mode: actor.kind === "vendor" ? ("receive" as const) : ("import" as const),
    requiredMember: actor.kind === "user" ? requiredMember(actor) : null,
  };
  const planned = planImport(file, lookups, ctx, { upsertByCrmId });
  if (actor.kind === "user") return planned;
  // The vendor side only sends new referrals.
  const column = columnLabel(file.map, "referralId");
  return planned.map((p) =>
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
};
