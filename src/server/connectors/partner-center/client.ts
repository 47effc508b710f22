/**
 * The Partner Center Referrals API client: OAuth 2.0 tokens (refresh-token grant, keeping the
 * rotated refresh token; client credentials when there is none; one refresh on a 401),
 * server-driven paging, and retries — 429 and 503 after `Retry-After` and never sooner,
 * bounded exponential backoff otherwise, a bounded number of attempts for 5xx and network
 * errors. Every answer is parsed against the schemas of `core/api/partner-center-schemas.ts`.
 *
 * The endpoint is not trusted to behave (docs/SECURITY.md, "a hostile vendor endpoint"): every
 * request has a deadline that covers its answer's body; answers are read up to a size; no
 * redirect is followed and no next-page link to another host is, so the bearer token never
 * leaves for another address; a Retry-After longer than a sync waits stops the sync instead of
 * sleeping (or, past setTimeout's range, of retrying at once); paging that goes in circles is
 * stopped; and nothing the endpoint sends reaches a message unless it is cut to size and
 * cleaned of the connection's secrets and anything shaped like a token.
 */
import { randomUUID } from "node:crypto";
import { Value } from "typebox/value";
import {
  ErrorBodySchema,
  type Referral,
  ReferralPageSchema,
  ReferralSchema,
  TokenAnswerSchema,
} from "../../../core/api/partner-center-schemas.js";
import type { JsonValue, PatchOp } from "../../../core/sync/partner-center-mapping.js";

export interface ClientOptions {
  apiUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string | null;
  /** Called with each new refresh token, before it is used: the old one is spent. */
  onRefreshToken?: (token: string) => Promise<void>;
  /** Attempts per request for 429/503/5xx/network failures (default 6). */
  maxAttempts?: number;
  /** First backoff step (default 250 ms), doubled per attempt up to `maxBackoffMs` (default 8 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** How long one request may take, its answer's body included (default 30 s). */
  timeoutMs?: number;
  /** The largest answer read, decompressed (default 16 MiB); a larger one is refused. */
  maxBodyBytes?: number;
  /** The longest Retry-After honoured (default 2 minutes): longer, the sync stops and says so. */
  maxRetryAfterMs?: number;
  /** Pages of one list followed at most (default 10,000: a million referrals at 100 a page). */
  maxPages?: number;
}

export const CLIENT_DEFAULTS = {
  maxAttempts: 6,
  backoffMs: 250,
  maxBackoffMs: 8000,
  timeoutMs: 30_000,
  maxBodyBytes: 16 * 1024 * 1024,
  maxRetryAfterMs: 120_000,
  maxPages: 10_000,
} as const;

/** Partner Center answered with an error that retrying will not fix (a 4xx). */
export class VendorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target: string | null,
  ) {
    super(message);
    this.name = "VendorError";
  }
}

/** Partner Center (or its token endpoint) could not be reached, or kept failing. */
export class VendorUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "VendorUnreachableError";
  }
}

/**
 * Partner Center answered in a way no sync can go on from (a redirect, not JSON, too large,
 * a next-page link to another host, paging in circles): like an outage, it stops this
 * connection's sync with the reason, and the next sync tries again.
 */
export class VendorAnswerError extends VendorUnreachableError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "VendorAnswerError";
  }
}

/** What an error code from the endpoint may look like to be repeated: a short identifier. */
const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
/** A JWT (what Microsoft's access tokens are), and `name=value` pairs that carry a secret. */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const SECRET_PAIR =
  /\b(access_token|refresh_token|id_token|client_secret|password|assertion)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi;
/** An RFC 6750 bearer token: anything else could not be sent in a header anyway. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_TOKEN_CHARS = 32 * 1024;
const MAX_TEXT = 300;

/** An error answer's body as JSON, or null: a refusal is read for its code, never required to parse. */
const jsonOrNull = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** A duration for a message: seconds, or "more than a day". */
const seconds = (ms: number): string =>
  ms > 86_400_000 ? "more than a day" : `${Math.ceil(ms / 1000).toLocaleString("en-US")} s`;

