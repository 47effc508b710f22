/**
 * Running cosell as a service: the HTTP server with a worker inside it (`cosell serve`, what
 * `npm start` runs), and workers on their own (`cosell worker`). Logs are JSON lines (pino) on
 * standard error; standard output carries only what a person needs to read once — the URL
 * and the demo credentials. On SIGINT or SIGTERM the server stops taking requests, the
 * worker finishes its job or hands it back to the queue, and the process exits 0.
 */
import type { FastifyInstance } from "fastify";
import { type Logger, pino } from "pino";
import { RequestError } from "../core/errors.js";
import type { Limits } from "../core/limits.js";
import type { Store } from "./db/store.js";
import { type DemoSeed, seedDemo } from "./demo-seed.js";
import { Worker, workerOptionsFromEnv } from "./jobs/worker.js";
import { describeLimits, limitsFromEnv } from "./limits-env.js";

export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = "127.0.0.1";

/** How long a stopping worker lets its job run before handing it back (COSELL_SHUTDOWN_GRACE_MS). */
const DEFAULT_GRACE_MS = 10_000;

export const createLogger = (env: Env): Logger => {
  const level = env.LOG_LEVEL?.trim() || "info";
  return pino({ level }, pino.destination({ fd: 2, sync: true }));
};

const graceMs = (env: Env): number => {
  const n = Number(env.COSELL_SHUTDOWN_GRACE_MS);
  return Number.isFinite(n) && n >= 0 && env.COSELL_SHUTDOWN_GRACE_MS?.trim()
    ? n
    : DEFAULT_GRACE_MS;
};

/** Flags win over PORT and HOST; then 127.0.0.1:3000. A port that is not one is a usage error. */
export const listenAddress = (
  env: Env,
  flags: { port?: string | undefined; host?: string | undefined },
): { port: number; host: string } => {
  const rawPort = flags.port ?? env.PORT?.trim() ?? "";
  const port = rawPort === "" ? DEFAULT_PORT : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RequestError(
      "invalid_argument",
      `'${rawPort}' is not a port number (0–65535; 0 picks a free one)`,
    );
  }
  const host = flags.host ?? (env.HOST?.trim() || DEFAULT_HOST);
  return { port, host };
};

export interface ServerOptions {
  store: Store;
  port: number;
  host: string;
  env: Env;
  log: Logger;
}

export interface RunningServer {
  /** What to open in a browser. */
  url: string;
  /** Null when COSELL_WORKERS=0: jobs wait for `cosell worker` processes. */
  worker: Worker | null;
  /** Set on the start that created the demo organisation. */
  demo: DemoSeed | null;
  /** SPEC §8's limits as the environment set them, applied by the API and the worker alike. */
  limits: Limits;
  /** Stops taking requests and jobs; the job in hand finishes within the grace or goes back. */
  stop(): Promise<void>;
}

const urlOf = (app: FastifyInstance, host: string): string => {
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  // 0.0.0.0 and :: listen everywhere; a browser on this machine reaches them as localhost.
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
};

/** A port in use or refused says so, and what to do; cosell could not run (exit 3). */
export class ListenError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "ListenError";
  }
}

const listenError = (error: unknown, at: { host: string; port: number }): unknown => {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  const where = `${at.host}:${at.port}`;
  if (code === "EADDRINUSE") {
    return new ListenError(
      `${where} is already in use: stop what runs there, or choose another port with --port or PORT`,
      { cause: error },
    );
  }
  if (code === "EACCES" || code === "EADDRNOTAVAIL") {
    return new ListenError(`cannot listen on ${where} (${code}): choose another --host or --port`, {
      cause: error,
    });
  }
  return error;
};

