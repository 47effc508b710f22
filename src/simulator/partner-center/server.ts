/**
 * A simulator of Microsoft's Partner Center Referrals API over real HTTP, as the spec note
 * (`partner-center-referrals-api.md`) describes it: an Azure AD-style token endpoint with
 * rotating refresh tokens, list/get/create/PATCH/PUT of referrals with eTags, the status table,
 * the documented error body, 401 on expired tokens and 429 on demand. Tests and the demo use
 * it; `hooks` (and the `/_sim/*` routes, for other processes) let a test play Microsoft's side.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { applyPatch, PatchError, parsePatch } from "./json-patch.js";
import {
  type Json,
  matches,
  ODataError,
  type OrderBy,
  parseFilter,
  parseOrderBy,
} from "./odata.js";
import {
  checkTransition,
  type Doc,
  isDoc,
  randomSource,
  seedReferral,
  ValidationError,
  validateReferral,
} from "./referral.js";

export interface SimulatorOptions {
  port?: number;
  host?: string;
  /** Seed of the generated referrals (default 1). */
  seed?: number;
  /** How many incoming referrals to seed (default 25). */
  referrals?: number;
  /** Lifetime of an access token (default 3600 s). */
  tokenLifetimeSeconds?: number;
  /** The most referrals one page holds, whatever `$top` asks (default 100). */
  maxPageSize?: number;
}

export interface SimulatorCredentials {
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** The refresh token valid now; it changes every time it is used. */
  refreshToken: string;
}

export interface SimulatorStats {
  /** Requests received, by route kind. */
  requests: Record<string, number>;
  total: number;
  throttled: number;
  /** Time spent in the handlers (no network): the floor of a client's time. */
  handlerMs: number;
}

export interface Simulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The base that `/referrals` hangs under: `${url}/v1.0/engagements`. */
  apiUrl: string;
  tokenUrl: string;
  credentials: SimulatorCredentials;
  hooks: SimulatorHooks;
  close(): Promise<void>;
}

export interface SimulatorHooks {
  /** Answer every `every`-th API request with 429 and `Retry-After` (null: stop). */
  throttle(every: number | null, retryAfterSeconds?: number): void;
  /** The next `count` API requests fail with `status` (503 carries Retry-After: 0). */
  failNext(status: number, count?: number): void;
  /** Every access token issued so far is expired from now on. */
  expireTokens(): void;
  /** Changes a referral on Microsoft's side (no read-only or transition checks, as the service's own writes). */
  editReferral(id: string, edit: (referral: Doc) => void): Doc;
  /** A new incoming referral from Microsoft; `overrides` replace top-level members. */
  addIncoming(overrides?: Doc): Doc;
  referral(id: string): Doc | undefined;
  referrals(): Doc[];
  /**
   * Where to POST webhook events (`referral-created`, `referral-updated`); null: none. With
   * `hold`, events are kept until `flushWebhooks`, to deliver them late, twice, out of order.
   */
  setWebhook(url: string | null, options?: { hold?: boolean }): void;
  /** Sends the held events, newest first when `reverse`, each `times` times, one after another; resolves with how many were sent. */
  flushWebhooks(options?: { reverse?: boolean; times?: number }): Promise<number>;
  stats(): SimulatorStats;
  resetStats(): void;
  /** Every create request received, including refused ones (to check idempotency). */
  createRequests(): number;
  /** Just before the next PATCH of referral `id` is handled, Microsoft edits it (a race). */
  editBeforeNextPatch(id: string, edit: (referral: Doc) => void): void;
  /** The next `count` creates are made, then answered 500: the client never learns the id. */
  loseCreateAnswers(count: number): void;
}

interface AccessToken {
  expiresAt: number;
}

const READ_ONLY_ON_PUT = [
  "id",
  "engagementId",
  "createdDateTime",
  "updatedDateTime",
  "expirationDateTime",
  "acceptedDateTime",
  "eTag",
  "direction",
  "links",
  "organizationId",
  "organizationName",
];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target = "referral",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const newETag = () => `"${randomUUID()}"`;
const token = (prefix: string) => `${prefix}-${randomBytes(18).toString("base64url")}`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): Json {
  try {
    const value: Json = JSON.parse(text);
    return value;
  } catch {
    throw new HttpError(400, "invalidRequest", "The body is not valid JSON");
  }
}

