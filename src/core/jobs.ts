/**
 * Background jobs (imports and exports) as data: a job is a row with a lifecycle, and
 * every status change — claim, finish, fail, cancel, hand back, reap — goes through
 * `planJobTransition`, like deals go through the deal lifecycle.
 */
/**
 * `sync`: one sync of a vendor connection (Partner Center), on a schedule or on demand;
 * `undo`: the undo of an applied import (or its dry run).
 */
export const JOB_KINDS = ["import", "export", "sync", "undo"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Where each status may move. `running → queued` is a hand-back (shutdown) or a reaped lease. */
export const JOB_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  queued: ["running", "canceled"],
  running: ["succeeded", "failed", "canceled", "queued"],
  succeeded: [],
  failed: [],
  canceled: [],
};

/**
 * The final statuses short of success: an import that ends in one may have stopped between two
 * of its chunks, so its record says which rows were applied and its results file lets the rest
 * be sent again.
 */
export const ENDED_EARLY = ["failed", "canceled"] as const satisfies readonly JobStatus[];

export const endedEarly = (status: JobStatus): boolean => ENDED_EARLY.some((s) => s === status);

export const isJobFinished = (status: JobStatus): boolean => JOB_TRANSITIONS[status].length === 0;

export const canMoveJob = (from: JobStatus, to: JobStatus): boolean =>
  JOB_TRANSITIONS[from].includes(to);

/** The statuses a job may be in for the move to `to`: the guard of every status UPDATE. */
export const jobSourcesOf = (to: JobStatus): JobStatus[] =>
  JOB_STATUSES.filter((from) => canMoveJob(from, to));

/** A job's error message is bounded: it is shown to people and stored in a row. */
export const JOB_ERROR_MAX = 500;

export const boundJobError = (message: string): string =>
  message.length > JOB_ERROR_MAX ? `${message.slice(0, JOB_ERROR_MAX - 1)}…` : message;
