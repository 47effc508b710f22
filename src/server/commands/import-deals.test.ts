import { describe, expect, it } from "vitest";
import { readCsv, writeCsv } from "../../core/csv/index.js";
import { FileRejectedError } from "../../core/errors.js";
import { setupTestStore } from "../../test-support/db.js";
import {
  type CsvRow,
  csvBytes,
  importRows,
  makeWorld,
  newDealRow,
} from "../../test-support/deals.js";
import { readSharedFixture } from "../../test-support/shared-fixtures.js";
import { findDealsByIds } from "../db/deals-repo.js";
import { updateDeal } from "./deals.js";
import { exportDeals } from "./export-deals.js";
import { applyRows } from "./import-apply.js";
import { importDeals } from "./import-deals.js";
import { prepareImport } from "./import-prepare.js";

const store = setupTestStore();

const dealCount = async () => {
  const row = await store()
    .db.selectFrom("deals")
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};

const codes = (summary: { rows: { errors: { code: string }[] }[] }, row: number) =>
  summary.rows[row - 1]?.errors.map((e) => e.code) ?? [];

/** Creates one deal as `actor` (at `now`) and returns its Referral ID. */
const createOne = async (
  actor: Parameters<typeof importRows>[1],
  overrides: CsvRow = {},
  now?: Date,
) => {
  const s = await importRows(store(), actor, [newDealRow(overrides)], now ? { now } : {});
  expect(s.rows[0]?.errors).toEqual([]);
  const id = s.rows[0]?.referralId;
  if (!id) throw new Error("no deal created");
  return id;
};

const getDeal = async (orgId: string, id: string) => {
  const [deal] = await findDealsByIds(store().db, orgId, [id]);
  if (!deal) throw new Error(`deal ${id} not found`);
  return deal;
};

