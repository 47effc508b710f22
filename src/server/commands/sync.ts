/**
 * `sync` of an organisation: one sync of each of its connections (the CLI, the `sync` job and
 * the schedule all call this). A connection Partner Center cannot be reached on is reported
 * with `reachable: false`; the others still run.
 */

import { VendorError, VendorUnreachableError } from "../connectors/partner-center/client.js";
import {
  type ConnectionSyncResult,
  type SyncOptions,
  syncConnection,
} from "../connectors/partner-center/sync.js";
import type { Store } from "../db/store.js";
import { connectionIdsOf } from "./connections.js";

export interface OrgSyncResult {
  connections: (ConnectionSyncResult & { reachable: boolean })[];
}

/** Connection-level failures: the vendor down, or its token endpoint refusing the credentials. */
export function isUnreachable(error: unknown): error is Error {
  return (
    error instanceof VendorUnreachableError ||
    (error instanceof VendorError &&
      (error.code === "token_error" ||
        error.status === 401 ||
        error.status === 403 ||
        error.code.startsWith("invalid_")))
  );
}

export async function syncOne(
  store: Store,
  connectionId: string,
  options: SyncOptions = {},
): Promise<ConnectionSyncResult & { reachable: boolean }> {
  try {
    return { ...(await syncConnection(store, connectionId, options)), reachable: true };
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
          code: "vendor_unreachable",
          message: error.message,
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
  options: SyncOptions = {},
): Promise<OrgSyncResult> {
  const connections: OrgSyncResult["connections"] = [];
  for (const id of await connectionIdsOf(store, orgId))
    connections.push(await syncOne(store, id, options));
  return { connections };
}
