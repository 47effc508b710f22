/**
 * The list's windows (ordered ids of the first LIST_WINDOW deals of one order) must give
 * exactly the pages the database gives: same deals, same order, same totals, for every filter
 * and order, at every offset and cursor — within the window, at its edge and past it — and
 * fall back when a cursor's deal has moved since the page that handed it out.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { DealFilter } from "../../core/deal-filter.js";
import type { Deal } from "../../core/deal.js";
import { encodeDealCursor, decodeDealCursor } from "../../core/deal-cursor.js";
import { buildDeal } from "../../test-support/build-deal.js";
import { setupTestStore } from "../../test-support/db.js";
import { makeWorld } from "../../test-support/deals.js";
import type { UserActor } from "../../core/actor.js";
import { bumpDealListVersion, readDealListVersion } from "../db/deal-list-version.js";
import type { DealQuery, DealSort } from "../../core/deal-query.js";
import { insertDeals } from "../db/deals-repo.js";
import type { Store } from "../db/store.js";
import { LruCache } from "../lru-cache.js";
import { LIST_WINDOW, type ListCounts, listDeals } from "./deals.js";

const SORTS: DealSort[] = ["createdAt", "name", "customerName", "value", "closeDate", "status"];
const NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"];
/** Status and substatus pairs the lifecycle allows (SPEC §5). */
const STATES = [
  { status: "New", substatus: "Received" },
  { status: "Active", substatus: "Accepted" },
  { status: "Closed", substatus: "Won" },
  { status: "Closed", substatus: "Lost" },
] as const;

/** More deals than a window holds, with many ties in every sort column (the id breaks them). */
const dealsOf = (orgId: string, n: number): Deal[] =>
  Array.from({ length: n }, (_, i) =>
    buildDeal({
      id: randomUUID(),
      orgId,
      direction: i % 3 === 0 ? "inbound" : "outbound",
      createdAt: new Date(Date.UTC(2026, 0, 1) + (i % 400) * 60_000).toISOString(),
      name: `${NAMES[i % NAMES.length]} ${i % 7}`,
      customerName: i % 11 === 0 ? "Tailspin Toys" : `Customer ${i % 13}`,
      customerCountry: i % 2 === 0 ? "US" : "FR",
      ...(STATES[i % STATES.length] ?? STATES[1]),
      value: (i % 17) * 1000,
      closeDate: `2027-0${1 + (i % 9)}-15`,
    }),
  );

const caches = async (store: Store, actor: UserActor): Promise<ListCounts> => ({
  version: await readDealListVersion(store.db, actor.orgId),
  cache: new LruCache<number>({ maxEntries: 100 }),
  windows: new LruCache<readonly string[]>({ maxEntries: 100 }),
});

const ids = (page: { items: { deal: Deal }[] }) => page.items.map((v) => v.deal.id);

describe("list windows", () => {
  const store = setupTestStore();

  it("give the database's own pages for every filter, order and offset, inside and past the window", async () => {
    const { admin } = await makeWorld(store());
    await insertDeals(store().db, dealsOf(admin.orgId, LIST_WINDOW + 150));
    const filters: DealFilter[] = [
      {},
      { tab: "inbound" },
      { countries: ["US"] },
      { search: "tailspin" },
      { customerName: "tailspin" },
    ];
    const windowed = await caches(store(), admin);
    for (const filter of filters) {
      for (const by of SORTS) {
        for (const dir of ["asc", "desc"] as const) {
          for (const offset of [0, 50, LIST_WINDOW - 50, LIST_WINDOW - 20, LIST_WINDOW + 50]) {
            const query: DealQuery = { filter, sort: { by, dir }, limit: 50, offset };
            const plain = await listDeals(store(), admin, query);
            const cut = await listDeals(store(), admin, query, windowed);
            const where = JSON.stringify({ filter, by, dir, offset });
            expect(ids(cut), where).toStrictEqual(ids(plain));
            expect(cut.total, where).toBe(plain.total);
            expect(cut.totalIsExact, where).toBe(plain.totalIsExact);
          }
        }
      }
    }
    // The windows were used: one per (filter, order) that was asked for.
    expect(windowed.windows?.size).toBe(filters.length * SORTS.length * 2);
  });

  it("follow cursors page by page exactly as the database does, across the window's end", async () => {
    const { admin } = await makeWorld(store());
    await insertDeals(store().db, dealsOf(admin.orgId, LIST_WINDOW + 150));
    const windowed = await caches(store(), admin);
    for (const by of ["name", "value"] as const) {
      const sort = { by, dir: "asc" } as const;
      const walk = async (counts?: ListCounts) => {
        const seen: string[] = [];
        let after: DealQuery["after"];
        for (let page = 0; page < 25; page++) {
          const query: DealQuery = { filter: {}, sort, limit: 50, ...(after ? { after } : {}) };
          const list = await listDeals(store(), admin, query, counts);
          seen.push(...ids(list));
          const last = list.items.at(-1)?.deal;
          if (!last || list.items.length < 50) break;
          after = decodeDealCursor(encodeDealCursor({ value: last[by], id: last.id }));
        }
        return seen;
      };
      const plain = await walk();
      expect(plain).toHaveLength(LIST_WINDOW + 150);
      expect(await walk(windowed)).toStrictEqual(plain);
    }
  });

  it("ask the database when a cursor's deal has moved since its page", async () => {
    const { admin } = await makeWorld(store());
    await insertDeals(store().db, dealsOf(admin.orgId, 300));
    const sort = { by: "value", dir: "asc" } as const;
    const first = await listDeals(store(), admin, { filter: {}, sort, limit: 50 });
    const last = first.items.at(-1)?.deal;
    if (!last) throw new Error("no first page");
    const after = { value: last.value ?? 0, id: last.id };
    // The deal that ends the page moves to the far end of the order, and the list's version
    // moves with it: the window computed now holds it at its new place, where the cursor is not.
    await store()
      .db.transaction()
      .execute(async (trx) => {
        await trx
          .updateTable("deals")
          .set({ value: 99_999_999 })
          .where("id", "=", last.id)
          .execute();
        await bumpDealListVersion(trx, admin.orgId);
      });
    const windowed = await caches(store(), admin);
    await listDeals(store(), admin, { filter: {}, sort, limit: 50 }, windowed);
    const query: DealQuery = { filter: {}, sort, limit: 50, after };
    const plain = await listDeals(store(), admin, query);
    expect(plain.items).toHaveLength(50);
    expect(ids(await listDeals(store(), admin, query, windowed))).toStrictEqual(ids(plain));
  });
});
