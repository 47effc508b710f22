/**
 * The shapes the page reads from the API, checked at the door with TypeBox: a response
 * that does not fit is an error, never a silent `undefined` deep in a component.
 */
import { type Static, type TSchema, Type } from "typebox";
import { Value } from "typebox/value";
import {
  type DealDetailJson,
  DealDetailSchema,
  type DealJson,
  DealListSchema,
  DealSchema,
  type TransitionSchema,
} from "../core/api/deal-schemas.js";
import {
  type ExportJobJson,
  ExportJobSchema,
  type ImportJobJson,
  ImportJobSchema,
  ImportListSchema,
  type ImportRowJson,
  ImportRowsSchema,
  type ImportSummaryJson,
  ImportSummarySchema,
  SubmittedSchema,
  UndoJobSchema,
  type UndoSummaryJson,
} from "../core/api/job-schemas.js";
import { type PreviewJson, PreviewSchema } from "../core/api/mapping-schemas.js";

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Nullable(Type.String()),
  role: Type.Union([Type.Literal("admin"), Type.Literal("user")]),
  orgId: Type.String(),
  csrfToken: Nullable(Type.String()),
});
export type Me = Static<typeof Me>;

// Deals and jobs: the server's own schemas (src/core/api), never a second copy here.
export const DealItem = DealSchema;
export type DealItem = DealJson;
export const DealPage = DealListSchema;
export const DealDetail = DealDetailSchema;
export type DealDetail = DealDetailJson;
export type AllowedTransition = Static<typeof TransitionSchema>;

export const ImportSummary = ImportSummarySchema;
export type ImportSummary = ImportSummaryJson;
export const ImportJob = ImportJobSchema;
export type ImportJob = ImportJobJson;
export const ImportList = ImportListSchema;
export type ImportRow = ImportRowJson;
export const ImportRows = ImportRowsSchema;
export const ExportJob = ExportJobSchema;
export type ExportJob = ExportJobJson;
export const Accepted = SubmittedSchema;
export const UndoJob = UndoJobSchema;
export type UndoSummary = UndoSummaryJson;
export const Preview = PreviewSchema;
export type Preview = PreviewJson;

export const User = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Nullable(Type.String()),
  role: Type.Union([Type.Literal("admin"), Type.Literal("user")]),
  active: Type.Boolean(),
  createdAt: Type.String(),
});
export type User = Static<typeof User>;
export const UserList = Type.Object({ items: Type.Array(User) });
export const NewUser = Type.Intersect([User, Type.Object({ password: Nullable(Type.String()) })]);

export const Token = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
});
export type Token = Static<typeof Token>;
export const TokenList = Type.Object({ items: Type.Array(Token) });
export const NewToken = Type.Intersect([Token, Type.Object({ token: Type.String() })]);

/** Checks a response against its schema; throws when it does not fit. */
export const parse = <T extends TSchema>(schema: T, value: unknown): Static<T> => {
  if (!Value.Check(schema, value)) {
    const first = [...Value.Errors(schema, value)][0];
    throw new Error(
      `Unexpected answer from the server${first ? ` (${first.instancePath} ${first.message})` : ""}`,
    );
  }
  return value;
};
