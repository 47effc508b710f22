/**
 * The initial schema. One migration for both dialects: only portable types (text, integer,
 * double precision), timestamps as ISO text, booleans as 0/1. The one difference, the
 * audit log's auto-increment id, branches on the dialect explicitly.
 * Primary keys say `not null` because SQLite would otherwise accept NULL in a text key.
 */
import { type Kysely, sql } from "kysely";
import type { StoreDialect } from "../store.js";
import type { VersionedMigration } from "./versioned-migration.js";

/** CHECK (col in (0, 1)) for a boolean stored as an integer. */
const flag = (column: string) => sql`${sql.ref(column)} in (0, 1)`;

async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable("organizations")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text")
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint("users_active_flag", flag("active"))
    .execute();
  await db.schema.createIndex("users_org_idx").on("users").columns(["org_id"]).execute();

  await db.schema
    .createTable("deals")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("engagement_id", "text", (c) => c.notNull())
    .addColumn("direction", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("customer_name", "text", (c) => c.notNull())
    .addColumn("customer_address1", "text", (c) => c.notNull())
    .addColumn("customer_address2", "text")
    .addColumn("customer_city", "text", (c) => c.notNull())
    .addColumn("customer_state", "text")
    .addColumn("customer_postal_code", "text")
    .addColumn("customer_country", "text", (c) => c.notNull())
    .addColumn("customer_duns", "text")
    .addColumn("contact_first_name", "text")
    .addColumn("contact_last_name", "text")
    .addColumn("contact_phone", "text")
    .addColumn("contact_email", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("substatus", "text", (c) => c.notNull())
    .addColumn("microsoft_status", "text")
    .addColumn("close_reason", "integer")
    .addColumn("sales_stage", "integer")
    .addColumn("value", "double precision", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("close_date", "text", (c) => c.notNull())
    .addColumn("crm_id", "text")
    .addColumn("campaign_id", "text")
    .addColumn("notes", "text")
    .addColumn("help_required", "integer", (c) => c.notNull())
    .addColumn("help_type", "integer")
    .addColumn("share_with_microsoft", "integer", (c) => c.notNull())
    .addColumn("notes_to_microsoft", "text")
    .addColumn("consent", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("received_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addCheckConstraint("deals_help_required_flag", flag("help_required"))
    .addCheckConstraint("deals_share_with_microsoft_flag", flag("share_with_microsoft"))
    .addCheckConstraint("deals_consent_flag", flag("consent"))
    .execute();
  // The list's default order is newest first, with the id breaking ties (keyset paging).
  await db.schema
    .createIndex("deals_org_created_idx")
    .on("deals")
    .columns(["org_id", "created_at", "id"])
    .execute();
  // Import matches create rows to existing deals by CRM ID.
  await db.schema
    .createIndex("deals_org_crm_idx")
    .on("deals")
    .columns(["org_id", "crm_id"])
    .execute();
  // The Inbound and Outbound tabs.
  await db.schema
    .createIndex("deals_org_direction_created_idx")
    .on("deals")
    .columns(["org_id", "direction", "created_at"])
    .execute();
  // The expiry sweep: inbound deals still New, received more than 14 days ago.
  await db.schema
    .createIndex("deals_expiry_idx")
    .on("deals")
    .columns(["status", "direction", "received_at"])
    .execute();

  await db.schema
    .createTable("deal_solutions")
    .addColumn("deal_id", "text", (c) => c.notNull().references("deals.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("solution_id", "text", (c) => c.notNull())
    .addColumn("currency", "text")
    .addColumn("price", "double precision")
    .addColumn("quantity", "integer")
    .addPrimaryKeyConstraint("deal_solutions_pk", ["deal_id", "position"])
    .execute();
  // The Solution ID filter.
  await db.schema
    .createIndex("deal_solutions_solution_idx")
    .on("deal_solutions")
    .columns(["solution_id", "deal_id"])
    .execute();

  await db.schema
    .createTable("deal_team_members")
    .addColumn("deal_id", "text", (c) => c.notNull().references("deals.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("first_name", "text", (c) => c.notNull())
    .addColumn("last_name", "text", (c) => c.notNull())
    .addColumn("phone", "text")
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("email_key", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("deal_team_members_pk", ["deal_id", "position"])
    .execute();
  // A plain user's scope: the deals whose team carries their email.
  await db.schema
    .createIndex("deal_team_members_email_idx")
    .on("deal_team_members")
    .columns(["email_key", "deal_id"])
    .execute();

  // Favorites are personal: they go with the user and with the deal.
  await db.schema
    .createTable("favorites")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("deal_id", "text", (c) => c.notNull().references("deals.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("favorites_pk", ["user_id", "deal_id"])
    .execute();
  // Lets a deal's cascade delete find its favorites without a scan.
  await db.schema.createIndex("favorites_deal_idx").on("favorites").columns(["deal_id"]).execute();

  await db.schema
    .createTable("imports")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("file_name", "text")
    .addColumn("file_hash", "text", (c) => c.notNull())
    .addColumn("dry_run", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("options", "text", (c) => c.notNull())
    .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("unchanged", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("not_processed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("ignored_columns", "text", (c) => c.notNull())
    .addColumn("results_csv", "text")
    .addColumn("error_code", "text")
    .addColumn("error_message", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .addCheckConstraint("imports_dry_run_flag", flag("dry_run"))
    .execute();
  // The import history and the "last processed file" card.
  await db.schema
    .createIndex("imports_org_created_idx")
    .on("imports")
    .columns(["org_id", "created_at"])
    .execute();

  await db.schema
    .createTable("import_rows")
    .addColumn("import_id", "text", (c) => c.notNull().references("imports.id").onDelete("cascade"))
    .addColumn("row_no", "integer", (c) => c.notNull())
    .addColumn("result", "text", (c) => c.notNull())
    .addColumn("referral_id", "text")
    .addColumn("engagement_id", "text")
    .addColumn("errors", "text", (c) => c.notNull())
    .addColumn("changes", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("import_rows_pk", ["import_id", "row_no"])
    .execute();

  // No foreign keys to deals or imports: the trail must outlive whatever it describes.
  await db.schema
    .createTable("audit_events")
    .addColumn("id", dialect === "sqlite" ? "integer" : "bigint", (c) =>
      // AUTOINCREMENT: SQLite never reuses an id, so ids order events as identity does in PG.
      dialect === "sqlite"
        ? c.notNull().primaryKey().autoIncrement()
        : c.primaryKey().generatedByDefaultAsIdentity(),
    )
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("org_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("actor_user_id", "text")
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("import_id", "text")
    .addColumn("import_row", "integer")
    .addColumn("deal_id", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("field", "text")
    .addColumn("old_value", "text")
    .addColumn("new_value", "text")
    .execute();
  // A deal's history in order.
  await db.schema
    .createIndex("audit_events_deal_idx")
    .on("audit_events")
    .columns(["deal_id", "id"])
    .execute();
  await db.schema
    .createIndex("audit_events_org_at_idx")
    .on("audit_events")
    .columns(["org_id", "at"])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  // Children before parents, so foreign keys never block a drop.
  for (const table of [
    "audit_events",
    "import_rows",
    "imports",
    "favorites",
    "deal_team_members",
    "deal_solutions",
    "deals",
    "users",
    "organizations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

export const initial: VersionedMigration = { up, down };
