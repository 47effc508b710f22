/**
 * How hard password guessing is: sign-in attempts are limited per client address AND, apart,
 * failed attempts per account — so rotating addresses (or a proxy that lets a client choose its
 * X-Forwarded-For) cannot guess one account's password.
 *
 * The client address is the one the configured proxies say: `COSELL_TRUST_PROXY` is a hop count
 * (`1`: one reverse proxy in front, the address it saw is the rightmost X-Forwarded-For entry)
 * or a list of the proxies' addresses/CIDRs (every trusted entry is skipped from the right).
 * The leftmost entry, which the client writes itself, is never taken unless every hop is trusted.
 *
 * The per-account count is kept in the database (migration 0013), so several server processes
 * share one limit instead of giving N times it. Unknown emails are counted like known ones, so
 * the limit tells nobody whether an account exists.
 */
import { isIP } from "node:net";
import { RequestError } from "../../core/errors.js";
import { sha256 } from "../auth/secret-hash.js";
import type { Db } from "../db/db.js";
import {
  clearSignInAttempts,
  countSignInAttempt,
  removeEndedSignInWindows,
} from "../db/sign-in-failures-repo.js";
import { HttpError } from "./errors.js";

/** What Fastify's `trustProxy` gets: off, a hop count, or the proxies' addresses. */
export type TrustProxy = false | number | string[];

export interface SignInLimits {
  /** Sign-in attempts per client address and minute (COSELL_SIGN_IN_PER_MINUTE). */
  perAddressPerMinute: number;
  /** Failed sign-ins per account in the window before it is refused (COSELL_SIGN_IN_ACCOUNT_FAILURES). */
  accountFailures: number;
  /** The per-account window (COSELL_SIGN_IN_ACCOUNT_WINDOW_MINUTES). */
  accountWindowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAddressPerMinute: 10,
  accountFailures: 10,
  accountWindowMs: 15 * 60_000,
};

type Env = Readonly<Record<string, string | undefined>>;

const CIDR = /^(.+)\/(\d{1,3})$/;

const isProxyAddress = (entry: string): boolean => {
  const m = CIDR.exec(entry);
  if (!m) return isIP(entry) !== 0;
  const [, ip = "", bits = ""] = m;
  const family = isIP(ip);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
};

/** `COSELL_TRUST_PROXY`: unset or 0 → off; a whole number → hops; else proxy addresses/CIDRs. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? "";
  if (value === "" || value === "0") return false;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (entries.length === 0 || bad.length > 0) {
    throw new RequestError(
      "invalid_argument",
      `COSELL_TRUST_PROXY must be a number of proxy hops (e.g. 1) or a comma-separated list of the proxies' addresses (e.g. 10.0.0.5, 10.1.0.0/16); '${bad[0] ?? value}' is neither`,
    );
  }
  return entries;
}

/**
 * Fastify's form of it: a hop count becomes "trust the first n hops" (the peer and the n-1
 * proxies behind it); Fastify itself trusts nothing for a bare number.
 */
export function fastifyTrustProxy(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== "number") return trust;
  return (_address, hop) => hop < trust;
}

const positive = (env: Env, name: string, fallback: number): number => {
  const raw = env[name]?.trim() ?? "";
  if (raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new RequestError(
      "invalid_argument",
      `${name} must be a positive whole number, not '${raw}'`,
    );
  }
  return n;
};

export function signInLimitsFromEnv(env: Env): SignInLimits {
  return {
    perAddressPerMinute: positive(
      env,
      "COSELL_SIGN_IN_PER_MINUTE",
      DEFAULT_SIGN_IN_LIMITS.perAddressPerMinute,
    ),
    accountFailures: positive(
      env,
      "COSELL_SIGN_IN_ACCOUNT_FAILURES",
      DEFAULT_SIGN_IN_LIMITS.accountFailures,
    ),
    accountWindowMs:
      positive(
        env,
        "COSELL_SIGN_IN_ACCOUNT_WINDOW_MINUTES",
        DEFAULT_SIGN_IN_LIMITS.accountWindowMs / 60_000,
      ) * 60_000,
  };
}

/** The account's key: the email as typed, trimmed and lower-cased, hashed (never kept in clear). */
const accountKey = (email: string): string => sha256(email.trim().toLowerCase());

/** How often a process removes ended windows (rows of emails nobody tries again). */
const SWEEP_MS = 60_000;

/**
 * Sign-in attempts per account in a fixed window, counted in the database so that every
 * server process shares one count. An attempt is counted *before* its password is checked,
 * and the count cleared when it succeeds: attempts sent at once, to one process or several,
 * cannot all slip in under the limit while their passwords are being hashed.
 */
export class AccountAttempts {
  #lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly limits: Pick<SignInLimits, "accountFailures" | "accountWindowMs">,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts this attempt; refuses it (429) when the account is over its limit. */
  async attempt(email: string): Promise<void> {
    const now = this.now();
    const windowEndedBefore = new Date(now - this.limits.accountWindowMs).toISOString();
    const { attempts, windowStart } = await countSignInAttempt(
      this.db,
      accountKey(email),
      new Date(now).toISOString(),
      windowEndedBefore,
    );
    if (now - this.#lastSweep >= SWEEP_MS) {
      this.#lastSweep = now;
      await removeEndedSignInWindows(this.db, windowEndedBefore);
    }
    if (attempts <= this.limits.accountFailures) return;
    const left = this.limits.accountWindowMs - (now - Date.parse(windowStart));
    const minutes = Math.max(1, Math.ceil(left / 60_000));
    throw new HttpError(
      429,
      "rate_limited",
      `Too many failed sign-ins for this account; try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or ask a Referrals admin`,
    );
  }

  /** A successful sign-in: the account's count starts again from nothing. */
  async succeeded(email: string): Promise<void> {
    await clearSignInAttempts(this.db, accountKey(email));
  }
}
