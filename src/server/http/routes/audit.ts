/**
 * The audit trail, read only: a deal's history (whoever can see the deal) and the organisation's
 * trail for Referrals admins, as JSON pages or a CSV download. No route changes or removes an
 * entry.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { ApiErrorSchema } from "../../../core/api/error-schema.js";
import {
  AUDIT_PAGE,
  type AuditEntryJson,
  AuditPageSchema,
  AuditQuerySchema,
  HistoryQuerySchema,
} from "../../../core/api/audit-schemas.js";
import { AUDIT_ROLES, type AuditRole } from "../../../core/audit.js";
import { writeAuditCsv } from "../../../core/export/audit-csv.js";
import {
  type AuditEventRow,
  type AuditPage,
  auditTrail,
  auditTrailForDownload,
  dealHistory,
} from "../../commands/audit-trail.js";
import type { AppContext } from "../context.js";
import { actorOf, requireUser } from "../auth.js";

const roleOf = (value: string | null): AuditRole | null =>
  AUDIT_ROLES.find((r) => r === value) ?? null;

function presentEntry(e: AuditEventRow): AuditEntryJson {
  return {
    id: Number(e.id),
    at: e.at,
    actor: e.actor,
    actorRole: roleOf(e.actor_role),
    source: e.source,
    origin: e.origin,
    importId: e.import_id,
    importRow: e.import_row,
    dealId: e.deal_id,
    action: e.action,
    field: e.field,
    oldValue: e.old_value,
    newValue: e.new_value,
  };
}

const presentPage = (page: AuditPage) => ({
  items: page.items.map(presentEntry),
  nextBefore: page.nextBefore,
});

export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { store } = ctx;

    app.get(
      "/api/deals/:id/history",
      {
        preHandler: requireUser,
        schema: {
          tags: ["audit"],
          summary: "A deal's audit trail, newest first (whoever can see the deal)",
          params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
          querystring: HistoryQuerySchema,
          response: { 200: AuditPageSchema, 400: ApiErrorSchema, 404: ApiErrorSchema },
        },
      },
      async (request) => {
        const { limit = AUDIT_PAGE.default, before } = request.query;
        return presentPage(
          await dealHistory(store, actorOf(request), request.params.id, { limit, before }),
        );
      },
    );

    app.get(
      "/api/audit",
      {
        preHandler: requireUser,
        schema: {
          tags: ["audit"],
          summary: "The organisation's audit trail, newest first (Referrals admins)",
          description:
            "Filters combine. `format=csv` downloads every matching entry (up to 100,000, newest first) as CSV; the header `X-Cosell-Truncated: true` says when more matched.",
          querystring: AuditQuerySchema,
          response: {
            200: Type.Union([AuditPageSchema, Type.String({ description: "format=csv: the CSV" })]),
            400: ApiErrorSchema,
            403: ApiErrorSchema,
          },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const filter = {
          dealId: q.deal,
          actor: q.actor,
          source: q.source,
          importId: q.import,
          from: q.from,
          to: q.to,
        };
        const actor = actorOf(request);
        if (q.format === "csv") {
          const { items, truncated } = await auditTrailForDownload(store, actor, filter);
          return reply
            .type("text/csv; charset=utf-8")
            .header("content-disposition", 'attachment; filename="audit-trail.csv"')
            .header("x-cosell-truncated", String(truncated))
            .send(writeAuditCsv(items.map(presentEntry)));
        }
        const { limit = AUDIT_PAGE.default, before } = q;
        return presentPage(await auditTrail(store, actor, filter, { limit, before }));
      },
    );
  };
