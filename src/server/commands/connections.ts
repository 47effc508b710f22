/**
 * Connections of an organisation to a vendor API (Partner Center), managed by Referrals
 * admins. Secrets go in sealed and never come out of this module except to the connector:
 * a connection as shown (CLI, API, page) carries no secret and no token.
 */
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { DEFAULT_PARTNER_CENTER_API_URL } from "../../core/api/sync-schemas.js";
import { RequestError } from "../../core/errors.js";
import { isRecord } from "../../core/json.js";
import { type SecretBox, secretBoxFor } from "../auth/secret-box.js";
import { sha256 } from "../auth/secret-hash.js";
import type { Db } from "../db/db.js";
import type { ConnectionsTable } from "../db/schema.js";
import type { Store } from "../db/store.js";
import type { UserActor } from "../../core/actor.js";

export const PARTNER_CENTER = "partner-center";
export { DEFAULT_PARTNER_CENTER_API_URL };

export interface ConnectionInput {
  apiUrl?: string | null;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken?: string | null;
}

/** A connection as anyone may see it: no secret, no token. */
export interface ConnectionView {
  id: string;
  orgId: string;
  vendor: string;
  apiUrl: string;
  tokenUrl: string;
  clientId: string;
  /** Which OAuth 2.0 grant the connector uses. */
  grant: "refresh_token" | "client_credentials";
  webhookPath: string;
  lastSyncAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the connector needs: the view plus the opened secrets. */
export interface ConnectionSecrets {
  clientSecret: string;
  refreshToken: string | null;
}

export const webhookPathOf = (id: string): string => `/api/webhooks/partner-center/${id}`;

function viewOf(row: ConnectionsTable, grant: ConnectionView["grant"]): ConnectionView {
  return {
    id: row.id,
    orgId: row.org_id,
    vendor: row.vendor,
    apiUrl: row.api_url,
    tokenUrl: row.token_url,
    clientId: row.client_id,
    grant,
    webhookPath: webhookPathOf(row.id),
    lastSyncAt: row.last_sync_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function requireAdmin(actor: UserActor): void {
  if (actor.role !== "admin") {
    throw new RequestError("forbidden", "Only a Referrals admin manages connections");
  }
}

function checkUrl(flag: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RequestError("invalid_argument", `${flag} '${text}' is not a URL; give http(s)://…`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new RequestError("invalid_argument", `${flag} must be an http(s) URL, got '${text}'`);
  }
  return text.replace(/\/+$/, "");
}

function required(flag: string, text: string | undefined | null): string {
  const value = text?.trim();
  if (!value) throw new RequestError("invalid_argument", `${flag} is required`);
  return value;
}

function sealSecrets(box: SecretBox, id: string, secrets: ConnectionSecrets): string {
  return box.seal(JSON.stringify(secrets), id);
}

function openSecrets(box: SecretBox, row: Pick<ConnectionsTable, "id" | "secrets">) {
  const value: unknown = JSON.parse(box.open(row.secrets, row.id));
  if (!isRecord(value) || typeof value.clientSecret !== "string") {
    throw new RequestError("invalid_argument", "A connection's stored secrets are damaged");
  }
  const refreshToken = typeof value.refreshToken === "string" ? value.refreshToken : null;
  return { clientSecret: value.clientSecret, refreshToken };
}

export interface ConnectResult {
  connection: ConnectionView;
  /** The webhook URL's secret, shown this once (only its hash is kept). */
  webhookSecret: string;
}

/**
 * Stores (or replaces) the organisation's Partner Center connection. The admin's own
 * organisation, or for the local CLI, the organisation named.
 */
export async function connectPartnerCenter(
  store: Store,
  who: { actor: UserActor } | { orgId: string },
  input: ConnectionInput,
  now = new Date(),
): Promise<ConnectResult> {
  if ("actor" in who) requireAdmin(who.actor);
  const orgId = "actor" in who ? who.actor.orgId : who.orgId;
  const apiUrl = checkUrl("--api-url", input.apiUrl?.trim() || DEFAULT_PARTNER_CENTER_API_URL);
  const tokenUrl = checkUrl("--token-url", required("--token-url", input.tokenUrl));
  const clientId = required("--client-id", input.clientId);
  const clientSecret = required("--client-secret", input.clientSecret);
  const refreshToken = input.refreshToken?.trim() || null;
  const box = await secretBoxFor(store);
  const webhookSecret = `pcw_${randomBytes(32).toString("base64url")}`;
  const at = now.toISOString();
  const existing = await store.db
    .selectFrom("connections")
    .select("id")
    .where("org_id", "=", orgId)
    .where("vendor", "=", PARTNER_CENTER)
    .executeTakeFirst();
  const id = existing?.id ?? randomUUID();
  const row: ConnectionsTable = {
    id,
    org_id: orgId,
    vendor: PARTNER_CENTER,
    api_url: apiUrl,
    token_url: tokenUrl,
    client_id: clientId,
    secrets: sealSecrets(box, id, { clientSecret, refreshToken }),
    webhook_secret_hash: sha256(webhookSecret),
    pull_cursor: null,
    last_sync_at: null,
    created_at: at,
    updated_at: at,
    sync_holder: null,
    sync_until: null,
  };
  if (existing) {
    // New credentials, same links: what was synced stays linked; the cursor is kept.
    const {
      id: _,
      org_id: __,
      created_at: ___,
      pull_cursor: ____,
      last_sync_at: _____,
      sync_holder: ______,
      sync_until: _______,
      ...set
    } = row;
    await store.db.updateTable("connections").set(set).where("id", "=", id).execute();
  } else {
    await store.db.insertInto("connections").values(row).execute();
  }
  const saved = await connectionRow(store.db, id);
  return {
    connection: viewOf(saved, refreshToken ? "refresh_token" : "client_credentials"),
    webhookSecret,
  };
}

async function connectionRow(db: Db, id: string): Promise<ConnectionsTable> {
  const row = await db
    .selectFrom("connections")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw new RequestError("not_found", `No connection '${id}'`);
  return row;
}

/** The ids of the organisation's connections, oldest first. */
export async function connectionIdsOf(store: Store, orgId: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom("connections")
    .select("id")
    .where("org_id", "=", orgId)
    .orderBy("created_at")
    .execute();
  return rows.map((r) => r.id);
}

/** The organisation's connections as shown to an admin (the grant read from the sealed secrets). */
export async function connectionViews(store: Store, actor: UserActor): Promise<ConnectionView[]> {
  requireAdmin(actor);
  const rows = await store.db
    .selectFrom("connections")
    .selectAll()
    .where("org_id", "=", actor.orgId)
    .orderBy("created_at")
    .execute();
  if (rows.length === 0) return [];
  const box = await secretBoxFor(store);
  return rows.map((r) =>
    viewOf(r, openSecrets(box, r).refreshToken ? "refresh_token" : "client_credentials"),
  );
}

/** A connection of the admin's organisation; another organisation's is "not found". */
export async function connectionForAdmin(
  store: Store,
  actor: UserActor,
  id: string,
): Promise<ConnectionView> {
  const found = (await connectionViews(store, actor)).find((c) => c.id === id);
  if (!found) throw new RequestError("not_found", `No connection '${id}' in your organisation`);
  return found;
}

export async function deleteConnection(store: Store, actor: UserActor, id: string): Promise<void> {
  await connectionForAdmin(store, actor, id);
  await store.db.deleteFrom("connections").where("id", "=", id).execute();
}

/** For the connector only: the connection with its secrets opened. */
export async function openConnection(
  store: Store,
  id: string,
): Promise<{ connection: ConnectionView; secrets: ConnectionSecrets }> {
  const row = await connectionRow(store.db, id);
  const box = await secretBoxFor(store);
  const secrets = openSecrets(box, row);
  return {
    connection: viewOf(row, secrets.refreshToken ? "refresh_token" : "client_credentials"),
    secrets,
  };
}

/** Keeps the refresh token the token endpoint rotated to (the old one is spent). */
export async function saveRefreshToken(
  store: Store,
  id: string,
  secrets: ConnectionSecrets,
): Promise<void> {
  const box = await secretBoxFor(store);
  await store.db
    .updateTable("connections")
    .set({ secrets: sealSecrets(box, id, secrets), updated_at: new Date().toISOString() })
    .where("id", "=", id)
    .execute();
}

/** Whether `secret` is the webhook secret of connection `id` (compared in constant time). */
export async function checkWebhookSecret(
  store: Store,
  id: string,
  secret: string,
): Promise<boolean> {
  const row = await store.db
    .selectFrom("connections")
    .select("webhook_secret_hash")
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return false;
  const a = Buffer.from(sha256(secret), "hex");
  const b = Buffer.from(row.webhook_secret_hash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
