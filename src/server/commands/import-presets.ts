/**
 * Column-mapping presets: an organisation's named mappings (saved by any of its users, removed
 * by their author or a Referrals admin), and the choice of mapping for one import — the one
 * asked for, the preset named, or else a saved preset that fits the file's headers.
 */
import { randomUUID } from "node:crypto";
import {
  type ColumnMapping,
  mappedHeaders,
  needsMapping,
  parseMapping,
  presetFits,
} from "../../core/column-mapping.js";
import { RequestError } from "../../core/errors.js";
import { parseJsonObject } from "../../core/json.js";
import type { Db } from "../db/db.js";
import type { Store } from "../db/store.js";
import type { UserActor, VendorActor } from "../../core/actor.js";

export interface ImportPreset {
  name: string;
  mapping: Record<string, string | null>;
  createdBy: string;
  updatedAt: string;
}

const NAME_MAX = 100;

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed.length > NAME_MAX) {
    throw new RequestError(
      "invalid_argument",
      `A preset's name must have 1 to ${NAME_MAX} characters`,
    );
  }
  return trimmed;
}

export async function listPresets(db: Db, actor: UserActor): Promise<ImportPreset[]> {
  const rows = await db
    .selectFrom("import_presets as p")
    .innerJoin("users as u", "u.id", "p.created_by")
    .select(["p.name", "p.mapping", "p.updated_at", "u.email"])
    .where("p.org_id", "=", actor.orgId)
    .orderBy("p.updated_at", "desc")
    .orderBy("p.name")
    .execute();
  return rows.map((r) => ({
    name: r.name,
    mapping: parseMapping(parseJsonObject(r.mapping)),
    createdBy: r.email,
    updatedAt: r.updated_at,
  }));
}

/** Saves (or replaces) the organisation's preset of that name. */
export async function savePreset(
  store: Store,
  actor: UserActor,
  input: { name: string; mapping: ColumnMapping },
): Promise<ImportPreset> {
  const name = checkedName(input.name);
  const mapping = parseMapping(input.mapping);
  if (Object.keys(mapping).length === 0) {
    throw new RequestError("invalid_argument", "A preset must map at least one column");
  }
  // The targets are checked now, so a preset never fails when it is used.
  mappedHeaders(Object.keys(mapping), mapping);
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("import_presets")
      .set({ mapping: JSON.stringify(mapping), updated_at: now, created_by: actor.userId })
      .where("org_id", "=", actor.orgId)
      .where("name", "=", name)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await trx
      .insertInto("import_presets")
      .values({
        id: randomUUID(),
        org_id: actor.orgId,
        name,
        mapping: JSON.stringify(mapping),
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
  return { name, mapping, createdBy: actor.email, updatedAt: now };
}

export async function deletePreset(store: Store, actor: UserActor, name: string): Promise<void> {
  const deleted = await store.db
    .deleteFrom("import_presets")
    .where("org_id", "=", actor.orgId)
    .where("name", "=", name.trim())
    .$if(actor.role !== "admin", (qb) => qb.where("created_by", "=", actor.userId))
    .executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) {
    throw new RequestError("not_found", `No preset named '${name.trim()}' that you may remove`);
  }
}

export interface MappingRequest {
  /** An explicit mapping wins over everything. */
  mapping?: ColumnMapping | null;
  /** A preset by name; an unknown name is an error. */
  preset?: string | null;
  /** False: no preset is picked for a file that fits one (a job applies what its submission chose). */
  autoPreset?: boolean;
}

export interface ChosenMapping {
  mapping: Record<string, string | null>;
  /** The preset it came from (named, or picked because it fits), or null. */
  preset: string | null;
}

/** The mapping one import uses, given what was asked and the file's headers. */
export async function chooseMapping(
  db: Db,
  actor: UserActor | VendorActor,
  headers: readonly string[],
  asked: MappingRequest,
): Promise<ChosenMapping> {
  if (asked.mapping && Object.keys(asked.mapping).length > 0) {
    return { mapping: parseMapping(asked.mapping), preset: null };
  }
  if (actor.kind !== "user") return { mapping: {}, preset: null };
  if (asked.preset) {
    const name = asked.preset.trim();
    const found = (await listPresets(db, actor)).find((p) => p.name === name);
    if (!found) {
      throw new RequestError("not_found", `No preset named '${name}' in this organisation`);
    }
    return { mapping: found.mapping, preset: found.name };
  }
  if (asked.autoPreset === false || !needsMapping(headers)) return { mapping: {}, preset: null };
  // The fitting preset that maps the most columns; the newest among equals.
  const fitting = (await listPresets(db, actor))
    .filter((p) => presetFits(p.mapping, headers))
    .sort((a, b) => Object.keys(b.mapping).length - Object.keys(a.mapping).length);
  const best = fitting[0];
  return best ? { mapping: best.mapping, preset: best.name } : { mapping: {}, preset: null };
}
