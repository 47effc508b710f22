/**
 * The Partner Center Referrals API client: OAuth 2.0 tokens (refresh-token grant, keeping the
 * rotated refresh token; client credentials when there is none; one refresh on a 401),
 * server-driven paging, and retries — 429 and 503 after `Retry-After` and never sooner,
 * bounded exponential backoff otherwise, a bounded number of attempts for 5xx and network
 * errors. Every answer is parsed against the schemas of `core/api/partner-center-schemas.ts`.
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
}

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

export interface ClientStats {
  requests: number;
  retries: number;
  waitedMs: number;
}

const SCOPE = "https://api.partner.microsoft.com/.default offline_access";

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

  constructor(private readonly options: ClientOptions) {
    this.refreshToken = options.refreshToken;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.backoffMs = options.backoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 8000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
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

  /** fetch with the retry policy; answers the final Response (2xx or a non-retried error). */
  private async send(
    url: string,
    init: () => RequestInit,
    what: string,
    idempotent = true,
  ): Promise<Response> {
    let lastProblem = "";
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      let res: Response;
      try {
        this.stats.requests++;
        res = await fetch(url, init());
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
        // A create may have been made before the connection broke: the caller looks it up.
        if (!idempotent)
          throw new VendorError(0, "create_uncertain", `${what}: ${lastProblem}`, null);
        if (attempt < this.maxAttempts) await this.wait(this.backoff(attempt));
        continue;
      }
      if (res.status === 429 || res.status === 503) {
        await res.arrayBuffer();
        lastProblem = `HTTP ${res.status}`;
        if (attempt === this.maxAttempts) break;
        const after = retryAfterMs(res.headers.get("retry-after"));
        // Never sooner than asked; without an answer, the backoff.
        await this.wait(after ?? this.backoff(attempt));
        continue;
      }
      if (res.status >= 500) {
        await res.arrayBuffer();
        lastProblem = `HTTP ${res.status}`;
        if (!idempotent) {
          throw new VendorError(res.status, "create_uncertain", `${what}: ${lastProblem}`, null);
        }
        if (attempt < this.maxAttempts) await this.wait(this.backoff(attempt));
        continue;
      }
      return res;
    }
    throw new VendorUnreachableError(
      `Partner Center could not be reached for ${what} after ${this.maxAttempts} attempts (${lastProblem})`,
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
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const error =
        typeof body === "object" && body !== null && "error" in body ? String(body.error) : "";
      throw new VendorError(
        res.status,
        error || "token_error",
        `The token endpoint refused the connection's credentials (${error || `HTTP ${res.status}`}); connect again with a new client secret or refresh token`,
        null,
      );
    }
    if (!Value.Check(TokenAnswerSchema, body)) {
      throw new VendorError(
        res.status,
        "token_error",
        "The token endpoint's answer has no access_token",
        null,
      );
    }
    if (body.refresh_token && body.refresh_token !== this.refreshToken) {
      this.refreshToken = body.refresh_token;
      await this.options.onRefreshToken?.(body.refresh_token);
    }
    this.accessToken = body.access_token;
    this.accessExpiresAt = Date.now() + Number(body.expires_in ?? 3600) * 1000;
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
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      if (res.status === 401 && round === 0) continue;
      if (!res.ok) {
        const e = Value.Check(ErrorBodySchema, body) ? body.error : null;
        throw new VendorError(
          res.status,
          e?.code ?? `http_${res.status}`,
          e?.message ?? `HTTP ${res.status}`,
          e?.target ?? null,
        );
      }
      return { status: res.status, body, etag: res.headers.get("etag") };
    }
    throw new VendorError(401, "unauthenticated", "Partner Center refused a fresh token", null);
  }

  private referral(body: unknown): Referral {
    if (!Value.Check(ReferralSchema, body)) {
      const first = [...Value.Errors(ReferralSchema, body)][0];
      throw new VendorError(
        200,
        "bad_referral",
        `Partner Center sent a referral this connector cannot read (${first?.instancePath ?? ""} ${first?.message ?? ""})`,
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
    while (next) {
      const { body } = await this.call("GET", next);
      if (!Value.Check(ReferralPageSchema, body)) {
        throw new VendorError(200, "bad_page", "Partner Center sent a list without 'value'", null);
      }
      const referrals: Referral[] = [];
      const unreadable: string[] = [];
      for (const item of body.value) {
        if (Value.Check(ReferralSchema, item)) referrals.push(item);
        else {
          const id =
            typeof item === "object" && item !== null && "id" in item ? String(item.id) : "?";
          unreadable.push(id);
        }
      }
      yield { referrals, unreadable };
      next = body["@odata.nextLink"];
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
