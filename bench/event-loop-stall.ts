/**
 * How long reading a hostile upload holds the event loop (issue 10): a 4.9 MB body with no line
 * break, the same as one cell, and a 200,000-column header, each through `readImportFile`, which
 * runs synchronously: its duration is the stall a server suffers. Run after `npm run build`:
 * `node --max-semi-space-size=32 --v8-pool-size=1 dist/bench/event-loop-stall.js`.
 */
import { readImportFile } from "../src/core/import/read-import-file.js";
import { DEFAULT_LIMITS } from "../src/core/limits.js";

const encoder = new TextEncoder();
const CASES: Record<string, Uint8Array> = {
  "4.9 MB single line (a,a,a,…)": encoder.encode("a,".repeat(2_450_000)),
  "4.9 MB single cell": encoder.encode("x".repeat(4_900_000)),
  "200,000-column header": encoder.encode(
    `${Array.from({ length: 200_000 }, (_, i) => `Column ${i}`).join(",")}\r\nx\r\n`,
  ),
};

for (const [name, bytes] of Object.entries(CASES)) {
  const times: number[] = [];
  let outcome = "accepted";
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    try {
      readImportFile(bytes, DEFAULT_LIMITS);
    } catch (error) {
      outcome = error instanceof Error && "code" in error ? String(error.code) : String(error);
    }
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `${name}: ${outcome}; median ${sorted[2]?.toFixed(0)} ms, worst ${sorted[4]?.toFixed(0)} ms`,
  );
}
