/**
 * The HTTP server: Fastify with cookie, multipart and rate-limit plugins, an OpenAPI 3
 * document at /api/openapi.json with interactive docs at /api/docs, one error shape, and
 * thin routes (validate → authorize → command → present).
 */

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from "../../core/password-policy.js";
import type { Store } from "../db/store.js";
import type { Worker } from "../jobs/worker.js";
import { XLSX_TYPE } from "../xlsx/export-workbook.js";
import { identify } from "./auth.js";
import type { AppContext } from "./context.js";
import { rejectNonFiniteNumbers } from "./finite-numbers.js";
import { errorHandler } from "./errors.js";
import { accountRoutes } from "./routes/accounts.js";
import { auditRoutes } from "./routes/audit.js";
import { connectionRoutes } from "./routes/connections.js";
import { dealRoutes } from "./routes/deals.js";
import { importMappingRoutes } from "./routes/import-mapping.js";
import { importUndoRoutes } from "./routes/import-undo.js";
import { jobRoutes } from "./routes/jobs.js";
import { metaRoutes } from "./routes/meta.js";
import { vendorRoutes } from "./routes/vendor.js";
import { docsCsp, registerSecurityHeaders } from "./security-headers.js";
import {
  DEFAULT_SIGN_IN_LIMITS,
  fastifyTrustProxy,
  type SignInLimits,
  type TrustProxy,
} from "./sign-in-limits.js";

export interface AppOptions {
  store: Store;
  /** The in-process worker, woken when a job is submitted. */
  worker?: Worker | null;
  limits?: Limits;
  logger?: FastifyServerOptions["logger"];
  /**
   * Trust X-Forwarded-* from reverse proxies: a hop count or their addresses (COSELL_TRUST_PROXY);
   * the client address is then the rightmost entry they did not write (sign-in-limits.ts).
   */
  trustProxy?: TrustProxy;
  /** Sign-in attempts allowed per client address and minute (default 10). */
  signInPerMinute?: number;
  /** The per-address and per-account sign-in limits (defaults: DEFAULT_SIGN_IN_LIMITS). */
  signInLimits?: Partial<SignInLimits>;
  /** The password rule's settings (COSELL_PASSWORD_MIN_LENGTH). */
  passwordPolicy?: PasswordPolicy;
  /** The built web page (default: dist/web beside the compiled server); served when present. */
  webRoot?: string | null;
}

/** dist/web, from dist/src/server/http (compiled) or src/server/http (tests run the sources). */
const defaultWebRoot = (): string | null => {
  for (const rel of ["../../../web", "../../../dist/web"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}/index.html`)) return dir;
  }
  return null;
};

export const buildApp = async (options: AppOptions): Promise<FastifyInstance> => {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: fastifyTrustProxy(options.trustProxy ?? false),
    // Uploads up to the limit, plus room for the multipart envelope.
    bodyLimit: limits.uploadBytes + 64 * 1024,
    ajv: { customOptions: { coerceTypes: "array", removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(errorHandler);
  app.addHook("preHandler", rejectNonFiniteNumbers);
  await registerSecurityHeaders(app);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: limits.uploadBytes, files: 1 } });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "cosell API",
        version: "1",
        description:
          "Co-sell deals with bulk CSV import and export. Authenticate with a session cookie (browser; send `x-csrf-token` on writes) or `Authorization: Bearer <API token>`.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          session: { type: "apiKey", in: "cookie", name: "cosell_session" },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  // No validator badge: it would load an image from validator.swagger.io, which the CSP refuses.
  await app.register(swaggerUi, {
    routePrefix: "/api/docs",
    uiConfig: { validatorUrl: null },
    transformStaticCSP: docsCsp,
  });
  // CSV uploads arrive as raw text/csv bodies too (scripts, curl --data-binary).
  app.addContentTypeParser(
    ["text/csv", "application/octet-stream", XLSX_TYPE],
    { parseAs: "buffer" },
    (_req, body, done) => done(null, body),
  );
  app.addHook("onRequest", identify(options.store));

  const ctx: AppContext = {
    store: options.store,
    limits,
    wake: () => options.worker?.wake(),
  };
  await app.register(metaRoutes(ctx));
  const signInLimits: SignInLimits = {
    ...DEFAULT_SIGN_IN_LIMITS,
    ...(options.signInPerMinute ? { perAddressPerMinute: options.signInPerMinute } : {}),
    ...options.signInLimits,
  };
  await app.register(
    accountRoutes(ctx, signInLimits, options.passwordPolicy ?? DEFAULT_PASSWORD_POLICY),
  );
  await app.register(dealRoutes(ctx));
  await app.register(jobRoutes(ctx));
  await app.register(importMappingRoutes(ctx));
  await app.register(importUndoRoutes(ctx));
  await app.register(vendorRoutes(ctx));
  await app.register(auditRoutes(ctx));
  await app.register(connectionRoutes(ctx));
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const webRoot = options.webRoot === undefined ? defaultWebRoot() : options.webRoot;
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false });
    // The page routes (/, /users, /tokens, /account) are the app's own: any other non-API GET gets index.html.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === "GET" && !request.url.startsWith("/api/"))
        return reply.sendFile("index.html");
      return reply.status(404).send({
        error: { code: "not_found", message: `No route ${request.method} ${request.url}` },
      });
    });
  } else {
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({
        error: { code: "not_found", message: `No route ${request.method} ${request.url}` },
      }),
    );
  }
  return app;
};