interface Cursor {
  t: number;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(text: string): Cursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (
      typeof v === "object" &&
      v !== null &&
      "t" in v &&
      "id" in v &&
      typeof v.t === "number" &&
      typeof v.id === "string"
    ) {
      return { t: v.t, id: v.id };
    }
  } catch {}
  throw new HttpError(400, "invalidRequest", "$skiptoken is not one this service issued");
}

/** Starts the simulator; resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const rand = randomSource(options.seed ?? 1);
  const maxPage = options.maxPageSize ?? 100;
  const lifetimeMs = (options.tokenLifetimeSeconds ?? 3600) * 1000;
  const credentials: SimulatorCredentials = {
    tenant: "contoso-partner.onmicrosoft.com",
    clientId: `sim-client-${options.seed ?? 1}`,
    clientSecret: token("sim-secret"),
    refreshToken: token("sim-rt"),
  };
  const referrals = new Map<string, Doc>();
  const accessTokens = new Map<string, AccessToken>();
  let refreshToken = credentials.refreshToken;
  let throttleEvery: number | null = null;
  let throttleRetryAfter = 1;
  let apiCount = 0;
  let failures: { status: number; count: number } | null = null;
  let webhook: string | null = null;
  let holdWebhooks = false;
  let heldEvents: string[] = [];
  let creates = 0;
  let lostCreates = 0;
  const racingEdits = new Map<string, (referral: Doc) => void>();
  let stats: SimulatorStats = { requests: {}, total: 0, throttled: 0, handlerMs: 0 };
  let lastStamp = 0;

  const stamp = () => {
    // Monotonic, millisecond precision: equal stamps happen, as on the real service.
    lastStamp = Math.max(Date.now(), lastStamp);
    return new Date(lastStamp).toISOString();
  };

  let base = "";
  const withServerFields = (doc: Doc, id: string): Doc => ({
    ...doc,
    links: {
      relatedReferrals: {
        uri: `${base}/v1.0/engagements/referrals?$filter=engagementId eq '${String(doc.engagementId)}'`,
        method: "GET",
      },
      self: { uri: `${base}/v1.0/engagements/referrals/${id}`, method: "GET" },
    },
  });

  const notify = (eventName: "referral-created" | "referral-updated", id: string) => {
    if (!webhook) return;
    const body = JSON.stringify({
      EventName: eventName,
      ResourceUri: `${base}/v1.0/engagements/referrals/${id}`,
      ResourceName: "referral",
      AuditUri: null,
      ResourceChangeUtcDate: new Date().toISOString(),
    });
    if (holdWebhooks) {
      heldEvents.push(body);
      return;
    }
    fetch(webhook, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    }).catch(() => {});
  };

  const store = (doc: Doc, created: boolean): Doc => {
    const now = stamp();
    const id = typeof doc.id === "string" ? doc.id : randomUUID();
    const stored: Doc = withServerFields(
      {
        ...doc,
        id,
        engagementId: typeof doc.engagementId === "string" ? doc.engagementId : randomUUID(),
        createdDateTime: typeof doc.createdDateTime === "string" ? doc.createdDateTime : now,
        updatedDateTime: now,
        eTag: newETag(),
      },
      id,
    );
    referrals.set(id, stored);
    notify(created ? "referral-created" : "referral-updated", id);
    return stored;
  };

  const seedOne = (n: number, overrides: Doc = {}): Doc => {
    const created = stamp();
    const expires = new Date(Date.parse(created) + 14 * 86_400_000).toISOString();
    return store(
      {
        ...seedReferral(rand, n),
        direction: "Incoming",
        organizationId: "sim-partner-org",
        organizationName: "Simulated Partner",
        expirationDateTime: expires,
        acceptedDateTime: null,
        ...overrides,
      },
      true,
    );
  };
  for (let n = 1; n <= (options.referrals ?? 25); n++) seedOne(n);

  const authorize = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer (\S+)$/.exec(header);
    const found = match?.[1] ? accessTokens.get(match[1]) : undefined;
    if (!found) throw new HttpError(401, "unauthenticated", "A valid bearer token is required");
    if (found.expiresAt <= Date.now()) {
      throw new HttpError(401, "unauthenticated", "The access token has expired", "referral", {
        "www-authenticate": 'Bearer error="invalid_token", error_description="expired"',
      });
    }
  };

  const getReferral = (id: string): Doc => {
    const found = referrals.get(id);
    if (!found) throw new HttpError(404, "itemNotFound", `Referral '${id}' was not found`);
    return found;
  };

  const checkIfMatch = (req: IncomingMessage, current: Doc, required: boolean) => {
    const ifMatch = req.headers["if-match"];
    if (ifMatch === undefined) {
      if (required) {
        throw new HttpError(400, "invalidRequest", "The If-Match header is required (the eTag)");
      }
      return;
    }
    if (ifMatch !== "*" && ifMatch !== current.eTag) {
      throw new HttpError(
        412,
        "preconditionFailed",
        "The referral has changed since it was read (eTag mismatch)",
      );
    }
  };

  const validated = (doc: Doc): Doc => {
    try {
      validateReferral(doc);
      return doc;
    } catch (e) {
      if (e instanceof ValidationError)
        throw new HttpError(400, "invalidRequest", e.message, e.target);
      throw e;
    }
  };

  const list = (url: URL): Json => {
    const filterText = url.searchParams.get("$filter");
    const orderText = url.searchParams.get("$orderby");
    const topText = url.searchParams.get("$top");
    const skip = url.searchParams.get("$skiptoken");
    let order: OrderBy = { field: "createdDateTime", descending: true };
    let items = [...referrals.values()];
    try {
      if (filterText) {
        const filter = parseFilter(filterText);
        items = items.filter((r) => matches(filter, r));
      }
      if (orderText) order = parseOrderBy(orderText);
    } catch (e) {
      if (e instanceof ODataError) throw new HttpError(400, "invalidRequest", e.message);
      throw e;
    }
    const top = topText === null ? maxPage : Number(topText);
    if (!Number.isInteger(top) || top < 1) {
      throw new HttpError(400, "invalidRequest", "$top must be a positive integer");
    }
    const size = Math.min(top, maxPage);
    const key = (r: Doc): Cursor => ({ t: Date.parse(String(r[order.field])), id: String(r.id) });
    const cmp = (a: Cursor, b: Cursor) =>
      (a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) * (order.descending ? -1 : 1);
    items.sort((a, b) => cmp(key(a), key(b)));
    if (skip) {
      const after = decodeCursor(skip);
      items = items.filter((r) => cmp(key(r), after) > 0);
    }
    const page = items.slice(0, size);
    const body: Doc = {
      "@odata.context": `${base}/v1.0/engagements/$metadata#referrals`,
      value: page,
    };
    if (url.searchParams.get("$count") === "true") body["@odata.count"] = items.length;
    const last = page.at(-1);
    if (items.length > size && last) {
      const next = new URL(url.toString());
      next.searchParams.set("$skiptoken", encodeCursor(key(last)));
      body["@odata.nextLink"] = next.toString();
    }
    return body;
  };

  const create = (body: Json): Doc => {
    creates++;
    if (!isDoc(body)) throw new HttpError(400, "invalidRequest", "The body must be a referral");
    const doc: Doc = structuredClone(body);
    for (const key of READ_ONLY_ON_PUT) {
      if (key !== "engagementId") delete doc[key];
    }
    // The service normalises a partner's own referral to Active/Accepted (spec note §1.3).
    if (doc.status === "New" || doc.status === undefined) {
      doc.status = "Active";
      doc.substatus = "Accepted";
    }
    const now = stamp();
    const created = store(
      {
        ...validated(doc),
        direction: "Outgoing",
        organizationId: "sim-partner-org",
        organizationName: "Simulated Partner",
        acceptedDateTime: now,
        expirationDateTime: null,
      },
      true,
    );
    if (lostCreates > 0) {
      lostCreates--;
      throw new HttpError(500, "generalException", "Simulated failure after the create was made");
    }
    return created;
  };

  const update = (current: Doc, next: Doc): Doc => {
    validated(next);
    try {
      checkTransition(current, next);
    } catch (e) {
      if (e instanceof ValidationError)
        throw new HttpError(400, "invalidRequest", e.message, e.target);
      throw e;
    }
    return store(next, false);
  };

  const patch = (req: IncomingMessage, id: string, body: Json): Doc => {
    const race = racingEdits.get(id);
    if (race) {
      racingEdits.delete(id);
      hooks.editReferral(id, race);
    }
    const current = getReferral(id);
    checkIfMatch(req, current, false);
    try {
      return update(current, applyPatch(current, parsePatch(body)));
    } catch (e) {
      if (e instanceof PatchError) throw new HttpError(400, "invalidRequest", e.message);
      throw e;
    }
  };

  const put = (req: IncomingMessage, id: string, body: Json): Doc => {
    const current = getReferral(id);
    checkIfMatch(req, current, true);
    if (!isDoc(body)) throw new HttpError(400, "invalidRequest", "The body must be a referral");
    for (const key of READ_ONLY_ON_PUT) {
      const given = body[key];
      if (
        given !== undefined &&
        key !== "eTag" &&
        key !== "links" &&
        JSON.stringify(given) !== JSON.stringify(current[key])
      ) {
        throw new HttpError(400, "invalidRequest", `'${key}' is read-only`, key);
      }
    }
    const next: Doc = structuredClone(body);
    for (const key of READ_ONLY_ON_PUT) {
      const kept = current[key];
      if (kept !== undefined) next[key] = kept;
    }
    return update(current, next);
  };

  const tokenGrant = (body: string): Json => {
    const form = new URLSearchParams(body);
    const grant = form.get("grant_type");
    if (
      form.get("client_id") !== credentials.clientId ||
      form.get("client_secret") !== credentials.clientSecret
    ) {
      throw new HttpError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
    }
    const access = token("sim-at");
    accessTokens.set(access, { expiresAt: Date.now() + lifetimeMs });
    const answer: Doc = {
      token_type: "Bearer",
      expires_in: Math.round(lifetimeMs / 1000),
      access_token: access,
    };
    if (grant === "refresh_token") {
      if (form.get("refresh_token") !== refreshToken) {
        accessTokens.delete(access);
        throw new HttpError(400, "invalid_grant", "AADSTS70000: The refresh token is not valid.");
      }
      // Rotation: the token just used is spent; only the new one works from now on.
      refreshToken = token("sim-rt");
      credentials.refreshToken = refreshToken;
      answer.refresh_token = refreshToken;
      return answer;
    }
    if (grant === "client_credentials") return answer;
    accessTokens.delete(access);
    throw new HttpError(400, "unsupported_grant_type", `grant_type '${grant}' is not supported`);
  };

  const hooks: SimulatorHooks = {
    throttle(every, retryAfterSeconds = 1) {
      throttleEvery = every;
      throttleRetryAfter = retryAfterSeconds;
      apiCount = 0;
    },
    failNext(status, count = 1) {
      failures = { status, count };
    },
    expireTokens() {
      for (const t of accessTokens.values()) t.expiresAt = 0;
    },
    editReferral(id, edit) {
      const next: Doc = structuredClone(getReferral(id));
      edit(next);
      return store(next, false);
    },
    addIncoming(overrides = {}) {
      return seedOne(referrals.size + 1, overrides);
    },
    referral: (id) => referrals.get(id),
    referrals: () => [...referrals.values()],
    setWebhook(url, options = {}) {
      webhook = url;
      holdWebhooks = options.hold ?? false;
      if (!holdWebhooks) heldEvents = [];
    },
    async flushWebhooks({ reverse = false, times = 1 } = {}) {
      const events = reverse ? [...heldEvents].reverse() : [...heldEvents];
      heldEvents = [];
      let sent = 0;
      for (const body of events) {
        for (let i = 0; i < times && webhook; i++) {
          const res = await fetch(webhook, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body,
          });
          await res.arrayBuffer();
          sent++;
        }
      }
      return sent;
    },
    stats: () => structuredClone(stats),
    resetStats() {
      stats = { requests: {}, total: 0, throttled: 0, handlerMs: 0 };
    },
    createRequests: () => creates,
    editBeforeNextPatch(id, edit) {
      racingEdits.set(id, edit);
    },
    loseCreateAnswers(count) {
      lostCreates = count;
    },
  };

  const control = async (req: IncomingMessage, url: URL): Promise<[number, Json]> => {
    const body = req.method === "GET" ? null : parseJson((await readBody(req)) || "{}");
    const doc: Doc = isDoc(body) ? body : {};
    const path = url.pathname;
    if (path === "/_sim/throttle") {
      const every = typeof doc.every === "number" ? doc.every : null;
      hooks.throttle(every, typeof doc.retryAfterSeconds === "number" ? doc.retryAfterSeconds : 1);
      return [200, { every }];
    }
    if (path === "/_sim/expire-tokens") {
      hooks.expireTokens();
      return [200, {}];
    }
    if (path === "/_sim/webhook") {
      hooks.setWebhook(typeof doc.url === "string" ? doc.url : null, { hold: doc.hold === true });
      return [200, {}];
    }
    if (path === "/_sim/webhook/flush") {
      const sent = await hooks.flushWebhooks({
        reverse: doc.reverse === true,
        times: typeof doc.times === "number" ? doc.times : 1,
      });
      return [200, { sent }];
    }
    if (path === "/_sim/stats" && req.method === "GET") return [200, { ...hooks.stats(), creates }];
    if (path === "/_sim/stats/reset") {
      hooks.resetStats();
      return [200, {}];
    }
    if (path === "/_sim/credentials") return [200, { ...credentials }];
    if (path === "/_sim/referrals" && req.method === "POST") return [200, hooks.addIncoming(doc)];
    const edit = /^\/_sim\/referrals\/([^/]+)$/.exec(path);
    if (edit?.[1] && req.method === "PATCH") {
      const ops = Array.isArray(body) ? body : [];
      const id = edit[1];
      return [200, hooks.editReferral(id, (r) => Object.assign(r, applyPatch(r, parsePatch(ops))))];
    }
    throw new HttpError(404, "itemNotFound", `No simulator hook at ${path}`);
  };

  const route = async (
    req: IncomingMessage,
    url: URL,
    res: ServerResponse,
  ): Promise<[number, Json]> => {
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (path.startsWith("/_sim/")) return control(req, url);
    if (/^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path) && method === "POST") {
      count("token");
      return [200, tokenGrant(await readBody(req))];
    }
    const m = /^\/v1\.0\/engagements\/referrals(?:\/([^/]+))?$/.exec(path);
    if (!m) throw new HttpError(404, "itemNotFound", `No resource at ${path}`);
    const id = m[1];
    count(`${method} ${id ? "referral" : "referrals"}`);
    if (failures && failures.count > 0) {
      failures.count--;
      const { status } = failures;
      throw new HttpError(
        status,
        status === 503 ? "serviceNotAvailable" : "generalException",
        "Simulated failure",
        "referral",
        status === 503 ? { "retry-after": "0" } : {},
      );
    }
    if (throttleEvery !== null && ++apiCount % throttleEvery === 0) {
      stats.throttled++;
      throw new HttpError(429, "tooManyRequests", "Too many requests; retry later", "referral", {
        "retry-after": String(throttleRetryAfter),
      });
    }
    authorize(req);
    const text = method === "GET" ? "" : await readBody(req);
    const send = (doc: Doc, status = 200): [number, Json] => {
      res.setHeader("etag", String(doc.eTag));
      return [status, doc];
    };
    if (!id && method === "GET") return [200, list(url)];
    if (!id && method === "POST") return send(create(parseJson(text)));
    if (id && method === "GET") return send(getReferral(id));
    if (id && method === "PATCH") {
      const updated = patch(req, id, parseJson(text));
      res.setHeader("etag", String(updated.eTag));
      const prefer = String(req.headers.prefer ?? "");
      return prefer.includes("return=representation") ? [200, updated] : [204, null];
    }
    if (id && method === "PUT") return send(put(req, id, parseJson(text)));
    throw new HttpError(405, "invalidRequest", `${method} is not allowed here`);
  };

  const count = (kind: string) => {
    stats.requests[kind] = (stats.requests[kind] ?? 0) + 1;
    stats.total++;
  };

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? "/", base || "http://127.0.0.1");
    res.setHeader("request-id", randomUUID());
    const clientRequestId = req.headers["client-request-id"];
    if (typeof clientRequestId === "string") res.setHeader("client-request-id", clientRequestId);
    const finish = (status: number, body: Json) => {
      res.statusCode = status;
      if (status === 204 || body === null) res.end();
      else {
        res.setHeader("content-type", "application/json; charset=utf-8");
        res.end(JSON.stringify(body));
      }
      if (!url.pathname.startsWith("/_sim/")) {
        stats.handlerMs += Number(process.hrtime.bigint() - started) / 1e6;
      }
    };
    route(req, url, res).then(
      ([status, body]) => finish(status, body),
      (e: unknown) => {
        if (e instanceof HttpError) {
          for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
          if (e.code.startsWith("invalid_") || e.code === "unsupported_grant_type") {
            finish(e.status, { error: e.code, error_description: e.message });
          } else {
            finish(e.status, { error: { code: e.code, message: e.message, target: e.target } });
          }
        } else if (e instanceof PatchError) {
          finish(400, {
            error: { code: "invalidRequest", message: e.message, target: "referral" },
          });
        } else {
          finish(500, {
            error: { code: "generalException", message: String(e), target: "referral" },
          });
        }
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  base = `http://${options.host ?? "127.0.0.1"}:${address.port}`;
  for (const [id, doc] of referrals) referrals.set(id, withServerFields(doc, id));
  return {
    url: base,
    apiUrl: `${base}/v1.0/engagements`,
    tokenUrl: `${base}/${credentials.tenant}/oauth2/v2.0/token`,
    credentials,
    hooks,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
