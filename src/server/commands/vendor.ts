/**
 * The vendor side (SPEC §1): the organisations it may send inbound referrals to, receiving
 * them (the import command with a vendor actor), and the Microsoft Referral Status it owns.
 */
import { headerOf } from "../../core/columns.js";
import {
  isSharedWithMicrosoft,
  MICROSOFT_STATUSES,
  type MicrosoftStatus,
  toMicrosoftStatus,
} from "../../core/deal.js";
import { RequestError } from "../../core/errors.js";
import type { Limits } from "../../core/limits.js";
import { bumpDealListVersion } from "../db/deal-list-version.js";
import type { Store } from "../db/store.js";
import {
  type AuditOrigin,
  auditContext,
  auditEvent,
  cliOrigin,
  httpOrigin,
  insertAuditEvents,
} from "./audit.js";
import { importDeals } from "./import-deals.js";
import type { ImportSummary } from "./import-summary.js";

export interface Organization {
  id: string;
  name: string;
}

export const listOrganizations = async (store: Store): Promise<Organization[]> =>
  store.db.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute();

/** Creates inbound referrals (New/Received) in the organisation; nothing else is touched. */
export const receiveReferrals = async (
  store: Store,
  input: {
    orgId: string;
    bytes: Uint8Array;
    fileName: string | null;
    limits: Limits;
    /** Default: the CLI's `cosell receive`. */
    origin?: AuditOrigin;
  },
): Promise<ImportSummary> => {
  const org = await store.db
    .selectFrom("organizations")
    .select("id")
    .where("id", "=", input.orgId)
    .executeTakeFirst();
  if (!org) throw new RequestError("not_found", "No such organisation");
  return importDeals(store, {
    actor: { kind: "vendor", orgId: org.id },
    bytes: input.bytes,
    fileName: input.fileName,
    limits: input.limits,
    origin: input.origin ?? cliOrigin("receive"),
  });
};

export interface MicrosoftStatusChange {
  id: string;
  microsoftStatus: MicrosoftStatus;
  version: number;
  updatedAt: string;
}

/**
 * Sets the Microsoft Referral Status of a deal shared with the vendor (help required, or
 * shared explicitly), with its audit entry in the same transaction. The vendor's own field
 * is not frozen by the partner's terminal states. Setting the current value changes nothing.
 */
export const setMicrosoftStatus = async (
  store: Store,
  input: { dealId: string; status: string; now?: Date; origin?: AuditOrigin },
): Promise<MicrosoftStatusChange> => {
  const status = toMicrosoftStatus(input.status);
  if (!status) {
    throw new RequestError(
      "invalid_argument",
      `Microsoft Referral Status '${input.status}' is not one of ${MICROSOFT_STATUSES.join(", ")}`,
    );
  }
  const now = (input.now ?? new Date()).toISOString();
  return store.db.transaction().execute(async (trx) => {
    const deal = await trx
      .selectFrom("deals")
      .select([
        "id",
        "org_id",
        "microsoft_status",
        "help_required",
        "share_with_microsoft",
        "version",
        "updated_at",
      ])
      .where("id", "=", input.dealId)
      .executeTakeFirst();
    if (!deal) throw new RequestError("not_found", "No such deal");
    const shared = isSharedWithMicrosoft({
      helpRequired: deal.help_required === 1,
      shareWithMicrosoft: deal.share_with_microsoft === 1,
    });
    if (!shared) throw new RequestError("conflict", "The deal is not shared with the vendor");
    if (deal.microsoft_status === status) {
      return {
        id: deal.id,
        microsoftStatus: status,
        version: deal.version,
        updatedAt: deal.updated_at,
      };
    }
    const version = deal.version + 1;
    const updated = await trx
      .updateTable("deals")
      .set({ microsoft_status: status, version, updated_at: now })
      .where("id", "=", deal.id)
      .where("version", "=", deal.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new RequestError("conflict", "The deal changed meanwhile; send the status again");
    }
    const origin = input.origin ?? httpOrigin("PUT", "/api/vendor/deals/:id/microsoft-status");
    const ctx = auditContext({ kind: "vendor", orgId: deal.org_id }, deal.org_id, origin, now);
    await insertAuditEvents(trx, [
      auditEvent(ctx, deal.id, "update", {
        header: headerOf("microsoftStatus", "en"),
        from: deal.microsoft_status,
        to: status,
      }),
    ]);
    await bumpDealListVersion(trx, deal.org_id);
    return { id: deal.id, microsoftStatus: status, version, updatedAt: now };
  });
};
