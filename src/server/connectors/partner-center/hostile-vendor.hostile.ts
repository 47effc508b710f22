/**
 * A hostile vendor endpoint: the Partner Center connector against a small HTTP server on
 * loopback that answers badly on purpose — not JSON, HTML, huge bodies and a gzip bomb, wrong
 * content types, answers that hang or trickle, redirects to another host, next-page links to
 * another host or in circles, absurd Retry-After values, secrets echoed in error bodies, a
 * token that cannot be sent, and random answers by the hundred. Whatever it does, the
 * connector ends with a VendorError or VendorUnreachableError (never another exception) within
 * a bound, sends nothing to the other host, and no message, stored result or log line carries
 * a secret. The last cases run the sync as a job through a real worker on the real store.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setupTestStore } from "../../../test-support/db.js";
import { makeWorld } from "../../../test-support/deals.js";
import { HostileTally } from "../../../test-support/hostile.js";
import "../../../test-support/partner-center.js";
import { syncOne } from "../sync-organization.js";
import { submitSync } from "../../commands/sync-jobs.js";
import { connectPartnerCenter } from "../../commands/connections.js";
import { Worker } from "../../jobs/worker.js";
import {
  type ClientOptions,
  PartnerCenterClient,
  VendorError,
  VendorUnreachableError,
} from "./client.js";

const CLIENT_SECRET = "cs-hostile-Secret-0123456789";
const REFRESH = "rt-hostile-refresh-0123456789abcdef";
const ROTATED = "rt-hostile-rotated-fedcba9876543210";
const ACCESS = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJob3N0aWxlIn0.c2lnbmF0dXJlLWhvc3RpbGU";
const SECRETS = [CLIENT_SECRET, REFRESH, ROTATED, ACCESS];

const tally = new HostileTally("Partner Center connector against a hostile endpoint");
let unhandled = 0;
const onUnhandled = (error: unknown) => {
  unhandled++;
  tally.crash(error, "unhandled rejection");
};
/** 16 MiB of spaces, gzipped to ~16 KB: made before the watch, as it is the test's own work. */
let bomb: Buffer;
beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
  bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20));
  tally.watchFromNow();
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
  const figures = tally.report();
  expect(unhandled).toBe(0);
  expect(figures.crashes, tally.examples.join("\n")).toBe(0);
});

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