describe("the sample files", () => {
  it("create-en.csv creates 12 deals, with quoted commas and multi-line notes intact", async () => {
    const { admin } = await makeWorld(store());
    const s = await importDeals(store(), {
      actor: admin,
      bytes: readSharedFixture("create-en.csv"),
    });
    expect(s).toMatchObject({ total: 12, created: 12, updated: 0, unchanged: 0, notProcessed: 0 });
    const ids = s.rows.map((r) => r.referralId ?? "");
    const deals = await findDealsByIds(store().db, admin.orgId, ids);
    expect(deals.map((d) => d.customerName)).toContain("Fabrikam, Inc.");
    expect(deals.some((d) => d.notes === "Multi-line note\nsecond line, with comma")).toBe(true);
    expect(deals.every((d) => d.status === "Active" && d.substatus === "Accepted")).toBe(true);
  });

  it("create-fr-excel-1252.csv creates 6 deals with accents intact", async () => {
    const { admin } = await makeWorld(store());
    const s = await importDeals(store(), {
      actor: admin,
      bytes: readSharedFixture("create-fr-excel-1252.csv"),
    });
    expect(s).toMatchObject({ total: 6, created: 6, notProcessed: 0 });
    const deals = await findDealsByIds(
      store().db,
      admin.orgId,
      s.rows.map((r) => r.referralId ?? ""),
    );
    const cities = deals.map((d) => d.customerCity);
    expect(cities).toContain("München");
    expect(deals.map((d) => d.customerAddress1)).toContain("7 rue de l'Église");
    expect(deals.map((d) => d.customerAddress1)).toContain("Hauptstraße 5");
  });

  it("errors-mixed.csv: one typical mistake per row, each explained", async () => {
    const { admin } = await makeWorld(store());
    const s = await importDeals(store(), {
      actor: admin,
      bytes: readSharedFixture("errors-mixed.csv"),
    });
    expect(s.rows.map((r) => r.result)).toEqual([
      "Not processed",
      "Not processed",
      "Not processed",
      "Not processed",
      "Not processed",
      "Not processed",
      "Created",
      "Not processed",
    ]);
    expect(s.rows[0]?.errors[0]?.message).toContain("did you mean US?");
    expect(codes(s, 2)).toEqual(["invalid_date"]);
    expect(s.rows[2]?.errors).toEqual([
      {
        column: "Solution 1",
        code: "required",
        message: "Mandatory field Solution 1 missing",
        fr: "Champ obligatoire Solution 1 manquant",
      },
    ]);
    expect(codes(s, 4)).toEqual(["consent_required"]);
    expect(codes(s, 5)).toEqual([
      "help_type_required",
      "contact_required",
      "contact_required",
      "contact_required",
      "contact_required",
    ]);
    expect(codes(s, 6)).toEqual(["duns_scientific_notation"]);
    expect(s.rows[5]?.errors[0]?.message).toMatch(/scientific notation/);
    expect(codes(s, 8)).toEqual(["negative_number"]);
    // Every error of a row lands in its one Errors cell, separated by "; ".
    expect(s.resultsCsv).toContain(
      "Customer Contact First Name is required when Microsoft help required? is Yes; ",
    );
  });

  it("errors-mixed.csv row 7: a formula-like deal name survives export and re-import unchanged", async () => {
    const { admin } = await makeWorld(store());
    const s = await importDeals(store(), {
      actor: admin,
      bytes: readSharedFixture("errors-mixed.csv"),
    });
    const id = s.rows[6]?.referralId ?? "";
    const deal = await getDeal(admin.orgId, id);
    expect(deal.name.startsWith("=")).toBe(true);
    const exported = await exportDeals(store(), { actor: admin, filter: {} });
    const { header, records } = readCsv(exported.csv);
    expect(records[0]?.cells[header.indexOf("Deal Name")]).toBe(`'${deal.name}`);
    const again = await importDeals(store(), {
      actor: admin,
      bytes: new TextEncoder().encode(exported.csv),
    });
    expect(again).toMatchObject({ total: 1, unchanged: 1 });
  });

  it("newer-template-columns.csv creates 3 deals and reports the 4 extra columns as ignored", async () => {
    const { admin } = await makeWorld(store());
    const s = await importDeals(store(), {
      actor: admin,
      bytes: readSharedFixture("newer-template-columns.csv"),
    });
    expect(s).toMatchObject({ total: 3, created: 3, notProcessed: 0 });
    expect(s.ignoredColumns).toHaveLength(4);
    expect(s.ignoredColumns.join("\n")).toContain("Marketplace Purchase Intent");
  });
});

describe("creating deals", () => {
  it("stores New/Accepted (the template's advice) as Active/Accepted", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin, { "Partner Referral Status": "New" });
    const deal = await getDeal(admin.orgId, id);
    expect([deal.status, deal.substatus, deal.direction]).toEqual([
      "Active",
      "Accepted",
      "outbound",
    ]);
  });

  it("forces Share with Microsoft to Yes when help is required, and pads a short D-U-N-S", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin, {
      "Microsoft help required?": "Oui",
      "What specific help from Microsoft?": "3",
      "Share with Microsoft sales team": "No",
      "Customer Contact First Name": "John",
      "Customer Contact Last Name": "Customer",
      "Customer Contact Phone number": "+1 425 555 0100",
      "Customer Contact Email Address": "john@customer.example",
      "Customer D-U-N-S ID": "81466849",
    });
    const deal = await getDeal(admin.orgId, id);
    expect(deal).toMatchObject({
      helpRequired: true,
      helpType: 3,
      shareWithMicrosoft: true,
      customerDuns: "081466849",
    });
  });

  it("adds a Referrals user to the team of a deal they create, so they can see it", async () => {
    const { user } = await makeWorld(store());
    const id = await createOne(user);
    const deal = await getDeal(user.orgId, id);
    expect(deal.team.map((m) => m.email)).toEqual([
      "bob.partner@contoso.example",
      "ana.silva@contoso.example",
    ]);
    expect(deal.team[1]).toMatchObject({ firstName: "Ana", lastName: "Silva" });
  });
});

