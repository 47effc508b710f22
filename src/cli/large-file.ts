/**
 * The file `cosell import` reads: whole when it is small (as it always was), or, from the size
 * a streamed import starts at, from disk a slice at a time, so a 300,000-row file never sits in
 * memory whole (decision 0023). Its hash is taken in one pass first, for the import record.
 */
import { createHash } from "node:crypto";
import { createReadStream, openSync, readSync, closeSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import type { FileOnDisk } from "../server/commands/import-prepare.js";
import { STREAM_FROM_BYTES } from "../server/commands/import-stream.js";

export interface OpenedFile {
  bytes: Uint8Array;
  file?: FileOnDisk;
  /** Closes what reading the file opened. */
  close(): void;
}

export async function openImportFile(path: string): Promise<OpenedFile> {
  const { size } = await stat(path);
  if (size < STREAM_FROM_BYTES) return { bytes: await readFile(path), close: () => {} };
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  const fd = openSync(path, "r");
  return {
    bytes: new Uint8Array(0),
    file: {
      sha256: hash.digest("hex"),
      source: {
        size,
        read(start, length) {
          const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - start)));
          const read = readSync(fd, buffer, 0, buffer.length, start);
          return buffer.subarray(0, read);
        },
      },
      readAll: () => readFile(path),
    },
    close: () => closeSync(fd),
  };
}
