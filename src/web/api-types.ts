/**
 * The shapes the page reads from the API, checked at the door with TypeBox: a response
 * that does not fit is an error, never a silent `undefined` deep in a component.
 */
import type { Static, TSchema } from "typebox";
import { Value } from "typebox/value";
import {
  type MeJson,
  MeSchema,
  NewTokenSchema,
  NewUserSchema,
  type TokenJson,
  TokenListSchema,
  TokenSchema,
  type UserJson,
  UserListSchema,
  UserSchema,
} from "../core/api/account-schemas.js";
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
  SubmittedSchema,
  UndoJobSchema,
  type UndoSummaryJson,
} from "../core/api/job-schemas.js";
import { type PreviewJson, PreviewSchema } from "../core/api/mapping-schemas.js";

// Accounts, deals and jobs: the server's own schemas (src/core/api), never a second copy here.
export const Me = MeSchema;
export type Me = MeJson;

export const DealItem = DealSchema;
export type DealItem = DealJson;
export const DealPage = DealListSchema;
export const DealDetail = DealDetailSchema;
export type DealDetail = DealDetailJson;
export type AllowedTransition = Static<typeof TransitionSchema>;

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

export const User = UserSchema;
export type User = UserJson;
export const UserList = UserListSchema;
export const NewUser = NewUserSchema;

export const Token = TokenSchema;
export type Token = TokenJson;
export const TokenList = TokenListSchema;
export const NewToken = NewTokenSchema;

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
