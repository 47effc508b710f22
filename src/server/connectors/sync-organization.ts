/**
 * `sync` of an organisation: one sync of each of its connections (the CLI, the `sync` job and
 * the schedule all call this). A connection Partner Center cannot be reached on is reported
 * with `reachable: false`; the others still run. A connection is synced by one caller at a
 * time (a lease on its row): two at once would spend the same rotating refresh token and race
 * to create the same deals, so a second caller waits for the first to finish. Beside the
 * connectors, above the commands they call: the layers only point down.
 */
import { randomUUID } from "node:crypto";
import { RequestError } from "../../core/errors.js";
import { connectionIdsOf } from "../commands/connections.js";
import type { Store } from "../db/store.js";
import { releaseSyncLease, takeSyncLease } from "../db/sync-lease.js";
import { VendorAnswerError, VendorError, VendorUnreachableError } from "./partner-center/client.js";
import {
  type ConnectionSyncResult,
  type SyncOptions,
  syncConnection,
} from "./partner-center/sync.js";

export interface SyncLeaseOptions {
  /** How long the connection stays ours without a renewal (renewed every third of it). */
  leaseMs?: number;
  /** How long to wait for another sync of the connection to end before giving up. */
  waitMs?: number;
  /** Stops the wait (a worker shutting down). */
  signal?: AbortSignal;
}

/** Another sync of the connection kept it for longer than the caller would wait. */
export class SyncBusyError extends RequestError {
  constructor(connectionId: string) {
    super(
      "conflict",
      `Another sync of connection ${connectionId} is running; it was not started. Try again when that one ends.`,
    );
    this.name = "SyncBusyError";
  }
}

const LEASE_POLL_MS = 200;

async function withSyncLease<T>(
  store: Store,
  connectionId: string,
  holder: string,
  options: SyncLeaseOptions,
  run: () => Promise<T>,
): Promise<T> {
  const leaseMs = options.leaseMs ?? 60_000;
  const giveUpAt = Date.now() + (options.waitMs ?? 120_000);
  while (!(await takeSyncLease(store.db, connectionId, holder, leaseMs))) {
    if (options.signal?.aborted || Date.now() >= giveUpAt) throw new SyncBusyError(connectionId);
    await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
  }
  const renew = setInterval(
    () => void takeSyncLease(store.db, connectionId, holder, leaseMs).catch(() => {}),
    Math.max(100, leaseMs / 3),
  );
  try {
    return await run();
  } finally {
    clearInterval(renew);
    await releaseSyncLease(store.db, connectionId, holder).catch(() => {});
  }
}

export interface OrgSyncResult {
  connections: (ConnectionSyncResult & { reachable: boolean })[];
}

/**
 * Connection-level failures: the vendor down or answering in a way no sync goes on from, its
 * token endpoint refusing the credentials, or any refusal that stopped the whole sync (a
 * refusal about one deal is caught inside the sync and reported on that deal).
 */
export function isUnreachable(error: unknown): error is Error {
  return error instanceof VendorUnreachableError || error instanceof VendorError;
}

export async function syncOne(
  store: Store,
  connectionId: string,
  options: SyncOptions & SyncLeaseOptions = {},
): Promise<ConnectionSyncResult & { reachable: boolean }> {
  const holder = options.jobId ?? `run-${randomUUID()}`;
  try {
    const result = await withSyncLease(store, connectionId, holder, options, () =>
      syncConnection(store, connectionId, options),
    );
    return { ...result, reachable: true };
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    return {
      vendor: "partner-center",
      connectionId,
      pulled: { created: 0, updated: 0, unchanged: 0 },
      pushed: { created: 0, updated: 0, unchanged: 0 },
      conflicts: [],
      errors: [
        {
          deal: null,
          referral: null,
          field: null,
          // A redirect, an answer not JSON, a foreign link…: said by its own code.
          code: error instanceof VendorAnswerError ? error.code : "vendor_unreachable",
          message:
            error instanceof VendorError
              ? `Partner Center refused the sync (HTTP ${error.status}, ${error.code}): ${error.message}`
              : error.message,
        },
      ],
      requests: 0,
      reachable: false,
    };
  }
}

export async function syncOrganization(
  store: Store,
  orgId: string,
  options: SyncOptions & SyncLeaseOptions = {},
): Promise<OrgSyncResult> {
  const connections: OrgSyncResult["connections"] = [];
  for (const id of await connectionIdsOf(store, orgId))
    connections.push(await syncOne(store, id, options));
  return { connections };
}
