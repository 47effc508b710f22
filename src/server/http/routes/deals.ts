/** Deals: list (the export's own query), one deal, create, update with If-Match, favourites. */
import { createHash } from "node:crypto";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import { ApiErrorSchema } from "../../../core/api/error-schema.js";
import {
  type DealDetailJson,
  DealDetailSchema,
  DealInputSchema,
  type DealJson,
  DealListSchema,
} from "../../../core/api/deal-schemas.js";
import { dealType } from "../../../core/deal.js";
import { DealFilterQueryFields } from "../../../core/api/deal-filter-schema.js";
import { parseFilterParams } from "../../../core/deal-filter.js";
import { DEAL_SORTS, type DealQuery, defaultSortDir } from "../../../core/deal-query.js";
import { allowedTransitions, lockReasons } from "../../../core/deal-input.js";
import {
  createDeal,
  type DealView,
  type DealWrite,
  getDeal,
  listDeals,
  listPageKey,
  readListVersion,
  setFavorite,
  updateDeal,
} from "../../commands/deals.js";
import { LruCache } from "../../lru-cache.js";
import type { AppContext } from "../context.js";
import { actorOf, originOf, requireUser } from "../auth.js";
import { HttpError, textOf } from "../errors.js";
import { afterOf, nextOf } from "./deal-paging.js";

export const PAGE_SIZE = { default: 50, max: 200 } as const;

const ListQuery = Type.Object(
  {
    ...DealFilterQueryFields,
    sort: Type.Optional(Type.Enum(DEAL_SORTS, { description: "createdAt unless told" })),
    dir: Type.Optional(
      Type.Enum(["asc", "desc"] as const, {
        description: "desc for createdAt, asc for the others, unless told",
      }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default }),
    ),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    after: Type.Optional(
      Type.String({
        maxLength: 2000,
        description:
          "The `next` of the page before (keyset paging: deep pages as fast as the first); not with offset",
      }),
    ),
    count: Type.Optional(
      Type.Enum(["exact"] as const, {
        description: "exact: count every match, past the 10,000 the list counts by default",
      }),
    ),
  },
  { additionalProperties: false },
);

const DealParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

const IfNoneMatchHeaders = Type.Object({
  "if-none-match": Type.Optional(
    Type.String({ description: "The ETag of the page as you last read it: 304 if unchanged" }),
  ),
});

const IfMatchHeaders = Type.Object({
  "if-match": Type.Optional(
    Type.String({ description: 'The ETag of the deal as you read it, e.g. "3"' }),
  ),
});

const etagOf = (version: number): string => `"${version}"`;

const present = ({ deal, favorite }: DealView): DealJson => ({
  ...deal,
  type: dealType(deal),
  favorite,
  etag: etagOf(deal.version),
});

const presentDetail = (view: DealView): DealDetailJson => ({
  ...present(view),
  allowedTransitions: allowedTransitions(view.deal),
  locks: lockReasons(view.deal),
});

/**
 * The version an If-Match header names: `"3"`, or `*` (any version; null). A weak `W/"3"` is
 * taken too: a proxy that compresses responses weakens the ETag the client then sends back.
 */
const expectedVersion = (header: string | undefined): number | null => {
  const value = header?.trim() ?? "";
  if (value === "") {
    throw new HttpError(
      428,
      "precondition_required",
      'Send If-Match with the deal\'s ETag as you read it (e.g. If-Match: "3"), so that a change made meanwhile is not overwritten',
    );
  }
  if (value === "*") return null;
  const tag = /^(?:W\/)?"(\d+)"$/.exec(value);
  if (!tag) {
    throw new HttpError(
      412,
      "precondition_failed",
      `If-Match ${value} is not an ETag of this deal; GET the deal and send its ETag`,
    );
  }
  return Number(tag[1]);
};

/** The view a successful write shows; a refused one becomes its HTTP error. */
const accepted = (write: DealWrite): DealView => {
  switch (write.result) {
    case "Not processed":
      throw new HttpError(
        422,
        "invalid_row",
        write.errors[0] ? textOf(write.errors[0]) : "The deal was not saved",
        write.errors,
      );
    case "Stale":
      throw new HttpError(
        412,
        "precondition_failed",
        write.version === null
          ? "The deal was changed by someone else meanwhile; GET it again, redo your change and send its new ETag"
          : `The deal changed since you read it (its ETag is now ${etagOf(write.version)}); GET it again, redo your change and send the new ETag`,
      );
    default:
      return write.view;
  }
};

/**
 * Serialised list pages, by everything the bytes depend on: the organisation's list version
 * (read from the database on every request, so a write anywhere — this process or another —
 * retires every page before it), the caller (their stars are in the page; their scope through
 * `matchKeyOf`), the filter, the order and the window. Bounded by entries and bytes.
 */
interface ListPage {
  /** UTF-8 bytes, encoded once rather than on every send. */
  body: Buffer;
  /** A hash of the body: equal tags, equal bytes. */
  etag: string;
}

const PAGE_CACHE = { maxEntries: 2_000, maxBytes: 32 * 1024 * 1024 } as const;
const COUNT_CACHE = { maxEntries: 10_000 } as const;
/** Windows of ids (LIST_WINDOW each): about 80 bytes an id, so some 16 MB at most. */
const WINDOW_CACHE = { maxEntries: 1_000, maxIds: 200_000 } as const;

