/**
 * The audit trail as JSON: a deal's history and the organisation's trail, with their query
 * strings, as TypeBox schemas the server validates and documents with and the page reads with.
 */
import { type Static, Type } from "typebox";
import { AUDIT_ROLES, AUDIT_SOURCES } from "../audit.js";
import { orNull } from "./deal-schemas.js";

export const AUDIT_PAGE = { default: 50, max: 500 } as const;

/** One entry: when (UTC), who with what role, from where, which deal and field, old and new value. */
export const AuditEntrySchema = Type.Object({
  id: Type.Integer({ description: "Grows with every entry: newer entries have larger ids" }),
  at: Type.String({ description: "UTC, ISO 8601" }),
  actor: Type.String({ description: "The user's email, or `vendor`, or `system`" }),
  actorRole: Type.Union([Type.Enum(AUDIT_ROLES), Type.Null()], {
    description: "The role at the time; null for entries made before it was recorded",
  }),
  source: Type.Enum(AUDIT_SOURCES),
  origin: orNull(
    Type.String({
      description:
        "The HTTP method and route (`PATCH /api/deals/:id`), the CLI command (`cosell import`), the system task (`expiry`, `sync`) or the undo (`undo of import N`)",
    }),
  ),
  importId: orNull(Type.String()),
  importRow: orNull(Type.Integer({ description: "1 = the file's first data row" })),
  dealId: Type.String({ description: "The Referral ID" }),
  action: Type.String({ description: "create, update, receive, expire" }),
  field: orNull(Type.String({ description: "The column's English header" })),
  oldValue: orNull(Type.String()),
  newValue: orNull(Type.String()),
});
export type AuditEntryJson = Static<typeof AuditEntrySchema>;

/** A page, newest first; `nextBefore` fetches the next (older) one, null at the end. */
export const AuditPageSchema = Type.Object({
  items: Type.Array(AuditEntrySchema),
  nextBefore: orNull(Type.Integer()),
});
export type AuditPageJson = Static<typeof AuditPageSchema>;

const paging = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: AUDIT_PAGE.max, default: AUDIT_PAGE.default }),
  ),
  before: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: "Only entries older than this id (a page's `nextBefore`)",
    }),
  ),
};

export const HistoryQuerySchema = Type.Object(paging, { additionalProperties: false });
export type HistoryQuery = Static<typeof HistoryQuerySchema>;

export const AuditQuerySchema = Type.Object(
  {
    ...paging,
    deal: Type.Optional(Type.String({ minLength: 1, description: "A Referral ID" })),
    actor: Type.Optional(
      Type.String({ minLength: 1, description: "A user's email (any case), `vendor` or `system`" }),
    ),
    source: Type.Optional(Type.Enum(AUDIT_SOURCES)),
    import: Type.Optional(Type.String({ minLength: 1, description: "An import's id" })),
    from: Type.Optional(Type.String({ format: "date-time", description: "At or after (UTC)" })),
    to: Type.Optional(Type.String({ format: "date-time", description: "Before (UTC)" })),
    format: Type.Optional(
      Type.Enum(["json", "csv"] as const, {
        description:
          "csv: every matching entry as a CSV download (newest first; limit and before ignored)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuerySchema>;
