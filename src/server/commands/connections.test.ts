/** Connections: admins only, secrets sealed at rest (AES-256-GCM), never shown back. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setupTestStore, testDatabaseUrl } from "../../test-support/db.js";
import { makeWorld } from "../../test-support/deals.js";
import { KEY_FILE_NAME, secretBox } from "../auth/secret-box.js";
import {
  connectionViews,
  connectPartnerCenter,
  DEFAULT_PARTNER_CENTER_API_URL,
  openConnection,
  saveRefreshToken,
} from "./connections.js";

const getStore = setupTestStore();
// PostgreSQL has no data folder for a key file: the key comes from the environment.
if (testDatabaseUrl()) process.env.COSELL_SECRET_KEY ??= Buffer.alloc(32, 7).toString("base64");
const SECRET = "client-secret-Zx9!";
const REFRESH = "refresh-token-Qw7?";

describe("connections", () => {
  it("stores secrets sealed, shows none of them, and opens them for the connector", async () => {
    const { admin } = await makeWorld(getStore());
    process.env.COSELL_SECRET_KEY ??=
      getStore().dialect === "postgres" ? Buffer.alloc(32, 7).toString("base64") : "";
    const { connection, webhookSecret } = await connectPartnerCenter(
      getStore(),
      { actor: admin },
      {
        tokenUrl: "https://login.example/tenant/oauth2/v2.0/token",
        clientId: "app-1",
        clientSecret: SECRET,
        refreshToken: REFRESH,
      },
    );
    expect(connection.apiUrl).toBe(DEFAULT_PARTNER_CENTER_API_URL);
    expect(connection.grant).toBe("refresh_token");
    expect(webhookSecret).toMatch(/^pcw_/);
    const shown = JSON.stringify(await connectionViews(getStore(), admin));
    for (const s of [SECRET, REFRESH, webhookSecret]) expect(shown).not.toContain(s);
    const row = await getStore().db.selectFrom("connections").selectAll().executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const s of [SECRET, REFRESH, webhookSecret]) expect(stored).not.toContain(s);
    expect(row.secrets).toMatch(/^v1\./);

    const opened = await openConnection(getStore(), connection.id);
    expect(opened.secrets).toEqual({ clientSecret: SECRET, refreshToken: REFRESH });
    await saveRefreshToken(getStore(), connection.id, {
      clientSecret: SECRET,
      refreshToken: "rotated",
    });
    expect((await openConnection(getStore(), connection.id)).secrets.refreshToken).toBe("rotated");

    const dataDir = getStore().dataDir;
    if (dataDir && !process.env.COSELL_SECRET_KEY) {
      const info = await stat(path.join(dataDir, KEY_FILE_NAME));
      expect(info.mode & 0o777).toBe(0o600);
    }
  });

  it("refuses a Referrals user and bad URLs", async () => {
    const { user, admin } = await makeWorld(getStore());
    const input = { tokenUrl: "https://login.example/t", clientId: "a", clientSecret: "s" };
    await expect(connectPartnerCenter(getStore(), { actor: user }, input)).rejects.toThrow(/admin/);
    await expect(
      connectPartnerCenter(getStore(), { actor: admin }, { ...input, tokenUrl: "login" }),
    ).rejects.toThrow(/--token-url 'login' is not a URL/);
  });
});

describe("secret box", () => {
  it("does not open with another key or under another row", () => {
    const box = secretBox(Buffer.alloc(32, 1));
    const sealed = box.seal("hello é", "conn-1");
    expect(box.open(sealed, "conn-1")).toBe("hello é");
    expect(() => box.open(sealed, "conn-2")).toThrow(/do not open/);
    expect(() => secretBox(Buffer.alloc(32, 2)).open(sealed, "conn-1")).toThrow(/do not open/);
  });
});
