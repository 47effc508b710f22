import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Compiles once before the run: the CLI tests spawn the built bin/cosell.
    globalSetup: ["src/test-support/cli.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
