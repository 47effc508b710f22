/**
 * Import and export jobs: submit (202 with the job's id and a Location), follow, list,
 * cancel, download. Another organisation's job, and for a Referrals user a job someone else
 * submitted, is "not found" (404).
 *
 * Downloads answer 409 `conflict` while the job is queued or running, and 404 `not_found`
 * when it failed, was canceled, or its file was removed after the retention period.
 */
import { Readable } from "node:stream";
import { XLSX_TYPE } from "../../xlsx/export-workbook.js";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import {
  ExportAcceptedSchema,
  ExportJobSchema,
  ImportAcceptedSchema,
  ImportJobSchema,
  ImportListSchema,
  ImportRowsSchema,
} from "../../../core/api/job-schemas.js";
import { ExportRequestSchema, exportFilterParams } from "../../../core/api/deal-filter-schema.js";
import { parseFilterParams } from "../../../core/deal-filter.js";
import { baseFileName } from "../../../core/file-name.js";
import { cancelJob } from "../../commands/cancel-job.js";
import { exportFile, getExportJob } from "../../commands/export-jobs.js";
import {
  getImportJob,
  type ImportJob,
  importResultsFile,
  listImportJobs,
  listImportRows,
} from "../../commands/import-jobs.js";
import { submitExport, submitImport } from "../../commands/job-submit.js";
import type { DownloadFile } from "../../commands/job-view.js";
import type { AppContext } from "../context.js";
import { requestLang, saidIn } from "../lang.js";
import { actorOf, requireUser } from "../auth.js";
import { formFlag, readUpload } from "../upload.js";
import { uploadCorrections, uploadMapping } from "./import-mapping.js";

const Id = Type.Object({ id: Type.String() });

