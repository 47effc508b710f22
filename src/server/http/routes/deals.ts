/** Deals: list (the export's own query), one deal, create, update with If-Match, favourites. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppContext } from "../app.js";

export const dealRoutes =
  (_ctx: AppContext): FastifyPluginAsyncTypebox =>
  async () => {};
