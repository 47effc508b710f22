/**
 * Deals and their solutions and team members, to and from the tables. Bulk shaped: the
 * import and export paths read and write hundreds of deals in a few statements.
 */
import { sql } from "kysely";
import type { Deal, Solution, TeamMember } from "../../core/deal.js";
import { jsonArray, type ReadColumn, selectJson } from "./bulk-read.js";
import {
  type BulkRow,
  deleteMany,
  insertMany,
  pipeline,
  type Step,
  updateMany,
} from "./bulk-write.js";
import { type Db, isPostgres } from "./db.js";
import {
  DEAL_READ,
  dealIdOf,
  dealOfValues,
  memberOfValues,
  nestedListsOf,
  SOLUTION_READ,
  solutionOfValues,
  TEAM_READ,
} from "./deal-json.js";
import type { NewDealRow } from "./schema.js";

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

/** Which deals' children to read: a condition on `deal_id` (see `JsonQuery.where`). */
interface ChildScope {
  where: (match: string) => string;
  params: readonly string[];
  values: readonly string[];
}

/** A child row's leading values: its deal's id and its position in the deal's list. */
const CHILD_KEY_READ = [{ name: "deal_id" }, { name: "position" }];

type Children = { solutions: Map<string, Solution[]>; team: Map<string, TeamMember[]> };

/**
 * Solutions and team members of the deals in scope, grouped by deal, in column order. Read
 * unsorted, each with its position (`byDeal` puts them in order): sorting them in the
 * database (by deal, then position) cost a third of the statement, 2.5 ms for 3,000 rows on
 * PostgreSQL.
 */
const loadChildren = async (db: Db, scope: ChildScope): Promise<Children> => {
  const [s, t] = await Promise.all([
    selectJson(db, {
      ...scope,
      columns: [...CHILD_KEY_READ, ...SOLUTION_READ],
      from: "deal_solutions",
    }),
    selectJson(db, {
      ...scope,
      columns: [...CHILD_KEY_READ, ...TEAM_READ],
      from: "deal_team_members",
    }),
  ]);
  return {
    solutions: byDeal(s, (values) => solutionOfValues(values, CHILD_KEY_READ.length)),
    team: byDeal(t, (values) => memberOfValues(values, CHILD_KEY_READ.length)),
  };
};

/** Child rows (`CHILD_KEY_READ` first) as each deal's list, every item at its position. */
const byDeal = <T>(rows: readonly unknown[], read: (values: unknown) => T): Map<string, T[]> => {
  const lists = new Map<string, T[]>();
  for (const values of rows) {
    const [dealId, position] = Array.isArray(values) ? values : [];
    if (typeof dealId !== "string" || !Number.isInteger(position)) {
      throw new Error("a child row read without its deal's id and position");
    }
    let list = lists.get(dealId);
    if (!list) {
      list = [];
      lists.set(dealId, list);
    }
    list[Number(position)] = read(values);
  }
  // Positions run 0, 1, 2, … within a deal (rewriteChildren keeps them so): no holes to close.
  for (const list of lists.values()) {
    if (list.includes(undefined as T)) throw new Error("a deal's child positions have a gap");
  }
  return lists;
};

/** Deals from their `DEAL_READ` arrays, each with its children as `loadChildren` grouped them. */
const withChildren = (rows: readonly unknown[], { solutions, team }: Children): Deal[] =>
  rows.map((row) => {
    const deal = dealOfValues(row, [], []);
    deal.solutions = solutions.get(deal.id) ?? [];
    deal.team = team.get(deal.id) ?? [];
    return deal;
  });

/** Deals read as `DEAL_READ` arrays (`selectArraysOf`), with their children, in their order. */
export const dealsOfValues = async (db: Db, rows: readonly unknown[]): Promise<Deal[]> =>
  withChildren(
    rows,
    await loadChildren(db, {
      where: (match) => `deal_id ${match}`,
      params: [],
      values: rows.map(dealIdOf),
    }),
  );

/** A deal read as one JSON array: its columns (`DEAL_READ`), then its solutions and its team. */
const dealOfJson = (values: unknown): Deal => {
  const [solutions, team] = nestedListsOf(values);
  return dealOfValues(
    values,
    jsonArray(solutions).map((v) => solutionOfValues(v)),
    jsonArray(team).map((v) => memberOfValues(v)),
  );
};

/**
 * The organisation's deals whose `column` is one of `values`, with their children.
 *
 * SQLite: one statement, each deal one JSON array holding its solutions and team as arrays
 * (see `selectJson`): 1,000 deals in 12 ms, where three result sets of rows take 24 (and
 * three JSON texts 18). PostgreSQL runs those correlated subqueries slowly (19 ms of server
 * time for 1,000 deals): there, three flat queries go out side by side on pooled connections.
 */
