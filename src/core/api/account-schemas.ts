/**
 * Accounts as JSON — the signed-in user, the organisation's users, API tokens — as TypeBox
 * schemas with their types derived: the server validates and documents its answers with them,
 * and the web page and the CLI's remote mode check what they read with the very same ones.
 */
import { type Static, Type } from "typebox";
import { ROLES } from "../actor.js";

/** A text or null, as `anyOf` (these are answers and bodies, never coerced query values). */
const textOrNull = () => Type.Union([Type.String(), Type.Null()]);

export const RoleSchema = Type.Enum(ROLES);

export const MeSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: textOrNull(),
  role: RoleSchema,
  orgId: Type.String(),
  csrfToken: textOrNull(),
});
export type MeJson = Static<typeof MeSchema>;

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: textOrNull(),
  role: RoleSchema,
  active: Type.Boolean(),
  createdAt: Type.String(),
});
export type UserJson = Static<typeof UserSchema>;
export const UserListSchema = Type.Object({ items: Type.Array(UserSchema) });
/** A user just added: the generated password, shown once, or null when one was given. */
export const NewUserSchema = Type.Intersect([UserSchema, Type.Object({ password: textOrNull() })]);

export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: textOrNull(),
});
export type TokenJson = Static<typeof TokenSchema>;
export const TokenListSchema = Type.Object({ items: Type.Array(TokenSchema) });
/** A token just created: its secret is shown once. */
export const NewTokenSchema = Type.Intersect([TokenSchema, Type.Object({ token: Type.String() })]);

/**
 * The password rule's lengths (`GET /api/auth/password-policy`): the page checks a new password
 * with the core's own rule (`core/password-policy.ts`) before sending it; the common-password
 * list stays on the server.
 */
export const PasswordPolicySchema = Type.Object({
  minLength: Type.Integer({ minimum: 1 }),
  maxLength: Type.Integer({ minimum: 1 }),
});
export type PasswordPolicyJson = Static<typeof PasswordPolicySchema>;
