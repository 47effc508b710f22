/** Import and export jobs: submit (202), follow, download. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppContext } from "../app.js";

export const jobRoutes =
  (_ctx: AppContext): FastifyPluginAsyncTypebox =>
  async () => {};
