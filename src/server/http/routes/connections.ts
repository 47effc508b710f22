/**
 * Vendor connections (Referrals admins): connect, list, remove, "Sync now" (202 with a job),
 * a sync's progress and the history of runs; a deal's sync state and its conflicts, resolved
 * by a person; and Partner Center's webhook, authenticated by the connection's URL secret.
 * No answer ever carries a client secret or a token.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Value } from "typebox/value";
import { WebhookEventSchema } from "../../../core/api/partner-center-schemas.js";
import {
  ConflictIdsSchema,
  ConnectedSchema,
  ConnectionInputSchema,
  ConnectionListSchema,
  DealSyncStateSchema,
  ResolveChoiceSchema,
  SyncJobListSchema,
  SyncJobSchema,
  SyncSubmittedSchema,
} from "../../../core/api/sync-schemas.js";
import { dealSyncState, dealsWithConflicts, resolveConflict } from "../../commands/conflicts.js";
import {
  checkWebhookSecret,
  connectionViews,
  connectPartnerCenter,
  deleteConnection,
} from "../../commands/connections.js";
import {
  enqueueReferralSync,
  getSyncJob,
  listSyncJobs,
  listSyncRuns,
  submitSync,
} from "../../commands/sync-jobs.js";
import type { AppContext } from "../context.js";
import { actorOf, originOf, requireAdmin, requireUser } from "../auth.js";
import { HttpError } from "../errors.js";

const Id = Type.Object({ id: Type.String() });
const Loose = Type.Unknown();

export const REFERRAL_EVENTS = ["referral-created", "referral-updated"];

export const connectionRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { store } = ctx;

    app.get(
      "/api/connections",
      {
        preHandler: requireAdmin,
        schema: {
          tags: ["connections"],
          summary: "The organisation's vendor connections (no secret is ever shown)",
          response: { 200: ConnectionListSchema },
        },
      },
      async (request) => ({ items: await connectionViews(store, actorOf(request)) }),
    );

    app.post(
      "/api/connections",
      {
        preHandler: requireAdmin,
        schema: {
          tags: ["connections"],
          summary: "Connect the organisation to Partner Center (replaces an earlier connection)",
          description:
            "The client secret and refresh token are stored encrypted and never shown again. The answer's `webhookUrl` carries the webhook secret: it is shown this once.",
          body: ConnectionInputSchema,
          response: { 201: ConnectedSchema },
        },
      },
      async (request, reply) => {
        const { connection, webhookSecret } = await connectPartnerCenter(
          store,
          { actor: actorOf(request) },
          request.body,
        );
        return reply
          .code(201)
          .send({ connection, webhookUrl: `${connection.webhookPath}?secret=${webhookSecret}` });
      },
    );

    app.delete(
      "/api/connections/:id",
      {
        preHandler: requireAdmin,
        schema: {
          tags: ["connections"],
          summary: "Remove a connection (its links go too)",
          params: Id,
        },
      },
      async (request, reply) => {
        await deleteConnection(store, actorOf(request), request.params.id);
        return reply.code(204).send();
      },
    );

    app.post(
      "/api/connections/:id/sync",
      {
        preHandler: requireAdmin,
        schema: {
          tags: ["connections"],
          summary: "Sync now: queues a sync job (joins one already waiting)",
          params: Id,
          response: { 202: SyncSubmittedSchema },
        },
      },
      async (request, reply) => {
        const jobId = await submitSync(store, actorOf(request), request.params.id);
        ctx.wake();
        return reply.code(202).send({ jobId, links: { job: `/api/syncs/${jobId}` } });
      },
    );

    app.get(
      "/api/syncs/:id",
      {
        preHandler: requireAdmin,
        schema: {
          tags: ["connections"],
          summary: "A sync job: status, progress and, once done, its result",
          description:
            "The result has the keys of `cosell sync --json` for this connection; each conflict and error names its deal by id and, as `dealName`, by its name now.",
          params: Id,
          response: { 200: SyncJobSchema },
        },
      },
      async (request) => getSyncJob(store, actorOf(request), request.params.id),
    );

    app.get(
      "/api/syncs",
      {
        preHandler: requireAdmin,
        schema: {
          tags: ["connections"],
          summary: "The history of the organisation's sync jobs, newest first",
          description:
            "Every sync job (on demand, on the schedule, from a webhook) with its status and, once done, its result; `connection` keeps one connection's.",
          querystring: Type.Object({
            connection: Type.Optional(Type.String()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          }),
          response: { 200: SyncJobListSchema },
        },
      },
      async (request) => ({
        items: await listSyncJobs(store, actorOf(request), {
          ...(request.query.connection ? { connectionId: request.query.connection } : {}),
          limit: request.query.limit ?? 20,
        }),
      }),
    );

    app.get(
      "/api/connections/:id/runs",
      {
        preHandler: requireAdmin,
        schema: {
          tags: ["connections"],
          summary: "The history of a connection's syncs, newest first",
          params: Id,
          response: { 200: Loose },
        },
      },
      async (request) => ({
        items: await listSyncRuns(store, actorOf(request), request.params.id),
      }),
    );

    app.get(
      "/api/deals/:id/sync",
      {
        preHandler: requireUser,
        schema: {
          tags: ["connections"],
          summary: "A deal's Partner Center link, sync state, errors and conflicts",
          params: Id,
          response: { 200: DealSyncStateSchema },
        },
      },
      async (request) => dealSyncState(store, actorOf(request), request.params.id),
    );

    app.get(
      "/api/conflicts",
      {
        preHandler: requireUser,
        schema: {
          tags: ["connections"],
          summary: "The deals you can see that have a sync conflict waiting (the list's badge)",
          response: { 200: ConflictIdsSchema },
        },
      },
      async (request) => ({ dealIds: await dealsWithConflicts(store, actorOf(request)) }),
    );

    app.post(
      "/api/deals/:id/conflicts/:field/resolve",
      {
        preHandler: requireUser,
        schema: {
          tags: ["connections"],
          summary:
            "Resolve a sync conflict: `local` (the next sync sends this side's value) or `remote` (Partner Center's value, applied now)",
          params: Type.Object({ id: Type.String(), field: Type.String() }),
          body: ResolveChoiceSchema,
          response: { 200: DealSyncStateSchema },
        },
      },
      async (request) =>
        resolveConflict(store, actorOf(request), {
          dealId: request.params.id,
          field: request.params.field,
          choice: request.body.choice,
          origin: originOf(request),
        }),
    );

    app.post(
      "/api/webhooks/partner-center/:connectionId",
      {
        schema: {
          tags: ["connections"],
          summary: "Partner Center's referral-created / referral-updated events",
          description:
            "Authenticated by the connection's webhook secret in the URL (`?secret=…`, as `cosell connect` printed it). The event is an id pointer: the referral is fetched and synced by a job. Duplicates and out-of-order events are harmless: the sync reads the referral's current state and compares eTags.",
          params: Type.Object({ connectionId: Type.String() }),
          querystring: Type.Object({ secret: Type.Optional(Type.String()) }),
          body: Loose,
          response: { 202: Loose },
        },
      },
      async (request, reply) => {
        const { connectionId } = request.params;
        const secret = request.query.secret ?? "";
        if (!secret || !(await checkWebhookSecret(store, connectionId, secret))) {
          throw new HttpError(401, "unauthenticated", "Wrong or missing webhook secret");
        }
        const event = request.body;
        if (!Value.Check(WebhookEventSchema, event)) {
          throw new HttpError(400, "invalid_argument", "The body is not a Partner Center event");
        }
        if (!REFERRAL_EVENTS.includes(event.EventName)) {
          return reply.code(202).send({ ignored: event.EventName });
        }
        const referralId = decodeURIComponent(
          event.ResourceUri.replace(/\/+$/, "").split("/").pop() ?? "",
        );
        if (!referralId)
          throw new HttpError(400, "invalid_argument", "ResourceUri names no referral");
        const jobId = await enqueueReferralSync(store, connectionId, referralId);
        ctx.wake();
        return reply.code(202).send({ jobId });
      },
    );
  };
