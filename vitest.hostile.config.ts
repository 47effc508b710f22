/**
 * `npm run test:hostile`: the hostile-input suite. Real servers and stores, the files named
 * `*.hostile.ts` (long property runs, floods of malformed requests) and the ordinary test files
 * that already hold hostile cases (EXISTING). It prints its figures at the end
 * (src/test-support/hostile.ts). Kept apart so `npm test` stays fast.
 */
import { defineConfig } from "vitest/config";

/** Ordinary test files whose cases are hostile input: caps, encodings, injection, scope, auth. */
const EXISTING = [
  // headers, sign-in limits, passwords, idempotency, cross-tenant hints, file names
  "src/server/http/security-headers.test.ts",
  "src/server/http/sign-in-limits.test.ts",
  "src/server/http/routes/accounts.test.ts",
  "src/server/http/routes/accounts-password.test.ts",
  "src/core/password-policy.test.ts",
  "src/core/file-name.test.ts",
  "src/server/commands/jobs.test.ts",
  // row caps, sizes, idempotency, scope of jobs
  "src/server/http/routes/jobs.test.ts",
  // encodings, delimiters, formula injection, Excel damage
  "src/core/csv/encoding.test.ts",
  "src/core/csv/read.test.ts",
  "src/core/csv/formula.test.ts",
  "src/core/csv/fixtures.test.ts",
  "src/core/codecs/spreadsheet-damage.test.ts",
  // scope / IDOR and mass assignment through the API, vendor side
  "src/server/http/routes/deals.test.ts",
  "src/server/http/routes/vendor.test.ts",
  // crash and resume
  "src/server/jobs/crash.test.ts",
  // stalling uploads, the audit trail's scope and append-only routes, Excel damage through an import
  "src/server/http/routes/stall.test.ts",
  "src/server/http/routes/audit.test.ts",
  "src/core/row/parse-row.test.ts",
];

export default defineConfig({
  test: {
    include: ["src/**/*.hostile.ts", ...EXISTING],
    globalSetup: ["src/test-support/cli.ts", "src/test-support/hostile.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
