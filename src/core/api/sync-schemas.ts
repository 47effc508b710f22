/**
 * Vendor connections, sync jobs and a deal's sync state as JSON, as TypeBox schemas: the
 * server serialises and documents its answers with them (OpenAPI), and the web page checks
 * what it reads with the very same ones. No schema here has a member for a secret or a token:
 * a connection as shown cannot carry one.
 */
import { type Static, Type } from "typebox";
import { JOB_STATUSES } from "../jobs.js";
import { orNull } from "./deal-schemas.js";

/** Where `/referrals` hangs when a connection names no `apiUrl` (spec note §1.1). */
export const DEFAULT_PARTNER_CENTER_API_URL = "https://api.partner.microsoft.com/v1.0/engagements";

export const ConnectionSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  vendor: Type.String(),
  apiUrl: Type.String(),
  tokenUrl: Type.String(),
  clientId: Type.String(),
  grant: Type.Union([Type.Literal("refresh_token"), Type.Literal("client_credentials")]),
  webhookPath: Type.String(),
  lastSyncAt: orNull(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ConnectionJson = Static<typeof ConnectionSchema>;

export const ConnectionListSchema = Type.Object({ items: Type.Array(ConnectionSchema) });

/** What `cosell connect partner-center` takes, by the same names. */
export const ConnectionInputSchema = Type.Object({
  apiUrl: Type.Optional(orNull(Type.String())),
  tokenUrl: Type.String(),
  clientId: Type.String(),
  clientSecret: Type.String(),
  refreshToken: Type.Optional(orNull(Type.String())),
});

export const ConnectedSchema = Type.Object({
  connection: ConnectionSchema,
  /** Carries the webhook secret: shown this once. */
  webhookUrl: Type.String(),
});

const CountsSchema = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
});

/** A synced field's value on one side: text, number, yes/no, or a group (contact, team…). */
const SyncedValueSchema = Type.Unknown();

export const SyncConflictSchema = Type.Object({
  deal: Type.String(),
  /** The deal's name when the answer was made (the stored result names the deal by id). */
  dealName: Type.Optional(orNull(Type.String())),
  referral: orNull(Type.String()),
  field: Type.String(),
  local: SyncedValueSchema,
  remote: SyncedValueSchema,
});
export type SyncConflictJson = Static<typeof SyncConflictSchema>;

export const SyncIssueSchema = Type.Object({
  deal: orNull(Type.String()),
  dealName: Type.Optional(orNull(Type.String())),
  referral: orNull(Type.String()),
  field: orNull(Type.String()),
  code: Type.String(),
  message: Type.String(),
});
export type SyncIssueJson = Static<typeof SyncIssueSchema>;

/** One connection's sync: the same keys as `cosell sync --json`, plus the connection and requests. */
export const SyncResultSchema = Type.Object({
  vendor: Type.String(),
  connectionId: Type.String(),
  pulled: CountsSchema,
  pushed: CountsSchema,
  conflicts: Type.Array(SyncConflictSchema),
  errors: Type.Array(SyncIssueSchema),
  requests: Type.Integer(),
});
export type SyncResultJson = Static<typeof SyncResultSchema>;

export const SyncJobSchema = Type.Object({
  id: Type.String(),
  connectionId: Type.String(),
  status: Type.Enum(JOB_STATUSES),
  /** A webhook's referrals; null for a whole sync (on demand or on the schedule). */
  referrals: orNull(Type.Array(Type.String())),
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
  result: orNull(SyncResultSchema),
  error: orNull(Type.Object({ code: Type.String(), message: Type.String() })),
  createdAt: Type.String(),
  startedAt: orNull(Type.String()),
  finishedAt: orNull(Type.String()),
});
export type SyncJobJson = Static<typeof SyncJobSchema>;

export const SyncJobListSchema = Type.Object({ items: Type.Array(SyncJobSchema) });

export const SyncSubmittedSchema = Type.Object({
  jobId: Type.String(),
  links: Type.Object({ job: Type.String() }),
});

export const DealConflictSchema = Type.Object({
  field: Type.String(),
  local: SyncedValueSchema,
  remote: SyncedValueSchema,
  detectedAt: Type.String(),
});
export type DealConflictJson = Static<typeof DealConflictSchema>;

export const DealSyncStateSchema = Type.Object({
  linked: Type.Boolean(),
  connectionId: orNull(Type.String()),
  referralId: orNull(Type.String()),
  engagementId: orNull(Type.String()),
  eTag: orNull(Type.String()),
  remoteUpdatedAt: orNull(Type.String()),
  syncedAt: orNull(Type.String()),
  errors: Type.Array(
    Type.Object({ field: orNull(Type.String()), code: Type.String(), message: Type.String() }),
  ),
  conflicts: Type.Array(DealConflictSchema),
});
export type DealSyncStateJson = Static<typeof DealSyncStateSchema>;

export const ConflictIdsSchema = Type.Object({ dealIds: Type.Array(Type.String()) });

export const ResolveChoiceSchema = Type.Object({
  choice: Type.Union([Type.Literal("local"), Type.Literal("remote")]),
});