const findDealsWhereIn = async (
  db: Db,
  orgId: string,
  column: "id" | "crm_id",
  values: readonly string[],
): Promise<Deal[]> => {
  if (values.length === 0) return [];
  if (isPostgres(db)) {
    const [rows, children] = await Promise.all([
      selectJson(db, {
        columns: DEAL_READ,
        from: "deals",
        where: (match) => `org_id = ? and ${column} ${match}`,
        params: [orgId],
        values,
      }),
      loadChildren(
        db,
        column === "id"
          ? // By id, the children of the ids asked for: those of a deal that is not the
            // organisation's are read but never attached (`withChildren` goes by the deals).
            { where: (match) => `deal_id ${match}`, params: [], values }
          : {
              where: (match) =>
                // `= any(array(…))`: the deals' ids first, then the children by their key — a
                // plan that holds whatever the statistics say (a join was planned as a scan of
                // every child row once the table carried many dead ones).
                `deal_id = any(array(select id from deals where org_id = ? and crm_id ${match}))`,
              params: [orgId],
              values,
            },
      ),
    ]);
    return withChildren(rows, children);
  }
  const child = (table: string, columns: readonly ReadColumn[]) => ({
    from: table,
    columns,
    on: "deal_id = d.id",
    orderBy: "position",
  });
  const deals = await selectJson(db, {
    columns: DEAL_READ,
    from: "deals d",
    // By id, the primary key finds each deal; `+` keeps SQLite (which has no statistics)
    // from walking the organisation's index instead — every deal of the organisation. By
    // CRM ID, the (org_id, crm_id) index is the way in.
    where: (match) =>
      column === "id" ? `+d.org_id = ? and d.id ${match}` : `d.org_id = ? and d.crm_id ${match}`,
    params: [orgId],
    values,
    children: [child("deal_solutions", SOLUTION_READ), child("deal_team_members", TEAM_READ)],
  });
  return deals.map(dealOfJson);
};

/** The organisation's deals with these Referral IDs (unknown or foreign ids are simply absent). */
export const findDealsByIds = (db: Db, orgId: string, ids: readonly string[]): Promise<Deal[]> =>
  findDealsWhereIn(db, orgId, "id", ids);

/** The organisation's deals carrying these CRM IDs. */
export const findDealsByCrmIds = (
  db: Db,
  orgId: string,
  crmIds: readonly string[],
): Promise<Deal[]> => findDealsWhereIn(db, orgId, "crm_id", crmIds);

const solutionRows = (d: Deal): BulkRow[] =>
  d.solutions.map((s, position) => ({
    deal_id: d.id,
    position,
    solution_id: s.id,
    currency: s.currency,
    price: s.price,
    quantity: s.quantity,
  }));

const teamRows = (d: Deal): BulkRow[] =>
  d.team.map((m, position) => ({
    deal_id: d.id,
    position,
    first_name: m.firstName,
    last_name: m.lastName,
    phone: m.phone,
    email: m.email,
    email_key: m.email.toLowerCase(),
  }));

/** The child tables' columns, in the order `solutionRows` and `teamRows` write them. */
export const SOLUTION_COLUMNS = [
  "deal_id",
  "position",
  "solution_id",
  "currency",
  "price",
  "quantity",
];
export const TEAM_COLUMNS = [
  "deal_id",
  "position",
  "first_name",
  "last_name",
  "phone",
  "email",
  "email_key",
];

/** The statements that insert new deals with their solutions and team members, for `pipeline`. */
const insertSteps = (db: Db, deals: readonly Deal[]): Step[] =>
  deals.length === 0
    ? []
    : [
        () => {
          const rows = deals.map(dealToRow);
          return insertMany(db, "deals", Object.keys(rows[0] ?? {}), rows);
        },
        () => insertMany(db, "deal_solutions", SOLUTION_COLUMNS, deals.flatMap(solutionRows)),
        () => insertMany(db, "deal_team_members", TEAM_COLUMNS, deals.flatMap(teamRows)),
      ];

export const insertDeals = (db: Db, deals: readonly Deal[]): Promise<void> =>
  pipeline(db, insertSteps(db, deals));

/** A deal as it was read and as it is to be written (its version one higher). */
export interface DealUpdate {
  before: Deal;
  after: Deal;
}

/** The columns whose values differ between the two versions of a row. */
const changedColumns = (before: BulkRow, after: BulkRow): string[] =>
  Object.keys(after).filter((c) => after[c] !== before[c]);

const CHILD_KEYS = ["deal_id", "position"];

/**
 * The statements that bring a child table in line with the new lists of some deals,
 * position by position: a changed item is updated in place, an added one inserted, a
 * dropped one deleted. Most updates touch one item of a list, so this writes one row where
 * rewriting the list would delete and insert them all.
 */
const childSteps = (
  db: Db,
  table: string,
  columns: readonly string[],
  lists: () => readonly { before: BulkRow[]; after: BulkRow[] }[],
): Step[] => {
  const values = columns.filter((c) => !CHILD_KEYS.includes(c));
  // Worked out by the first step that needs it, so while the statement before it runs.
  let split: { changed: BulkRow[]; added: BulkRow[]; dropped: BulkRow[] } | undefined;
  const parts = () => {
    if (split) return split;
    split = { changed: [], added: [], dropped: [] };
    for (const { before, after } of lists()) {
      for (let i = 0; i < Math.max(before.length, after.length); i++) {
        const was = before[i];
        const is = after[i];
        if (was && is) {
          if (changedColumns(was, is).length > 0) split.changed.push(is);
        } else if (is) split.added.push(is);
        else if (was) split.dropped.push(was);
      }
    }
    return split;
  };
  return [
    () => updateMany(db, table, CHILD_KEYS, values, parts().changed),
    () => insertMany(db, table, columns, parts().added),
    () => deleteMany(db, table, CHILD_KEYS, parts().dropped),
  ];
};

