/**
 * The tables as Kysely sees them. Column types are the ones both dialects return:
 * text, integer (booleans as 0/1), double precision. Keep in step with `migrations/`.
 */
import type { Generated, Insertable, Selectable } from "kysely";
import type { Role } from "../../core/actor.js";
import type { AuditRole, AuditSource } from "../../core/audit.js";
import type { Direction, Status, Substatus } from "../../core/deal.js";
import type { JobKind, JobStatus } from "../../core/jobs.js";

/** An ISO 8601 UTC instant as text (`2026-11-24T10:00:00.000Z`): sorts and compares the same in both dialects. */
export type Timestamp = string;

/** A boolean stored as integer 0/1 (a CHECK constraint keeps it so): the one form both dialects share. */
export type Flag = 0 | 1;

export type UserRole = Role;

/** Who caused an audited change. */
export type { AuditSource } from "../../core/audit.js";

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

export interface UsersTable {
  id: string;
  org_id: string;
  /** Stored lower-cased, so a lookup by email is exact. */
  email: string;
  name: string | null;
  role: UserRole;
  password_hash: string | null;
  active: Generated<Flag>;
  created_at: Timestamp;
}

export interface DealsTable {
  /** The Referral ID. */
  id: string;
  org_id: string;
  engagement_id: string;
  direction: Direction;
  name: string;
  customer_name: string;
  customer_address1: string;
  customer_address2: string | null;
  customer_city: string;
  customer_state: string | null;
  customer_postal_code: string | null;
  customer_country: string;
  customer_duns: string | null;
  contact_first_name: string | null;
  contact_last_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  status: Status;
  substatus: Substatus;
  microsoft_status: string | null;
  close_reason: number | null;
  sales_stage: number | null;
  value: number;
  currency: string;
  /** A UTC calendar date, `YYYY-MM-DD`. */
  close_date: string;
  crm_id: string | null;
  campaign_id: string | null;
  notes: string | null;
  help_required: Flag;
  help_type: number | null;
  share_with_microsoft: Flag;
  notes_to_microsoft: string | null;
  consent: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
  received_at: Timestamp | null;
  version: Generated<number>;
  /** Lower-cased deal name, customer, Referral ID, CRM ID and notes: what the list's search looks in. */
  search_text: Generated<string>;
}

/** The version of an organisation's deal list: bumped by every write to what the list shows. */
export interface DealListVersionsTable {
  org_id: string;
  version: number;
}

export interface DealSolutionsTable {
  deal_id: string;
  /** 0-based order of the `Solution n` columns. */
  position: number;
  solution_id: string;
  currency: string | null;
  price: number | null;
  quantity: number | null;
}

export interface DealTeamMembersTable {
  deal_id: string;
  /** 0-based order of the `Team member n` columns. */
  position: number;
  first_name: string;
  last_name: string;
  phone: string | null;
  /** As given, so an export gives back what was imported. */
  email: string;
  /** Lower-cased `email`: a plain user's scope is the deals whose team has their email. */
  email_key: string;
}

export interface FavoritesTable {
  user_id: string;
  deal_id: string;
  created_at: Timestamp;
}

