/**
 * One sync of a Partner Center connection: pull the referrals changed since the last sync
 * (with an overlap, de-duplicated by eTag), merge them with the deals three ways against the
 * values both sides last agreed on, then push what changed here (creates made idempotent by
 * recording the intent before the POST, JSON Patch with If-Match). A field changed on both
 * sides is never overwritten: it becomes a conflict on the deal until a person chooses.
 */
import type { Referral } from "../../../core/api/partner-center-schemas.js";
import { headerOf, isFieldKey } from "../../../core/columns.js";
import type { Deal, DealFields } from "../../../core/deal.js";
import { formatPair, samePair } from "../../../core/lifecycle.js";
import {
  applyValue,
  CREATE_KEY_PREFIX,
  createBody,
  isPushableStatus,
  isSyncedField,
  type JsonValue,
  type PatchOp,
  pairOf,
  patchOps,
  reasonText,
  SYNCED_FIELDS,
  type SyncedField,
  type SyncedValues,
  sameValue,
  valuesOfDeal,
  valuesOfReferral,
} from "../../../core/sync/partner-center-mapping.js";
import { transitionPath } from "../../../core/sync/remote-transition.js";
import { type AuditContext, auditEvent, insertAuditEvents } from "../../commands/audit.js";
import { openConnection, saveRefreshToken } from "../../commands/connections.js";
import { bumpDealListVersion } from "../../db/deal-list-version.js";
import type { Db } from "../../db/db.js";
import { findDealsByIds, insertDeals, updateDeals } from "../../db/deals-repo.js";
import { newDealId } from "../../db/ids.js";
import type { DealLinksTable, NewAuditEventRow } from "../../db/schema.js";

/** A synced value as the trail's cell text: text as is, anything else as JSON. */
const cellOf = (v: JsonValue): string | null =>
  v === null ? null : typeof v === "string" ? v : JSON.stringify(v);

import type { Store } from "../../db/store.js";
import {
  type ClientOptions,
  PartnerCenterClient,
  VendorError,
  VendorUnreachableError,
} from "./client.js";

/** How far before the last pulled updatedDateTime the next pull starts: ties and clock skew. */
export const PULL_OVERLAP_MS = 5 * 60 * 1000;
const MAX_PUSH_ROUNDS = 3;

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface SyncConflict {
  deal: string;
  referral: string | null;
  field: SyncedField;
  local: JsonValue;
  remote: JsonValue;
}

export interface SyncIssue {
  deal: string | null;
  referral: string | null;
  field: string | null;
  code: string;
  message: string;
}

export interface ConnectionSyncResult {
  vendor: "partner-center";
  connectionId: string;
  pulled: Counts;
  pushed: Counts;
  conflicts: SyncConflict[];
  errors: SyncIssue[];
  /** HTTP requests sent to Partner Center (retries included). */
  requests: number;
}

export interface SyncOptions {
  dryRun?: boolean;
  /** Who asked (a job's user); null for the local CLI or the schedule. */
  actorUserId?: string | null;
  /** Retry waits (tests and benchmarks keep the real policy; a test may count them). */
  sleep?: (ms: number) => Promise<void>;
  /** The client's bounds, when not its defaults (tests of a hanging endpoint shorten them). */
  clientLimits?: Pick<
    ClientOptions,
    "maxAttempts" | "timeoutMs" | "maxBodyBytes" | "maxRetryAfterMs" | "maxPages"
  >;
  onProgress?: (done: number, total: number) => void;
  /** The job running this sync, recorded in its history row. */
  jobId?: string | null;
  /** Only these referrals (a webhook's): no list, no cursor move, pushes of their deals only. */
  referralIds?: readonly string[];
}

type LinkRow = DealLinksTable;

interface Base {
  values: SyncedValues;
  otherIds: JsonValue;
}

const FIELD_LABELS: Partial<Record<SyncedField, string>> = {
  contact: "Customer Contact",
  status: headerOf("status", "en"),
  help: headerOf("helpRequired", "en"),
  solutions: "Solutions",
  team: "Team members",
};

const labelOf = (field: SyncedField): string =>
  FIELD_LABELS[field] ?? (isFieldKey(field) ? headerOf(field, "en") : field);

