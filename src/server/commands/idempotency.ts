/**
 * What makes two submissions with one Idempotency-Key "the same request": the same user (keys
 * are per user: the unique index is (user, key)), the same kind, and the same body — the
 * file's SHA-256 and every option. A retry gets the first job back; a different body under a
 * used key is refused (409), never answered with the old job, which did something else.
 *
 * The fingerprint is stored in the job's params (`requestHash`). Jobs queued before it was
 * kept carry none: they are taken to match, as they were.
 */
import { createHash } from "node:crypto";
import { RequestError } from "../../core/errors.js";
import type { JobKind } from "../../core/jobs.js";
import { parseJsonObject } from "../../core/json.js";

/** The key under which a job's params keep the fingerprint of the request that made it. */
export const REQUEST_HASH = "requestHash";

/** SHA-256 (hex) of the kind, the options as JSON, and the file's bytes when there is one. */
export function requestFingerprint(
  kind: JobKind,
  options: Readonly<Record<string, unknown>>,
  fileHash?: string,
): string {
  const hash = createHash("sha256").update(kind).update("\n").update(JSON.stringify(options));
  if (fileHash !== undefined) hash.update("\n").update(fileHash);
  return hash.digest("hex");
}

/** Throws `conflict` when the earlier job under this key was made by a different request. */
export function assertSameRequest(
  earlier: { kind: JobKind; params: string },
  kind: JobKind,
  fingerprint: string,
): void {
  if (earlier.kind !== kind) {
    throw new RequestError(
      "conflict",
      `This Idempotency-Key was already used for an ${earlier.kind}; send a new key with each new submission`,
    );
  }
  const stored = parseJsonObject(earlier.params)[REQUEST_HASH];
  if (typeof stored === "string" && stored !== fingerprint) {
    throw new RequestError(
      "conflict",
      kind === "import"
        ? "This Idempotency-Key was already used for a different upload (another file, or other options); send a new key with each new file"
        : "This Idempotency-Key was already used for a different export (other filters or language); send a new key with each new export",
    );
  }
}