/** The statements that write the changed solutions and team members of updated deals. */
const childUpdateSteps = (db: Db, updates: readonly DealUpdate[]): Step[] => [
  ...childSteps(db, "deal_solutions", SOLUTION_COLUMNS, () =>
    updates.map((u) => ({ before: solutionRows(u.before), after: solutionRows(u.after) })),
  ),
  ...childSteps(db, "deal_team_members", TEAM_COLUMNS, () =>
    updates.map((u) => ({ before: teamRows(u.before), after: teamRows(u.after) })),
  ),
];

/**
 * The statements that write new versions of existing deals' rows: only the columns that
 * changed (so only their indexes are touched), deals with the same changed columns batched
 * into one statement (bulk.ts). A deal whose version is no longer the one it was read at —
 * changed by someone else in between — is not overwritten: its id goes into `lost`.
 */
const rowUpdateSteps = (db: Db, updates: readonly DealUpdate[], lost: Set<string>): Step[] => {
  const groups = new Map<string, { columns: string[]; rows: BulkRow[] }>();
  for (const { before, after } of updates) {
    if (after.version !== before.version + 1 || after.id !== before.id) {
      throw new Error(`an update of deal ${before.id} must raise its version by one`);
    }
    // Grouped up front (cheap next to the statements' JSON), so the number of steps is known.
    const row: BulkRow = dealToRow(after);
    const columns = changedColumns(dealToRow(before), row);
    const key = columns.join(",");
    const group = groups.get(key) ?? { columns, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ columns, rows }) => async () => {
    const written = new Set(
      await updateMany(db, "deals", ["id", "org_id"], columns, rows, "t.version + 1 = v.version"),
    );
    for (const row of rows) {
      const id = String(row.id);
      if (!written.has(id)) lost.add(id);
    }
  });
};

/**
 * The statements of `updateDeals` pipelined with others: every deal's row and children. A
 * deal changed by someone else in between keeps its row (its id goes into `lost`) but gets the
 * new children all the same, so when `lost` is not empty these statements must be undone
 * (rolled back to a savepoint) and tried again without those deals, as
 * `writeDealsOptimistically` does.
 */
const optimisticUpdateSteps = (
  db: Db,
  updates: readonly DealUpdate[],
  lost: Set<string>,
): Step[] => [...rowUpdateSteps(db, updates, lost), ...childUpdateSteps(db, updates)];

/**
 * Writes new versions of existing deals (`rowUpdateSteps`), then the children that changed
 * of those it wrote. Returns the ids of the deals changed by someone else in between, which
 * it left as they were.
 */
export const updateDeals = async (db: Db, updates: readonly DealUpdate[]): Promise<string[]> => {
  const lost = new Set<string>();
  await pipeline(db, rowUpdateSteps(db, updates, lost));
  await pipeline(
    db,
    childUpdateSteps(
      db,
      updates.filter((u) => !lost.has(u.after.id)),
    ),
  );
  return [...lost];
};

/** What a caller of `writeDealsOptimistically` writes beside the deals, and what it reports. */
export interface AlongsideDeals<T> {
  /** Statements pipelined after the deals' (rows' results, audit entries, …). */
  steps: Step[];
  value: T;
}

/**
 * Writes new deals and new versions of existing ones in the caller's transaction, pipelined
 * with the caller's own statements (`build`), which are therefore sent before the updates'
 * outcome is known: `build` is first told that no deal was changed by someone else since it
 * was read. If one was (its version moved), everything since a savepoint is undone and
 * `build` is called again with those deals among the `conflicted`, whose updates are then
 * left out (rare: it takes a concurrent edit of the same deal). Returns the last build's value.
 */
export async function writeDealsOptimistically<T>(
  trx: Db,
  creates: readonly Deal[],
  updates: readonly DealUpdate[],
  build: (conflicted: ReadonlySet<string>) => AlongsideDeals<T>,
): Promise<T> {
  const conflicted = new Set<string>();
  const savepoint = updates.length > 0;
  if (savepoint) await sql`savepoint apply_rows`.execute(trx);
  for (;;) {
    const lost = new Set<string>();
    const { steps, value } = build(conflicted);
    await pipeline(trx, [
      ...insertSteps(trx, creates),
      ...optimisticUpdateSteps(
        trx,
        updates.filter((u) => !conflicted.has(u.after.id)),
        lost,
      ),
      ...steps,
    ]);
    if (lost.size === 0) {
      if (savepoint) await sql`release savepoint apply_rows`.execute(trx);
      return value;
    }
    await sql`rollback to savepoint apply_rows`.execute(trx);
    for (const id of lost) conflicted.add(id);
  }
}
