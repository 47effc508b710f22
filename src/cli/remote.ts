/**
 * Remote mode: `cosell --server URL --token TOKEN import|export|template …` does through the
 * HTTP API what local mode does on the store, with the same flags, the same output and the
 * same exit codes. An import is uploaded once (with an Idempotency-Key, so a retried upload
 * never queues a second job), followed until its job ends, then its rows and results file
 * are fetched; an export likewise. Answers are checked against their shapes with TypeBox.
 */

import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import { basename } from "node:path";
import type { Static, TSchema } from "typebox";
import { Value } from "typebox/value";
import { MeSchema } from "../core/api/account-schemas.js";
import { ApiErrorSchema } from "../core/api/error-schema.js";
import {
  ExportJobSchema,
  type FailureSchema,
  ImportJobSchema,
  ImportRowsSchema,
  SubmittedSchema,
} from "../core/api/job-schemas.js";
import {
  FILE_ERROR_CODES,
  FileRejectedError,
  REQUEST_ERROR_CODES,
  RequestError,
} from "../core/errors.js";
import { parseMapPairs } from "../core/column-mapping.js";
import type { Lang } from "../core/columns.js";
import { filterParamsOf } from "../core/deal-filter.js";
import { exportFileName } from "../core/export/export-file.js";
import { isJobFinished, type JobStatus } from "../core/jobs.js";
import { EXIT } from "./exit-codes.js";
import { type ExportFlags, exportFilterOf } from "./export-flags.js";
import {
  formatImportSummary,
  type ImportReport,
  importExitCode,
  importJson,
  printJson,
  progressBar,
  reportExport,
  reportTemplate,
  writeOut,
} from "./report.js";

export interface RemoteTarget {
  server: string;
  token: string;
}

/** The server could not be reached, failed, or answered what this CLI does not understand. */
export class RemoteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RemoteError";
  }
}

const Submitted = SubmittedSchema;
const Me = MeSchema;
const ErrorBody = ApiErrorSchema;

const ImportJob = ImportJobSchema;
const Rows = ImportRowsSchema;
const ExportJob = ExportJobSchema;

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  list.some((x) => x === value);

/** A coded failure from the server, as local mode would have raised it. */
const codedError = (code: string, message: string): Error => {
  if (isOneOf(FILE_ERROR_CODES, code)) return new FileRejectedError(code, message);
  if (isOneOf(REQUEST_ERROR_CODES, code)) return new RequestError(code, message);
  return new RemoteError(code, `The server says: ${message}`);
};

