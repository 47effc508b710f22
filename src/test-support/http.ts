/**
 * A real cosell server on a random port over a fresh test store, and clients that talk to
 * it the way a browser (session cookie + CSRF header) or a script (Bearer token) would.
 */
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach } from "vitest";
import type { UserActor } from "../core/actor.js";
import { createApiToken } from "../server/commands/credentials.js";
import type { Store } from "../server/db/store.js";
import { type AppOptions, buildApp } from "../server/http/app.js";
import { checkContract } from "./contract.js";
import { openTestStore } from "./db.js";
import { makeWorld, type World } from "./deals.js";

export interface TestServer extends World {
  app: FastifyInstance;
  url: string;
}

export interface Client {
  /** `fetch` relative to the server, with this client's credentials. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  json<T = unknown>(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; body: T; headers: Headers }>;
}

/** Passwords of the accounts `makeWorld` creates. */
export const PASSWORDS: Record<string, string> = {
  "admin@contoso.example": "contoso-admin-pass",
  "ana.silva@contoso.example": "contoso-user-pass",
  "admin@fabrikam.example": "fabrikam-admin-pass",
};

export const startTestServer = async (options: Partial<AppOptions> = {}): Promise<TestServer> => {
  const store: Store = await openTestStore();
  const world = await makeWorld(store);
  const app = await buildApp({ store, ...options });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { ...world, app, url };
};

export const stopTestServer = async (server: TestServer): Promise<void> => {
  await server.app.close();
  await server.store.close();
};

/** Registers a fresh server per test and returns a getter for it. */
export const setupTestServer = (options: Partial<AppOptions> = {}): (() => TestServer) => {
  let server: TestServer | undefined;
  beforeEach(async () => {
    server = await startTestServer(options);
  });
  afterEach(async () => {
    const s = server;
    server = undefined;
    if (s) await stopTestServer(s);
  });
  return () => {
    if (!server) throw new Error("setupTestServer(): the server runs only inside a test");
    return server;
  };
};

const client = (base: string, headers: Record<string, string>): Client => {
  const go = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    });
  return {
    fetch: go,
    async json<T>(path: string, init: RequestInit = {}) {
      const res = await go(path, init);
      const text = await res.text();
      const json: unknown = text ? JSON.parse(text) : null;
      // A body read as JSON is checked against core/api's schema of its route and status.
      if (text && (res.headers.get("content-type") ?? "").includes("json"))
        checkContract(init.method ?? "GET", path, res.status, json);
      return { status: res.status, body: json as T, headers: res.headers };
    },
  };
};

/** Anonymous. */
export const anonymous = (server: TestServer): Client => client(server.url, {});

/** A script with an API token. */
export const withToken = async (server: TestServer, actor: UserActor): Promise<Client> => {
  const { token } = await createApiToken(server.store, actor, "test");
  return client(server.url, { authorization: `Bearer ${token}` });
};

/** A browser: signs in, keeps the session cookie and sends the CSRF header on writes. */
export const signedIn = async (
  server: TestServer,
  actor: UserActor,
): Promise<Client & { csrf: string }> => {
  const res = await fetch(`${server.url}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: actor.email, password: PASSWORDS[actor.email] ?? "" }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const body: unknown = await res.json();
  const csrf =
    typeof body === "object" && body && "csrfToken" in body && typeof body.csrfToken === "string"
      ? body.csrfToken
      : "";
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { ...client(server.url, { cookie, "x-csrf-token": csrf }), csrf };
};
