/** Sign-in and sign-out, the current user, API tokens, and (for Referrals admins) the organisation's users. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  MeSchema,
  NewTokenSchema,
  NewUserSchema,
  PasswordPolicySchema,
  RoleSchema,
  TokenListSchema,
  UserListSchema,
  UserSchema,
} from "../../../core/api/account-schemas.js";
import { RequestError } from "../../../core/errors.js";
import { ACCOUNT } from "../../../core/messages/accounts.js";
import { PASSWORD_MAX_LENGTH, type PasswordPolicy } from "../../../core/password-policy.js";
import { addUserToOrg, changeOwnPassword, changeUser, listUsers } from "../../commands/accounts.js";
import type { UserActor } from "../../../core/actor.js";
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  signIn,
  signOut,
} from "../../commands/credentials.js";
import type { AppContext } from "../context.js";
import { actorOf, requireAdmin, requireUser, SESSION_COOKIE } from "../auth.js";
import { AccountAttempts, type SignInLimits } from "../sign-in-limits.js";

const me = (actor: UserActor, csrfToken: string | null) => ({
  id: actor.userId,
  email: actor.email,
  name: actor.name,
  role: actor.role,
  orgId: actor.orgId,
  csrfToken,
});

export const accountRoutes =
  (
    ctx: AppContext,
    limits: SignInLimits,
    passwordPolicy: PasswordPolicy,
  ): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { store } = ctx;
    const attempts = new AccountAttempts(store.db, limits);

    app.post(
      "/api/auth/sign-in",
      {
        // Per client address (request.ip: what the trusted proxies say); per account below.
        config: { rateLimit: { max: limits.perAddressPerMinute, timeWindow: "1 minute" } },
        schema: {
          tags: ["accounts"],
          summary: "Sign in with email and password; sets the session cookie",
          security: [],
          body: Type.Object({
            email: Type.String({ minLength: 3 }),
            password: Type.String({ minLength: 1 }),
          }),
          response: { 200: MeSchema },
        },
      },
      async (request, reply) => {
        const { email, password } = request.body;
        await attempts.attempt(email);
        const session = await signIn(store, email, password);
        await attempts.succeeded(email);
        reply.setCookie(SESSION_COOKIE, session.token, {
          path: "/",
          httpOnly: true,
          sameSite: "lax",
          secure: request.protocol === "https",
          expires: new Date(session.expiresAt),
        });
        return me(session.actor, session.csrfToken);
      },
    );

    app.post(
      "/api/auth/sign-out",
      {
        schema: {
          tags: ["accounts"],
          summary: "Sign out (ends the session)",
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const cookie = request.cookies[SESSION_COOKIE];
        if (cookie) await signOut(store, cookie);
        reply.clearCookie(SESSION_COOKIE, { path: "/" });
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/auth/me",
      {
        preHandler: requireUser,
        schema: { tags: ["accounts"], summary: "The signed-in user", response: { 200: MeSchema } },
      },
      async (request) => me(actorOf(request), request.sessionCsrf),
    );

    app.post(
      "/api/auth/password",
      {
        preHandler: requireUser,
        schema: {
          tags: ["accounts"],
          summary:
            "Change your password (the current one is asked for; your other sessions end). The new one must pass the password rule (docs/SECURITY.md)",
          body: Type.Object({
            currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
            newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
          }),
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        // The current password is asked for: a stolen session must not guess it without limit,
        // so it counts against the account like a sign-in.
        await attempts.attempt(actor.email);
        try {
          await changeOwnPassword(
            store,
            actor,
            { ...request.body, keepSessionToken: request.cookies[SESSION_COOKIE] ?? null },
            passwordPolicy,
          );
        } catch (error) {
          // Only a wrong current password is a guess; a new one the rule refuses is not.
          if (!(error instanceof RequestError && error.code === "forbidden")) {
            await attempts.succeeded(actor.email);
          }
          throw error;
        }
        await attempts.succeeded(actor.email);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/auth/password-policy",
      {
        preHandler: requireUser,
        schema: {
          tags: ["accounts"],
          summary:
            "The password rule this server applies: its lengths (the common-password list is checked by the server)",
          response: { 200: PasswordPolicySchema },
        },
      },
      async () => ({ minLength: passwordPolicy.minLength, maxLength: PASSWORD_MAX_LENGTH }),
    );

    app.get(
      "/api/tokens",
      {
        preHandler: requireUser,
        schema: {
          tags: ["accounts"],
          summary: "Your API tokens",
          response: { 200: TokenListSchema },
        },
      },
      async (request) => ({ items: await listApiTokens(store, actorOf(request)) }),
    );

    app.post(
      "/api/tokens",
      {
        preHandler: requireUser,
        schema: {
          tags: ["accounts"],
          summary: "Create an API token (its secret is shown once)",
          body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 100 })) }),
          response: { 201: NewTokenSchema },
        },
      },
      async (request, reply) => {
        const created = await createApiToken(store, actorOf(request), request.body.name ?? "");
        return reply.status(201).send(created);
      },
    );

    app.delete(
      "/api/tokens/:id",
      {
        preHandler: requireUser,
        schema: {
          tags: ["accounts"],
          summary: "Revoke an API token",
          params: Type.Object({ id: Type.String() }),
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await revokeApiToken(store, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/users",
      {
        preHandler: requireAdmin,
        schema: {
          tags: ["users"],
          summary: "The organisation's users (Referrals admins)",
          response: { 200: UserListSchema },
        },
      },
      async (request) => ({ items: await listUsers(store, actorOf(request)) }),
    );

    app.post(
      "/api/users",
      {
        preHandler: requireAdmin,
        schema: {
          tags: ["users"],
          summary: "Add a user to the organisation (Referrals admins)",
          body: Type.Object({
            email: Type.String({ minLength: 3 }),
            role: RoleSchema,
            name: Type.Optional(Type.String({ maxLength: 200 })),
            // The password rule (length, common passwords) answers with its own message.
            password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
          }),
          response: {
            201: NewUserSchema,
          },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const { user, generatedPassword } = await addUserToOrg(
          store,
          actor,
          request.body,
          passwordPolicy,
        );
        return reply.status(201).send({ ...user, password: generatedPassword });
      },
    );

    app.patch(
      "/api/users/:id",
      {
        preHandler: requireAdmin,
        schema: {
          tags: ["users"],
          summary: "Change a user's role, or deactivate / reactivate them (Referrals admins)",
          params: Type.Object({ id: Type.String() }),
          body: Type.Object({
            role: Type.Optional(RoleSchema),
            active: Type.Optional(Type.Boolean()),
            name: Type.Optional(Type.String()),
          }),
          response: { 200: UserSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        if (
          request.params.id === actor.userId &&
          (request.body.active === false || request.body.role === "user")
        ) {
          throw new RequestError("conflict", ACCOUNT.notYourself);
        }
        return changeUser(store, actor, request.params.id, request.body);
      },
    );
  };
