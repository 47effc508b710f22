/**
 * Deals and their solutions and team members, to and from the tables. Bulk shaped: the
 * import and export paths read and write hundreds of deals in a few statements.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Deal, Solution, TeamMember } from "../../core/deal.js";
import type { Database, DealRow, NewDealRow } from "./schema.js";

export type Db = Kysely<Database> | Transaction<Database>;

/** Rows per multi-row statement: under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const CHUNK = 400;

/** Ids per `IN (…)` list: an export's 5,000 deals fetch their children in one statement. */
const CHILD_IDS = 10_000;

export const chunks = <T>(items: readonly T[], size = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

const flag = (b: boolean): 0 | 1 => (b ? 1 : 0);

/** What the list's free-text search looks in (SPEC §2), lower-cased once at write time. */
export const searchTextOf = (
  d: Pick<Deal, "name" | "customerName" | "id" | "crmId" | "notes">,
): string => `${d.name} ${d.customerName} ${d.id} ${d.crmId ?? ""} ${d.notes ?? ""}`.toLowerCase();

export const dealToRow = (d: Deal): NewDealRow => ({
  id: d.id,
  org_id: d.orgId,
  engagement_id: d.engagementId,
  direction: d.direction,
  name: d.name,
  customer_name: d.customerName,
  customer_address1: d.customerAddress1,
  customer_address2: d.customerAddress2,
  customer_city: d.customerCity,
  customer_state: d.customerState,
  customer_postal_code: d.customerPostalCode,
  customer_country: d.customerCountry,
  customer_duns: d.customerDuns,
  contact_first_name: d.contactFirstName,
  contact_last_name: d.contactLastName,
  contact_phone: d.contactPhone,
  contact_email: d.contactEmail,
  status: d.status,
  substatus: d.substatus,
  microsoft_status: d.microsoftStatus,
  close_reason: d.closeReason,
  sales_stage: d.salesStage,
  value: d.value,
  currency: d.currency,
  close_date: d.closeDate,
  crm_id: d.crmId,
  campaign_id: d.campaignId,
  notes: d.notes,
  help_required: flag(d.helpRequired),
  help_type: d.helpType,
  share_with_microsoft: flag(d.shareWithMicrosoft),
  notes_to_microsoft: d.notesToMicrosoft,
  consent: flag(d.consent),
  created_at: d.createdAt,
  updated_at: d.updatedAt,
  received_at: d.receivedAt,
  version: d.version,
  search_text: searchTextOf(d),
});

export const rowToDeal = (r: DealRow, solutions: Solution[], team: TeamMember[]): Deal => ({
  id: r.id,
  orgId: r.org_id,
  engagementId: r.engagement_id,
  direction: r.direction,
  name: r.name,
  customerName: r.customer_name,
  customerAddress1: r.customer_address1,
  customerAddress2: r.customer_address2,
  customerCity: r.customer_city,
  customerState: r.customer_state,
  customerPostalCode: r.customer_postal_code,
  customerCountry: r.customer_country,
  customerDuns: r.customer_duns,
  contactFirstName: r.contact_first_name,
  contactLastName: r.contact_last_name,
  contactPhone: r.contact_phone,
  contactEmail: r.contact_email,
  status: r.status,
  substatus: r.substatus,
  microsoftStatus: r.microsoft_status,
  closeReason: r.close_reason,
  salesStage: r.sales_stage,
  value: r.value,
  currency: r.currency,
  closeDate: r.close_date,
  crmId: r.crm_id,
  campaignId: r.campaign_id,
  notes: r.notes,
  helpRequired: r.help_required === 1,
  helpType: r.help_type,
  shareWithMicrosoft: r.share_with_microsoft === 1,
  notesToMicrosoft: r.notes_to_microsoft,
  consent: r.consent === 1,
  solutions,
  team,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  receivedAt: r.received_at,
  version: r.version,
});

/** Solutions and team members of these deals, grouped by deal, in column order. */
const loadChildren = async (
  db: Db,
  ids: readonly string[],
): Promise<{ solutions: Map<string, Solution[]>; team: Map<string, TeamMember[]> }> => {
  const solutions = new Map<string, Solution[]>();
  const team = new Map<string, TeamMember[]>();
  for (const part of chunks(ids, CHILD_IDS)) {
    const [s, t] = await Promise.all([
      db
        .selectFrom("deal_solutions")
        .select(["deal_id", "solution_id", "currency", "price", "quantity"])
        .where("deal_id", "in", part)
        .orderBy("deal_id")
        .orderBy("position")
        .execute(),
      db
        .selectFrom("deal_team_members")
        .select(["deal_id", "first_name", "last_name", "phone", "email"])
        .where("deal_id", "in", part)
        .orderBy("deal_id")
        .orderBy("position")
        .execute(),
    ]);
    for (const r of s) {
      const list = solutions.get(r.deal_id) ?? [];
      list.push({ id: r.solution_id, currency: r.currency, price: r.price, quantity: r.quantity });
      solutions.set(r.deal_id, list);
    }
    for (const r of t) {
      const list = team.get(r.deal_id) ?? [];
      list.push({ firstName: r.first_name, lastName: r.last_name, phone: r.phone, email: r.email });
      team.set(r.deal_id, list);
    }
  }
  return { solutions, team };
};

/** Turns deal rows into deals, keeping their order. */
export const hydrate = async (db: Db, rows: readonly DealRow[]): Promise<Deal[]> => {
  const { solutions, team } = await loadChildren(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => rowToDeal(r, solutions.get(r.id) ?? [], team.get(r.id) ?? []));
};

/** The organisation's deals with these Referral IDs (unknown or foreign ids are simply absent). */
export const findDealsByIds = async (
  db: Db,
  orgId: string,
  ids: readonly string[],
): Promise<Deal[]> => {
  const rows: DealRow[] = [];
  for (const part of chunks(ids, 2000)) {
    rows.push(
      ...(await db
        .selectFrom("deals")
        .selectAll()
        .where("org_id", "=", orgId)
        .where("id", "in", part)
        .execute()),
    );
  }
  return hydrate(db, rows);
};

/** The organisation's deals carrying these CRM IDs. */
export const findDealsByCrmIds = async (
  db: Db,
  orgId: string,
  crmIds: readonly string[],
): Promise<Deal[]> => {
  const rows: DealRow[] = [];
  for (const part of chunks(crmIds, 2000)) {
    rows.push(
      ...(await db
        .selectFrom("deals")
        .selectAll()
        .where("org_id", "=", orgId)
        .where("crm_id", "in", part)
        .execute()),
    );
  }
  return hydrate(db, rows);
};

const solutionRows = (d: Deal) =>
  d.solutions.map((s, position) => ({
    deal_id: d.id,
    position,
    solution_id: s.id,
    currency: s.currency,
    price: s.price,
    quantity: s.quantity,
  }));

const teamRows = (d: Deal) =>
  d.team.map((m, position) => ({
    deal_id: d.id,
    position,
    first_name: m.firstName,
    last_name: m.lastName,
    phone: m.phone,
    email: m.email,
    email_key: m.email.toLowerCase(),
  }));

const insertChildren = async (db: Db, deals: readonly Deal[]): Promise<void> => {
  for (const part of chunks(deals.flatMap(solutionRows), 2000)) {
    await db.insertInto("deal_solutions").values(part).execute();
  }
  for (const part of chunks(deals.flatMap(teamRows), 2000)) {
    await db.insertInto("deal_team_members").values(part).execute();
  }
};

export const insertDeals = async (db: Db, deals: readonly Deal[]): Promise<void> => {
  for (const part of chunks(deals)) {
    await db.insertInto("deals").values(part.map(dealToRow)).execute();
  }
  await insertChildren(db, deals);
};

/** Column types for the VALUES list of a batched update: PostgreSQL needs them spelled out. */
const INTEGER_COLUMNS: ReadonlySet<string> = new Set([
  "close_reason",
  "sales_stage",
  "help_type",
  "help_required",
  "share_with_microsoft",
  "consent",
  "version",
  "expected_version",
]);
const castOf = (column: string): string =>
  column === "value" ? "double precision" : INTEGER_COLUMNS.has(column) ? "integer" : "text";

/**
 * Writes new versions of existing deals, a few hundred per statement
 * (`WITH v AS (VALUES …) UPDATE … FROM v`, which both dialects run). Each update names the
 * version it was planned against: a deal changed in between is not overwritten, and its id
 * is returned.
 */
export const updateDeals = async (
  db: Db,
  updates: readonly { deal: Deal; expectedVersion: number; lists: boolean }[],
): Promise<string[]> => {
  const written = new Set<string>();
  for (const part of chunks(updates, 200)) {
    const rows = part.map(({ deal, expectedVersion }) => {
      const { org_id: _org, created_at: _created, ...row } = dealToRow(deal);
      return { ...row, org_id: deal.orgId, expected_version: expectedVersion };
    });
    const first = rows[0];
    if (!first) continue;
    const columns = Object.keys(first) as (keyof typeof first)[];
    const values = sql.join(
      rows.map(
        (r) => sql`(${sql.join(columns.map((c) => sql`cast(${r[c]} as ${sql.raw(castOf(c))})`))})`,
      ),
    );
    const assignments = sql.join(
      columns
        .filter((c) => c !== "id" && c !== "org_id" && c !== "expected_version")
        .map((c) => sql`${sql.ref(c)} = ${sql.ref(`v.${c}`)}`),
    );
    const result = await sql<{ id: string }>`
      with v (${sql.join(columns.map((c) => sql.ref(c)))}) as (values ${values})
      update deals set ${assignments}
      from v
      where deals.id = v.id and deals.org_id = v.org_id and deals.version = v.expected_version
      returning deals.id`.execute(db);
    for (const r of result.rows) written.add(r.id);
  }
  const conflicts = updates.map((u) => u.deal.id).filter((id) => !written.has(id));
  const relisted = updates.filter((u) => u.lists && written.has(u.deal.id)).map((u) => u.deal);
  for (const part of chunks(
    relisted.map((d) => d.id),
    CHILD_IDS,
  )) {
    await db.deleteFrom("deal_solutions").where("deal_id", "in", part).execute();
    await db.deleteFrom("deal_team_members").where("deal_id", "in", part).execute();
  }
  await insertChildren(db, relisted);
  return conflicts;
};
