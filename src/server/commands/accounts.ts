/** Organisations (tenants) and their users. */
import { randomUUID } from "node:crypto";
import { decodeEmail } from "../../core/codecs/index.js";
import { RequestError } from "../../core/errors.js";
import { generatePassword, hashPassword } from "../auth/password.js";
import type { UserRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import type { Role, UserActor } from "./actor.js";

export interface NewAccount {
  orgId: string;
  userId: string;
  email: string;
  /** Set when cosell made the password up: shown once, never stored in clear. */
  generatedPassword: string | null;
}

const normaliseEmail = (email: string): string => {
  const decoded = decodeEmail(email, "Email");
  if (!decoded.ok) throw new RequestError("invalid_argument", decoded.message);
  return decoded.value.toLowerCase();
};

export const createOrganization = async (
  store: Store,
  input: { name: string; adminEmail: string; adminName?: string | null; password?: string | null },
): Promise<NewAccount> => {
  const name = input.name.trim();
  if (name === "") throw new RequestError("invalid_argument", "An organisation needs a name");
  const existing = await store.db
    .selectFrom("organizations")
    .select("id")
    .where("name", "=", name)
    .executeTakeFirst();
  if (existing)
    throw new RequestError("already_exists", `An organisation named '${name}' already exists`);
  const orgId = randomUUID();
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto("organizations").values({ id: orgId, name, created_at: now }).execute();
  });
  try {
    return await addUser(store, {
      email: input.adminEmail,
      orgName: name,
      role: "admin",
      name: input.adminName ?? null,
      password: input.password ?? null,
    });
  } catch (error) {
    // An organisation without its admin would be unreachable: take it back.
    await store.db.deleteFrom("organizations").where("id", "=", orgId).execute();
    throw error;
  }
};

export const addUser = async (
  store: Store,
  input: {
    email: string;
    orgName: string;
    role: Role;
    name?: string | null;
    password?: string | null;
  },
): Promise<NewAccount> => {
  const email = normaliseEmail(input.email);
  const org = await store.db
    .selectFrom("organizations")
    .select("id")
    .where("name", "=", input.orgName.trim())
    .executeTakeFirst();
  if (!org) throw new RequestError("not_found", `No organisation named '${input.orgName}'`);
  const taken = await store.db
    .selectFrom("users")
    .select("id")
    .where("email", "=", email)
    .executeTakeFirst();
  if (taken)
    throw new RequestError("already_exists", `A user with email '${email}' already exists`);
  const generatedPassword = input.password ? null : generatePassword();
  const userId = randomUUID();
  await store.db
    .insertInto("users")
    .values({
      id: userId,
      org_id: org.id,
      email,
      name: input.name?.trim() || null,
      role: input.role,
      password_hash: await hashPassword(input.password ?? generatedPassword ?? ""),
      created_at: new Date().toISOString(),
    })
    .execute();
  return { orgId: org.id, userId, email, generatedPassword };
};

export const toActor = (
  user: Pick<UserRow, "id" | "org_id" | "email" | "name" | "role">,
): UserActor => ({
  kind: "user",
  userId: user.id,
  orgId: user.org_id,
  email: user.email,
  name: user.name,
  role: user.role,
});

/** The active user with this email, as an actor; "not found" otherwise. */
export const actorByEmail = async (store: Store, email: string): Promise<UserActor> => {
  const user = await store.db
    .selectFrom("users")
    .select(["id", "org_id", "email", "name", "role"])
    .where("email", "=", email.trim().toLowerCase())
    .where("active", "=", 1)
    .executeTakeFirst();
  if (!user) throw new RequestError("not_found", `No active user with email '${email}'`);
  return toActor(user);
};

export const orgIdByName = async (store: Store, name: string): Promise<string> => {
  const org = await store.db
    .selectFrom("organizations")
    .select("id")
    .where("name", "=", name.trim())
    .executeTakeFirst();
  if (!org) throw new RequestError("not_found", `No organisation named '${name}'`);
  return org.id;
};
