/**
 * `cosell export` (each filter flag, `-o`, `--json`'s {count, leftOut, file}) and the vendor
 * side's `cosell receive` with the 14-day `cosell expire`, end to end through the compiled CLI.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readCsv } from "../core/csv/index.js";
import { EXPIRY_DAYS } from "../core/limits.js";
import { importDeals } from "../server/commands/import-deals.js";
import { dealNames, expectExit, FIXTURES_DIR, jsonOf, setupCliWorld } from "../test-support/cli.js";
import { type CsvRow, csvBytes, importRows, makeWorld, newDealRow } from "../test-support/deals.js";
import { EXIT } from "./exit-codes.js";

const world = setupCliWorld();

const DAY_MS = 24 * 60 * 60 * 1000;

/** A referral as the vendor sends it: no partner status yet. */
const inboundRow = (overrides: CsvRow = {}): CsvRow =>
  newDealRow({ "Partner Referral Status": "", "Partner Referral Substatus": "", ...overrides });

describe("cosell export", () => {
  const FR_DEAL = "FR partner-led";
  const ALL_OF_CONTOSO = ["DE co-sell", FR_DEAL, "GB won", "Inbound referral", "US private"].sort();

  /** Five deals of Contoso, one of Fabrikam, through the real import; one favourite. */
  const seedDeals = () =>
    world().withStore(async (store) => {
      const { admin, user, stranger } = await makeWorld(store);
      const gb = { "Deal Name": "GB won", "Customer Country": "GB", "CRM ID": "CRM-GB" };
      const created = await importRows(store, admin, [
        newDealRow({
          "Deal Name": "US private",
          "Customer Country": "US",
          "Share with Microsoft sales team": "No",
        }),
        newDealRow({
          "Deal Name": FR_DEAL,
          "Customer Country": "FR",
          "Customer Name": "Litware SA",
          Notes: "a needle in the notes",
          "Solution 1": "SOL-2222-BBBB, EUR, 10, 100",
        }),
        newDealRow({
          "Deal Name": "DE co-sell",
          "Customer Country": "DE",
          "Microsoft help required?": "Yes",
          "What specific help from Microsoft?": "1",
          "Customer Contact First Name": "A",
          "Customer Contact Last Name": "B",
          "Customer Contact Phone number": "1",
          "Customer Contact Email Address": "a@b.example",
          "Team member 2": "Ana, Silva, , ana.silva@contoso.example",
        }),
        newDealRow(gb),
      ]);
      const [, fr, , won] = created.rows.map((r) => r.referralId ?? "");
      const closed = await importRows(store, admin, [
        newDealRow({
          ...gb,
          "Referral ID": won ?? "",
          "Partner Referral Status": "Closed",
          "Partner Referral Substatus": "Won",
        }),
      ]);
      expect(closed).toMatchObject({ updated: 1 });
      await importDeals(store, {
        actor: { kind: "vendor", orgId: admin.orgId },
        bytes: csvBytes([inboundRow({ "Deal Name": "Inbound referral" })]),
      });
      await store.db
        .insertInto("favorites")
        .values({ user_id: admin.userId, deal_id: fr ?? "", created_at: new Date().toISOString() })
        .execute();
      await importRows(store, stranger, [newDealRow({ "Deal Name": "Fabrikam secret" })]);
      return { admin: admin.email, user: user.email, stranger: stranger.email };
    });

  /** Exports to standard output and returns the deal names in the file. */
  const exported = async (as: string, ...flags: string[]): Promise<string[]> => {
    const r = await world().run(["export", "--as", as, ...flags, "-o", "-"]);
    expectExit(r, EXIT.ok);
    return dealNames(r.stdout);
  };

  it("exports every deal the user may see, and nothing of another organisation", async () => {
    const { admin, user, stranger } = await seedDeals();
    expect(await exported(admin)).toEqual(ALL_OF_CONTOSO);
    expect(await exported(user)).toEqual(["DE co-sell"]);
    expect(await exported(stranger)).toEqual(["Fabrikam secret"]);
  });

  it("--tab picks inbound, outbound or favorites", async () => {
    const { admin } = await seedDeals();
    expect(await exported(admin, "--tab", "inbound")).toEqual(["Inbound referral"]);
    expect(await exported(admin, "--tab", "outbound")).toEqual(
      ALL_OF_CONTOSO.filter((n) => n !== "Inbound referral"),
    );
    expect(await exported(admin, "--tab", "favorites")).toEqual([FR_DEAL]);
  });

  it("--country takes comma-separated codes", async () => {
    const { admin } = await seedDeals();
    expect(await exported(admin, "--country", "US,FR")).toEqual([
      FR_DEAL,
      "Inbound referral",
      "US private",
    ]);
    expect(await exported(admin, "--country", "de")).toEqual(["DE co-sell"]);
  });

  it("--type picks co-sell, partner-led or private", async () => {
    const { admin } = await seedDeals();
    expect(await exported(admin, "--type", "co-sell")).toEqual(["DE co-sell"]);
    expect(await exported(admin, "--type", "partner-led")).toEqual([
      FR_DEAL,
      "GB won",
      "Inbound referral",
    ]);
    expect(await exported(admin, "--type", "private")).toEqual(["US private"]);
  });

  it("--status takes a status or a substatus", async () => {
    const { admin } = await seedDeals();
    expect(await exported(admin, "--status", "Closed")).toEqual(["GB won"]);
    expect(await exported(admin, "--status", "Won")).toEqual(["GB won"]);
    expect(await exported(admin, "--status", "New")).toEqual(["Inbound referral"]);
  });

  it("--solution, --customer and --search narrow by solution ID, customer and text", async () => {
    const { admin } = await seedDeals();
    expect(await exported(admin, "--solution", "SOL-2222-BBBB")).toEqual([FR_DEAL]);
    expect(await exported(admin, "--customer", "LITWARE")).toEqual([FR_DEAL]);
    expect(await exported(admin, "--search", "needle")).toEqual([FR_DEAL]);
    expect(await exported(admin, "--search", "litware")).toEqual([FR_DEAL]);
    expect(await exported(admin, "--search", "CRM-GB")).toEqual(["GB won"]);
  });

  it("--lang fr writes the French headers", async () => {
    const { admin } = await seedDeals();
    const r = await world().run(["export", "--as", admin, "--lang", "fr", "-o", "-"]);
    expectExit(r, EXIT.ok);
    const { header } = readCsv(r.stdout);
    expect(header.slice(0, 4)).toEqual([
      "Erreurs",
      "ID engagement",
      "URL de référence",
      "Nom de la transaction",
    ]);
    expect(dealNames(r.stdout)).toEqual(ALL_OF_CONTOSO);
  });

  it("-o writes the file and says so on standard error; --json prints {count, leftOut, file}", async () => {
    const { admin } = await seedDeals();
    const plain = await world().run(["export", "--as", admin, "--country", "US", "-o", "us.csv"]);
    expectExit(plain, EXIT.ok);
    expect(plain.stdout).toBe("");
    expect(plain.stderr).toContain("Exported 2 deals to us.csv");
    const file = await readFile(path.join(world().dir, "us.csv"), "utf8");
    expect(dealNames(file)).toEqual(["Inbound referral", "US private"]);

    const json = await world().run(["export", "--as", admin, "-o", "all.csv", "--json"]);
    expectExit(json, EXIT.ok);
    expect(jsonOf(json)).toEqual({ count: 5, leftOut: 0, file: "all.csv" });
  });

  it("writes deals-export-<time>.csv in the working folder when -o is not given", async () => {
    const { admin } = await seedDeals();
    const r = await world().run(["export", "--as", admin, "--json"]);
    expectExit(r, EXIT.ok);
    const written = (await readdir(world().dir)).filter((f) => f.startsWith("deals-export-"));
    expect(written).toEqual([expect.stringMatching(/^deals-export-\d{8}-\d{6}\.csv$/)]);
    expect(jsonOf(r)).toEqual({ count: 5, leftOut: 0, file: written[0] });
  });

  it("an export re-imports with nothing changed and nothing duplicated", async () => {
    const { admin } = await world().seedAccounts();
    const fixture = path.join(FIXTURES_DIR, "create-en.csv");
    expectExit(await world().run(["import", fixture, "--as", admin]), EXIT.ok);
    // A formula-like cell is neutralised on export and must still round-trip unchanged.
    const formula = newDealRow({ "Deal Name": '=HYPERLINK("http://evil.example","x")' });
    const file = await world().write("formula.csv", csvBytes([formula]));
    expectExit(await world().run(["import", file, "--as", admin]), EXIT.ok);
    expectExit(await world().run(["export", "--as", admin, "-o", "all.csv"]), EXIT.ok);
    expect(await readFile(path.join(world().dir, "all.csv"), "utf8")).toContain("'=HYPERLINK");
    const again = await world().run(["import", "all.csv", "--as", admin, "--json"]);
    expectExit(again, EXIT.ok);
    expect(jsonOf(again)).toMatchObject({ total: 13, created: 0, updated: 0, unchanged: 13 });
    expect(await world().count(admin)).toBe(13);
  });

  it("refuses bad filters (exit 2) with a message that says what is wrong", async () => {
    const { admin } = await world().seedAccounts();
    const cases: [string[], string][] = [
      [["--country", "USA"], "did you mean US"],
      [["--type", "joint"], "Deal type 'joint' is not one of"],
      [["--status", "Sleeping"], "Status 'Sleeping' is neither a status"],
      [["--search", "ab"], "3 characters or more"],
      [["--tab", "archive"], "Allowed choices are inbound, outbound, favorites"],
    ];
    for (const [flags, message] of cases) {
      const r = await world().run(["export", "--as", admin, ...flags, "-o", "x.csv"]);
      expectExit(r, EXIT.rejected);
      expect(r.stderr).toContain(message);
    }
    expect(existsSync(path.join(world().dir, "x.csv"))).toBe(false);
  });
});

