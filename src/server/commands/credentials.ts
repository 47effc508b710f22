/**
 * Sign-in sessions, API tokens and vendor credentials. Secrets are random 256-bit values
 * shown once; only their SHA-256 is stored, so a copy of the database opens no door.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { RequestError } from "../../core/errors.js";
import { ACCOUNT } from "../../core/messages/accounts.js";
import { hashPassword, verifyPassword } from "../auth/password.js";
import { sha256 } from "../auth/secret-hash.js";
import { findSessionUser, findTokenUser } from "../db/credentials-repo.js";
import type { Store } from "../db/store.js";
import { toActor } from "./accounts.js";
import type { UserActor } from "../../core/actor.js";

const SESSION_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

const secret = (prefix: string): string => `${prefix}_${randomBytes(32).toString("base64url")}`;

/** Compared against when the email is unknown, so a wrong email costs as long as a wrong password. */
let dummyHash: Promise<string> | null = null;

export interface Session {
  token: string;
  csrfToken: string;
  actor: UserActor;
  expiresAt: string;
}

export const signIn = async (store: Store, email: string, password: string): Promise<Session> => {
  const user = await store.db
    .selectFrom("users")
    .select(["id", "org_id", "email", "name", "role", "password_hash", "active"])
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
  dummyHash ??= hashPassword(randomUUID());
  const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash));
  if (!user || !ok || user.active !== 1) {
    throw new RequestError("unauthenticated", ACCOUNT.wrongPassword);
  }
  const token = secret("css");
  const csrfToken = randomBytes(24).toString("base64url");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * DAY_MS).toISOString();
  await store.db
    .insertInto("sessions")
    .values({
      id_hash: sha256(token),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, actor: toActor(user), expiresAt };
};

/**
 * Who a credential belongs to and, read in the same indexed query, the version of their
 * organisation's deal list (db/deal-list-version.ts): a list request then needs no second
 * round trip before its cache look-up, and the version is read before any of the data.
 */
export interface Caller {
  actor: UserActor;
  listVersion: number;
}

export const sessionActor = async (
  store: Store,
  token: string,
): Promise<(Caller & { csrfToken: string }) | null> => {
  const row = await findSessionUser(store.db, sha256(token), new Date().toISOString());
  return row
    ? { actor: toActor(row), csrfToken: row.csrf_token, listVersion: row.version ?? 0 }
    : null;
};

export const signOut = async (store: Store, token: string): Promise<void> => {
  await store.db.deleteFrom("sessions").where("id_hash", "=", sha256(token)).execute();
};

export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export const createApiToken = async (
  store: Store,
  actor: UserActor,
  name: string,
): Promise<ApiTokenInfo & { token: string }> => {
  const token = secret("cst");
  const id = randomUUID();
  const createdAt = new Date().toISOString();
  const label = name.trim() || "API token";
  await store.db
    .insertInto("api_tokens")
    .values({
      id,
      user_id: actor.userId,
      name: label,
      token_hash: sha256(token),
      created_at: createdAt,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { id, name: label, createdAt, lastUsedAt: null, token };
};

export const listApiTokens = async (store: Store, actor: UserActor): Promise<ApiTokenInfo[]> => {
  const rows = await store.db
    .selectFrom("api_tokens")
    .select(["id", "name", "created_at", "last_used_at"])
    .where("user_id", "=", actor.userId)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
};

export const revokeApiToken = async (store: Store, actor: UserActor, id: string): Promise<void> => {
  const result = await store.db
    .updateTable("api_tokens")
    .set({ revoked_at: new Date().toISOString() })
    .where("id", "=", id)
    .where("user_id", "=", actor.userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new RequestError("not_found", ACCOUNT.noSuchToken);
};

export const tokenActor = async (store: Store, token: string): Promise<Caller | null> => {
  const row = await findTokenUser(store.db, sha256(token));
  if (!row) return null;
  // Record use at most once a minute: a busy script must not turn every read into a write.
  const now = Date.now();
  if (!row.last_used_at || now - Date.parse(row.last_used_at) > 60_000) {
    await store.db
      .updateTable("api_tokens")
      .set({ last_used_at: new Date(now).toISOString() })
      .where("id", "=", row.token_id)
      .execute();
  }
  return { actor: toActor(row), listVersion: row.version ?? 0 };
};

export const createVendorToken = async (
  store: Store,
  name: string,
): Promise<{ id: string; token: string }> => {
  const token = secret("csv");
  const id = randomUUID();
  await store.db
    .insertInto("vendor_tokens")
    .values({
      id,
      name: name.trim() || "vendor",
      token_hash: sha256(token),
      created_at: new Date().toISOString(),
      revoked_at: null,
    })
    .execute();
  return { id, token };
};

export const isVendorToken = async (store: Store, token: string): Promise<boolean> => {
  const row = await store.db
    .selectFrom("vendor_tokens")
    .select("id")
    .where("token_hash", "=", sha256(token))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return row !== undefined;
};
