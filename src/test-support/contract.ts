/**
 * The API's answers as `src/core/api` defines them, by route and status: the test HTTP client
 * checks every JSON body it reads against its schema (and any error against the one error
 * body), so every route test also checks the contract the web page and the CLI's remote mode
 * rely on. Fastify uses a route's response schema to serialise, not to validate: without this,
 * a field the presenter forgot would be dropped silently.
 */
import type { TSchema } from "typebox";
import { Value } from "typebox/value";
import {
  MeSchema,
  NewTokenSchema,
  NewUserSchema,
  PasswordPolicySchema,
  TokenListSchema,
  UserListSchema,
  UserSchema,
} from "../core/api/account-schemas.js";
import { AuditPageSchema } from "../core/api/audit-schemas.js";
import { DealDetailSchema, DealListSchema } from "../core/api/deal-schemas.js";
import { ApiErrorSchema } from "../core/api/error-schema.js";
import {
  ExportAcceptedSchema,
  ExportJobSchema,
  ImportAcceptedSchema,
  ImportJobSchema,
  ImportListSchema,
  ImportRowsSchema,
  UndoJobSchema,
  UndoListSchema,
} from "../core/api/job-schemas.js";
import { LimitsSchema } from "../core/api/limits-schemas.js";
import { PresetSchema, PreviewSchema } from "../core/api/mapping-schemas.js";
import {
  ConflictIdsSchema,
  ConnectedSchema,
  ConnectionListSchema,
  DealSyncStateSchema,
  SyncJobListSchema,
  SyncJobSchema,
  SyncSubmittedSchema,
} from "../core/api/sync-schemas.js";

/** By route, as the routes declare it (`METHOD /path/:param`), the schema of each status's body. */
const CONTRACT: Readonly<Record<string, Readonly<Partial<Record<number, TSchema>>>>> = {
  "GET /api/deals": { 200: DealListSchema },
  "POST /api/deals": { 201: DealDetailSchema },
  "GET /api/deals/:id": { 200: DealDetailSchema },
  "PATCH /api/deals/:id": { 200: DealDetailSchema },
  "GET /api/deals/:id/history": { 200: AuditPageSchema },
  "GET /api/audit": { 200: AuditPageSchema },
  "POST /api/imports": { 202: ImportAcceptedSchema },
  "GET /api/imports": { 200: ImportListSchema },
  "GET /api/imports/:id": { 200: ImportJobSchema },
  "GET /api/imports/:id/rows": { 200: ImportRowsSchema },
  "POST /api/imports/:id/cancel": { 200: ImportJobSchema },
  "POST /api/exports": { 202: ExportAcceptedSchema },
  "GET /api/exports/:id": { 200: ExportJobSchema },
  "POST /api/exports/:id/cancel": { 200: ExportJobSchema },
  "POST /api/auth/sign-in": { 200: MeSchema },
  "GET /api/auth/me": { 200: MeSchema },
  "GET /api/auth/password-policy": { 200: PasswordPolicySchema },
  "GET /api/users": { 200: UserListSchema },
  "POST /api/users": { 201: NewUserSchema },
  "PATCH /api/users/:id": { 200: UserSchema },
  "GET /api/tokens": { 200: TokenListSchema },
  "POST /api/tokens": { 201: NewTokenSchema },
  "GET /api/limits": { 200: LimitsSchema },
  "GET /api/undos/:id": { 200: UndoJobSchema },
  "GET /api/undos": { 200: UndoListSchema },
  "PUT /api/import-presets/:name": { 200: PresetSchema },
  "POST /api/imports/preview": { 200: PreviewSchema },
  "GET /api/connections": { 200: ConnectionListSchema },
  "POST /api/connections": { 201: ConnectedSchema },
  "POST /api/connections/:id/sync": { 202: SyncSubmittedSchema },
  "GET /api/syncs/:id": { 200: SyncJobSchema },
  "GET /api/syncs": { 200: SyncJobListSchema },
  "GET /api/deals/:id/sync": { 200: DealSyncStateSchema },
  "GET /api/conflicts": { 200: ConflictIdsSchema },
  "POST /api/deals/:id/conflicts/:field/resolve": { 200: DealSyncStateSchema },
};

const ROUTES = Object.keys(CONTRACT).map((key) => {
  const [method = "", template = ""] = key.split(" ");
  const pattern = template.replace(/:[^/]+/g, "[^/]+");
  return { key, method, path: new RegExp(`^${pattern}$`) };
});

/** The schema a body must fit: its route's for that status, the one error body for any error. */
function schemaOf(method: string, url: string, status: number): TSchema | undefined {
  const path = url.split("?")[0] ?? url;
  const route = ROUTES.find((r) => r.method === method && r.path.test(path));
  const answer = route ? CONTRACT[route.key]?.[status] : undefined;
  if (answer) return answer;
  return status >= 400 && path.startsWith("/api/") ? ApiErrorSchema : undefined;
}

/** Throws, saying where, when a JSON body does not fit the contract of its route and status. */
export function checkContract(method: string, url: string, status: number, body: unknown): void {
  const schema = schemaOf(method.toUpperCase(), url, status);
  if (!schema || Value.Check(schema, body)) return;
  const first = [...Value.Errors(schema, body)][0];
  throw new Error(
    `${method} ${url} → ${status}: the body does not fit src/core/api${first ? ` (${first.instancePath} ${first.message})` : ""}: ${JSON.stringify(body).slice(0, 300)}`,
  );
}