/** A Partner Center error target (`details/dealValue`) as the synced field it is about. */
function fieldOfTarget(target: string | null): string | null {
  if (!target) return null;
  const map: Record<string, SyncedField> = {
    name: "name",
    "customerProfile/name": "customerName",
    "customerProfile/address/country": "customerCountry",
    "customerProfile/address": "customerAddress1",
    "details/dealValue": "value",
    "details/currency": "currency",
    "details/closingDateTime": "closeDate",
    status: "status",
    substatus: "status",
    team: "team",
  };
  return map[target] ?? (isSyncedField(target) ? target : null);
}

function parseBase(text: string | null): Base | null {
  if (!text) return null;
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || !("values" in value)) return null;
  const values: unknown = value.values;
  if (typeof values !== "object" || values === null) return null;
  const out: Partial<SyncedValues> = {};
  for (const f of SYNCED_FIELDS) {
    const v: unknown = f in values ? Reflect.get(values, f) : null;
    out[f] = jsonOf(v);
  }
  const otherIds = "otherIds" in value ? jsonOf(value.otherIds) : [];
  return { values: complete(out), otherIds };
}

function jsonOf(v: unknown): JsonValue {
  // Read back from our own column: a JSON round trip gives JSON values only.
  const text = JSON.stringify(v ?? null);
  const parsed: JsonValue = JSON.parse(text);
  return parsed;
}

function complete(values: Partial<SyncedValues>): SyncedValues {
  const out = {} as SyncedValues;
  for (const f of SYNCED_FIELDS) out[f] = values[f] ?? null;
  return out;
}

const EMPTY_FIELDS: DealFields = {
  engagementId: "",
  name: "",
  customerName: "",
  customerAddress1: "",
  customerAddress2: null,
  customerCity: "",
  customerState: null,
  customerPostalCode: null,
  customerCountry: "",
  customerDuns: null,
  contactFirstName: null,
  contactLastName: null,
  contactPhone: null,
  contactEmail: null,
  status: "New",
  substatus: "Pending",
  microsoftStatus: null,
  closeReason: null,
  salesStage: null,
  value: 0,
  currency: "",
  closeDate: "",
  crmId: null,
  campaignId: null,
  notes: null,
  helpRequired: false,
  helpType: null,
  shareWithMicrosoft: false,
  notesToMicrosoft: null,
  consent: false,
  solutions: [],
  team: [],
};

class StaleDeal extends Error {}

/**
 * Runs one sync of the connection. Throws VendorUnreachableError when Partner Center cannot be
 * reached (or answers in a way no sync can go on from); whatever stops it, its history row
 * ends `failed` with the reason rather than staying `running`.
 */
export async function syncConnection(
  store: Store,
  connectionId: string,
  options: SyncOptions = {},
): Promise<ConnectionSyncResult> {
  const runId = newDealId();
  try {
    return await runSync(store, connectionId, options, runId);
  } catch (error) {
    if (!options.dryRun) {
      const known = error instanceof VendorError || error instanceof VendorUnreachableError;
      const message = known
        ? error.message
        : "cosell hit an unexpected error; the sync was stopped";
      await store.db
        .updateTable("sync_runs")
        .set({
          status: "failed",
          result: JSON.stringify({ error: { message } }),
          finished_at: new Date().toISOString(),
        })
        .where("id", "=", runId)
        .where("status", "=", "running")
        .execute()
        .catch(() => {});
    }
    throw error;
  }
}

