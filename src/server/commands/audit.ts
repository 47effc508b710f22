/**
 * The append-only audit trail: the one place its entries are built and written. Every writer
 * (imports, receive, API and CLI edits, the vendor's status, expiry) builds a context once per
 * change — who, with what role, from where — and one entry per deal and field from it, in the
 * same transaction as the change. Entries are plain literals with every column set: they are
 * built per row of an import, where V8 is slow with spreads (docs/decisions/0015).
 */
import type { AuditAction, AuditRole, AuditSource, SystemTask } from "../../core/audit.js";
import { insertMany } from "../db/bulk-write.js";
import type { Db } from "../db/db.js";
import type { NewAuditEventRow } from "../db/schema.js";
import type { UserActor, VendorActor } from "../../core/actor.js";

/** Where a change came from, as the edge that received it knows it. */
export type AuditOrigin =
  | { source: "api"; method: string; route: string }
  | { source: "cli"; command: string }
  | { source: "system"; task: SystemTask }
  /** The undo of an import, whichever edge (CLI, API) asked for it. */
  | { source: "undo"; undoOf: string };

/** An HTTP request, by its method and route pattern (`PATCH /api/deals/:id`, never the raw URL). */
export function httpOrigin(method: string, route: string): AuditOrigin {
  return { source: "api", method: method.toUpperCase(), route };
}

/** A CLI command, e.g. `cliOrigin("import")` for `cosell import`. */
export function cliOrigin(command: string): AuditOrigin {
  return { source: "cli", command: `cosell ${command}` };
}

export function systemOrigin(task: SystemTask): AuditOrigin {
  return { source: "system", task };
}

/** The undo of import `undoOf`: its entries read "undo of import N". */
export function undoOrigin(undoOf: string): AuditOrigin {
  return { source: "undo", undoOf };
}

function originText(origin: AuditOrigin): string {
  switch (origin.source) {
    case "api":
      return `${origin.method} ${origin.route}`;
    case "cli":
      return origin.command;
    case "system":
      return origin.task;
    case "undo":
      return `undo of import ${origin.undoOf}`;
  }
}

/** The system itself (expiry, sync): no user, no vendor credential. */
export interface SystemActor {
  kind: "system";
}

export type AuditActor = UserActor | VendorActor | SystemActor;

/** What every entry of one change shares. */
export interface AuditContext {
  at: string;
  orgId: string;
  actorUserId: string | null;
  actor: string;
  actorRole: AuditRole;
  source: AuditSource;
  origin: string;
  importId: string | null;
}

/**
 * The context of one change. A user's change through an import (an import record) has source
 * `import`, unless that import is an undo (`undo`); the vendor's, `vendor`; the system's,
 * `system`; any other, the origin's (api, cli).
 */
export function auditContext(
  actor: AuditActor,
  orgId: string,
  origin: AuditOrigin,
  at: string,
  importId: string | null = null,
): AuditContext {
  const user = actor.kind === "user" ? actor : null;
  return {
    at,
    orgId,
    actorUserId: user ? user.userId : null,
    actor: user ? user.email : actor.kind,
    actorRole: user ? user.role : actor.kind,
    source:
      actor.kind !== "user"
        ? actor.kind
        : origin.source === "undo" || importId === null
          ? origin.source
          : "import",
    origin: originText(origin),
    importId,
  };
}

/** A field's change as the trail shows it: the column's English header, old and new cell text. */
export interface AuditChange {
  header: string;
  from: string | null;
  to: string | null;
}

/** One entry: a deal's creation (no change) or one field's change, with the file row if any. */
export function auditEvent(
  ctx: AuditContext,
  dealId: string,
  action: AuditAction,
  change: AuditChange | null,
  importRow: number | null = null,
): NewAuditEventRow {
  return {
    at: ctx.at,
    org_id: ctx.orgId,
    actor_user_id: ctx.actorUserId,
    actor: ctx.actor,
    actor_role: ctx.actorRole,
    source: ctx.source,
    origin: ctx.origin,
    import_id: ctx.importId,
    import_row: importRow,
    deal_id: dealId,
    action,
    field: change ? change.header : null,
    old_value: change ? change.from : null,
    new_value: change ? change.to : null,
  };
}

const COLUMNS = [
  "at",
  "org_id",
  "actor_user_id",
  "actor",
  "actor_role",
  "source",
  "origin",
  "import_id",
  "import_row",
  "deal_id",
  "action",
  "field",
  "old_value",
  "new_value",
] as const satisfies readonly (keyof NewAuditEventRow)[];

export function insertAuditEvents(db: Db, events: readonly NewAuditEventRow[]): Promise<void> {
  return insertMany(db, "audit_events", COLUMNS, events);
}
