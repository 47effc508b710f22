import { defineConfig } from "vitest/config";

/**
 * Tests that measure how long a running server takes to answer while it works (the event loop
 * is not blocked): they run after every other file, one at a time, so that the rest of the
 * suite's CPU does not count as the server's own stall.
 */
const TIMED = ["src/server/http/routes/stall.test.ts"];

const common = {
  // Compiles once before the run: the CLI tests spawn the built bin/cosell.
  globalSetup: ["src/test-support/cli.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: "suite",
          include: ["src/**/*.test.ts"],
          exclude: TIMED,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...common,
          name: "timed",
          include: TIMED,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