interface Endpoint {
  url: string;
  seen: Seen[];
  /** What the API paths answer (the token endpoint keeps its own unless `token` is set). */
  api: Handler;
  token: Handler;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

const goodToken: Handler = (_req, res) =>
  json(res, 200, { access_token: ACCESS, expires_in: 3600, refresh_token: ROTATED });
const emptyList: Handler = (_req, res) => json(res, 200, { value: [] });

/** An HTTP server on 127.0.0.1 that records every request and answers as the test says. */
async function startEndpoint(): Promise<Endpoint> {
  const sockets = new Set<Socket>();
  const endpoint: Endpoint = {
    url: "",
    seen: [],
    api: emptyList,
    token: goodToken,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    // The connector hangs up on purpose (too large, too slow): a write after that is no error here.
    res.on("error", () => {});
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const path = req.url ?? "/";
      endpoint.seen.push({ method: req.method ?? "", path, headers: req.headers, body });
      try {
        (path.startsWith("/token") ? endpoint.token : endpoint.api)(req, res, body);
      } catch {
        // A header value Node refuses to write: the case becomes a broken connection.
        res.destroy();
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  endpoint.url = `http://127.0.0.1:${port}`;
  endpoint.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return endpoint;
}

let hostile: Endpoint;
/** Another host (another port) that must never hear from the connector. */
let witness: Endpoint;
beforeEach(async () => {
  hostile = await startEndpoint();
  witness = await startEndpoint();
});
afterEach(async () => {
  const heard = witness.seen;
  await hostile.close();
  await witness.close();
  expect(heard, "the other host heard from the connector").toEqual([]);
});

const TIMEOUT_MS = 400;
const MAX_BODY = 1024 * 1024;

const clientFor = (overrides: Partial<ClientOptions> = {}) => {
  const waits: number[] = [];
  const client = new PartnerCenterClient({
    apiUrl: `${hostile.url}/v1.0/engagements`,
    tokenUrl: `${hostile.url}/token`,
    clientId: "hostile-client",
    clientSecret: CLIENT_SECRET,
    refreshToken: REFRESH,
    maxAttempts: 3,
    timeoutMs: TIMEOUT_MS,
    maxBodyBytes: MAX_BODY,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  return { client, waits };
};

/** Every referral of the list, page after page. */
const listAll = async (client: PartnerCenterClient): Promise<number> => {
  let n = 0;
  for await (const page of client.changedSince(null)) n += page.referrals.length;
  return n;
};

const expectClean = (text: string, what: string) => {
  for (const secret of SECRETS) expect(text, `${what} carries a secret`).not.toContain(secret);
  expect(text.length, `${what} is not bounded`).toBeLessThan(800);
};

interface Outcome<T> {
  value?: T;
  error?: Error;
  ms: number;
}

/**
 * Runs one hostile case: it must end (within `boundMs`) with a value or a vendor error whose
 * message is clean. Anything else is a crash.
 */
async function attempt<T>(what: string, run: () => Promise<T>, boundMs = 10_000) {
  tally.case();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${boundMs} ms`)), boundMs);
  });
  const outcome: Outcome<T> = { ms: 0 };
  try {
    outcome.value = await Promise.race([run(), watchdog]);
  } catch (error) {
    if (error instanceof VendorError || error instanceof VendorUnreachableError) {
      outcome.error = error;
      expectClean(
        `${error.message} ${error instanceof VendorError ? `${error.code} ${error.target}` : ""}`,
        what,
      );
    } else {
      tally.crash(error, what);
      outcome.error = error instanceof Error ? error : new Error(String(error));
    }
  } finally {
    clearTimeout(timer);
  }
  outcome.ms = performance.now() - started;
  return outcome;
}

const codeOf = (o: Outcome<unknown>): string | undefined =>
  o.error && "code" in o.error && typeof o.error.code === "string" ? o.error.code : undefined;

describe("answers that are not what they say", () => {
  it("refuses a 200 that is not JSON (broken JSON, an HTML sign-in page) by what it was, without quoting it", async () => {
    for (const [type, body] of [
      ["application/json", '{"value": [ {"id": "1", '],
      ["text/html; charset=utf-8", "<html><body>Sign in to continue</body></html>"],
      ["application/json", `not json, but ${CLIENT_SECRET}`],
    ] as const) {
      hostile.api = (_req, res) => {
        res.writeHead(200, { "content-type": type });
        res.end(body);
      };
      const o = await attempt(`list answered ${type}`, () => listAll(clientFor().client));
      expect(codeOf(o)).toBe("answer_not_json");
      expect(o.error?.message).toContain(type.split(";")[0] ?? "");
      expect(o.error?.message).not.toContain("Sign in");
    }
  });

  it("reads JSON sent under another content type (the answer is parsed, never trusted)", async () => {
    hostile.api = (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(JSON.stringify({ value: [] }));
    };
    const o = await attempt("JSON as text/plain", () => listAll(clientFor().client));
    expect(o.error).toBeUndefined();
    expect(o.value).toBe(0);
  });

  it("refuses a token endpoint that answers HTML, or a list without 'value', as answers no sync goes on from", async () => {
    hostile.token = (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>maintenance</html>");
    };
    const token = await attempt("token as HTML", () => listAll(clientFor().client));
    expect(codeOf(token)).toBe("answer_not_json");
    expect(token.error).toBeInstanceOf(VendorUnreachableError);

    hostile.token = goodToken;
    hostile.api = (_req, res) => json(res, 200, { items: [] });
    const page = await attempt("list without value", () => listAll(clientFor().client));
    expect(codeOf(page)).toBe("bad_page");
  });
});

describe("huge answers", () => {
  it("stops reading past the size limit: streamed, declared, gzip-bombed, or an error body", async () => {
    const filler = `{"value":[${'"x",'.repeat(10)}"${"y".repeat(64 * 1024)}`;
    hostile.api = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // 5 MiB streamed without a length, against a 1 MiB limit.
      for (let i = 0; i < 80; i++) res.write(filler);
      res.end("]}");
    };
    const streamed = await attempt("5 MiB streamed", () => listAll(clientFor().client));
    expect(codeOf(streamed)).toBe("answer_too_large");

    hostile.api = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "10737418240" });
      res.write('{"value":[');
    };
    const declared = await attempt("10 GiB declared", () => listAll(clientFor().client));
    expect(codeOf(declared)).toBe("answer_too_large");
    expect(declared.ms).toBeLessThan(TIMEOUT_MS * 3);

    hostile.api = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(bomb);
    };
    const bombed = await attempt(`gzip bomb (${bomb.length} bytes → 16 MiB)`, () =>
      listAll(clientFor().client),
    );
    expect(codeOf(bombed)).toBe("answer_too_large");

    hostile.api = (_req, res) =>
      json(res, 400, { error: { code: "badRequest", message: "z".repeat(200_000) } });
    const longError = await attempt("a 200,000-character error message", () =>
      listAll(clientFor().client),
    );
    expect(codeOf(longError)).toBe("badRequest");
    expect(longError.error?.message.length).toBeLessThanOrEqual(301);
  });
});

