/**
 * Who is calling: a browser session (cookie + CSRF token on every state-changing request),
 * an API token (`Authorization: Bearer cst_…`, no CSRF: no cookie is involved), or the
 * vendor side (`Authorization: Bearer csv_…`, vendor routes only).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { UserActor } from "../../core/actor.js";
import { type AuditOrigin, httpOrigin } from "../commands/audit.js";
import { isVendorToken, sessionActor, tokenActor } from "../commands/credentials.js";
import type { Store } from "../db/store.js";
import { HttpError } from "./errors.js";

export const SESSION_COOKIE = "cosell_session";
export const CSRF_HEADER = "x-csrf-token";

declare module "fastify" {
  interface FastifyRequest {
    actor: UserActor | null;
    /** The actor's organisation's deal list version, read with their credentials (else null). */
    listVersion: number | null;
    /** Set when the caller came with the session cookie (CSRF applies). */
    sessionCsrf: string | null;
    vendor: boolean;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const bearer = (request: FastifyRequest): string | null => {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1] ?? null;
};

/** An onRequest hook: finds the caller, if any. Routes decide whether one is needed. */
export const identify = (store: Store) => async (request: FastifyRequest) => {
  request.actor = null;
  request.listVersion = null;
  request.sessionCsrf = null;
  request.vendor = false;
  const token = bearer(request);
  if (token) {
    if (token.startsWith("csv_")) request.vendor = await isVendorToken(store, token);
    else {
      const caller = await tokenActor(store, token);
      request.actor = caller?.actor ?? null;
      request.listVersion = caller?.listVersion ?? null;
    }
    if (!request.actor && !request.vendor) {
      throw new HttpError(
        401,
        "unauthenticated",
        "The API token is not valid (revoked, or mistyped)",
      );
    }
    return;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) {
    const session = await sessionActor(store, cookie);
    if (session) {
      request.actor = session.actor;
      request.listVersion = session.listVersion;
      request.sessionCsrf = session.csrfToken;
    }
  }
};

/** A preHandler: a signed-in partner user, with a valid CSRF token for a session's writes. */
export const requireUser = async (request: FastifyRequest, _reply: FastifyReply) => {
  if (!request.actor) throw new HttpError(401, "unauthenticated", "Sign in, or send an API token");
  if (request.sessionCsrf !== null && !SAFE_METHODS.has(request.method)) {
    if (request.headers[CSRF_HEADER] !== request.sessionCsrf) {
      throw new HttpError(
        403,
        "csrf_failed",
        `Missing or wrong ${CSRF_HEADER} header; reload the page and try again`,
      );
    }
  }
};

export const requireAdmin = async (request: FastifyRequest, reply: FastifyReply) => {
  await requireUser(request, reply);
  if (request.actor?.role !== "admin") {
    throw new HttpError(403, "forbidden", "Only a Referrals admin may do this");
  }
};

export const requireVendor = async (request: FastifyRequest) => {
  if (!request.vendor)
    throw new HttpError(401, "unauthenticated", "Send the vendor credential as a Bearer token");
};

/** The actor of a request that passed `requireUser`. */
export const actorOf = (request: FastifyRequest): UserActor => {
  if (!request.actor) throw new HttpError(401, "unauthenticated", "Sign in, or send an API token");
  return request.actor;
};

/** Where a request's changes came from, for the audit trail: its method and route pattern. */
export function originOf(request: FastifyRequest): AuditOrigin {
  return httpOrigin(request.method, request.routeOptions.url ?? request.url.split("?")[0] ?? "");
}
