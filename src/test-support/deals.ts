/**
 * Test data for the engine: accounts, and CSV files built from rows keyed by English
 * header, written with the real CSV writer.
 */

import type { DealInputJson } from "../core/api/deal-schemas.js";
import { writeCsv } from "../core/csv/index.js";
import { actorByEmail, addUser, createOrganization } from "../server/commands/accounts.js";
import type { UserActor } from "../core/actor.js";
import { importDeals } from "../server/commands/import-deals.js";
import type { ImportRequest } from "../server/commands/import-prepare.js";
import type { Store } from "../server/db/store.js";
import { buildDeal } from "./build-deal.js";
import type { CsvRow } from "./rows.js";

export { CO_SELL_CELLS, type CsvRow, newDealRow } from "./rows.js";

/** CSV bytes (UTF-8 with BOM) with the union of the rows' headers, in first-seen order. */
export const csvBytes = (rows: readonly CsvRow[], headers?: readonly string[]): Uint8Array => {
  const cols = headers ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const text = writeCsv([cols, ...rows.map((r) => cols.map((c) => r[c] ?? ""))]);
  return new TextEncoder().encode(text);
};

export interface World {
  store: Store;
  admin: UserActor;
  user: UserActor;
  /** An admin of another organisation. */
  stranger: UserActor;
}

/** Two organisations: Contoso (an admin and a plain user) and Fabrikam (an admin). */
export const makeWorld = async (store: Store): Promise<World> => {
  await createOrganization(store, {
    name: "Contoso",
    adminEmail: "admin@contoso.example",
    password: "contoso-admin-pass",
  });
  await addUser(store, {
    email: "Ana.Silva@contoso.example",
    orgName: "Contoso",
    role: "user",
    name: "Ana Silva",
    password: "contoso-user-pass",
  });
  await createOrganization(store, {
    name: "Fabrikam",
    adminEmail: "admin@fabrikam.example",
    password: "fabrikam-admin-pass",
  });
  return {
    store,
    admin: await actorByEmail(store, "admin@contoso.example"),
    user: await actorByEmail(store, "ana.silva@contoso.example"),
    stranger: await actorByEmail(store, "admin@fabrikam.example"),
  };
};

/** Imports rows as `actor` and returns the summary. */
export const importRows = (
  store: Store,
  actor: UserActor,
  rows: readonly CsvRow[],
  options: Omit<ImportRequest, "actor" | "bytes"> = {},
) => importDeals(store, { actor, bytes: csvBytes(rows), ...options });

/**
 * A valid body for a new deal (POST /api/deals, `createDeal`): `buildDeal`'s deal, shared with
 * Microsoft. Override any field.
 */
export const newDealInput = (overrides: DealInputJson = {}): DealInputJson => {
  const { solutions, team } = buildDeal();
  return {
    name: "Contoso cloud migration",
    customerName: "Contoso Ltd",
    customerAddress1: "1 Main Street",
    customerCity: "Seattle",
    customerCountry: "US",
    status: "Active",
    substatus: "Accepted",
    value: 10000,
    currency: "USD",
    closeDate: "2027-12-31",
    helpRequired: false,
    shareWithMicrosoft: true,
    consent: true,
    solutions,
    team,
    ...overrides,
  };
};