const IdempotencyHeaders = Type.Object({
  "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

const importLinks = (id: string) => ({
  self: `/api/imports/${id}`,
  rows: `/api/imports/${id}/rows`,
  results: `/api/imports/${id}/results`,
});

const exportLinks = (id: string) => ({
  self: `/api/exports/${id}`,
  file: `/api/exports/${id}/file`,
});

const presentImport = (job: ImportJob) => ({ ...job, links: importLinks(job.id) });

const CSV_DOWNLOAD = {
  200: Type.String({ description: "The CSV file (UTF-8 with BOM)" }),
};

/**
 * `attachment` with the file's base name (never a path); a name beyond ASCII also goes UTF-8
 * encoded (RFC 6266).
 */
const attachment = (fileName: string): string => {
  const name = baseFileName(fileName) || "download.csv";
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  if (ascii === name) return `attachment; filename="${name}"`;
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
};

const sendFile = (reply: FastifyReply, file: DownloadFile) =>
  reply
    .type(file.contentType)
    .header("content-disposition", attachment(file.name))
    .send(
      typeof file.data === "string"
        ? file.data
        : file.data instanceof Uint8Array
          ? Buffer.from(file.data)
          : Readable.from(file.data),
    );

export const jobRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { store, limits } = ctx;

    app.post(
      "/api/imports",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary: "Upload a co-sell CSV to import (a background job)",
          description:
            "The file goes in the multipart field `file` (with optional fields `dryRun`, `upsertByCrmId`, `mapping`, `preset`, and `corrected`: the JSON list of cells corrected in the browser, `[{row, column, from, to}]`, kept in the import record), or as a raw body (`text/csv`, `application/octet-stream` or the xlsx type); a CSV or an Excel workbook (.xlsx), told apart by its content. The whole file is checked before it is queued: over the size limit → 413 `file_too_large`; too many rows, no or duplicated header, unreadable or empty → 422; nothing is written then. The same `Idempotency-Key` from the same user returns the same job.",
          consumes: ["multipart/form-data", "text/csv", "application/octet-stream", XLSX_TYPE],
          querystring: Type.Object({
            dryRun: Type.Optional(Type.Boolean()),
            upsertByCrmId: Type.Optional(Type.Boolean()),
            fileName: Type.Optional(Type.String({ maxLength: 255 })),
            mapping: Type.Optional(
              Type.String({
                description:
                  'A column mapping as JSON: {"File header": "Co-sell column" or null to ignore}',
              }),
            ),
            preset: Type.Optional(Type.String({ description: "A column-mapping preset's name" })),
          }),
          headers: IdempotencyHeaders,
          response: {
            202: ImportAcceptedSchema,
          },
        },
      },
      async (request, reply) => {
        const upload = await readUpload(request, limits);
        const { query } = request;
        const submitted = await submitImport(store, {
          actor: actorOf(request),
          bytes: upload.bytes,
          fileName: upload.fileName ?? query.fileName ?? null,
          dryRun: formFlag(upload.fields, "dryRun") ?? query.dryRun ?? false,
          upsertByCrmId: formFlag(upload.fields, "upsertByCrmId") ?? query.upsertByCrmId ?? false,
          ...uploadMapping(upload.fields, query),
          corrections: uploadCorrections(upload.fields),
          idempotencyKey: request.headers["idempotency-key"] ?? null,
          limits,
        });
        if (submitted.created) ctx.wake();
        const links = importLinks(submitted.id);
        return reply
          .status(202)
          .header("location", links.self)
          .send({ id: submitted.id, status: submitted.status, links });
      },
    );

    app.get(
      "/api/imports",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary:
            "The import history, newest first (a Referrals admin sees the organisation's, a Referrals user their own)",
          querystring: Type.Object({
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
            dryRun: Type.Optional(Type.Boolean()),
          }),
          response: {
            200: ImportListSchema,
          },
        },
      },
      async (request) => {
        const page = await listImportJobs(store, actorOf(request), request.query);
        return { items: page.items.map(presentImport), total: page.total };
      },
    );

    app.get(
      "/api/imports/:id",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary: "An import: status, progress and, once it succeeded, the summary",
          params: Id,
          response: { 200: ImportJobSchema },
        },
      },
      async (request) =>
        presentImport(await getImportJob(store, actorOf(request), request.params.id)),
    );

    app.get(
      "/api/imports/:id/rows",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary:
            "The per-row results recorded so far, with the field-by-field changes of updates (a dry run's preview)",
          params: Id,
          response: { 200: ImportRowsSchema },
        },
      },
      async (request) => {
        const lang = requestLang(request);
        const items = await listImportRows(store, actorOf(request), request.params.id);
        return {
          items: items.map((row) => ({ ...row, errors: row.errors.map((e) => saidIn(lang, e)) })),
        };
      },
    );

    app.get(
      "/api/imports/:id/results",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary:
            "The results file (409 while the import runs; 404 when it failed or the file was removed after the retention period)",
          params: Id,
          produces: ["text/csv"],
          response: CSV_DOWNLOAD,
        },
      },
      async (request, reply) =>
        sendFile(reply, await importResultsFile(store, actorOf(request), request.params.id)),
    );

    app.post(
      "/api/imports/:id/cancel",
      {
        preHandler: requireUser,
        schema: {
          tags: ["imports"],
          summary: "Cancel an import that has not started (409 once it runs or has ended)",
          params: Id,
          response: { 200: ImportJobSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await cancelJob(store, actor, "import", request.params.id, limits);
        return presentImport(await getImportJob(store, actor, request.params.id));
      },
    );

    app.post(
      "/api/exports",
      {
        // A POST with no body at all exports every deal in scope, as `{}` does.
        preValidation: async (request) => {
          request.body ??= {};
        },
        preHandler: requireUser,
        schema: {
          tags: ["exports"],
          summary:
            "Export the deals of a tab and filters, in your scope, as a co-sell CSV (a background job); the filter takes GET /api/deals's names (countries, customerName, solutionId and substatus are deprecated aliases)",
          body: ExportRequestSchema,
          headers: IdempotencyHeaders,
          response: {
            202: ExportAcceptedSchema,
          },
        },
      },
      async (request, reply) => {
        const { lang, format } = request.body;
        const submitted = await submitExport(store, {
          actor: actorOf(request),
          filter: parseFilterParams(exportFilterParams(request.body)),
          lang: lang ?? "en",
          format: format ?? "csv",
          idempotencyKey: request.headers["idempotency-key"] ?? null,
        });
        if (submitted.created) ctx.wake();
        const links = exportLinks(submitted.id);
        return reply
          .status(202)
          .header("location", links.self)
          .send({ id: submitted.id, status: submitted.status, links });
      },
    );

    app.get(
      "/api/exports/:id",
      {
        preHandler: requireUser,
        schema: {
          tags: ["exports"],
          summary: "An export: status, progress and, once it succeeded, its count and file name",
          params: Id,
          response: { 200: ExportJobSchema },
        },
      },
      async (request) => {
        const job = await getExportJob(store, actorOf(request), request.params.id);
        return { ...job, links: exportLinks(job.id) };
      },
    );

    app.get(
      "/api/exports/:id/file",
      {
        preHandler: requireUser,
        schema: {
          tags: ["exports"],
          summary:
            "The exported file (409 until it is ready; 404 when the export failed or the file was removed after the retention period)",
          params: Id,
          produces: ["text/csv"],
          response: CSV_DOWNLOAD,
        },
      },
      async (request, reply) =>
        sendFile(reply, await exportFile(store, actorOf(request), request.params.id)),
    );

    app.post(
      "/api/exports/:id/cancel",
      {
        preHandler: requireUser,
        schema: {
          tags: ["exports"],
          summary: "Cancel an export that has not started (409 once it runs or has ended)",
          params: Id,
          response: { 200: ExportJobSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await cancelJob(store, actor, "export", request.params.id, limits);
        const job = await getExportJob(store, actor, request.params.id);
        return { ...job, links: exportLinks(job.id) };
      },
    );
  };
