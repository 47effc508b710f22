/**
 * A worker: claims queued jobs one at a time under a lease, renews the lease while it
 * works, reaps jobs whose worker died, and runs the periodic sweeps (the 14-day expiry,
 * the retention of files). Several workers — in the server and in `cosell worker`
 * processes — can share one PostgreSQL database.
 */
import { randomUUID } from "node:crypto";
import { FileRejectedError, RequestError } from "../../core/errors.js";
import type { JobKind } from "../../core/jobs.js";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import { expireDeals } from "../commands/expire-deals.js";
import { recordStoppedImport } from "../commands/import-stopped.js";
import { enqueueScheduledSyncs } from "../commands/sync-jobs.js";
import { moveImportStatus } from "../db/imports-repo.js";
import type { Store } from "../db/store.js";
import { limitsFromEnv } from "../limits-env.js";
import {
  claimJob,
  heartbeat,
  LeaseLostError,
  reapStuckJobs,
  removeOldFiles,
  settleJob,
} from "../db/jobs-repo.js";
import { HandedBack, runJob } from "./run-job.js";

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WorkerOptions {
  /** How long a claimed job stays ours without a heartbeat. */
  leaseMs: number;
  pollMs: number;
  chunkSize: number;
  maxAttempts: number;
  /** How often the expiry and retention sweeps run. */
  sweepMs: number;
  /** How often every connection gets a sync job (COSELL_SYNC_MS); absent: no schedule. */
  syncMs?: number;
  /** How long result and export files are kept. */
  retentionMs: number;
  log: Logger;
  /** Limits for imports and exports (default: SPEC §8's). */
  limits?: Limits;
}

export const workerOptionsFromEnv = (env: NodeJS.ProcessEnv, log: Logger): WorkerOptions => {
  const num = (name: string, fallback: number) => {
    const n = Number(env[name]);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    leaseMs: num("COSELL_JOB_LEASE_MS", 15_000),
    pollMs: num("COSELL_JOB_POLL_MS", 500),
    chunkSize: num("COSELL_IMPORT_CHUNK_ROWS", 100),
    maxAttempts: num("COSELL_JOB_MAX_ATTEMPTS", 5),
    sweepMs: num("COSELL_SWEEP_MS", 60 * 60 * 1000),
    syncMs: num("COSELL_SYNC_MS", 5 * 60 * 1000),
    retentionMs: num("COSELL_FILE_RETENTION_HOURS", 7 * 24) * 60 * 60 * 1000,
    log,
    limits: limitsFromEnv(env),
  };
};

export class Worker {
  readonly owner = `worker-${randomUUID()}`;
  /** The limits this worker's imports and exports apply. */
  get limits(): Limits {
    return this.options.limits ?? DEFAULT_LIMITS;
  }
  private readonly abort = new AbortController();
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | null = null;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: Store,
    private readonly options: WorkerOptions,
  ) {}

  start(): void {
    const { options } = this;
    this.running = this.loop();
    this.timers.push(
      setInterval(() => void this.reap(), Math.max(250, options.leaseMs / 2)),
      setInterval(() => void this.sweep(), options.sweepMs),
    );
    void this.sweep();
    if (options.syncMs) {
      this.timers.push(setInterval(() => void this.scheduleSyncs(), options.syncMs));
    }
  }

  /** The sync schedule: queue a sync of every connection (one waiting per connection at most). */
  private async scheduleSyncs(): Promise<void> {
    try {
      const queued = await enqueueScheduledSyncs(this.store);
      if (queued > 0) this.wake();
    } catch (error) {
      this.options.log.error({ err: error }, "could not queue the scheduled syncs");
    }
  }

  /** A job was just submitted: look now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * Stops taking jobs. The job in hand may finish within `graceMs`; after that it stops
   * between two chunks and goes back to the queue for another worker to resume.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.wake();
    const grace = setTimeout(() => this.abort.abort(), graceMs);
    await this.running;
    clearTimeout(grace);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const worked = await this.tick();
      if (!worked && !this.stopped) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.options.pollMs);
          this.wakeUp = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wakeUp = null;
      }
    }
  }

  /** Claims and runs one job; false when the queue was empty. */
  async tick(): Promise<boolean> {
    const { store, options, owner } = this;
    let job: Awaited<ReturnType<typeof claimJob>>;
    try {
      job = await claimJob(store, owner, options.leaseMs);
    } catch (error) {
      options.log.error({ err: error }, "could not claim a job");
      return false;
    }
    if (!job) return false;
    const log = { jobId: job.id, kind: job.kind, attempt: job.attempts };
    options.log.info(log, "job started");
    // Renew the lease while a long step (reading, planning) runs between chunks.
    const beat = setInterval(
      () => void heartbeat(store.db, job.id, owner, options.leaseMs).catch(() => {}),
      Math.max(100, options.leaseMs / 3),
    );
    try {
      await runJob(store, job, {
        owner,
        leaseMs: options.leaseMs,
        chunkSize: options.chunkSize,
        signal: this.abort.signal,
        ...(options.limits ? { limits: options.limits } : {}),
      });
      options.log.info(log, "job succeeded");
    } catch (error) {
      await this.settleFailure(job.id, job.kind, error, log);
    } finally {
      clearInterval(beat);
    }
    return true;
  }

  private async settleFailure(
    jobId: string,
    kind: JobKind,
    error: unknown,
    log: object,
  ): Promise<void> {
    const { store, owner, options } = this;
    if (error instanceof HandedBack) {
      await store.db.transaction().execute(async (trx) => {
        if (await settleJob(trx, jobId, owner, "queued")) {
          await moveImportStatus(trx, jobId, "queued");
        }
      });
      options.log.info(log, "job handed back to the queue");
      return;
    }
    if (error instanceof LeaseLostError) {
      options.log.warn(log, "job lease lost; another worker has it");
      return;
    }
    const known = error instanceof FileRejectedError || error instanceof RequestError;
    const code = known ? error.code : "internal";
    const message = known ? error.message : "cosell hit an unexpected error; the job was stopped";
    if (!known) options.log.error({ ...log, err: error }, "job failed");
    await store.db
      .transaction()
      .execute(async (trx) => {
        const settled = await settleJob(trx, jobId, owner, "failed", {
          errorCode: code,
          errorMessage: message,
        });
        if (settled && kind === "import") {
          await moveImportStatus(trx, jobId, "failed", { code, message });
          await recordStoppedImport(trx, jobId, this.limits);
        }
      })
      .catch((e: unknown) => options.log.error({ ...log, err: e }, "could not record the failure"));
  }

  async reap(): Promise<void> {
    try {
      const { requeued, failed } = await reapStuckJobs(
        this.store.db,
        this.options.maxAttempts,
        (trx, job) =>
          job.kind === "import" ? recordStoppedImport(trx, job.id, this.limits) : Promise.resolve(),
      );
      if (requeued + failed > 0) this.options.log.warn({ requeued, failed }, "reaped stuck jobs");
      if (requeued > 0) this.wake();
    } catch (error) {
      this.options.log.error({ err: error }, "reaper failed");
    }
  }

  async sweep(): Promise<void> {
    try {
      const { expired } = await expireDeals(this.store);
      const removed = await removeOldFiles(this.store.db, this.options.retentionMs);
      if (expired + removed > 0) this.options.log.info({ expired, removed }, "sweep");
    } catch (error) {
      this.options.log.error({ err: error }, "sweep failed");
    }
  }
}