describe("slow and hanging answers", () => {
  const hangs: [string, Handler][] = [
    ["never answers", () => {}],
    [
      "sends headers, then nothing",
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"value":[');
      },
    ],
    [
      "trickles a byte every 50 ms",
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        const timer = setInterval(() => res.write(" "), 50);
        res.on("close", () => clearInterval(timer));
      },
    ],
    ["closes the connection mid-answer", (_req, res) => res.socket?.destroy()],
  ];

  for (const [what, handler] of hangs) {
    it(`gives up on an endpoint that ${what}, within its deadline times its attempts`, async () => {
      hostile.api = handler;
      const o = await attempt(`list that ${what}`, () => listAll(clientFor().client));
      expect(o.error).toBeInstanceOf(VendorUnreachableError);
      expect(o.error?.message).toMatch(/after 3 attempts/);
      expect(o.ms).toBeLessThan(3 * TIMEOUT_MS + 2000);
    });
  }

  it("gives up on a token endpoint that hangs, and a create's uncertain outcome is said as such", async () => {
    hostile.token = () => {};
    const token = await attempt("token that hangs", () => listAll(clientFor().client));
    expect(token.error).toBeInstanceOf(VendorUnreachableError);
    expect(token.error?.message).toMatch(/no complete answer within 1 s/);

    hostile.token = goodToken;
    hostile.api = () => {};
    const { client } = clientFor();
    const create = await attempt("a create that hangs", () => client.create({ name: "x" }));
    expect(codeOf(create)).toBe("create_uncertain");
    // A POST is sent once: another try could create the referral twice.
    expect(
      hostile.seen.filter((r) => r.method === "POST" && !r.path.startsWith("/token")),
    ).toHaveLength(1);
  });
});

describe("redirects and links to another host", () => {
  it("follows no redirect, on any call: the token never leaves for the other host", async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const to = `${witness.url}/steal?status=${status}`;
      hostile.token = (_req, res) => {
        res.writeHead(status, { location: to });
        res.end();
      };
      const token = await attempt(`token ${status}`, () => listAll(clientFor().client));
      expect(codeOf(token)).toBe("redirected");
      expect(token.error?.message).toContain(`127.0.0.1:${new URL(witness.url).port}`);

      hostile.token = goodToken;
      hostile.api = (_req, res) => {
        res.writeHead(status, { location: to });
        res.end();
      };
      const { client } = clientFor();
      const calls: [string, () => Promise<unknown>][] = [
        ["list", () => listAll(client)],
        ["get", () => client.get("r-1")],
        ["create", () => client.create({ name: "x" })],
        ["patch", () => client.patch("r-1", [{ op: "replace", path: "/name", value: "y" }], "e1")],
      ];
      for (const [call, run] of calls) {
        const o = await attempt(`${call} ${status}`, run);
        expect(codeOf(o), `${call} ${status}`).toBe("redirected");
      }
    }
  });

  it("refuses a next-page link to another host, one that leads back, and paging without end", async () => {
    hostile.api = (_req, res) =>
      json(res, 200, {
        value: [],
        "@odata.nextLink": `${witness.url}/v1.0/engagements/referrals?p=2`,
      });
    const foreign = await attempt("nextLink to another host", () => listAll(clientFor().client));
    expect(codeOf(foreign)).toBe("foreign_next_link");

    hostile.api = (req, res) =>
      json(res, 200, { value: [], "@odata.nextLink": `${hostile.url}${req.url ?? ""}` });
    const loop = await attempt("nextLink to itself", () => listAll(clientFor().client));
    expect(codeOf(loop)).toBe("paging_loop");

    let n = 0;
    hostile.api = (_req, res) => {
      n++;
      json(res, 200, { value: [], "@odata.nextLink": `?$skiptoken=${n}` });
    };
    const endless = await attempt("endless distinct pages", () =>
      listAll(clientFor({ maxPages: 50 }).client),
    );
    expect(codeOf(endless)).toBe("too_many_pages");
    expect(n).toBe(50);
  });
});