describe("what a spreadsheet did to number-like text", () => {
  it("leaves rows with scientific notation or a postal code short of its zeros unprocessed, and says why", async () => {
    const { admin } = await makeWorld(store());
    const s = await importRows(store(), admin, [
      newDealRow({ "Customer Contact Phone number": "1.20655E+10" }),
      newDealRow({ "Customer Postal Code": "2.1E+04" }),
      newDealRow({ "CRM ID": "1.20655E+10" }),
      newDealRow({ "Marketing Campaign ID": "2,1E+04" }),
      newDealRow({ "Customer Postal Code": "2134", "Customer Country": "US" }),
      newDealRow({
        "Customer Postal Code": "02134",
        "Customer Contact Phone number": "12065550100",
      }),
    ]);
    expect(s).toMatchObject({ created: 1, notProcessed: 5 });
    for (const row of [1, 2, 3, 4])
      expect(codes(s, row)).toEqual(["spreadsheet_scientific_notation"]);
    expect(codes(s, 5)).toEqual(["postal_code_lost_leading_zero"]);
    expect(s.rows[0]?.errors[0]?.message).toContain("format the column as Text");
    expect(await dealCount()).toBe(1);
  });
});

describe("the CRM ID duplicate guard", () => {
  it("does not create a second deal with a CRM ID the organisation already has, and names the first", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin, { "CRM ID": "CRM-1" });
    const s = await importRows(store(), admin, [newDealRow({ "CRM ID": "CRM-1" })]);
    expect(codes(s, 1)).toEqual(["crm_id_duplicate"]);
    expect(s.rows[0]?.errors[0]?.message).toContain(id);
  });

  it("does not create two deals with one CRM ID from one file", async () => {
    const { admin } = await makeWorld(store());
    const s = await importRows(store(), admin, [
      newDealRow({ "CRM ID": "CRM-2" }),
      newDealRow({ "CRM ID": "CRM-2" }),
    ]);
    expect(s.rows.map((r) => r.result)).toEqual(["Created", "Not processed"]);
    expect(s.rows[1]?.errors[0]?.message).toContain("row 1");
  });

  it("with upsert by CRM ID, updates the deal instead", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin, { "CRM ID": "CRM-3" });
    const s = await importRows(
      store(),
      admin,
      [newDealRow({ "CRM ID": "CRM-3", "Deal Name": "Renamed" })],
      {
        upsertByCrmId: true,
      },
    );
    expect(s.rows[0]).toMatchObject({ result: "Updated", referralId: id });
    expect((await getDeal(admin.orgId, id)).name).toBe("Renamed");
    expect(await dealCount()).toBe(1);
  });
});