describe("cosell receive and cosell expire", () => {
  // The vendor side works on a bare organisation, made by the CLI itself.
  const admin = "admin@contoso.example";

  it("receives inbound referrals, and expires those still New 14 days later", async () => {
    expectExit(await world().run(["org", "create", "Contoso", "--admin", admin]), EXIT.ok);
    const file = await world().write(
      "inbound.csv",
      csvBytes([
        inboundRow({ "Deal Name": "Referral 1" }),
        inboundRow({ "Deal Name": "Referral 2" }),
      ]),
    );
    const received = await world().run(["receive", file, "--org", "Contoso", "--json"]);
    expectExit(received, EXIT.ok);
    expect(jsonOf(received)).toMatchObject({
      total: 2,
      created: 2,
      notProcessed: 0,
      rows: [{ result: "Created" }, { result: "Created" }],
    });
    expect(await world().count(admin, "--tab", "inbound", "--status", "Received")).toBe(2);

    const iso = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();
    const early = await world().run(["expire", "--now", iso(EXPIRY_DAYS - 1)]);
    expectExit(early, EXIT.ok);
    expect(early.stdout).toContain("Expired 0 inbound deals");

    const due = await world().run(["expire", "--now", iso(EXPIRY_DAYS + 1)]);
    expectExit(due, EXIT.ok);
    expect(due.stdout).toContain("Expired 2 inbound deals as of");
    expect(await world().count(admin, "--tab", "inbound", "--status", "Expired")).toBe(2);
    expect(await world().count(admin, "--status", "New")).toBe(0);
  });

  it("prints a readable receipt, with the rows not processed (exit 1)", async () => {
    expectExit(await world().run(["org", "create", "Contoso", "--admin", admin]), EXIT.ok);
    const file = await world().write(
      "inbound.csv",
      csvBytes([inboundRow(), inboundRow({ "Customer Country": "USA" })]),
    );
    const r = await world().run(["receive", file, "--org", "Contoso"]);
    expectExit(r, EXIT.someRowsFailed);
    expect(r.stdout).toContain(
      "Received inbound.csv for 'Contoso': 1 inbound referrals created, 1 not processed",
    );
    expect(r.stdout).toMatch(/row 2: Customer Country 'USA'/);
  });

  it("refuses an unknown organisation and a --now that is not a time (exit 2)", async () => {
    const file = await world().write("inbound.csv", csvBytes([inboundRow()]));
    const unknown = await world().run(["receive", file, "--org", "Nope"]);
    expectExit(unknown, EXIT.rejected);
    expect(unknown.stderr).toContain("No organisation named 'Nope'");
    const bad = await world().run(["expire", "--now", "next tuesday"]);
    expectExit(bad, EXIT.rejected);
    expect(bad.stderr).toContain("is not an ISO 8601 time");
  });
});