export interface ClientStats {
  requests: number;
  retries: number;
  waitedMs: number;
}

const SCOPE = "https://api.partner.microsoft.com/.default offline_access";

/** An answer with its body read (bounded), so the body's reading is under the retry policy too. */
interface Answer {
  status: number;
  headers: Headers;
  contentType: string;
  text: string;
}

/** `Retry-After` in milliseconds: seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export class PartnerCenterClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, waitedMs: 0 };
  private accessToken: string | null = null;
  private accessExpiresAt = 0;
  private refreshToken: string | null;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxPages: number;

  constructor(private readonly options: ClientOptions) {
    this.refreshToken = options.refreshToken;
    this.maxAttempts = options.maxAttempts ?? CLIENT_DEFAULTS.maxAttempts;
    this.backoffMs = options.backoffMs ?? CLIENT_DEFAULTS.backoffMs;
    this.maxBackoffMs = options.maxBackoffMs ?? CLIENT_DEFAULTS.maxBackoffMs;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.timeoutMs = options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs;
    this.maxBodyBytes = options.maxBodyBytes ?? CLIENT_DEFAULTS.maxBodyBytes;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? CLIENT_DEFAULTS.maxRetryAfterMs;
    this.maxPages = options.maxPages ?? CLIENT_DEFAULTS.maxPages;
  }

  /**
   * Text from the endpoint (or from an error about it) as it may appear in a message, a log
   * line or a sync's stored result: the connection's secrets and anything shaped like a token
   * replaced, control characters made spaces, cut to a few hundred characters.
   */
  clean(text: string, max = MAX_TEXT): string {
    let out = text;
    for (const secret of [
      this.options.clientSecret,
      this.refreshToken,
      this.options.refreshToken,
      this.accessToken,
    ]) {
      if (secret && secret.length >= 6) out = out.split(secret).join("[redacted]");
    }
    out = out
      .replace(JWT, "[redacted]")
      .replace(SECRET_PAIR, "$1$2[redacted]")
      .replace(/\p{Cc}+/gu, " ");
    return out.length > max ? `${out.slice(0, max)}…` : out;
  }

  /** An error code from the endpoint, if it is a plain short identifier and no secret. */
  private codeOf(raw: unknown, fallback: string): string {
    if (typeof raw !== "string") return fallback;
    const code = this.clean(raw, 64);
    return CODE.test(code) ? code : fallback;
  }

  /** The answer's body as text, read up to `maxBodyBytes` (decompressed) under the request's deadline. */
  private async readBody(res: Response, what: string): Promise<string> {
    const tooLarge = () =>
      new VendorAnswerError(
        "answer_too_large",
        `Partner Center's answer to ${what} is larger than ${(this.maxBodyBytes / 1024 / 1024).toLocaleString("en-US")} MiB; cosell stopped reading it`,
      );
    const declared = Number(res.headers.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > this.maxBodyBytes) {
      await res.body?.cancel().catch(() => {});
      throw tooLarge();
    }
    if (!res.body) return "";
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > this.maxBodyBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks, size).toString("utf8");
  }

  /** A 2xx answer's JSON; an answer that is not JSON is refused with what it was instead. */
  private json(answer: Answer, what: string): unknown {
    if (answer.text === "") return null;
    try {
      return JSON.parse(answer.text);
    } catch {
      const type = this.clean(answer.contentType || "no content type", 80);
      throw new VendorAnswerError(
        "answer_not_json",
        `Partner Center's answer to ${what} is not JSON (HTTP ${answer.status}, ${type}, ${answer.text.length.toLocaleString("en-US")} characters); check the connection's API and token URLs`,
      );
    }
  }

  /**
   * The next page's address, if it stays on the API's host: the bearer token goes with it.
   * Microsoft's own sample writes the link with http://: on an https API it is sent over https.
   */
  private nextPage(raw: string, current: string): string {
    const api = new URL(this.options.apiUrl);
    let link: URL;
    try {
      link = new URL(raw, current);
    } catch {
      throw new VendorAnswerError(
        "bad_next_link",
        `Partner Center sent a next-page link that is not a URL ('${this.clean(raw, 100)}')`,
      );
    }
    if (api.protocol === "https:" && link.protocol === "http:" && link.port === "") {
      link.protocol = "https:";
    }
    if (
      link.hostname !== api.hostname ||
      link.protocol !== api.protocol ||
      link.port !== api.port
    ) {
      throw new VendorAnswerError(
        "foreign_next_link",
        `Partner Center sent a next-page link to ${this.clean(link.host, 100)}, not ${api.host}; cosell sends its token to the connection's API only`,
      );
    }
    return link.toString();
  }

  private backoff(attempt: number): number {
    const step = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (attempt - 1));
    // Jitter spreads clients that failed together; never below half the step.
    return step / 2 + Math.random() * (step / 2);
  }

  private async wait(ms: number): Promise<void> {
    this.stats.retries++;
    this.stats.waitedMs += ms;
    await this.sleep(ms);
  }

  /**
   * fetch with the retry policy and the deadline; answers the final answer, body read (2xx or
   * a non-retried error). Redirects are answers too, and refused: none is followed.
   */
  private async send(
    url: string,
    init: () => RequestInit,
    what: string,
    idempotent = true,
  ): Promise<Answer> {
    let lastProblem = "";
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      let answer: Answer;
      try {
        this.stats.requests++;
        const signal = AbortSignal.timeout(this.timeoutMs);
        const res = await fetch(url, { ...init(), redirect: "manual", signal });
        if (res.status >= 300 && res.status < 400) {
          await res.body?.cancel().catch(() => {});
          throw this.redirected(res, url, what);
        }
        if (res.status === 429 || res.status === 503 || res.status >= 500) {
          // The body of a refusal is not needed: not even read, so it cannot be large.
          await res.body?.cancel().catch(() => {});
          answer = { status: res.status, headers: res.headers, contentType: "", text: "" };
        } else {
          answer = {
            status: res.status,
            headers: res.headers,
            contentType: res.headers.get("content-type") ?? "",
            text: await this.readBody(res, what),
          };
        }
      } catch (error) {
        if (error instanceof VendorAnswerError) throw error;
        lastProblem = this.problemOf(error);
        // A create may have been made before the connection broke: the caller looks it up.
        if (!idempotent)
          throw new VendorError(0, "create_uncertain", `${what}: ${lastProblem}`, null);
        if (attempt < this.maxAttempts) await this.wait(this.backoff(attempt));
        continue;
      }
      if (answer.status === 429 || answer.status === 503) {
        lastProblem = `HTTP ${answer.status}`;
        if (attempt === this.maxAttempts) break;
        const after = retryAfterMs(answer.headers.get("retry-after"));
        if (after !== null && after > this.maxRetryAfterMs) {
          throw new VendorUnreachableError(
            `Partner Center asked cosell to wait ${seconds(after)} before ${what} (HTTP ${answer.status}), longer than the ${seconds(this.maxRetryAfterMs)} a sync waits; the next sync tries again`,
          );
        }
        // Never sooner than asked; without an answer, the backoff.
        await this.wait(after ?? this.backoff(attempt));
        continue;
      }
      if (answer.status >= 500) {
        lastProblem = `HTTP ${answer.status}`;
        if (!idempotent) {
          throw new VendorError(answer.status, "create_uncertain", `${what}: ${lastProblem}`, null);
        }
        if (attempt < this.maxAttempts) await this.wait(this.backoff(attempt));
        continue;
      }
      return answer;
    }
    throw new VendorUnreachableError(
      `Partner Center could not be reached for ${what} after ${this.maxAttempts} attempts (${lastProblem})`,
    );
  }

  /** Why a request failed, for a message: a timeout said as one, anything else cleaned. */
  private problemOf(error: unknown): string {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return `no complete answer within ${seconds(this.timeoutMs)}`;
    }
    const message = error instanceof Error ? error.message : String(error);
    const cause =
      error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return this.clean(`${message}${cause}`);
  }

  private redirected(res: Response, url: string, what: string): VendorAnswerError {
    let where = "another address";
    try {
      where = this.clean(new URL(res.headers.get("location") ?? "", url).host, 100) || where;
    } catch {
      // An unreadable Location is still a redirect: refused all the same.
    }
    return new VendorAnswerError(
      "redirected",
      `Partner Center answered ${what} with a redirect (HTTP ${res.status}) to ${where}; cosell follows no redirect, so its token never leaves for another address: check the connection's API and token URLs`,
    );
  }

  private async token(force: boolean): Promise<string> {
    if (!force && this.accessToken && Date.now() < this.accessExpiresAt - 60_000) {
      return this.accessToken;
    }
    const form = new URLSearchParams({
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      scope: SCOPE,
    });
    if (this.refreshToken) {
      form.set("grant_type", "refresh_token");
      form.set("refresh_token", this.refreshToken);
    } else form.set("grant_type", "client_credentials");
    const res = await this.send(
      this.options.tokenUrl,
      () => ({
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: form,
      }),
      "a token",
    );
    if (res.status < 200 || res.status >= 300) {
      const body = jsonOrNull(res.text);
      const error = this.codeOf(
        typeof body === "object" && body !== null && "error" in body ? body.error : null,
        "",
      );
      throw new VendorError(
        res.status,
        error || "token_error",
        `The token endpoint refused the connection's credentials (${error || `HTTP ${res.status}`}); connect again with a new client secret or refresh token`,
        null,
      );
    }
    const body = this.json(res, "a token");
    if (!Value.Check(TokenAnswerSchema, body)) {
      throw new VendorError(
        res.status,
        "token_error",
        "The token endpoint's answer has no access_token",
        null,
      );
    }
    if (body.access_token.length > MAX_TOKEN_CHARS || !B64TOKEN.test(body.access_token)) {
      // Never echoed: a header cosell cannot send would be quoted, token and all, by fetch.
      throw new VendorError(
        res.status,
        "token_error",
        "The token endpoint's access_token is not a bearer token cosell can send (RFC 6750)",
        null,
      );
    }
    if (body.refresh_token !== undefined && body.refresh_token.length > MAX_TOKEN_CHARS) {
      throw new VendorError(
        res.status,
        "token_error",
        `The token endpoint's refresh_token is longer than ${MAX_TOKEN_CHARS.toLocaleString("en-US")} characters`,
        null,
      );
    }
    if (body.refresh_token && body.refresh_token !== this.refreshToken) {
      this.refreshToken = body.refresh_token;
      await this.options.onRefreshToken?.(body.refresh_token);
    }
    this.accessToken = body.access_token;
    // An absurd lifetime (negative, not a number, years) is read as an hour, at most a day.
    const lifetime = Number(body.expires_in ?? 3600);
    const expiresIn = Number.isFinite(lifetime) && lifetime > 0 ? Math.min(lifetime, 86_400) : 3600;
    this.accessExpiresAt = Date.now() + expiresIn * 1000;
    return body.access_token;
  }

  /** One API call: a bearer token (refreshed once on a 401), JSON in and out. */
  private async call(
    method: string,
    url: string,
    options: { body?: JsonValue; ifMatch?: string; prefer?: string } = {},
  ): Promise<{ status: number; body: unknown; etag: string | null }> {
    for (let round = 0; round < 2; round++) {
      const token = await this.token(round > 0);
      const res = await this.send(
        url,
        () => ({
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            "client-request-id": randomUUID(),
            ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
            ...(options.ifMatch ? { "if-match": options.ifMatch } : {}),
            ...(options.prefer ? { prefer: options.prefer } : {}),
          },
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        }),
        `${method} ${new URL(url).pathname}`,
        method !== "POST",
      );
      if (res.status === 401 && round === 0) continue;
      const what = `${method} ${new URL(url).pathname}`;
      if (res.status < 200 || res.status >= 300) {
        const body = jsonOrNull(res.text);
        const e = Value.Check(ErrorBodySchema, body) ? body.error : null;
        throw new VendorError(
          res.status,
          this.codeOf(e?.code, `http_${res.status}`),
          e ? this.clean(e.message) : `HTTP ${res.status}`,
          e?.target ? this.clean(e.target, 100) : null,
        );
      }
      const etag = res.headers.get("etag");
      return {
        status: res.status,
        body: this.json(res, what),
        etag: etag && this.clean(etag, 200),
      };
    }
    throw new VendorError(401, "unauthenticated", "Partner Center refused a fresh token", null);
  }

  private referral(body: unknown): Referral {
    if (!Value.Check(ReferralSchema, body)) {
      const first = [...Value.Errors(ReferralSchema, body)][0];
      throw new VendorError(
        200,
        "bad_referral",
        `Partner Center sent a referral this connector cannot read (${this.clean(`${first?.instancePath ?? ""} ${first?.message ?? ""}`, 120)})`,
        null,
      );
    }
    return body;
  }

  private referralsUrl(query?: Record<string, string>): string {
    const url = new URL(`${this.options.apiUrl}/referrals`);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    return url.toString();
  }

  /**
   * Every page of a list, following `@odata.nextLink` until it is absent. Items that cannot
   * be read are handed back apart, so one bad referral does not stop a sync.
   */
  async *pages(
    query: Record<string, string>,
  ): AsyncGenerator<{ referrals: Referral[]; unreadable: string[] }> {
    let next: string | undefined = this.referralsUrl(query);
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next)) {
        throw new VendorAnswerError(
          "paging_loop",
          "Partner Center's next-page link led back to a page already read; the list was stopped there",
        );
      }
      if (seen.size >= this.maxPages) {
        throw new VendorAnswerError(
          "too_many_pages",
          `Partner Center's list went on past ${this.maxPages.toLocaleString("en-US")} pages; the list was stopped there`,
        );
      }
      seen.add(next);
      const current: string = next;
      const { body } = await this.call("GET", current);
      if (!Value.Check(ReferralPageSchema, body)) {
        throw new VendorAnswerError("bad_page", "Partner Center sent a list without 'value'");
      }
      const referrals: Referral[] = [];
      const unreadable: string[] = [];
      for (const item of body.value) {
        if (Value.Check(ReferralSchema, item)) referrals.push(item);
        else {
          const id =
            typeof item === "object" && item !== null && "id" in item ? String(item.id) : "?";
          unreadable.push(this.clean(id, 100));
        }
      }
      yield { referrals, unreadable };
      const link = body["@odata.nextLink"];
      next = link === undefined ? undefined : this.nextPage(link, current);
    }
  }

  /** Referrals updated at or after `since` (all when null), oldest change first. */
  changedSince(since: string | null, pageSize = 100) {
    return this.pages({
      ...(since ? { $filter: `updatedDateTime ge ${since}` } : {}),
      $orderby: "updatedDateTime asc",
      $top: String(pageSize),
    });
  }

  async get(id: string): Promise<Referral> {
    const { body } = await this.call(
      "GET",
      `${this.options.apiUrl}/referrals/${encodeURIComponent(id)}`,
    );
    return this.referral(body);
  }

  async findByExternalReferenceId(key: string): Promise<Referral | null> {
    const quoted = key.replace(/'/g, "''");
    for await (const page of this.pages({
      $filter: `externalReferenceId eq '${quoted}'`,
      $top: "2",
    })) {
      const [found] = page.referrals;
      if (found) return found;
    }
    return null;
  }

  async create(body: { [key: string]: JsonValue }): Promise<Referral> {
    const res = await this.call("POST", `${this.options.apiUrl}/referrals`, { body });
    return this.referral(res.body);
  }

  /** JSON Patch with If-Match; the updated referral back (Prefer: return=representation). */
  async patch(id: string, ops: readonly PatchOp[], etag: string): Promise<Referral> {
    const res = await this.call(
      "PATCH",
      `${this.options.apiUrl}/referrals/${encodeURIComponent(id)}`,
      {
        body: ops.map((o) => ({ op: o.op, path: o.path, value: o.value })),
        ifMatch: etag,
        prefer: "return=representation",
      },
    );
    if (res.status === 204 || res.body === null) return this.get(id);
    return this.referral(res.body);
  }
}