describe("updating deals", () => {
  it("updates editable fields, reports each change and audits it", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin);
    const s = await importRows(store(), admin, [
      newDealRow({
        "Referral ID": id,
        "Deal Name": "Bigger deal",
        "Estimated Deal Value": "25000.50",
      }),
    ]);
    expect(s.rows[0]).toMatchObject({ result: "Updated", referralId: id });
    expect(s.rows[0]?.changes).toEqual([
      {
        field: "name",
        column: "Deal Name",
        header: "Deal Name",
        from: "Contoso cloud migration",
        to: "Bigger deal",
      },
      {
        field: "value",
        column: "Estimated Deal Value",
        header: "Estimated Deal Value",
        from: "10000",
        to: "25000.5",
      },
    ]);
    const audit = await store()
      .db.selectFrom("audit_events")
      .select(["action", "field", "old_value", "new_value", "import_row", "import_id", "actor"])
      .where("deal_id", "=", id)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.action, a.field, a.old_value, a.new_value, a.import_row])).toEqual([
      ["create", null, null, null, 1],
      ["update", "Deal Name", "Contoso cloud migration", "Bigger deal", 1],
      ["update", "Estimated Deal Value", "10000", "25000.5", 1],
    ]);
    expect(audit[1]?.import_id).toBe(s.importId);
    expect(audit[1]?.actor).toBe("admin@contoso.example");
  });

  it("answers 'not found' alike for an unknown ID, another organisation's deal and a deal outside a user's team", async () => {
    const { admin, user, stranger } = await makeWorld(store());
    const foreign = await createOne(stranger);
    const hidden = await createOne(admin);
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const [actor, id] of [
      [admin, foreign],
      [admin, unknown],
      [user, hidden],
    ] as const) {
      const s = await importRows(store(), actor, [
        newDealRow({ "Referral ID": id, "Deal Name": "Hijack" }),
      ]);
      expect(codes(s, 1)).toEqual(["not_found"]);
      expect(s.rows[0]?.errors[0]?.message).toBe(
        `Referral ID '${id}' was not found among the deals you can see; check the ID, or empty the cell to create a new deal`,
      );
    }
    expect((await getDeal(stranger.orgId, foreign)).name).toBe("Contoso cloud migration");
  });

  it("leaves a field alone when its column is absent, and clears an optional one given empty", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin, { Notes: "keep me", "Marketing Campaign ID": "CAMP" });
    const s = await importRows(store(), admin, [
      {
        "Referral ID": id,
        "Partner Referral Status": "Active",
        "Partner Referral Substatus": "Accepted",
        "Marketing Campaign ID": "",
      },
    ]);
    expect(s.rows[0]?.result).toBe("Updated");
    const deal = await getDeal(admin.orgId, id);
    expect([deal.notes, deal.campaignId]).toEqual(["keep me", null]);
  });

  it("refuses to change a field that locks after creation, but accepts its current value", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin);
    const changed = await importRows(store(), admin, [
      newDealRow({ "Referral ID": id, "Customer Name": "Other Corp" }),
    ]);
    expect(codes(changed, 1)).toEqual(["locked"]);
    expect(changed.rows[0]?.errors[0]?.message).toContain(
      "Customer Name cannot be changed after the deal is created",
    );
    const same = await importRows(store(), admin, [newDealRow({ "Referral ID": id })]);
    expect(same.rows[0]?.result).toBe("Unchanged");
  });

  it("takes one row per deal", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin);
    const s = await importRows(store(), admin, [
      newDealRow({ "Referral ID": id, Notes: "a" }),
      newDealRow({ "Referral ID": id, Notes: "b" }),
    ]);
    expect(s.rows.map((r) => r.result)).toEqual(["Updated", "Not processed"]);
    expect(codes(s, 2)).toEqual(["duplicate_referral_in_file"]);
  });

  it("keeps a Referrals user on the team of a deal they edit", async () => {
    const { user } = await makeWorld(store());
    const id = await createOne(user);
    const s = await importRows(store(), user, [
      newDealRow({ "Referral ID": id, "Team member 1": "Chen, Wei, , chen.wei@contoso.example" }),
    ]);
    expect(s.rows[0]?.result).toBe("Updated");
    const deal = await getDeal(user.orgId, id);
    expect(deal.team.map((m) => m.email)).toEqual([
      "chen.wei@contoso.example",
      "ana.silva@contoso.example",
    ]);
  });
});

describe("the lifecycle through a file", () => {
  const closing = (id: string, substatus: string, reason = "") =>
    newDealRow({
      "Referral ID": id,
      "Partner Referral Status": "Closed",
      "Partner Referral Substatus": substatus,
      "Declined/Lost reason": reason,
    });

  it("needs a reason 1–8 to lose a deal", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin);
    expect(codes(await importRows(store(), admin, [closing(id, "Lost")]), 1)).toEqual([
      "reason_required",
    ]);
    expect(codes(await importRows(store(), admin, [closing(id, "Lost", "9")]), 1)).toEqual([
      "invalid_code",
    ]);
    const s = await importRows(store(), admin, [closing(id, "Perdu", "3")]);
    expect(s.rows[0]?.result).toBe("Updated");
    expect(await getDeal(admin.orgId, id)).toMatchObject({
      status: "Closed",
      substatus: "Lost",
      closeReason: 3,
    });
  });

  it("sets the sales stage to 100 on Won, and a won deal then accepts no change", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin, { "Sales Stage": "40" });
    const won = await importRows(store(), admin, [closing(id, "Won")]);
    expect(won.rows[0]?.result).toBe("Updated");
    expect((await getDeal(admin.orgId, id)).salesStage).toBe(100);
    // The same row again (as in a re-uploaded file) changes nothing: Unchanged, not an error.
    expect((await importRows(store(), admin, [closing(id, "Won")])).rows[0]?.result).toBe(
      "Unchanged",
    );
    const edit = await importRows(store(), admin, [
      { ...closing(id, "Won"), "Deal Name": "Too late" },
    ]);
    expect(codes(edit, 1)).toEqual(["terminal"]);
  });
});