async function runSync(
  store: Store,
  connectionId: string,
  options: SyncOptions,
  runId: string,
): Promise<ConnectionSyncResult> {
  const dryRun = options.dryRun ?? false;
  const { connection, secrets } = await openConnection(store, connectionId);
  const orgId = connection.orgId;
  const client = new PartnerCenterClient({
    apiUrl: connection.apiUrl,
    tokenUrl: connection.tokenUrl,
    clientId: connection.clientId,
    clientSecret: secrets.clientSecret,
    refreshToken: secrets.refreshToken,
    // Kept even on a dry run: the token just used is spent, the connection lives on the new one.
    onRefreshToken: (refreshToken) =>
      saveRefreshToken(store, connectionId, { clientSecret: secrets.clientSecret, refreshToken }),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...options.clientLimits,
  });
  const result: ConnectionSyncResult = {
    vendor: "partner-center",
    connectionId,
    pulled: { created: 0, updated: 0, unchanged: 0 },
    pushed: { created: 0, updated: 0, unchanged: 0 },
    conflicts: [],
    errors: [],
    requests: 0,
  };
  const startedAt = new Date().toISOString();
  const actor = `partner-center:${connectionId}`;
  // The connection is the actor: the trail shows which connection made each change.
  const auditCtx = (at: string): AuditContext => ({
    at,
    orgId,
    actorUserId: options.actorUserId ?? null,
    actor,
    actorRole: "system",
    source: "sync",
    origin: `partner-center connection ${connectionId}`,
    importId: null,
  });
  if (!dryRun) {
    await store.db
      .insertInto("sync_runs")
      .values({
        id: runId,
        connection_id: connectionId,
        job_id: options.jobId ?? null,
        dry_run: 0,
        status: "running",
        result: null,
        started_at: startedAt,
        finished_at: null,
      })
      .execute();
  }

  const links = new Map<string, LinkRow>();
  const byReferral = new Map<string, LinkRow>();
  const pendingByKey = new Map<string, LinkRow>();
  const loadLinks = async () => {
    links.clear();
    byReferral.clear();
    pendingByKey.clear();
    const rows = await store.db
      .selectFrom("deal_links")
      .selectAll()
      .where("connection_id", "=", connectionId)
      .execute();
    for (const r of rows) {
      links.set(r.deal_id, r);
      if (r.referral_id) byReferral.set(r.referral_id, r);
      else if (r.create_key) pendingByKey.set(r.create_key, r);
    }
  };
  const openConflicts = async (dealIds: readonly string[]) => {
    const out = new Map<string, Map<SyncedField, { local: JsonValue; remote: JsonValue }>>();
    if (dealIds.length === 0) return out;
    for (let i = 0; i < dealIds.length; i += 500) {
      const rows = await store.db
        .selectFrom("deal_conflicts")
        .selectAll()
        .where("deal_id", "in", dealIds.slice(i, i + 500))
        .execute();
      for (const r of rows) {
        if (!isSyncedField(r.field)) continue;
        const m = out.get(r.deal_id) ?? new Map();
        m.set(r.field, { local: JSON.parse(r.local_value), remote: JSON.parse(r.remote_value) });
        out.set(r.deal_id, m);
      }
    }
    return out;
  };

  const issue = (i: SyncIssue) => {
    result.errors.push(i);
  };

  const linkSet = (r: Referral, base: Base, at: string) => ({
    referral_id: r.id,
    engagement_id: r.engagementId ?? null,
    etag: r.eTag,
    remote_updated_at: r.updatedDateTime,
    base: JSON.stringify(base),
    errors: null,
    synced_at: at,
  });

  /**
   * Three-way merge of one referral into its deal. Remote-only changes are applied (the status
   * through the lifecycle table), both-sided ones become conflicts, local-only ones wait for
   * the push. Returns whether the deal changed.
   */
  const mergeReferral = async (
    link: LinkRow,
    deal: Deal,
    r: Referral,
    conflicts: Map<SyncedField, unknown>,
  ): Promise<boolean> => {
    const mapped = valuesOfReferral(r);
    if (mapped.errors.length > 0) {
      for (const e of mapped.errors)
        issue({
          deal: deal.id,
          referral: r.id,
          field: e.field,
          code: "unmappable",
          message: e.message,
        });
      return false;
    }
    const base = parseBase(link.base) ?? { values: valuesOfDeal(deal), otherIds: [] };
    const remote = mapped.values;
    const local = valuesOfDeal(deal);
    const nextBase: SyncedValues = { ...base.values };
    const apply: SyncedField[] = [];
    const found: SyncConflict[] = [];
    const settled: SyncedField[] = [];
    for (const f of SYNCED_FIELDS) {
      const remoteChanged = !sameValue(remote[f], base.values[f]);
      const localChanged = !sameValue(local[f], base.values[f]);
      if (sameValue(remote[f], local[f])) {
        nextBase[f] = remote[f];
        if (conflicts.has(f)) settled.push(f);
        continue;
      }
      if (!remoteChanged) continue;
      if (localChanged || conflicts.has(f)) {
        found.push({ deal: deal.id, referral: r.id, field: f, local: local[f], remote: remote[f] });
        continue;
      }
      apply.push(f);
      nextBase[f] = remote[f];
    }
    const at = new Date().toISOString();
    const next: Deal = { ...deal, solutions: [...deal.solutions], team: [...deal.team] };
    const events: NewAuditEventRow[] = [];
    for (const f of apply) {
      if (f === "status") {
        const to = pairOf(remote.status);
        const path = transitionPath({ status: deal.status, substatus: deal.substatus }, to);
        if (!path) {
          issue({
            deal: deal.id,
            referral: r.id,
            field: "status",
            code: "invalid_transition",
            message: `Partner Center moved the referral to ${formatPair(to)}, which the lifecycle does not allow from ${formatPair(deal)}`,
          });
          nextBase.status = base.values.status;
          continue;
        }
        for (const t of path) {
          const action = t.name === "expire" || t.name === "receive" ? t.name : "update";
          events.push(
            auditEvent(auditCtx(at), deal.id, action, {
              header: labelOf("status"),
              from: formatPair(next),
              to: formatPair(t.to),
            }),
          );
          next.status = t.to.status;
          next.substatus = t.to.substatus;
          if (t.salesStage !== undefined) next.salesStage = t.salesStage;
        }
        continue;
      }
      const before = local[f];
      applyValue(next, f, remote[f]);
      events.push(
        auditEvent(auditCtx(at), deal.id, "update", {
          header: labelOf(f),
          from: cellOf(before),
          to: cellOf(remote[f]),
        }),
      );
    }
    if (apply.length > 0 && samePair(next, { status: "Closed", substatus: "Won" }))
      next.salesStage = 100;
    const changed = events.length > 0;
    for (const c of found) result.conflicts.push(c);
    if (dryRun) return changed;
    await store.db.transaction().execute(async (trx) => {
      if (changed) {
        next.updatedAt = at;
        next.version = deal.version + 1;
        const stale = await updateDeals(trx, [{ before: deal, after: next }]);
        if (stale.length > 0) throw new StaleDeal();
        await insertAuditEvents(trx, events);
      }
      for (const c of found) await putConflict(trx, c, at);
      for (const f of settled)
        await trx
          .deleteFrom("deal_conflicts")
          .where("deal_id", "=", deal.id)
          .where("field", "=", f)
          .execute();
      await trx
        .updateTable("deal_links")
        .set(linkSet(r, { values: nextBase, otherIds: mapped.otherIds }, at))
        .where("deal_id", "=", deal.id)
        .execute();
      if (changed || found.length > 0 || settled.length > 0) await bumpDealListVersion(trx, orgId);
    });
    return changed;
  };

  const putConflict = async (trx: Db, c: SyncConflict, at: string) => {
    const row = {
      deal_id: c.deal,
      field: c.field,
      local_value: JSON.stringify(c.local),
      remote_value: JSON.stringify(c.remote),
      detected_at: at,
      resolution: null,
    };
    await trx
      .insertInto("deal_conflicts")
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(["deal_id", "field"])
          .doUpdateSet({ local_value: row.local_value, remote_value: row.remote_value }),
      )
      .execute();
  };

  const newDealOf = (r: Referral, values: SyncedValues, at: string): Deal => {
    const fields: DealFields = { ...EMPTY_FIELDS, solutions: [], team: [] };
    for (const f of SYNCED_FIELDS) applyValue(fields, f, values[f]);
    if (fields.status === "Closed" && fields.substatus === "Won") fields.salesStage = 100;
    const inbound = r.direction !== "Outgoing";
    return {
      id: newDealId(),
      orgId,
      direction: inbound ? "inbound" : "outbound",
      createdAt: at,
      updatedAt: at,
      receivedAt: inbound ? (r.createdDateTime ?? at) : null,
      version: 1,
      ...fields,
      engagementId: r.engagementId ?? newDealId(),
    };
  };

  // ---- Pull ----
  await loadLinks();
  const connRow = await store.db
    .selectFrom("connections")
    .select(["pull_cursor"])
    .where("id", "=", connectionId)
    .executeTakeFirstOrThrow();
  const pulled = new Map<string, Referral>();
  let cursor = connRow.pull_cursor;
  if (options.referralIds) {
    for (const id of options.referralIds) {
      try {
        const r = await client.get(id);
        pulled.set(r.id, r);
      } catch (e) {
        if (e instanceof VendorError && e.status === 404) continue;
        if (e instanceof VendorError && e.code === "bad_referral") {
          issue({ deal: null, referral: id, field: null, code: "unreadable", message: e.message });
          continue;
        }
        throw e;
      }
    }
  } else {
    const since = cursor ? new Date(Date.parse(cursor) - PULL_OVERLAP_MS).toISOString() : null;
    for await (const page of client.changedSince(since)) {
      for (const id of page.unreadable)
        issue({
          deal: null,
          referral: id,
          field: null,
          code: "unreadable",
          message: "Partner Center sent a referral this connector cannot read",
        });
      for (const r of page.referrals) {
        const had = pulled.get(r.id);
        if (!had || Date.parse(r.updatedDateTime) >= Date.parse(had.updatedDateTime))
          pulled.set(r.id, r);
        if (!cursor || Date.parse(r.updatedDateTime) > Date.parse(cursor))
          cursor = r.updatedDateTime;
      }
    }
  }
  const linkedIds = [...pulled.keys()].flatMap((id) => {
    const l = byReferral.get(id);
    return l ? [l.deal_id] : [];
  });
  const dealsById = new Map<string, Deal>();
  for (let i = 0; i < linkedIds.length; i += 500) {
    for (const d of await findDealsByIds(store.db, orgId, linkedIds.slice(i, i + 500)))
      dealsById.set(d.id, d);
  }
  const conflictsOf = await openConflicts(linkedIds);
  const fresh: { deal: Deal; link: LinkRow; referral: Referral; base: Base }[] = [];
  let done = 0;
  for (const r of pulled.values()) {
    options.onProgress?.(++done, pulled.size);
    const link =
      byReferral.get(r.id) ??
      (r.externalReferenceId ? pendingByKey.get(r.externalReferenceId) : undefined);
    if (!link) {
      const mapped = valuesOfReferral(r);
      if (mapped.errors.length > 0) {
        for (const e of mapped.errors)
          issue({
            deal: null,
            referral: r.id,
            field: e.field,
            code: "unmappable",
            message: e.message,
          });
        continue;
      }
      const at = new Date().toISOString();
      const deal = newDealOf(r, mapped.values, at);
      const row: LinkRow = {
        deal_id: deal.id,
        connection_id: connectionId,
        create_key: null,
        ...linkSet(r, { values: mapped.values, otherIds: mapped.otherIds }, at),
      };
      fresh.push({
        deal,
        link: row,
        referral: r,
        base: { values: mapped.values, otherIds: mapped.otherIds },
      });
      continue;
    }
    if (!link.referral_id) {
      // Our own create whose answer was lost (crash, timeout): adopt it, do not create it again.
      const mapped = valuesOfReferral(r);
      if (!dryRun) {
        await store.db
          .updateTable("deal_links")
          .set(
            linkSet(
              r,
              { values: mapped.values, otherIds: mapped.otherIds },
              new Date().toISOString(),
            ),
          )
          .where("deal_id", "=", link.deal_id)
          .execute();
      }
      result.pulled.unchanged++;
      continue;
    }
    if (link.etag === r.eTag) {
      result.pulled.unchanged++;
      continue;
    }
    const deal = dealsById.get(link.deal_id);
    if (!deal) continue;
    try {
      const changed = await mergeReferral(link, deal, r, conflictsOf.get(deal.id) ?? new Map());
      if (changed) result.pulled.updated++;
      else result.pulled.unchanged++;
    } catch (e) {
      if (!(e instanceof StaleDeal)) throw e;
      issue({
        deal: deal.id,
        referral: r.id,
        field: null,
        code: "changed_meanwhile",
        message: "The deal changed here during the sync; the next sync merges it",
      });
    }
  }
  // New deals go in by the hundred: one transaction, one audit batch.
  for (let i = 0; i < fresh.length; i += 100) {
    const part = fresh.slice(i, i + 100);
    result.pulled.created += part.length;
    if (dryRun) continue;
    const at = new Date().toISOString();
    await store.db.transaction().execute(async (trx) => {
      await insertDeals(
        trx,
        part.map((p) => p.deal),
      );
      await trx
        .insertInto("deal_links")
        .values(part.map((p) => p.link))
        .execute();
      await insertAuditEvents(
        trx,
        part.map((p) => auditEvent(auditCtx(at), p.deal.id, "create", null)),
      );
      await bumpDealListVersion(trx, orgId);
    });
  }

  // ---- Push ----
  await loadLinks();
  const pushDeal = async (
    deal: Deal,
    link: LinkRow,
    conflicts: Map<SyncedField, unknown>,
  ): Promise<"updated" | "unchanged" | "failed"> => {
    let current = link;
    let currentDeal = deal;
    for (let round = 0; round < MAX_PUSH_ROUNDS; round++) {
      const base = parseBase(current.base);
      if (!base || !current.referral_id || !current.etag) return "unchanged";
      const local = valuesOfDeal(currentDeal);
      let changed = SYNCED_FIELDS.filter(
        (f) => !sameValue(local[f], base.values[f]) && !conflicts.has(f),
      );
      if (changed.includes("status") && !isPushableStatus(local.status)) {
        issue({
          deal: deal.id,
          referral: current.referral_id,
          field: "status",
          code: "not_on_partner_center",
          message: `${String(local.status)} has no Partner Center status (it has no Error substatus); close it there by hand`,
        });
        changed = changed.filter((f) => f !== "status" && f !== "closeReason");
      }
      if (changed.length === 0) return round === 0 ? "unchanged" : "updated";
      const ops: PatchOp[] = changed.flatMap((f) =>
        patchOps(f, local[f], base.values[f], base.otherIds),
      );
      if (changed.includes("status") || changed.includes("closeReason")) {
        const pair = pairOf(local.status);
        const reason = reasonText(pair, currentDeal.closeReason);
        if (reason !== null) ops.push({ op: "add", path: "/statusReason", value: reason });
      }
      if (ops.length === 0) return "unchanged";
      if (dryRun) return "updated";
      try {
        const r = await client.patch(current.referral_id, ops, current.etag);
        const mapped = valuesOfReferral(r);
        const nextBase: SyncedValues = { ...base.values };
        for (const f of changed) nextBase[f] = local[f];
        const at = new Date().toISOString();
        await store.db
          .updateTable("deal_links")
          .set(linkSet(r, { values: nextBase, otherIds: mapped.otherIds }, at))
          .where("deal_id", "=", deal.id)
          .execute();
        return "updated";
      } catch (e) {
        if (!(e instanceof VendorError)) throw e;
        if (e.status === 412) {
          // Changed on Partner Center since we read it: re-read, merge, push what is still ours.
          const r = await client.get(current.referral_id);
          try {
            await mergeReferral(current, currentDeal, r, conflicts);
          } catch (m) {
            if (m instanceof StaleDeal) return "failed";
            throw m;
          }
          const [reread] = await findDealsByIds(store.db, orgId, [deal.id]);
          const relinked = await store.db
            .selectFrom("deal_links")
            .selectAll()
            .where("deal_id", "=", deal.id)
            .executeTakeFirst();
          if (!reread || !relinked) return "failed";
          currentDeal = reread;
          current = relinked;
          for (const [f, c] of await openConflicts([deal.id]).then(
            (m) => m.get(deal.id) ?? new Map(),
          ))
            conflicts.set(f, c);
          continue;
        }
        const field = fieldOfTarget(e.target);
        issue({
          deal: deal.id,
          referral: current.referral_id,
          field,
          code: e.code,
          message: e.message,
        });
        await store.db
          .updateTable("deal_links")
          .set({ errors: JSON.stringify([{ field, code: e.code, message: e.message }]) })
          .where("deal_id", "=", deal.id)
          .execute();
        return "failed";
      }
    }
    issue({
      deal: deal.id,
      referral: current.referral_id,
      field: null,
      code: "kept_changing",
      message: "The referral kept changing on Partner Center; the next sync tries again",
    });
    return "failed";
  };

  // Deals created here and not there yet (and creates a crash interrupted).
  const onlyIds = options.referralIds
    ? new Set(
        [...byReferral.values()]
          .filter((l) => l.referral_id && options.referralIds?.includes(l.referral_id))
          .map((l) => l.deal_id),
      )
    : null;
  const outbound = onlyIds
    ? []
    : await store.db
        .selectFrom("deals")
        .select("id")
        .where("org_id", "=", orgId)
        .where("direction", "=", "outbound")
        .where((eb) =>
          eb.or([
            eb("id", "not in", eb.selectFrom("deal_links").select("deal_id")),
            eb(
              "id",
              "in",
              eb
                .selectFrom("deal_links")
                .select("deal_id")
                .where("connection_id", "=", connectionId)
                .where("referral_id", "is", null),
            ),
          ]),
        )
        .execute();
  const toPushIds = [...links.values()]
    .filter((l) => l.referral_id && (!onlyIds || onlyIds.has(l.deal_id)))
    .map((l) => l.deal_id);
  const allIds = [...outbound.map((o) => o.id), ...toPushIds];
  const pushDeals = new Map<string, Deal>();
  for (let i = 0; i < allIds.length; i += 500) {
    for (const d of await findDealsByIds(store.db, orgId, allIds.slice(i, i + 500)))
      pushDeals.set(d.id, d);
  }
  const pushConflicts = await openConflicts(allIds);
  for (const { id } of outbound) {
    const deal = pushDeals.get(id);
    if (!deal) continue;
    const pending = links.get(id);
    const key = pending?.create_key ?? deal.crmId ?? `${CREATE_KEY_PREFIX}${deal.id}`;
    if (dryRun) {
      result.pushed.created++;
      continue;
    }
    let r: Referral | null = null;
    if (pending) r = await client.findByExternalReferenceId(key);
    else {
      await store.db
        .insertInto("deal_links")
        .values({
          deal_id: id,
          connection_id: connectionId,
          referral_id: null,
          engagement_id: null,
          create_key: key,
          etag: null,
          remote_updated_at: null,
          base: null,
          errors: null,
          synced_at: null,
        })
        .execute();
    }
    if (!r) {
      let failure: VendorError | null = null;
      try {
        r = await client.create(createBody(valuesOfDeal(deal), key));
      } catch (e) {
        if (!(e instanceof VendorError)) throw e;
        failure = e;
        // The answer was lost, not necessarily the create: look before creating again.
        if (e.code === "create_uncertain") r = await client.findByExternalReferenceId(key);
      }
      if (!r) {
        const e =
          failure ??
          new VendorError(0, "create_uncertain", "The create's outcome is unknown", null);
        const field = fieldOfTarget(e.target);
        issue({ deal: id, referral: null, field, code: e.code, message: e.message });
        await store.db
          .updateTable("deal_links")
          .set({ errors: JSON.stringify([{ field, code: e.code, message: e.message }]) })
          .where("deal_id", "=", id)
          .execute();
        continue;
      }
    }
    const mapped = valuesOfReferral(r);
    const at = new Date().toISOString();
    await store.db
      .updateTable("deal_links")
      .set(linkSet(r, { values: mapped.values, otherIds: mapped.otherIds }, at))
      .where("deal_id", "=", id)
      .execute();
    result.pushed.created++;
    const link = await store.db
      .selectFrom("deal_links")
      .selectAll()
      .where("deal_id", "=", id)
      .executeTakeFirstOrThrow();
    // Partner Center starts a partner's referral Active/Accepted: send what differs (e.g. Won).
    await pushDeal(deal, link, new Map());
  }
  for (const id of toPushIds) {
    const deal = pushDeals.get(id);
    const link = links.get(id);
    if (!deal || !link) continue;
    const outcome = await pushDeal(deal, link, pushConflicts.get(id) ?? new Map());
    if (outcome === "updated") result.pushed.updated++;
    else if (outcome === "unchanged") result.pushed.unchanged++;
  }

  // Conflicts stay in every result until a person resolves them, not only the sync that found them.
  const waiting = await store.db
    .selectFrom("deal_conflicts")
    .innerJoin("deal_links", "deal_links.deal_id", "deal_conflicts.deal_id")
    .select([
      "deal_conflicts.deal_id",
      "deal_conflicts.field",
      "deal_conflicts.local_value",
      "deal_conflicts.remote_value",
      "deal_links.referral_id",
    ])
    .where("deal_links.connection_id", "=", connectionId)
    .execute();
  const known = new Set(result.conflicts.map((c) => `${c.deal} ${c.field}`));
  for (const w of waiting) {
    if (!isSyncedField(w.field) || known.has(`${w.deal_id} ${w.field}`)) continue;
    result.conflicts.push({
      deal: w.deal_id,
      referral: w.referral_id,
      field: w.field,
      local: JSON.parse(w.local_value),
      remote: JSON.parse(w.remote_value),
    });
  }
  result.requests = client.stats.requests;
  if (!dryRun) {
    const finishedAt = new Date().toISOString();
    await store.db
      .updateTable("connections")
      .set({ last_sync_at: finishedAt, ...(options.referralIds ? {} : { pull_cursor: cursor }) })
      .where("id", "=", connectionId)
      .execute();
    await store.db
      .updateTable("sync_runs")
      .set({ status: "succeeded", result: JSON.stringify(result), finished_at: finishedAt })
      .where("id", "=", runId)
      .execute();
  }
  return result;
}
