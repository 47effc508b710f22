/**
 * Column mapping over HTTP: an organisation's presets (list, save, remove), a preview of a
 * file's columns with samples and best guesses (the page's mapping step, which a workbook
 * needs the server for), and reading a mapping sent with an upload.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { guessMapping, parseMapping } from "../../../core/column-mapping.js";
import { RequestError } from "../../../core/errors.js";
import { type CellCorrection, parseCorrections } from "../../../core/import/corrections.js";
import {
  chooseMapping,
  deletePreset,
  listPresets,
  savePreset,
} from "../../commands/import-presets.js";
import { MappingSchema, PresetSchema, PreviewSchema } from "../../../core/api/mapping-schemas.js";
import { readUploadTable } from "../../xlsx/open-upload.js";
import type { AppContext } from "../context.js";
import { actorOf, requireUser } from "../auth.js";
import { readUpload } from "../upload.js";

/** How many values of each column the preview shows. */
const SAMPLES = 3;

/** The cells corrected in the browser: a JSON list in the form field `corrected`. */
export function uploadCorrections(fields: Record<string, string>): CellCorrection[] {
  const text = fields.corrected;
  if (text === undefined || text.trim() === "") return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RequestError(
      "invalid_argument",
      'The corrected cells must be JSON: [{"row": 1, "column": "…", "from": "…", "to": "…"}]',
    );
  }
  return parseCorrections(value);
}

/** The mapping an upload asks for: a JSON object in the form field or query `mapping`. */
export function uploadMapping(
  fields: Record<string, string>,
  query: { mapping?: string | undefined; preset?: string | undefined },
): { mapping: Record<string, string | null> | null; preset: string | null } {
  const text = fields.mapping ?? query.mapping;
  const preset = fields.preset ?? query.preset ?? null;
  if (text === undefined || text.trim() === "") return { mapping: null, preset };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RequestError(
      "invalid_argument",
      'The mapping must be JSON: {"File header": "Co-sell column", …} (null to ignore a column)',
    );
  }
  return { mapping: parseMapping(value), preset };
}

export const importMappingRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { store, limits } = ctx;

    app.get(
      "/api/import-presets",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary: "The organisation's column-mapping presets, most recently saved first",
          response: { 200: Type.Object({ items: Type.Array(PresetSchema) }) },
        },
      },
      async (request) => ({ items: await listPresets(store.db, actorOf(request)) }),
    );

    app.put(
      "/api/import-presets/:name",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary: "Save a column-mapping preset (replaces the one of that name)",
          params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
          body: Type.Object({ mapping: MappingSchema }, { additionalProperties: false }),
          response: { 200: PresetSchema },
        },
      },
      async (request) =>
        savePreset(store, actorOf(request), {
          name: request.params.name,
          mapping: request.body.mapping,
        }),
    );

    app.delete(
      "/api/import-presets/:name",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary: "Remove a preset (its author or a Referrals admin)",
          params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await deletePreset(store, actorOf(request), request.params.name);
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/api/imports/preview",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary:
            "A file's columns with sample values and the best guess of each one's co-sell column, and the preset that fits (nothing is imported)",
          consumes: ["multipart/form-data", "text/csv", "application/octet-stream"],
          response: { 200: PreviewSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const upload = await readUpload(request, limits);
        const { csv } = await readUploadTable(upload.bytes, limits);
        const chosen = await chooseMapping(store.db, actor, csv.header, {});
        const columns = guessMapping(csv.header).map((g) => {
          const fromPreset = Object.entries(chosen.mapping).find(([k]) => k === g.header);
          return {
            ...g,
            ...(fromPreset ? { target: fromPreset[1], source: "preset" } : {}),
            samples: csv.records
              .map((r) => r.cells[g.index] ?? "")
              .filter((v) => v.trim() !== "")
              .slice(0, SAMPLES),
          };
        });
        return {
          columns,
          preset: chosen.preset ? { name: chosen.preset, mapping: chosen.mapping } : null,
        };
      },
    );
  };