describe("safe re-uploads", () => {
  it("an export imported untouched changes nothing, in English and in French", async () => {
    const { admin } = await makeWorld(store());
    await importDeals(store(), { actor: admin, bytes: readSharedFixture("create-en.csv") });
    await importRows(store(), admin, [
      newDealRow({ "Deal Name": "-minus", Notes: "@at", "CRM ID": "+plus" }),
    ]);
    for (const lang of ["en", "fr"] as const) {
      const exported = await exportDeals(store(), { actor: admin, filter: {}, lang });
      const s = await importDeals(store(), {
        actor: admin,
        bytes: new TextEncoder().encode(exported.csv),
      });
      expect(s).toMatchObject({ total: 13, unchanged: 13, notProcessed: 0 });
    }
  });

  it("a French Excel file exported and re-imported changes nothing", async () => {
    const { admin } = await makeWorld(store());
    await importDeals(store(), {
      actor: admin,
      bytes: readSharedFixture("create-fr-excel-1252.csv"),
    });
    const exported = await exportDeals(store(), { actor: admin, filter: {}, lang: "fr" });
    const s = await importDeals(store(), {
      actor: admin,
      bytes: new TextEncoder().encode(exported.csv),
    });
    expect(s).toMatchObject({ total: 6, unchanged: 6 });
  });

  it("the results file uploaded again after fixing the failed rows creates no duplicates", async () => {
    const { admin } = await makeWorld(store());
    const first = await importRows(store(), admin, [
      newDealRow(),
      newDealRow({ "Customer Country": "USA" }),
    ]);
    expect(first.rows.map((r) => r.result)).toEqual(["Created", "Not processed"]);
    const fixed = first.resultsCsv.replace(",USA,", ",US,");
    const second = await importDeals(store(), {
      actor: admin,
      bytes: new TextEncoder().encode(fixed),
    });
    expect(second.rows.map((r) => r.result)).toEqual(["Unchanged", "Created"]);
    expect(await dealCount()).toBe(2);
  });

  it("refuses an update to a deal changed since the export, but not an untouched row", async () => {
    const { admin } = await makeWorld(store());
    await createOne(admin);
    const exported = await exportDeals(store(), { actor: admin, filter: {} });
    // Someone else edits the deal one second later.
    const id = (await store().db.selectFrom("deals").select("id").executeTakeFirstOrThrow()).id;
    await importRows(store(), admin, [newDealRow({ "Referral ID": id, Notes: "theirs" })], {
      now: new Date(Date.now() + 2000),
    });
    const untouched = await importDeals(store(), {
      actor: admin,
      bytes: new TextEncoder().encode(exported.csv),
    });
    expect(codes(untouched, 1)).toEqual(["stale_row"]);
    const mine = exported.csv.replace("Contoso cloud migration", "Mine");
    const s = await importDeals(store(), { actor: admin, bytes: new TextEncoder().encode(mine) });
    expect(codes(s, 1)).toEqual(["stale_row"]);
    expect(s.rows[0]?.errors[0]?.message).toContain("export again");
  });

  it("writes the results file: input columns in order, Errors filled, new IDs, Import Result", async () => {
    const { admin } = await makeWorld(store());
    const s = await importRows(store(), admin, [newDealRow(), newDealRow({ Currency: "DOLLARS" })]);
    const lines = s.resultsCsv.replace(/^\uFEFF/, "").split("\r\n");
    const header = lines[0]?.split(",") ?? [];
    expect(header[0]).toBe("Errors");
    expect(header.slice(1, 3)).toEqual(["Referral ID", "Deal Name"]);
    expect(header.slice(-2)).toEqual(["Engagement ID", "Import Result"]);
    expect(lines[1]).toContain(s.rows[0]?.referralId ?? "missing");
    expect(lines[1]?.endsWith(",Created")).toBe(true);
    expect(lines[2]?.startsWith("\"Currency 'DOLLARS'")).toBe(true);
  });
});