describe("absurd Retry-After", () => {
  it("never sleeps past its bound (nor retries at once when the value overflows a timer), and says why it stopped", async () => {
    const max = 120_000;
    for (const status of [429, 503]) {
      for (const value of [
        "1e9",
        "99999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "121",
        "Infinity",
        "1e309",
        "-5",
        "soon",
        "",
        "3",
      ]) {
        hostile.api = (_req, res) => json(res, status, {}, { "retry-after": value });
        const { client, waits } = clientFor();
        const o = await attempt(`${status} Retry-After: ${value}`, () => listAll(client));
        expect(o.error).toBeInstanceOf(VendorUnreachableError);
        for (const w of waits) {
          expect(Number.isFinite(w) && w >= 0 && w <= max, `${value}: waited ${w}`).toBe(true);
        }
        if (["1e9", "99999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "121"].includes(value)) {
          expect(o.error?.message, value).toMatch(/longer than the 120 s a sync waits/);
          expect(waits).toEqual([]);
        }
        if (value === "3") expect(waits.every((w) => w >= 3000)).toBe(true);
      }
    }
  });
});

describe("secrets in what the endpoint sends back", () => {
  it("never repeats a secret or a token from an error body, in the code, message or target", async () => {
    const echo = `refused: client_secret=${CLIENT_SECRET} refresh_token=${REFRESH} bearer ${ACCESS} eyJabc123xyz.eyJdef456uvw.sig789`;
    for (const status of [400, 403, 404, 409, 422]) {
      hostile.api = (_req, res) =>
        json(res, status, { error: { code: CLIENT_SECRET, message: echo, target: ACCESS } });
      const o = await attempt(`API ${status} echoing secrets`, () => listAll(clientFor().client));
      expect(codeOf(o)).toBe(`http_${status}`);
      expect(o.error?.message).toContain("refused: client_secret=[redacted]");
      expect(o.error?.message).not.toContain("eyJabc123xyz");
    }
    hostile.token = (_req, res, body) =>
      json(res, 400, { error: CLIENT_SECRET, error_description: body });
    const token = await attempt("token 400 echoing the form", () => listAll(clientFor().client));
    expect(codeOf(token)).toBe("token_error");
  });

  it("refuses an access token it could not send, without quoting it, and sends it nowhere", async () => {
    for (const accessToken of [
      `${ACCESS}\r\nX-Injected: 1`,
      `${ACCESS} ${ACCESS}`,
      "é".repeat(40),
      "a".repeat(100_000),
    ]) {
      hostile.token = (_req, res) =>
        json(res, 200, { access_token: accessToken, expires_in: 3600 });
      const o = await attempt("unsendable access token", () => listAll(clientFor().client));
      expect(codeOf(o)).toBe("token_error");
      expect(o.error?.message).not.toContain(accessToken.slice(0, 20));
    }
    expect(hostile.seen.filter((r) => !r.path.startsWith("/token"))).toEqual([]);
  });

  it("reads an absurd token lifetime as an hour at most a day, and goes on", async () => {
    for (const expires of [-1, "NaN", 1e308, "soon", 0]) {
      hostile.token = (_req, res) =>
        json(res, 200, { access_token: ACCESS, expires_in: expires, refresh_token: ROTATED });
      const o = await attempt(`expires_in ${expires}`, () => listAll(clientFor().client));
      expect(o.error).toBeUndefined();
    }
  });
});

describe("random answers", () => {
  it("ends every call with a result or a vendor error, within its bound, whatever comes back", async () => {
    const printable = fc.string({ maxLength: 40 }).filter((v) => /^[\x20-\x7e]*$/.test(v));
    const answers = fc.sample(
      fc.record({
        status: fc.constantFrom(
          200,
          201,
          204,
          301,
          302,
          400,
          401,
          403,
          404,
          409,
          412,
          429,
          500,
          502,
          503,
        ),
        type: fc.constantFrom(
          "application/json",
          "text/html",
          "",
          "application/json; odata=verbose",
        ),
        body: fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc.constant(JSON.stringify({ value: [{ id: 1 }, null, "x", { id: "r", eTag: 5 }] })),
          fc.constant(JSON.stringify({ value: [], "@odata.nextLink": "::::" })),
          fc.constant(JSON.stringify({ error: { code: ACCESS, message: CLIENT_SECRET } })),
        ),
        retryAfter: fc.option(
          fc.oneof(printable, fc.double().map(String), fc.integer().map(String)),
        ),
        location: fc.option(fc.oneof(printable, fc.constant(`${witness.url}/x`))),
      }),
      Number(process.env.COSELL_HOSTILE_VENDOR_CASES ?? "150"),
    );
    for (const [i, a] of answers.entries()) {
      hostile.api = (_req, res) => {
        const headers: Record<string, string> = {};
        if (a.type) headers["content-type"] = a.type;
        if (a.retryAfter !== null) headers["retry-after"] = a.retryAfter;
        if (a.location !== null) headers.location = a.location;
        res.writeHead(a.status, headers);
        res.end(a.body);
      };
      const { client, waits } = clientFor();
      await attempt(`random answer #${i} (list)`, () => listAll(client));
      await attempt(`random answer #${i} (get)`, () => client.get("r-1"));
      await attempt(`random answer #${i} (patch)`, () =>
        client.patch("r-1", [{ op: "replace", path: "/name", value: "n" }], "e"),
      );
      for (const w of waits) expect(Number.isFinite(w) && w >= 0 && w <= 120_000).toBe(true);
    }
  });
});

