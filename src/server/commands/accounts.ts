/** Organisations (tenants) and their users. */
import { randomUUID } from "node:crypto";
import { decodeEmail } from "../../core/codecs/index.js";
import { RequestError } from "../../core/errors.js";
import { ACCOUNT } from "../../core/messages/accounts.js";
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from "../../core/password-policy.js";
import { generatePassword, hashPassword, verifyPassword } from "../auth/password.js";
import { assertPasswordAllowed } from "../auth/password-rules.js";
import { sha256 } from "../auth/secret-hash.js";
import type { UserRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import type { Role, UserActor } from "../../core/actor.js";

export interface NewAccount {
  orgId: string;
  userId: string;
  email: string;
  /** Set when cosell made the password up: shown once, never stored in clear. */
  generatedPassword: string | null;
}

const normaliseEmail = (email: string): string => {
  const decoded = decodeEmail(email, ACCOUNT.emailLabel);
  if (!decoded.ok) {
    throw new RequestError("invalid_argument", {
      en: decoded.message,
      fr: decoded.fr ?? decoded.message,
    });
  }
  return decoded.value.toLowerCase();
};

export const createOrganization = async (
  store: Store,
  input: {
    name: string;
    adminEmail: string;
    adminName?: string | null;
    password?: string | null;
    policy?: PasswordPolicy;
  },
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
      ...(input.policy ? { policy: input.policy } : {}),
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
    /** The password rule's settings (default: 12 characters at least). */
    policy?: PasswordPolicy;
  },
): Promise<NewAccount> => {
  const email = normaliseEmail(input.email);
  if (input.password) {
    await assertPasswordAllowed(input.password, email, input.policy ?? DEFAULT_PASSWORD_POLICY);
  }
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
  // Emails are unique across organisations (sign-in asks only for the email), so the refusal
  // is worded, coded and timed alike whether the address is in this organisation or another:
  // it must not tell one tenant that a person has an account elsewhere.
  if (taken) throw new RequestError("already_exists", ACCOUNT.emailInUse(email));
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

/** The active user with this id, as an actor (a job runs as the person who submitted it). */
export const actorById = async (store: Store, id: string): Promise<UserActor> => {
  const user = await store.db
    .selectFrom("users")
    .select(["id", "org_id", "email", "name", "role"])
    .where("id", "=", id)
    .where("active", "=", 1)
    .executeTakeFirst();
  if (!user)
    throw new RequestError("forbidden", "The user who asked for this job is no longer active");
  return toActor(user);
};

export interface UserInfo {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  active: boolean;
  createdAt: string;
}

const userInfo = (
  u: Pick<UserRow, "id" | "email" | "name" | "role" | "active" | "created_at">,
): UserInfo => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  active: u.active === 1,
  createdAt: u.created_at,
});

export const listUsers = async (store: Store, actor: UserActor): Promise<UserInfo[]> => {
  const rows = await store.db
    .selectFrom("users")
    .select(["id", "email", "name", "role", "active", "created_at"])
    .where("org_id", "=", actor.orgId)
    .orderBy("email")
    .execute();
  return rows.map(userInfo);
};

/** A Referrals admin adds a user to their own organisation. */
export const addUserToOrg = async (
  store: Store,
  actor: UserActor,
  input: { email: string; role: Role; name?: string | undefined; password?: string | undefined },
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): Promise<{ user: UserInfo; generatedPassword: string | null }> => {
  const org = await store.db
    .selectFrom("organizations")
    .select("name")
    .where("id", "=", actor.orgId)
    .executeTakeFirstOrThrow();
  const account = await addUser(store, {
    email: input.email,
    orgName: org.name,
    role: input.role,
    name: input.name ?? null,
    password: input.password ?? null,
    policy,
  });
  const [user] = (await listUsers(store, actor)).filter((u) => u.id === account.userId);
  if (!user) throw new RequestError("not_found", "The new user could not be read back");
  return { user, generatedPassword: account.generatedPassword };
};

/** A Referrals admin changes a user of their organisation; users of others are "not found". */
export const changeUser = async (
  store: Store,
  actor: UserActor,
  userId: string,
  change: { role?: Role | undefined; active?: boolean | undefined; name?: string | undefined },
): Promise<UserInfo> => {
  const result = await store.db
    .updateTable("users")
    .set({
      ...(change.role ? { role: change.role } : {}),
      ...(change.active !== undefined ? { active: change.active ? 1 : 0 } : {}),
      ...(change.name !== undefined ? { name: change.name.trim() || null } : {}),
    })
    .where("id", "=", userId)
    .where("org_id", "=", actor.orgId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new RequestError("not_found", ACCOUNT.noSuchUser);
  if (change.active === false) {
    // A deactivated user is signed out everywhere at once.
    await store.db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  }
  const [user] = (await listUsers(store, actor)).filter((u) => u.id === userId);
  if (!user) throw new RequestError("not_found", ACCOUNT.noSuchUser);
  return user;
};

/**
 * A signed-in user changes their own password: the current one must be right, the new one must
 * pass the rule. Their other sessions end (a stolen session does not outlive the change); the
 * one in use, if any, stays.
 */
export const changeOwnPassword = async (
  store: Store,
  actor: UserActor,
  input: { currentPassword: string; newPassword: string; keepSessionToken?: string | null },
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): Promise<void> => {
  const user = await store.db
    .selectFrom("users")
    .select(["password_hash"])
    .where("id", "=", actor.userId)
    .where("active", "=", 1)
    .executeTakeFirst();
  if (!user?.password_hash || !(await verifyPassword(input.currentPassword, user.password_hash)))
    throw new RequestError("forbidden", "The current password is not right");
  await assertPasswordAllowed(input.newPassword, actor.email, policy);
  const hash = await hashPassword(input.newPassword);
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash: hash })
      .where("id", "=", actor.userId)
      .execute();
    await trx
      .deleteFrom("sessions")
      .where("user_id", "=", actor.userId)
      .$if(Boolean(input.keepSessionToken), (qb) =>
        qb.where("id_hash", "!=", sha256(input.keepSessionToken ?? "")),
      )
      .execute();
  });
};