describe("no silent lost update, whatever a spreadsheet does to the time", () => {
  /** The exported CSV with a column dropped and cells replaced, by header. */
  const edited = (csv: string, drop: string | null, cells: Record<string, string> = {}) => {
    const { header, records } = readCsv(csv);
    const keep = (_: string, i: number) => header[i] !== drop;
    const rows = records.map((r) => header.map((h, i) => cells[h] ?? r.cells[i] ?? ""));
    return new TextEncoder().encode(writeCsv([header, ...rows].map((row) => row.filter(keep))));
  };

  /** The Excel form of a UTC minute: `M/D/YYYY H:mm`. */
  const excelMinute = (at: number) => {
    const d = new Date(at);
    const mm = String(d.getUTCMinutes()).padStart(2, "0");
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${d.getUTCHours()}:${mm}`;
  };

  /**
   * A deal created at :10.100 of a minute and exported; with `patch`, edited through the API
   * 600 ms later: within the second the export's Last Modified keeps, and within its minute.
   */
  const exportedDeal = async (patch: boolean) => {
    const { admin } = await makeWorld(store());
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
    const id = await createOne(admin, {}, new Date(minute + 10_100));
    const { csv } = await exportDeals(store(), { actor: admin, filter: {} });
    const { header, records } = readCsv(csv);
    expect(header.at(-1)).toBe("Version");
    expect(records[0]?.cells.at(-1)).toBe("1");
    if (patch) {
      const now = new Date(minute + 10_700);
      const written = await updateDeal(store(), admin, id, 1, { notes: "theirs" }, { now });
      expect(written.result).toBe("Updated");
    }
    const reimport = (bytes: Uint8Array, dryRun = false) =>
      importDeals(store(), { actor: admin, bytes, dryRun });
    return { admin, id, csv, minute, reimport };
  };

  it("refuses a row for a deal PATCHed in the same second as the export: by Version, and by Last Modified alone", async () => {
    const { admin, id, csv, reimport } = await exportedDeal(true);
    const byVersion = await reimport(edited(csv, null, { "Deal Name": "Mine" }));
    expect(byVersion.rows[0]).toMatchObject({
      result: "Not processed",
      errors: [{ column: "Version", code: "stale_row" }],
    });
    expect(byVersion.rows[0]?.errors[0]?.message).toContain("version 1 in the file, 2 now");
    const byTime = await reimport(edited(csv, "Version", { "Deal Name": "Mine" }));
    expect(byTime.rows[0]).toMatchObject({
      result: "Not processed",
      errors: [{ column: "Last Modified", code: "stale_row" }],
    });
    expect(byTime.rows[0]?.errors[0]?.message).toMatch(
      /^Last Modified: the deal changed since your export, as far as cosell can tell: it changed twice within the second/,
    );
    // The other person's edit stands.
    expect(await getDeal(admin.orgId, id)).toMatchObject({ notes: "theirs", version: 2 });
  });

  it("refuses a row whose Last Modified Excel cut to minutes, for a deal changed again within that minute", async () => {
    const { admin, id, csv, minute, reimport } = await exportedDeal(true);
    const cut = { "Deal Name": "Mine", "Last Modified": excelMinute(minute) };
    const byTime = await reimport(edited(csv, "Version", cut));
    expect(byTime.rows[0]).toMatchObject({
      result: "Not processed",
      errors: [{ column: "Last Modified", code: "stale_row" }],
    });
    expect(byTime.rows[0]?.errors[0]?.message).toContain("changed twice within the minute");
    // With the Version column the spreadsheet could not touch, the check is exact anyway.
    const byVersion = await reimport(edited(csv, null, cut));
    expect(byVersion.rows[0]?.errors.map((e) => [e.column, e.code])).toEqual([
      ["Version", "stale_row"],
    ]);
    expect(await getDeal(admin.orgId, id)).toMatchObject({ notes: "theirs", version: 2 });
  });

  it("applies the row of a deal nobody changed since the export: Last Modified to the second or the minute, or Version", async () => {
    const { id, csv, minute, reimport, admin } = await exportedDeal(false);
    const mine = { "Deal Name": "Mine" };
    // Dry runs first, as each real run is a change the next file would not have seen.
    for (const file of [
      edited(csv, "Version", mine),
      edited(csv, "Version", { ...mine, "Last Modified": excelMinute(minute) }),
    ]) {
      expect((await reimport(file, true)).rows[0]).toMatchObject({ result: "Updated", errors: [] });
    }
    const s = await reimport(edited(csv, null, mine));
    expect(s.rows[0]).toMatchObject({ result: "Updated", errors: [] });
    expect(await getDeal(admin.orgId, id)).toMatchObject({ name: "Mine", version: 2 });
    // That edit came from this very file: the export is now stale by its Version.
    expect(codes(await reimport(edited(csv, null, { "Deal Name": "Mine 2" })), 1)).toEqual([
      "stale_row",
    ]);
  });

  it("writes the deal's new Version into the results file, so editing that file again is not refused", async () => {
    const { csv, reimport } = await exportedDeal(false);
    const first = await reimport(edited(csv, null, { "Deal Name": "Mine" }));
    expect(first.rows[0]?.result).toBe("Updated");
    const { header, records } = readCsv(first.resultsCsv);
    expect(records[0]?.cells[header.indexOf("Version")]).toBe("2");
    const again = await reimport(edited(first.resultsCsv, null, { "Deal Name": "Mine again" }));
    expect(again.rows[0]).toMatchObject({ result: "Updated", errors: [] });
  });
});

describe("a deal changed by someone else while a file is being applied", () => {
  it("reports that row as a conflict, leaves the deal as the other edit left it, and applies the rest once", async () => {
    const { admin } = await makeWorld(store());
    const a = await createOne(admin, { "Deal Name": "A" });
    const b = await createOne(admin, { "Deal Name": "B" });
    const newSolution = "SOL-9999-ZZZZ, USD, 20, 5";
    // The file is read and planned against the deals as they are now…
    const prepared = await prepareImport(store(), {
      actor: admin,
      bytes: csvBytes([
        newDealRow({ "Referral ID": a, "Deal Name": "A2", "Solution 1": newSolution }),
        newDealRow({ "Referral ID": b, "Deal Name": "B2", "Solution 1": newSolution }),
        newDealRow({ "Deal Name": "C" }),
      ]),
    });
    // …then someone else edits B before it is applied.
    const theirs = await importRows(store(), admin, [
      newDealRow({ "Referral ID": b, "Deal Name": "B, their edit" }),
    ]);
    expect(theirs.updated).toBe(1);

    const { rows } = await store()
      .db.transaction()
      .execute((trx) => applyRows(trx, prepared, prepared.writes, null));
    expect(rows.map((r) => r.result)).toEqual(["Updated", "Not processed", "Created"]);
    expect(codes({ rows }, 2)).toEqual(["stale_row"]);
    const dealA = await getDeal(admin.orgId, a);
    expect([dealA.name, dealA.solutions[0]?.id]).toEqual(["A2", "SOL-9999-ZZZZ"]);
    const dealB = await getDeal(admin.orgId, b);
    expect([dealB.name, dealB.solutions[0]?.id]).toEqual(["B, their edit", "SOL-1234-PQRS"]);
    expect(await dealCount()).toBe(3);
    // The file's own audit entries (no import record: import_id is null): A's changes and C's
    // creation, each once, and nothing for B.
    const events = await store()
      .db.selectFrom("audit_events")
      .select(["deal_id", "action"])
      .where("import_id", "is", null)
      .execute();
    const created = rows[2]?.referralId;
    expect(events.filter((e) => e.deal_id === b)).toEqual([]);
    expect(events.filter((e) => e.deal_id === a).length).toBe(rows[0]?.changes.length);
    expect(events.filter((e) => e.deal_id === created)).toEqual([
      { deal_id: created, action: "create" },
    ]);
  });
});

describe("dry runs", () => {
  it("report exactly what the real run then does, and write nothing", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin);
    const rows = [
      newDealRow({ "Referral ID": id, "Deal Name": "Renamed" }),
      newDealRow({ "CRM ID": "NEW-1" }),
      newDealRow({ "Customer Country": "Germany" }),
    ];
    const auditBefore = await store().db.selectFrom("audit_events").select("id").execute();
    const dry = await importRows(store(), admin, rows, { dryRun: true });
    expect(await dealCount()).toBe(1);
    expect((await getDeal(admin.orgId, id)).name).toBe("Contoso cloud migration");
    expect(await store().db.selectFrom("audit_events").select("id").execute()).toEqual(auditBefore);
    expect(await store().db.selectFrom("imports").select("id").execute()).toHaveLength(1);
    const real = await importRows(store(), admin, rows);
    const strip = (s: typeof dry) => ({
      counts: [s.total, s.created, s.updated, s.unchanged, s.notProcessed],
      rows: s.rows.map((r) => ({
        ...r,
        referralId: r.result === "Created" ? null : r.referralId,
        engagementId: null,
      })),
    });
    expect(strip(dry)).toEqual(strip(real));
    expect(dry.rows[0]?.changes[0]).toMatchObject({
      column: "Deal Name",
      from: "Contoso cloud migration",
      to: "Renamed",
    });
    expect(dry.rows[2]?.errors[0]?.message).toContain("did you mean DE?");
  });

  it("write, when asked, the results file the real run would write, minus the new ids", async () => {
    const { admin } = await makeWorld(store());
    const id = await createOne(admin);
    const dry = await importRows(
      store(),
      admin,
      [
        newDealRow({ "Referral ID": id, "Deal Name": "Renamed" }),
        newDealRow({ "CRM ID": "NEW-1" }),
        newDealRow({ "Customer Country": "Germany" }),
      ],
      { dryRun: true },
    );
    const { header, records } = readCsv(dry.resultsCsv);
    const cell = (row: number, column: string) => records[row]?.cells[header.indexOf(column)];
    expect(records.map((_, i) => cell(i, "Import Result"))).toEqual([
      "Updated",
      "Created",
      "Not processed",
    ]);
    // Nothing was created, so no Referral ID is handed out; the update keeps its own.
    expect([cell(0, "Referral ID"), cell(1, "Referral ID")]).toEqual([id, ""]);
    expect(cell(2, "Errors")).toContain("did you mean DE?");
    expect(await dealCount()).toBe(1);
  });
});

describe("whole-file rejections write nothing", () => {
  const rejects = async (bytes: Uint8Array, code: string) => {
    const { admin } = await makeWorld(store());
    await expect(importDeals(store(), { actor: admin, bytes })).rejects.toMatchObject({
      name: "FileRejectedError",
      code,
    });
    expect(await dealCount()).toBe(0);
  };

  it("more than 1,000 data rows", async () => {
    await rejects(csvBytes(Array.from({ length: 1001 }, () => newDealRow())), "too_many_rows");
  });

  it("a duplicated header", async () => {
    const text = "Deal Name,Customer Name,deal  name\r\na,b,c\r\n";
    await rejects(new TextEncoder().encode(text), "duplicate_header");
  });

  it("no recognisable header", async () => {
    await rejects(new TextEncoder().encode("foo,bar\r\n1,2\r\n"), "no_header");
  });

  it("an Excel workbook instead of a CSV", async () => {
    await rejects(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]), "unreadable_file");
  });

  it("a file over the size limit", async () => {
    const { admin } = await makeWorld(store());
    const bytes = csvBytes([newDealRow()]);
    const error = await importDeals(store(), {
      actor: admin,
      bytes,
      limits: {
        importRows: 1000,
        exportRecords: 5000,
        solutionsPerDeal: 50,
        teamMembersPerDeal: 50,
        uploadBytes: 100,
        cellChars: 32000,
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileRejectedError);
    expect(await dealCount()).toBe(0);
  });
});