export interface ImportsTable {
  id: string;
  org_id: string;
  user_id: string;
  file_name: string | null;
  /** SHA-256 of the uploaded bytes, hex. */
  file_hash: string;
  dry_run: Flag;
  status: string;
  /** JSON. */
  options: string;
  total: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  not_processed: Generated<number>;
  /** JSON array of the file's ignored column headers. */
  ignored_columns: string;
  results_csv: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

/** A streamed import's results file, part by part (migration 0015). */
export interface ImportResultPartsTable {
  import_id: string;
  /** 0 = the header line; then the rows' lines, in order. */
  part: number;
  csv: string;
}

export interface ImportRowsTable {
  import_id: string;
  /** 1-based data row number in the file. */
  row_no: number;
  result: string;
  referral_id: string | null;
  engagement_id: string | null;
  /** JSON array of row errors. */
  errors: string;
  /** JSON array of field changes (what a dry run reports). */
  changes: string;
}

/** Append-only: rows are inserted, never updated or deleted. */
export interface AuditEventsTable {
  id: Generated<number>;
  at: Timestamp;
  org_id: string;
  actor_user_id: string | null;
  /** An email, or `system` / `vendor`. */
  actor: string;
  source: AuditSource;
  import_id: string | null;
  import_row: number | null;
  deal_id: string;
  /** `create`, `update`, `receive`, `expire`, … */
  action: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  /** The actor's role when the change was made: `admin`, `user`, `vendor`, `system` (null before migration 0008). */
  actor_role: AuditRole | null;
  /** Where it came from: `PATCH /api/deals/:id`, `cosell import`, `expiry` (null before migration 0008). */
  origin: string | null;
}

export interface JobsTable {
  id: string;
  kind: JobKind;
  org_id: string;
  user_id: string;
  status: JobStatus;
  /** JSON. */
  params: string;
  progress_done: Generated<number>;
  progress_total: Generated<number>;
  /** JSON. */
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  idempotency_key: string | null;
  attempts: Generated<number>;
  /** Rows done when the job was last claimed: did the attempt that died make progress? */
  claimed_done: Generated<number>;
  /** Attempts in a row whose worker died without committing a row (what gives up a job). */
  stalled_attempts: Generated<number>;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export type JobFileRole = "input" | "results" | "export";

export interface JobFilesTable {
  job_id: string;
  role: JobFileRole;
  name: string;
  content_type: string;
  data: Uint8Array;
  created_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Sign-in attempts per account in the current window (migration 0013), shared by every process. */
export interface SignInFailuresTable {
  account_key: string;
  attempts: number;
  window_start: Timestamp;
}

export interface VendorTokensTable {
  id: string;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface ConnectionsTable {
  id: string;
  org_id: string;
  /** `partner-center`. */
  vendor: string;
  api_url: string;
  token_url: string;
  client_id: string;
  /** Sealed JSON {clientSecret, refreshToken} (secret-box.ts). */
  secrets: string;
  webhook_secret_hash: string;
  pull_cursor: Timestamp | null;
  last_sync_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Who syncs this connection now (a job id, or the CLI's run id), until `sync_until` (migration 0014). */
  sync_holder: string | null;
  sync_until: Timestamp | null;
}

export interface DealLinksTable {
  deal_id: string;
  connection_id: string;
  referral_id: string | null;
  engagement_id: string | null;
  create_key: string | null;
  etag: string | null;
  remote_updated_at: Timestamp | null;
  /** JSON object of synced field → value. */
  base: string | null;
  /** JSON array of {field, code, message}. */
  errors: string | null;
  synced_at: Timestamp | null;
}

export interface DealConflictsTable {
  deal_id: string;
  field: string;
  /** JSON. */
  local_value: string;
  /** JSON. */
  remote_value: string;
  detected_at: Timestamp;
  resolution: "local" | "remote" | null;
}

export interface SyncRunsTable {
  id: string;
  connection_id: string;
  job_id: string | null;
  dry_run: Flag;
  status: "running" | "succeeded" | "failed";
  /** JSON. */
  result: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface ImportPresetsTable {
  id: string;
  org_id: string;
  name: string;
  /** JSON object: file header → co-sell header, or null to ignore. */
  mapping: string;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One row per undone import (its key: an import is undone at most once). */
export interface ImportUndosTable {
  import_id: string;
  org_id: string;
  user_id: string;
  job_id: string | null;
  undone: number;
  skipped: number;
  /** JSON array: what the undo did or left alone, deal by deal. */
  report: string;
  created_at: Timestamp;
}

export interface Database {
  import_presets: ImportPresetsTable;
  import_undos: ImportUndosTable;
  connections: ConnectionsTable;
  deal_links: DealLinksTable;
  deal_conflicts: DealConflictsTable;
  sync_runs: SyncRunsTable;
  organizations: OrganizationsTable;
  users: UsersTable;
  deals: DealsTable;
  deal_solutions: DealSolutionsTable;
  deal_team_members: DealTeamMembersTable;
  favorites: FavoritesTable;
  deal_list_versions: DealListVersionsTable;
  imports: ImportsTable;
  import_rows: ImportRowsTable;
  import_result_parts: ImportResultPartsTable;
  audit_events: AuditEventsTable;
  jobs: JobsTable;
  job_files: JobFilesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  vendor_tokens: VendorTokensTable;
  sign_in_failures: SignInFailuresTable;
}

export type JobRow = Selectable<JobsTable>;

export type NewOrganizationRow = Insertable<OrganizationsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type DealRow = Selectable<DealsTable>;
export type NewDealRow = Insertable<DealsTable>;
export type NewAuditEventRow = Insertable<AuditEventsTable>;
