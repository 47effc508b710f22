/**
 * Undo of an applied import over HTTP: `POST /api/imports/:id/undo` queues it as a job (or
 * its dry run) and answers 202 with the job; `GET /api/undos/:id` follows that job and, once
 * it succeeded, says what the undo did (or would do) deal by deal; `GET /api/undos` is the
 * history of applied undos.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { JobStatusSchema, UndoJobSchema, UndoListSchema } from "../../../core/api/job-schemas.js";
import { undoDaysFromEnv } from "../../commands/undo-import.js";
import { getUndoJob, listUndos, submitUndo, type UndoJob } from "../../commands/undo-jobs.js";
import type { AppContext } from "../context.js";
import { actorOf, requireUser } from "../auth.js";

const undoLinks = (job: { id: string; undoOf: string }) => ({
  self: `/api/undos/${job.id}`,
  import: `/api/imports/${job.undoOf}`,
});

const presentUndo = (job: UndoJob) => ({ ...job, links: undoLinks(job) });

export const importUndoRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { store } = ctx;

    app.post(
      "/api/imports/:id/undo",
      {
        // A POST with no body is a real undo, as `{}` is.
        preValidation: async (request) => {
          request.body ??= {};
        },
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary:
            "Undo an applied import, as a background job: updated fields set back, created deals closed as Error (reason 1), deals changed since left alone and reported. 404 when it is not an import you may undo; 409 when it was a dry run, is already undone (or being undone), or ran more than COSELL_UNDO_DAYS ago",
          params: Type.Object({ id: Type.String() }),
          body: Type.Object(
            { dryRun: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
          response: {
            202: Type.Object({
              id: Type.String(),
              status: JobStatusSchema,
              links: Type.Object({ self: Type.String(), import: Type.String() }),
            }),
          },
        },
      },
      async (request, reply) => {
        const undoOf = request.params.id;
        const submitted = await submitUndo(store, {
          actor: actorOf(request),
          importId: undoOf,
          dryRun: request.body.dryRun ?? false,
          undoDays: undoDaysFromEnv(process.env),
        });
        ctx.wake();
        const links = undoLinks({ id: submitted.id, undoOf });
        return reply
          .status(202)
          .header("location", links.self)
          .send({ id: submitted.id, status: submitted.status, links });
      },
    );

    app.get(
      "/api/undos/:id",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary:
            "An undo job: status, progress and, once it succeeded, what the undo did (or, a dry run, would do) deal by deal",
          params: Type.Object({ id: Type.String() }),
          response: { 200: UndoJobSchema },
        },
      },
      async (request) => presentUndo(await getUndoJob(store, actorOf(request), request.params.id)),
    );

    app.get(
      "/api/undos",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary:
            "The applied undos, newest first, each with what it did deal by deal (a Referrals admin sees the organisation's, a Referrals user their own)",
          querystring: Type.Object({
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
            importId: Type.Optional(Type.String({ description: "Only the undo of this import" })),
          }),
          response: { 200: UndoListSchema },
        },
      },
      async (request) => listUndos(store, actorOf(request), request.query),
    );
  };
