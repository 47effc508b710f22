/**
 * The load generator of `npm run bench:api`, in its own process (forked by `runLoad`), so that
 * autocannon's own work — opening requests, parsing 80 kB responses — does not run on the
 * server's event loop, as it would not with a real client.
 * - "default": every request asks for the default page (`/api/deals?limit=50`), the issue's line;
 * - "varied": each request picks a filter, an order and one of the first 20 pages at random
 *   (2,640 combinations), so most pages are not in the server's cache — what browsing costs.
 *   The count of each filter is cached after its first page, as it is for a person paging.
 *   Deep pages are asked as the page does it: with the `after` cursor (keyset paging) the page
 *   before handed out as `next`, found before the load starts by following `next` from every
 *   first page; every sort of the list allows it.
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
  /** The varied line's deep pages (`walkCursors`). */
  cursors?: PageCursors;
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

/** Every filter × order of the varied line, as the query string after `limit`. */
const COMBINATIONS = FILTERS.flatMap((f) =>
  SORTS.flatMap((sort) => DIRS.map((dir) => `${f}&sort=${sort}&dir=${dir}`)),
);

/** The `next` of a page of `GET /api/deals`, if it has one. */
const nextOfPage = (body: unknown): string | null => {
  const next: unknown =
    typeof body === "object" && body !== null ? Reflect.get(body, "next") : null;
  return typeof next === "string" ? next : null;
};

/** For each combination of the varied line, the `after` of each of its pages (null: the first). */
export type PageCursors = Record<string, (string | null)[]>;

/**
 * For every combination, the `after` of each of its first PAGES pages, by following `next`
 * from the first page, a few combinations at a time. Run before the lines (untimed); the
 * cached pages it leaves are retired by the write before each line, the cursors stay good.
 */
export async function walkCursors(
  url: string,
  headers: Record<string, string>,
): Promise<PageCursors> {
  const cursors: PageCursors = {};
  const queue = [...COMBINATIONS];
  const walk = async () => {
    for (let combo = queue.shift(); combo !== undefined; combo = queue.shift()) {
      const pages: (string | null)[] = [null];
      while (pages.length < PAGES) {
        const after = pages.at(-1);
        const query = after ? `&after=${encodeURIComponent(after)}` : "";
        const response = await fetch(`${url}/api/deals?limit=50${combo}${query}`, { headers });
        if (!response.ok) throw new Error(`GET /api/deals${combo}: ${response.status}`);
        const next = nextOfPage(await response.json());
        if (!next) break;
        pages.push(next);
      }
      cursors[combo] = pages;
    }
  };
  await Promise.all(Array.from({ length: 8 }, walk));
  return cursors;
}

/** A path for the varied line: one of FILTERS × SORTS × DIRS × PAGES pages of 50. */
const variedPath = (cursors: PageCursors): string => {
  const combo = any(COMBINATIONS);
  const after = any(cursors[combo] ?? [null]);
  return `/api/deals?limit=50${combo}${after ? `&after=${encodeURIComponent(after)}` : ""}`;
};

const load = async (request: LoadRequest): Promise<LoadResult> => {
  const cursors = request.cursors ?? {};
  const cpu = process.cpuUsage();
  const seen = new Set<string>();
  let sent = 0;
  let repeated = 0;
  const next = (): string => {
    const path = variedPath(cursors);
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
    // The request goes over IPC: the varied line's cursors are too long for a command line.
    const child = fork(new URL(import.meta.url), ["--child"], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.send(request);
    child.once("message", (message) => resolve(message as LoadResult));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the load process exited with ${code}`));
    });
  });

if (process.argv.includes("--child")) {
  process.once("message", (message) => {
    void load(message as LoadRequest).then((result) =>
      process.send?.(result, () => process.exit(0)),
    );
  });
}