const etagOfBody = (body: Buffer): string =>
  `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;

/** If-None-Match names this ETag (weak comparison, RFC 9110 §13.1.2), or is `*`. */
const notModified = (header: string | undefined, etag: string): boolean =>
  (header ?? "").split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  });

/** Sends JSON the route's own serializer wrote earlier, as is. */
const sendSerialized = (reply: FastifyReply, body: Buffer): FastifyReply =>
  reply.type("application/json; charset=utf-8").send(body);

const errors = (...codes: (400 | 404 | 412 | 422 | 428)[]) =>
  Object.fromEntries(codes.map((c) => [c, ApiErrorSchema]));

export const dealRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { store, limits } = ctx;
    const pages = new LruCache<ListPage>({
      maxEntries: PAGE_CACHE.maxEntries,
      maxWeight: PAGE_CACHE.maxBytes,
      weigh: (page) => page.body.length,
    });
    const counts = new LruCache<number>(COUNT_CACHE);
    const windows = new LruCache<readonly string[]>({
      maxEntries: WINDOW_CACHE.maxEntries,
      maxWeight: WINDOW_CACHE.maxIds,
      weigh: (ids) => ids.length,
    });

    app.get(
      "/api/deals",
      {
        preHandler: requireUser,
        schema: {
          tags: ["deals"],
          summary:
            "The deals you can see: tab, filters, search, sort and paging (the export's own query); ETag header, If-None-Match → 304",
          querystring: ListQuery,
          headers: IfNoneMatchHeaders,
          response: {
            200: DealListSchema,
            304: Type.Null({ description: "Not modified since the ETag you sent" }),
            ...errors(400),
          },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const q = request.query;
        const filter = parseFilterParams(q);
        const by = q.sort ?? "createdAt";
        const query: DealQuery = {
          filter,
          sort: { by, dir: q.dir ?? defaultSortDir(by) },
          limit: q.limit ?? PAGE_SIZE.default,
          offset: q.offset ?? 0,
          ...(q.after === undefined ? {} : { after: afterOf(q.after, q.offset) }),
        };
        // Read (with the credentials, or here) before the data: a page computed afterwards is
        // at least as new as this version, never older.
        const version = request.listVersion ?? (await readListVersion(store, actor));
        const key = listPageKey(version, actor, query, q.after ?? null, q.count ?? null);
        const page = await pages.getOrCompute(key, async () => {
          const list = await listDeals(
            store,
            actor,
            query,
            { version, cache: counts, windows },
            q.count === "exact",
          );
          const serialize = reply.getSerializationFunction("200");
          if (!serialize) throw new Error("GET /api/deals has no 200 serializer");
          const body = Buffer.from(
            serialize({
              ...list,
              items: list.items.map(present),
              ...nextOf(list.items, query),
            }),
          );
          return { body, etag: etagOfBody(body) };
        });
        // no-cache: a browser may keep the page but asks every time (a cheap 304 when unchanged).
        reply.header("etag", page.etag).header("cache-control", "private, no-cache");
        if (notModified(request.headers["if-none-match"], page.etag)) {
          return reply.status(304).send(null);
        }
        return sendSerialized(reply, page.body);
      },
    );

    app.get(
      "/api/deals/:id",
      {
        preHandler: requireUser,
        schema: {
          tags: ["deals"],
          summary: "One deal, the status moves open to you and the fields locked now; ETag header",
          params: DealParams,
          response: { 200: DealDetailSchema, ...errors(404) },
        },
      },
      async (request, reply) => {
        const view = await getDeal(store, actorOf(request), request.params.id);
        reply.header("etag", etagOf(view.deal.version));
        return presentDetail(view);
      },
    );

    app.post(
      "/api/deals",
      {
        preHandler: requireUser,
        schema: {
          tags: ["deals"],
          summary: "Create an outbound deal (the rules of an import row without Referral ID)",
          body: DealInputSchema,
          response: { 201: DealDetailSchema, ...errors(400, 422) },
        },
      },
      async (request, reply) => {
        const view = accepted(
          await createDeal(store, actorOf(request), request.body, {
            limits,
            origin: originOf(request),
          }),
        );
        reply.header("etag", etagOf(view.deal.version));
        return reply.status(201).send(presentDetail(view));
      },
    );

    app.patch(
      "/api/deals/:id",
      {
        preHandler: requireUser,
        schema: {
          tags: ["deals"],
          summary:
            "Change a deal, its status included (If-Match required; the rules of an import row with Referral ID)",
          params: DealParams,
          headers: IfMatchHeaders,
          body: DealInputSchema,
          response: { 200: DealDetailSchema, ...errors(400, 404, 412, 422, 428) },
        },
      },
      async (request, reply) => {
        const version = expectedVersion(request.headers["if-match"]);
        const view = accepted(
          await updateDeal(store, actorOf(request), request.params.id, version, request.body, {
            limits,
            origin: originOf(request),
          }),
        );
        reply.header("etag", etagOf(view.deal.version));
        return presentDetail(view);
      },
    );

    for (const [method, favorite] of [
      ["PUT", true],
      ["DELETE", false],
    ] as const) {
      app.route({
        method,
        url: "/api/deals/:id/favorite",
        preHandler: requireUser,
        schema: {
          tags: ["deals"],
          summary: favorite ? "Star a deal (Favorites tab)" : "Unstar a deal",
          params: DealParams,
          response: { 204: Type.Null(), ...errors(404) },
        },
        handler: async (request, reply) => {
          await setFavorite(store, actorOf(request), request.params.id, favorite);
          return reply.status(204).send(null);
        },
      });
    }
  };
