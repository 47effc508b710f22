/**
 * Long-running `cosell` processes for tests (`serve`, `worker`): spawned from the compiled
 * bin/cosell like a deployment would, read line by line, signalled, and always ended after
 * the test. For commands that run and exit, use `runCli` (cli.ts).
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { afterEach } from "vitest";
import { COSELL_BIN } from "./cli.js";

/** Variables that would change what a child does: never inherited from whoever runs the tests. */
const INHERITED_OUT = [
  "DATABASE_URL",
  "COSELL_DATA_DIR",
  "COSELL_TEST_DATABASE_URL",
  "COSELL_SERVER",
  "COSELL_TOKEN",
  "COSELL_DEMO",
  "COSELL_WORKERS",
  "COSELL_ADMIN_EMAIL",
  "COSELL_ADMIN_PASSWORD",
  "PORT",
  "HOST",
  "LOG_LEVEL",
];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CosellProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match in standard output, waiting for it if need be. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has ended. */
  exited: Promise<Exit>;
}

export const spawnCosell = (
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd?: string,
): CosellProcess => {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_OUT) delete childEnv[name];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(process.execPath, [COSELL_BIN, ...args], { cwd, env: childEnv });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const l of listeners) l();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<Exit>((resolve) =>
    child.on("exit", (code, signal) => {
      for (const l of listeners) l();
      resolve({ code, signal });
    }),
  );
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern);
        if (match) {
          done();
          resolve(match);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(new Error(`cosell ${args.join(" ")} ended before printing ${pattern}\n${said()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`cosell ${args.join(" ")} did not print ${pattern} in time\n${said()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  const said = () => `stdout: ${stdout}\nstderr: ${stderr.slice(-4000)}`;
  return { child, stdout: () => stdout, stderr: () => stderr, waitFor, exited };
};

/** Registers the processes a test spawns; any still running after it is killed. */
export const setupCosellProcesses = (): typeof spawnCosell => {
  const running: CosellProcess[] = [];
  afterEach(async () => {
    const left = running.splice(0);
    for (const p of left) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    }
    await Promise.all(left.map((p) => p.exited));
  });
  return (args, env, cwd) => {
    const p = spawnCosell(args, env, cwd);
    running.push(p);
    return p;
  };
};
