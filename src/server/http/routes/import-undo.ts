/** `POST /api/imports/:id/undo`: undo an applied import (or, with `dryRun`, show what it would do). */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { httpOrigin } from "../../commands/audit.js";
import { undoDaysFromEnv, undoImport } from "../../commands/undo-import.js";
import type { AppContext } from "../context.js";
import { actorOf, requireUser } from "../auth.js";

const Change = Type.Object({
  field: Type.String(),
  column: Type.String(),
  header: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
});

const UndoSummary = Type.Object({
  undoOf: Type.String(),
  dryRun: Type.Boolean(),
  importId: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer(),
  undone: Type.Integer(),
  notUndone: Type.Integer(),
  rows: Type.Array(
    Type.Object({
      row: Type.Integer(),
      referralId: Type.String(),
      action: Type.Union([Type.Literal("close"), Type.Literal("restore")]),
      result: Type.Union([Type.Literal("Undone"), Type.Literal("Not undone")]),
      reason: Type.Union([Type.String(), Type.Null()]),
      changes: Type.Array(Change),
    }),
  ),
});

export const importUndoRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
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
            "Undo an applied import: updated fields set back, created deals closed as Error (reason 1), deals changed since left alone and reported; 409 once undone or past COSELL_UNDO_DAYS",
          params: Type.Object({ id: Type.String() }),
          body: Type.Object(
            { dryRun: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
          response: { 200: UndoSummary },
        },
      },
      async (request) =>
        undoImport(ctx.store, {
          actor: actorOf(request),
          importId: request.params.id,
          dryRun: request.body.dryRun ?? false,
          undoDays: undoDaysFromEnv(process.env),
          origin: httpOrigin("POST", "/api/imports/:id/undo"),
        }),
    );
  };
