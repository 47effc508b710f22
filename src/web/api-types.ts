/**
 * The shapes the page reads from the API, checked at the door with TypeBox: a response
 * that does not fit is an error, never a silent `undefined` deep in a component.
 */
import { type Static, type TSchema, Type } from "typebox";
import { Value } from "typebox/value";

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

export const DealItem = Type.Object({
  id: Type.String(),
  engagementId: Type.String(),
  direction: Type.String(),
  name: Type.String(),
  customerName: Type.String(),
  customerCountry: Type.String(),
  status: Type.String(),
  substatus: Type.String(),
  microsoftStatus: Nullable(Type.String()),
  value: Type.Number(),
  currency: Type.String(),
  closeDate: Type.String(),
  crmId: Nullable(Type.String()),
  createdAt: Type.String(),
  type: Type.String(),
  favorite: Type.Boolean(),
});
export type DealItem = Static<typeof DealItem>;

export const DealPage = Type.Object({
  items: Type.Array(DealItem),
  total: Type.Number(),
  totalIsExact: Type.Boolean(),
});

const Code = Type.Object({ code: Type.Number(), label: Type.String() });
export const AllowedTransition = Type.Object({
  name: Type.String(),
  to: Type.Object({ status: Type.String(), substatus: Type.String() }),
  reason: Nullable(Type.Object({ name: Type.String(), codes: Type.Array(Code) })),
});
export type AllowedTransition = Static<typeof AllowedTransition>;

export const Solution = Type.Object({
  id: Type.String(),
  currency: Nullable(Type.String()),
  price: Nullable(Type.Number()),
  quantity: Nullable(Type.Number()),
});
export const TeamMember = Type.Object({
  firstName: Type.String(),
  lastName: Type.String(),
  phone: Nullable(Type.String()),
  email: Type.String(),
});

/** The whole deal as GET /api/deals/:id gives it; fields are read by key from the core's catalogue. */
export const DealDetail = Type.Intersect([
  DealItem,
  Type.Record(Type.String(), Type.Unknown()),
  Type.Object({
    solutions: Type.Array(Solution),
    team: Type.Array(TeamMember),
    version: Type.Number(),
    updatedAt: Type.String(),
    allowedTransitions: Type.Array(AllowedTransition),
    locks: Type.Record(Type.String(), Type.String()),
  }),
]);
export type DealDetail = Static<typeof DealDetail>;

export const JobStatus = Type.Union([
  Type.Literal("queued"),
  Type.Literal("running"),
  Type.Literal("succeeded"),
  Type.Literal("failed"),
  Type.Literal("canceled"),
]);
const Progress = Type.Object({ processed: Type.Number(), total: Type.Number() });
const JobError = Nullable(Type.Object({ code: Type.String(), message: Type.String() }));

export const ImportSummary = Type.Object({
  dryRun: Type.Boolean(),
  total: Type.Number(),
  created: Type.Number(),
  updated: Type.Number(),
  unchanged: Type.Number(),
  notProcessed: Type.Number(),
  ignoredColumns: Type.Array(Type.String()),
});
export type ImportSummary = Static<typeof ImportSummary>;

export const ImportJob = Type.Object({
  id: Type.String(),
  status: JobStatus,
  progress: Progress,
  dryRun: Type.Boolean(),
  fileName: Nullable(Type.String()),
  createdAt: Type.String(),
  summary: Nullable(ImportSummary),
  error: JobError,
});
export type ImportJob = Static<typeof ImportJob>;
export const ImportList = Type.Object({ items: Type.Array(ImportJob), total: Type.Number() });

const RowError = Type.Object({
  column: Type.String(),
  code: Type.String(),
  message: Type.String(),
});
const Change = Type.Object({
  column: Type.String(),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
});
export const ImportRow = Type.Object({
  row: Type.Number(),
  result: Type.String(),
  referralId: Nullable(Type.String()),
  errors: Type.Array(RowError),
  changes: Type.Array(Change),
});
export type ImportRow = Static<typeof ImportRow>;
export const ImportRows = Type.Union([
  Type.Array(ImportRow),
  Type.Object({ items: Type.Array(ImportRow) }),
]);

export const ExportJob = Type.Object({
  id: Type.String(),
  status: JobStatus,
  result: Nullable(
    Type.Object({ count: Type.Number(), leftOut: Type.Number(), fileName: Type.String() }),
  ),
  error: JobError,
});
export type ExportJob = Static<typeof ExportJob>;

export const Accepted = Type.Object({ id: Type.String() });

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
