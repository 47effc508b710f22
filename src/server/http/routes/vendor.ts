/** The vendor side: send inbound referrals to an organisation; set the Microsoft Referral Status. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppContext } from "../app.js";

export const vendorRoutes =
  (_ctx: AppContext): FastifyPluginAsyncTypebox =>
  async () => {};
