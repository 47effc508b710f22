import { readFileSync } from "node:fs";

/**
 * The sample files copied from ../shared/fixtures into fixtures/: inputs from outside, never
 * regenerated. Loaded here so that tests under src/core, where node:* imports are banned, can use them.
 */
const SHARED_FIXTURES = new URL("../../fixtures/", import.meta.url);

export function readSharedFixture(name: string): Uint8Array {
  // A plain Uint8Array, as a browser upload gives, not a Node Buffer.
  return new Uint8Array(readFileSync(new URL(name, SHARED_FIXTURES)));
}