/** Seeds the demo (first start, unless COSELL_DEMO=0), starts the worker, listens. */
export const startServer = async (options: ServerOptions): Promise<RunningServer> => {
  const { store, env, log } = options;
  // First, so a bad value stops the start before anything is written.
  const limits = limitsFromEnv(env);
  const demo =
    env.COSELL_DEMO?.trim() === "0"
      ? null
      : await seedDemo(store, {
          adminEmail: env.COSELL_ADMIN_EMAIL?.trim(),
          adminPassword: env.COSELL_ADMIN_PASSWORD,
        });
  if (demo) log.info({ org: demo.org, deals: demo.deals }, "created the demo organisation");
  const worker =
    env.COSELL_WORKERS?.trim() === "0"
      ? null
      : new Worker(store, {
          ...workerOptionsFromEnv(env, log.child({ component: "worker" })),
          limits,
        });
  // Loaded here, not at the top: `cosell worker` shares this file and needs no HTTP server.
  const { buildApp } = await import("./http/app.js");
  const { parseTrustProxy, signInLimitsFromEnv } = await import("./http/sign-in-limits.js");
  const { passwordPolicyFromEnv } = await import("./auth/password-rules.js");
  const app = await buildApp({
    store,
    worker,
    limits,
    logger: { level: log.level, stream: pino.destination({ fd: 2, sync: true }) },
    trustProxy: parseTrustProxy(env.COSELL_TRUST_PROXY),
    signInLimits: signInLimitsFromEnv(env),
    passwordPolicy: passwordPolicyFromEnv(env),
  });
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app.close();
    throw listenError(error, options);
  }
  worker?.start();
  const grace = graceMs(env);
  return {
    url: urlOf(app, options.host),
    worker,
    demo,
    limits,
    async stop() {
      // Both at once: the app stops accepting and drains its requests while the worker
      // finishes (or hands back) its job.
      await Promise.all([app.close(), worker?.stop(grace)]);
    },
  };
};

/** The lines `cosell serve` prints once it listens. */
export const startupLines = (
  server: Pick<RunningServer, "url" | "demo" | "worker" | "limits">,
): string[] => {
  const lines = [`cosell is running at ${server.url}`, `Limits: ${describeLimits(server.limits)}.`];
  const { demo } = server;
  if (demo) {
    const { admin, user, deals } = demo;
    lines.push(
      `Created the demo organisation '${demo.org}' with ${deals.outbound + deals.inbound} sample deals.`,
      `  Referrals admin: ${admin.email}  password: ${admin.generatedPassword ?? "(the one in COSELL_ADMIN_PASSWORD)"}`,
      `  Referrals user:  ${user.email}  password: ${user.generatedPassword ?? ""}`,
      "  These passwords are shown only this once.",
    );
  }
  if (!server.worker)
    lines.push("No worker runs in this server (COSELL_WORKERS=0): start `cosell worker`.");
  lines.push("Press Ctrl-C to stop.");
  return lines;
};

/**
 * Resolves on the first SIGINT or SIGTERM. A second one exits at once: an import chunk in
 * flight is one transaction, so it is rolled back whole and the job resumes elsewhere.
 */
export const untilSignal = (log: Logger): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    let stopping = false;
    const on = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, "second signal: exiting now");
        process.exit(signal === "SIGTERM" ? 143 : 130);
      }
      stopping = true;
      log.info({ signal }, "stopping");
      resolve(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });

/** `cosell serve`: runs until a signal, then stops gracefully. */
export const runServer = async (
  options: Omit<ServerOptions, "log"> & { out: NodeJS.WritableStream },
): Promise<void> => {
  const log = createLogger(options.env);
  // Listening before anything is printed: whoever reads "running" may signal at once.
  const stopped = untilSignal(log);
  const server = await startServer({ ...options, log });
  options.out.write(`${startupLines(server).join("\n")}\n`);
  await stopped;
  await server.stop();
  log.info("stopped");
};

/** `cosell worker`: takes jobs until a signal, then finishes or hands back the one in hand. */
export const runWorker = async (options: {
  store: Store;
  env: Env;
  out: NodeJS.WritableStream;
}): Promise<void> => {
  const log = createLogger(options.env);
  const stopped = untilSignal(log);
  const worker = new Worker(options.store, workerOptionsFromEnv(options.env, log));
  worker.start();
  log.info({ owner: worker.owner, limits: worker.limits }, "worker started");
  options.out.write(
    `cosell worker is running. Limits: ${describeLimits(worker.limits)}.\nPress Ctrl-C to stop.\n`,
  );
  await stopped;
  await worker.stop(graceMs(options.env));
  log.info("worker stopped");
};
