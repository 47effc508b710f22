/** What the import and export jobs' views share: a failure as shown, a file to download. */
import type { JobFailureJson } from "../../core/api/job-schemas.js";

export interface DownloadFile {
  name: string;
  contentType: string;
  /** Whole, or piece by piece (a streamed import's results file, never held whole). */
  data: Uint8Array | string | AsyncIterable<string>;
}

/** A stored error code and message as the API shows them, or null when there is none. */
export function failure(code: string | null, message: string | null): JobFailureJson {
  return code || message ? { code: code ?? "internal", message: message ?? "" } : null;
}