describe("a sync job against a hostile endpoint, on the real store", () => {
  const store = setupTestStore();
  const logged: string[] = [];
  const log = {
    info: (o: object, m?: string) => logged.push(JSON.stringify({ o, m })),
    warn: (o: object, m?: string) => logged.push(JSON.stringify({ o, m })),
    error: (o: object, m?: string) =>
      logged.push(JSON.stringify({ o, m, err: String(Reflect.get(o, "err")) })),
  };

  const connect = async () => {
    const world = await makeWorld(store());
    const { connection } = await connectPartnerCenter(
      store(),
      { actor: world.admin },
      {
        apiUrl: `${hostile.url}/v1.0/engagements`,
        tokenUrl: `${hostile.url}/token`,
        clientId: "hostile-client",
        clientSecret: CLIENT_SECRET,
        refreshToken: REFRESH,
      },
    );
    return { world, connectionId: connection.id };
  };

  const runJob = async (): Promise<Record<string, unknown>> => {
    const { world, connectionId } = await connect();
    const jobId = await submitSync(store(), world.admin, connectionId);
    const worker = new Worker(store(), {
      leaseMs: 5000,
      pollMs: 50,
      chunkSize: 100,
      maxAttempts: 3,
      sweepMs: 3_600_000,
      retentionMs: 86_400_000,
      log,
    });
    tally.case();
    expect(await worker.tick()).toBe(true);
    const job = await store()
      .db.selectFrom("jobs")
      .selectAll()
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    const runs = await store().db.selectFrom("sync_runs").selectAll().execute();
    const everything = JSON.stringify({ job, runs, logged });
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(runs.map((r) => r.status)).toEqual(["failed"]);
    return job;
  };

  it("fails the job on a redirect with the reason, ends its history row, logs no secret", async () => {
    hostile.api = (_req, res) => {
      res.writeHead(302, { location: `${witness.url}/steal` });
      res.end();
    };
    const job = await runJob();
    expect(job).toMatchObject({ status: "failed", error_code: "vendor_unreachable" });
    expect(String(job.error_message)).toMatch(/with a redirect \(HTTP 302\)/);
  });

  it("fails the job on a refusal that echoes the secrets, with the refusal cleaned", async () => {
    hostile.api = (_req, res) =>
      json(res, 400, { error: { code: "badRequest", message: `no ${CLIENT_SECRET} ${ACCESS}` } });
    const job = await runJob();
    expect(job).toMatchObject({ status: "failed", error_code: "vendor_unreachable" });
    expect(String(job.error_message)).toBe(
      "Partner Center refused the sync (HTTP 400, badRequest): no [redacted] [redacted]",
    );
  });

  it("reports a hanging endpoint as unreachable within the client's bounds", async () => {
    hostile.api = () => {};
    const { connectionId } = await connect();
    const o = await attempt("sync against a hanging endpoint", () =>
      syncOne(store(), connectionId, {
        sleep: async () => {},
        clientLimits: { timeoutMs: TIMEOUT_MS, maxAttempts: 2 },
      }),
    );
    expect(o.value?.reachable).toBe(false);
    expect(o.value?.errors[0]?.message).toMatch(/no complete answer within 1 s/);
    const [run] = await store().db.selectFrom("sync_runs").selectAll().execute();
    expect(run?.status).toBe("failed");
  });
});
