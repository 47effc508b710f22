/**
 * The load generator of `npm run bench:api`, in its own process (forked by `runLoad`), so that
 * autocannon's own work — opening requests, parsing 80 kB responses — does not run on the
 * server's event loop, as it would not with a real client.
 * - "default": every request asks for the default page (`/api/deals?limit=50`), the line;
 * - "varied": each request picks a filter, an order and one of the first 20 pages at random
 *   (2,640 combinations), so most pages are not in the server's cache — what browsing costs.
 *   The count of each filter is cached after its first page, as it is for a person paging.
 */
import { fork } from "node:child_process";
import autocannon from "autocannon";

export type LoadMode = "default" | "varied";

export interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  mode: LoadMode;
}

export interface LoadResult {
  p50: number;
  p99: number;
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU time the load process itself used (user + system), ms. */
  clientCpuMs: number;
  /** Share of requests that asked for a page asked for before: the most the page cache can serve. */
  repeated: number;
}

/** The filters of the varied line (also walked one by one by list-probe.ts). */
export const FILTERS = [
  "",
  "&tab=inbound",
  "&tab=outbound",
  "&country=US",
  "&country=FR,DE",
  "&type=co-sell",
  "&country=US,FR&type=co-sell",
  "&tab=outbound&type=partner-led",
  "&customer=northwind",
  "&solution=SOL-1234-PQRS",
  "&search=tailspin",
];
export const SORTS = ["createdAt", "name", "customerName", "value", "closeDate", "status"];
export const DIRS = ["asc", "desc"];
const PAGES = 20;

const any = <T>(list: readonly T[]): T => {
  const item = list[Math.floor(Math.random() * list.length)];
  if (item === undefined) throw new Error("any() of an empty list");
  return item;
};

/** A path for the varied line: one of FILTERS × SORTS × DIRS × PAGES pages of 50. */
const variedPath = (): string =>
  `/api/deals?limit=50&offset=${50 * Math.floor(Math.random() * PAGES)}${any(FILTERS)}&sort=${any(SORTS)}&dir=${any(DIRS)}`;

const load = async (request: LoadRequest): Promise<LoadResult> => {
  const cpu = process.cpuUsage();
  const seen = new Set<string>();
  let sent = 0;
  let repeated = 0;
  const next = (): string => {
    const path = variedPath();
    sent++;
    if (seen.has(path)) repeated++;
    else seen.add(path);
    return path;
  };
  const result = await autocannon({
    url: `${request.url}/api/deals?limit=50`,
    connections: request.connections,
    duration: request.seconds,
    headers: request.headers,
    ...(request.mode === "varied"
      ? { requests: [{ setupRequest: (req) => ({ ...req, path: next() }) }] }
      : {}),
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    clientCpuMs: (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu)),
    repeated: request.mode === "varied" ? repeated / Math.max(sent, 1) : 1,
  };
};

/** Runs one load in a child process and returns what autocannon measured. */
export const runLoad = (request: LoadRequest): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url), ["--child", JSON.stringify(request)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.once("message", (message) => resolve(message as LoadResult));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the load process exited with ${code}`));
    });
  });

const child = process.argv.indexOf("--child");
if (child !== -1) {
  const request = JSON.parse(process.argv[child + 1] ?? "{}") as LoadRequest;
  const result = await load(request);
  process.send?.(result, () => process.exit(0));
}
