/** A real job worker on a test server's store, polling often, stopped after each test. */
import { afterEach, beforeEach } from "vitest";
import { Worker, type WorkerOptions } from "../server/jobs/worker.js";
import type { TestServer } from "./http.js";

const silent = { info() {}, warn() {}, error() {} };

export const useWorker = (server: () => TestServer, options: Partial<WorkerOptions> = {}) => {
  let worker: Worker | undefined;
  beforeEach(() => {
    worker = new Worker(server().store, {
      leaseMs: 2000,
      pollMs: 50,
      chunkSize: 100,
      maxAttempts: 3,
      sweepMs: 3_600_000,
      retentionMs: 7 * 86_400_000,
      log: silent,
      ...options,
    });
    worker.start();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
};
