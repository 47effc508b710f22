/**
 * The vendor side, with its own credential (`Authorization: Bearer csv_…`; a partner user's
 * session or token is refused here, and a vendor credential on partner routes): list the
 * organisations, send inbound referrals to one, set the Microsoft Referral Status of a
 * shared deal.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { ImportRowSchema, ImportSummarySchema } from "../../../core/api/job-schemas.js";
import { MICROSOFT_STATUSES } from "../../../core/deal.js";
import { listOrganizations, receiveReferrals, setMicrosoftStatus } from "../../commands/vendor.js";
import { summaryWithoutFile } from "../../commands/import-summary.js";
import type { AppContext } from "../context.js";
import { originOf, requireVendor } from "../auth.js";
import { readUpload } from "../upload.js";

/** The same keys as `cosell receive --json`. */
const Summary = Type.Object({
  ...ImportSummarySchema.properties,
  rows: Type.Array(ImportRowSchema),
});

export const vendorRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { store, limits } = ctx;

    app.get(
      "/api/vendor/organizations",
      {
        preHandler: requireVendor,
        schema: {
          tags: ["vendor"],
          summary: "The partner organisations (vendor credential)",
          response: { 200: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) },
        },
      },
      async () => listOrganizations(store),
    );

    app.post(
      "/api/vendor/organizations/:orgId/referrals",
      {
        preHandler: requireVendor,
        schema: {
          tags: ["vendor"],
          summary:
            "Send inbound referrals to an organisation from a co-sell CSV (vendor credential)",
          description:
            "The file goes in the multipart field `file`, or as a raw `text/csv` body. Every row without a Referral ID becomes a New/Received inbound deal; the answer has the same keys as `cosell import --json`.",
          consumes: ["multipart/form-data", "text/csv", "application/octet-stream"],
          params: Type.Object({ orgId: Type.String() }),
          response: { 200: Summary },
        },
      },
      async (request) => {
        const upload = await readUpload(request, limits);
        const summary = await receiveReferrals(store, {
          orgId: request.params.orgId,
          bytes: upload.bytes,
          fileName: upload.fileName,
          limits,
          origin: originOf(request),
        });
        return summaryWithoutFile(summary);
      },
    );

    app.put(
      "/api/vendor/deals/:id/microsoft-status",
      {
        preHandler: requireVendor,
        schema: {
          tags: ["vendor"],
          summary:
            "Set the Microsoft Referral Status of a deal shared with the vendor (vendor credential)",
          params: Type.Object({ id: Type.String() }),
          body: Type.Object({
            status: Type.String({ description: `One of ${MICROSOFT_STATUSES.join(", ")}` }),
          }),
          response: {
            200: Type.Object({
              id: Type.String(),
              microsoftStatus: Type.String(),
              version: Type.Integer(),
              updatedAt: Type.String(),
            }),
          },
        },
      },
      async (request) =>
        setMicrosoftStatus(store, {
          dealId: request.params.id,
          status: request.body.status,
          origin: originOf(request),
        }),
    );
  };