const parse = <T extends TSchema>(schema: T, value: unknown, what: string): Static<T> => {
  if (Value.Check(schema, value)) return value;
  const first = [...Value.Errors(schema, value)][0];
  throw new RemoteError(
    "unexpected_answer",
    `The server's answer to ${what} is not what this cosell expects${first ? ` (${first.instancePath || "/"} ${first.message})` : ""}; are the CLI and the server the same version?`,
  );
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Network failures and gateway errors are retried; every request here is safe to repeat. */
const RETRIES = [250, 1000, 3000];
const RETRY_STATUSES = new Set([502, 503, 504]);

const client = (target: RemoteTarget) => {
  const base = target.server.replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new RequestError(
      "invalid_argument",
      `--server '${target.server}' is not a URL, e.g. http://localhost:3000`,
    );
  }
  const send = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${target.token}`);
    for (let attempt = 0; ; attempt++) {
      let response: Response | null = null;
      let failure: unknown = null;
      try {
        response = await fetch(`${base}${path}`, { ...init, headers });
      } catch (error) {
        failure = error;
      }
      if (response && !RETRY_STATUSES.has(response.status)) return response;
      const wait = RETRIES[attempt];
      if (wait === undefined) {
        if (response) return response;
        const cause =
          failure instanceof Error && failure.cause instanceof Error ? failure.cause : failure;
        const why = cause instanceof Error ? cause.message : String(cause);
        throw new RemoteError(
          "unreachable",
          `Cannot reach the cosell server at ${url.origin}: ${why}`,
        );
      }
      await sleep(wait);
    }
  };
  /** The response when it is 2xx; the server's coded error otherwise. */
  const ok = async (path: string, init?: RequestInit): Promise<Response> => {
    const response = await send(path, init);
    if (response.ok) return response;
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Not our JSON: a proxy's page, say. Reported by status below.
    }
    if (Value.Check(ErrorBody, body)) {
      const { code, message } = body.error;
      throw response.status >= 500
        ? new RemoteError(code, `The server failed: ${message}`)
        : codedError(code, message);
    }
    throw new RemoteError(
      "http_error",
      `The server answered ${response.status} ${response.statusText} to ${init?.method ?? "GET"} ${path}`,
    );
  };
  return {
    json: async <T extends TSchema>(schema: T, path: string, init?: RequestInit) =>
      parse(schema, await (await ok(path, init)).json(), `${init?.method ?? "GET"} ${path}`),
    /** The body as bytes: a CSV keeps its byte-order mark, which `text()` would drop. */
    bytes: async (path: string) => new Uint8Array(await (await ok(path)).arrayBuffer()),
  };
};

type Client = ReturnType<typeof client>;

/** With `--as`, remote mode checks that the token is that person's, as local mode names them. */
const checkAs = async (api: Client, as: string | undefined): Promise<void> => {
  if (!as) return;
  const me = await api.json(Me, "/api/auth/me");
  if (me.email.toLowerCase() !== as.trim().toLowerCase()) {
    throw new RequestError(
      "invalid_argument",
      `--as ${as} does not match the token, which is ${me.email}'s; drop --as or use their token`,
    );
  }
};

/** Asks for the job until it ends, showing its progress on a terminal; quietly waits elsewhere. */
const follow = async <
  T extends { status: JobStatus; progress: { processed: number; total: number } },
>(
  read: () => Promise<T>,
  showProgress: boolean,
  signal?: AbortSignal,
): Promise<T> => {
  const bar = progressBar(process.stderr);
  const started = Date.now();
  let hinted = false;
  let wait = 100;
  for (;;) {
    signal?.throwIfAborted();
    const job = await read();
    if (isJobFinished(job.status)) {
      if (showProgress) bar.done();
      return job;
    }
    if (showProgress) {
      bar.update(
        job.progress.processed,
        job.progress.total,
        job.status === "queued" ? "waiting" : "importing",
      );
    }
    if (job.status === "queued" && !hinted && Date.now() - started > 15_000) {
      hinted = true;
      const note =
        "The job is still waiting for a worker: is one running (in the server, or `cosell worker`)?";
      console.error(showProgress && process.stderr.isTTY ? `\n${note}` : note);
    }
    await delay(wait, undefined, signal ? { signal } : {});
    wait = Math.min(1000, Math.round(wait * 1.5));
  }
};

/**
 * Runs `work` with Ctrl-C caught: the first press aborts the signal it is given (the work
 * decides what an interruption means), a second one ends the process at once.
 */
