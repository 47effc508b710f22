/**
 * The audit trail's vocabulary, shared by the server that writes and filters it, the API's
 * schemas and the page that shows a deal's history.
 */

/**
 * What kind of thing made a change: an import (file row), the API, the CLI, the vendor, the
 * system, a sync with a vendor's API, or the undo of an import (its origin names which).
 */
export const AUDIT_SOURCES = ["import", "api", "cli", "vendor", "system", "sync", "undo"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

/** The actor's role when the change was made. */
export const AUDIT_ROLES = ["admin", "user", "vendor", "system"] as const;
export type AuditRole = (typeof AUDIT_ROLES)[number];

/** What happened to the deal. */
export const AUDIT_ACTIONS = ["create", "update", "receive", "expire"] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The tasks the system runs on its own. */
export type SystemTask = "expiry" | "sync";
