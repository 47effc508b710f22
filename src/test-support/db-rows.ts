/** Valid table rows for tests of the data layer, each overridable. Unique values per call. */
import { randomUUID } from "node:crypto";
import type { Insertable } from "kysely";
import type {
  AuditEventsTable,
  DealSolutionsTable,
  DealTeamMembersTable,
  NewDealRow,
  NewOrganizationRow,
  NewUserRow,
} from "../server/db/schema.js";

export const AT = "2026-11-24T10:00:00.000Z";

export const orgRow = (overrides: Partial<NewOrganizationRow> = {}): NewOrganizationRow => ({
  id: randomUUID(),
  name: `Org ${randomUUID()}`,
  created_at: AT,
  ...overrides,
});

export const userRow = (orgId: string, overrides: Partial<NewUserRow> = {}): NewUserRow => ({
  id: randomUUID(),
  org_id: orgId,
  email: `user-${randomUUID()}@example.com`,
  name: "Ada User",
  role: "user",
  password_hash: null,
  created_at: AT,
  ...overrides,
});

export const dealRow = (orgId: string, overrides: Partial<NewDealRow> = {}): NewDealRow => ({
  id: randomUUID(),
  org_id: orgId,
  engagement_id: randomUUID(),
  direction: "outbound",
  name: "Contoso rollout",
  customer_name: "Contoso Ltd",
  customer_address1: "1 Main Street",
  customer_address2: null,
  customer_city: "Redmond",
  customer_state: "WA",
  customer_postal_code: "01234",
  customer_country: "US",
  customer_duns: "081466849",
  contact_first_name: null,
  contact_last_name: null,
  contact_phone: null,
  contact_email: null,
  status: "Active",
  substatus: "Accepted",
  microsoft_status: null,
  close_reason: null,
  sales_stage: 20,
  value: 1234.5,
  currency: "USD",
  close_date: "2027-01-30",
  crm_id: null,
  campaign_id: null,
  notes: null,
  help_required: 0,
  help_type: null,
  share_with_microsoft: 1,
  notes_to_microsoft: null,
  consent: 1,
  created_at: AT,
  updated_at: AT,
  received_at: null,
  ...overrides,
});

export const solutionRow = (
  dealId: string,
  position: number,
  overrides: Partial<Insertable<DealSolutionsTable>> = {},
): Insertable<DealSolutionsTable> => ({
  deal_id: dealId,
  position,
  solution_id: `SOL-${position}`,
  currency: "USD",
  price: 10.5,
  quantity: 3,
  ...overrides,
});

export const teamMemberRow = (
  dealId: string,
  position: number,
  overrides: Partial<Insertable<DealTeamMembersTable>> = {},
): Insertable<DealTeamMembersTable> => ({
  deal_id: dealId,
  position,
  first_name: "Bob",
  last_name: "Partner",
  phone: null,
  email: "Bob.Partner@Contoso.com",
  email_key: "bob.partner@contoso.com",
  ...overrides,
});

export const auditRow = (
  orgId: string,
  dealId: string,
  overrides: Partial<Insertable<AuditEventsTable>> = {},
): Insertable<AuditEventsTable> => ({
  at: AT,
  org_id: orgId,
  actor_user_id: null,
  actor: "system",
  source: "system",
  import_id: null,
  import_row: null,
  deal_id: dealId,
  action: "create",
  field: null,
  old_value: null,
  new_value: null,
  ...overrides,
});
