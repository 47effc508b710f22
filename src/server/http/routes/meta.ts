/** Health and the import template. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { LimitsSchema } from "../../../core/api/limits-schemas.js";
import { LANGS } from "../../../core/columns.js";
import { templateFile } from "../../../core/template.js";
import { XLSX_TYPE } from "../../xlsx/export-workbook.js";
import { templateWorkbook } from "../../xlsx/template-workbook.js";
import type { AppContext } from "../context.js";

export const metaRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/health",
      {
        schema: {
          tags: ["meta"],
          summary: "Is the server up and its database reachable? With the limits it applies",
          security: [],
          response: {
            200: Type.Object({
              status: Type.Literal("ok"),
              store: Type.String(),
              limits: LimitsSchema,
            }),
          },
        },
      },
      async () => {
        await ctx.store.db.selectFrom("organizations").select("id").limit(1).execute();
        return { status: "ok" as const, store: ctx.store.dialect, limits: ctx.limits };
      },
    );

    app.get(
      "/api/limits",
      {
        schema: {
          tags: ["meta"],
          summary:
            "The limits this server applies (SPEC §8, set by COSELL_IMPORT_MAX_ROWS and the like)",
          security: [],
          response: { 200: LimitsSchema },
        },
      },
      async () => ctx.limits,
    );

    app.get(
      "/api/template",
      {
        schema: {
          tags: ["imports"],
          summary: "The import template: headers only, or with one example row; English or French",
          security: [],
          querystring: Type.Object({
            lang: Type.Optional(Type.Enum(LANGS)),
            example: Type.Optional(Type.Boolean()),
            format: Type.Optional(Type.Union([Type.Literal("csv"), Type.Literal("xlsx")])),
          }),
        },
      },
      async (request, reply) => {
        const lang = request.query.lang ?? "en";
        const example = request.query.example ?? false;
        const name = lang === "fr" ? "modele-co-vente" : "co-sell-template";
        if (request.query.format === "xlsx") {
          return reply
            .type(XLSX_TYPE)
            .header(
              "content-disposition",
              `attachment; filename="${name}${example ? "-exemple" : ""}.xlsx"`,
            )
            .send(Buffer.from(await templateWorkbook(lang, example)));
        }
        return reply
          .type("text/csv; charset=utf-8")
          .header(
            "content-disposition",
            `attachment; filename="${name}${example ? "-exemple" : ""}.csv"`,
          )
          .send(templateFile(lang, example));
      },
    );
  };