async function withCtrlC<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctrlC = new AbortController();
  const onInterrupt = () => {
    if (ctrlC.signal.aborted) process.exit(EXIT.interrupted);
    ctrlC.abort();
  };
  process.on("SIGINT", onInterrupt);
  try {
    return await work(ctrlC.signal);
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

/** Follows a job until it ends; null when Ctrl-C was pressed before (or while) it did. */
async function followUnlessInterrupted<T>(
  followJob: () => Promise<T>,
  signal: AbortSignal,
): Promise<T | null> {
  try {
    return signal.aborted ? null : await followJob();
  } catch (error) {
    if (signal.aborted) return null;
    throw error;
  }
}

/**
 * Ctrl-C during a remote import: the server's job is canceled if it has not started (nothing
 * is written), else it goes on there and the person is told how to follow it.
 */
async function cancelOnInterrupt(api: Client, id: string): Promise<number> {
  if (process.stderr.isTTY) process.stderr.write("\n");
  try {
    await api.json(ImportJob, `/api/imports/${id}/cancel`, { method: "POST" });
    console.error(
      `Interrupted: import ${id} was canceled on the server before it started; nothing was written.`,
    );
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    console.error(
      `Interrupted, but import ${id} goes on on the server (${why}). Its result: GET /api/imports/${id}, or the import history on the page.`,
    );
  }
  return EXIT.interrupted;
}

const failed = (
  kind: string,
  job: { status: string; error: Static<typeof FailureSchema> },
): Error =>
  job.error
    ? codedError(job.error.code, job.error.message)
    : new RemoteError(job.status, `The ${kind} was ${job.status} on the server`);

export interface ImportFlags {
  as?: string;
  dryRun?: boolean;
  results?: string;
  upsertByCrmId?: boolean;
  map?: string[];
  preset?: string;
  json?: boolean;
}

export const remoteImport = async (
  target: RemoteTarget,
  file: string,
  o: ImportFlags,
): Promise<number> => {
  const api = client(target);
  await checkAs(api, o.as);
  const bytes = await readFile(file);
  const query = new URLSearchParams({ fileName: basename(file) });
  if (o.dryRun) query.set("dryRun", "true");
  if (o.upsertByCrmId) query.set("upsertByCrmId", "true");
  if (o.map && o.map.length > 0) query.set("mapping", JSON.stringify(parseMapPairs(o.map)));
  if (o.preset) query.set("preset", o.preset);
  // Ctrl-C from here on: the job is submitted all the same (so that it can be named and
  // canceled), then canceled if it has not started.
  const job = await withCtrlC(async (signal) => {
    const { id } = await api.json(Submitted, `/api/imports?${query}`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "idempotency-key": randomUUID() },
      body: bytes,
    });
    const followed = await followUnlessInterrupted(
      () => follow(() => api.json(ImportJob, `/api/imports/${id}`), !o.json, signal),
      signal,
    );
    return followed ?? { interrupted: id };
  });
  if ("interrupted" in job) return cancelOnInterrupt(api, job.interrupted);
  const { id } = job;
  if (job.status !== "succeeded" || !job.summary) throw failed("import", job);
  const { items: rows } = await api.json(Rows, `/api/imports/${id}/rows`);
  const summary: ImportReport = { ...job.summary, rows, importId: job.summary.dryRun ? null : id };
  if (o.results) await writeOut(o.results, await api.bytes(`/api/imports/${id}/results`));
  if (o.json) printJson(importJson(summary));
  else console.log(formatImportSummary(basename(file), summary, o.results ?? null));
  return importExitCode(summary);
};

export const remoteExport = async (target: RemoteTarget, o: ExportFlags): Promise<number> => {
  // Checked here with the rule the server applies too: a bad filter costs no round trip and
  // reads the same as in local mode.
  const filter = exportFilterOf(o);
  const api = client(target);
  await checkAs(api, o.as);
  const { id } = await api.json(Submitted, "/api/exports", {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": randomUUID() },
    body: JSON.stringify({
      ...filterParamsOf(filter),
      lang: o.lang,
      ...(o.format === "xlsx" ? { format: "xlsx" } : {}),
    }),
  });
  const job = await follow(() => api.json(ExportJob, `/api/exports/${id}`), false);
  if (job.status !== "succeeded" || !job.result) throw failed("export", job);
  const data = await api.bytes(`/api/exports/${id}/file`);
  const file = await writeOut(o.output ?? exportFileName(new Date().toISOString(), o.format), data);
  reportExport(job.result, file, o.json ?? false);
  return EXIT.ok;
};

export interface TemplateFlags {
  lang: Lang;
  format?: "csv" | "xlsx";
  example?: boolean;
  output?: string;
}

export const remoteTemplate = async (target: RemoteTarget, o: TemplateFlags): Promise<number> => {
  const api = client(target);
  const query = new URLSearchParams({ lang: o.lang, example: o.example ? "true" : "false" });
  if (o.format === "xlsx") query.set("format", "xlsx");
  reportTemplate(await writeOut(o.output, await api.bytes(`/api/template?${query}`)));
  return EXIT.ok;
};
