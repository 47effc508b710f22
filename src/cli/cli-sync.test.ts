/**
 * `cosell connect partner-center` and `cosell sync` end to end: the compiled CLI against the
 * simulator on 127.0.0.1 and this test's store. The JSON and exit codes are a contract.
 */
import { describe, expect, it } from "vitest";
import { expectExit, jsonOf, setupCliWorld } from "../test-support/cli.js";
import { setupSimulator } from "../test-support/partner-center.js";
import { EXIT } from "./exit-codes.js";

const getWorld = setupCliWorld();
const getSim = setupSimulator();
const KEY = { COSELL_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") };

const connect = async () => {
  const sim = getSim();
  const c = sim.credentials;
  return getWorld().run(
    [
      "connect",
      "partner-center",
      "--org",
      "Contoso",
      "--api-url",
      sim.apiUrl,
      "--token-url",
      sim.tokenUrl,
      "--client-id",
      c.clientId,
      "--client-secret",
      c.clientSecret,
      "--refresh-token",
      c.refreshToken,
    ],
    { env: KEY },
  );
};

describe("cosell connect and sync", () => {
  it("connects without showing a secret, syncs with the contract's JSON, and exits by outcome", async () => {
    await getWorld().seedAccounts();
    const { clientSecret, refreshToken } = getSim().credentials;
    const connected = await connect();
    expectExit(connected, EXIT.ok);
    expect(connected.stdout).not.toContain(clientSecret);
    expect(connected.stdout).not.toContain(refreshToken);

    const dry = await getWorld().run(["sync", "--org", "Contoso", "--dry-run", "--json"], {
      env: KEY,
    });
    expectExit(dry, EXIT.ok);
    expect(jsonOf(dry)).toEqual({
      connections: [
        {
          vendor: "partner-center",
          pulled: { created: 12, updated: 0, unchanged: 0 },
          pushed: { created: 0, updated: 0, unchanged: 0 },
          conflicts: [],
          errors: [],
        },
      ],
    });
    const real = await getWorld().run(["sync", "--org", "Contoso", "--json"], { env: KEY });
    expectExit(real, EXIT.ok);
    expect(jsonOf(real)).toMatchObject({ connections: [{ pulled: { created: 12 } }] });
    for (const out of [dry.stdout, real.stdout, real.stderr]) {
      expect(out).not.toContain(clientSecret);
      expect(out).not.toContain(getSim().credentials.refreshToken);
    }

    // The same field changed on both sides: a conflict, exit 1.
    const referral = getSim().hooks.referrals()[0];
    const id = String(referral?.id);
    await getWorld().withStore(async (store) => {
      const link = await store.db
        .selectFrom("deal_links")
        .select("deal_id")
        .where("referral_id", "=", id)
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable("deals")
        .set({ notes: "ours", version: 2 })
        .where("id", "=", link.deal_id)
        .execute();
    });
    getSim().hooks.editReferral(id, (x) => {
      const details = x.details;
      if (details && typeof details === "object" && !Array.isArray(details))
        details.notes = "theirs";
    });
    const conflicted = await getWorld().run(["sync", "--org", "Contoso", "--json"], { env: KEY });
    expectExit(conflicted, EXIT.someRowsFailed);
    expect(jsonOf(conflicted)).toMatchObject({
      connections: [{ conflicts: [{ field: "notes", local: "ours", remote: "theirs" }] }],
    });
    const readable = await getWorld().run(["sync", "--org", "Contoso"], { env: KEY });
    expect(readable.stdout).toMatch(/1 conflict\(s\)/);

    await getSim().close();
    const down = await getWorld().run(["sync", "--org", "Contoso", "--json"], {
      env: KEY,
      timeoutMs: 60_000,
    });
    expectExit(down, EXIT.failure);
    expect(jsonOf(down)).toMatchObject({
      connections: [{ errors: [{ code: "vendor_unreachable" }] }],
    });
  }, 120_000);

  it("says there is no connection (usage, exit 2)", async () => {
    await getWorld().seedAccounts();
    const r = await getWorld().run(["sync", "--org", "Contoso"], { env: KEY });
    expectExit(r, EXIT.rejected);
    expect(r.stderr).toMatch(/no connection/);
  });
});
