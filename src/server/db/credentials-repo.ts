/**
 * The two look-ups every request makes — a session or an API token to its user, with the
 * organisation's list version — sent as named statements on PostgreSQL (`PREPARED`), which
 * is a store protocol and so lives here rather than in the credentials command.
 */
import type { Db } from "./db.js";
import { PREPARED } from "./prepared.js";

/** The active user of a live session (by its id's hash), with the list version. */
export function findSessionUser(db: Db, idHash: string, now: string) {
  return db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .leftJoin("deal_list_versions as v", "v.org_id", "u.org_id")
    .select(["u.id", "u.org_id", "u.email", "u.name", "u.role", "s.csrf_token", "v.version"])
    .where("s.id_hash", "=", idHash)
    .where("s.expires_at", ">", now)
    .where("u.active", "=", 1)
    .modifyEnd(PREPARED)
    .executeTakeFirst();
}

/** The active user of an unrevoked API token (by its hash), with the list version. */
export function findTokenUser(db: Db, tokenHash: string) {
  return db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .leftJoin("deal_list_versions as v", "v.org_id", "u.org_id")
    .select([
      "t.id as token_id",
      "t.last_used_at",
      "u.id",
      "u.org_id",
      "u.email",
      "u.name",
      "u.role",
      "v.version",
    ])
    .where("t.token_hash", "=", tokenHash)
    .where("t.revoked_at", "is", null)
    .where("u.active", "=", 1)
    .modifyEnd(PREPARED)
    .executeTakeFirst();
}
