/**
 * The deal as JSON: what the API answers and accepts, as TypeBox schemas. Pure and isomorphic,
 * so the web page validates and types its data with the very schemas the server serialises with.
 * Field rules are not here: a body only has to have the right shape; the row rules judge it.
 */
import { type Static, type TSchema, type TUnsafe, Type } from "typebox";
import { FIELD_KEYS, type FieldKey } from "../columns.js";
import { DEAL_TYPES, type Deal, STATUSES, SUBSTATUSES } from "../deal.js";
import { INPUT_LISTS } from "../deal-input.js";

/**
 * `schema` or null, as a type list rather than `anyOf`: the server coerces request values to
 * their schema's type, and inside an `anyOf` that coercion would turn a null into 0, false or "".
 */
export const orNull = <T extends TSchema & { type: string }>(
  schema: T,
): TUnsafe<Static<T> | null> =>
  Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, "null"] });

const text = () => Type.String();
const optionalText = () => orNull(Type.String());
const instant = (description: string) => Type.String({ description });

export const SolutionSchema = Type.Object({
  id: Type.String({ description: "Solution ID, e.g. SOL-1234-PQRS" }),
  currency: orNull(Type.String({ description: "ISO 4217" })),
  price: orNull(Type.Number()),
  quantity: orNull(Type.Integer()),
});

export const TeamMemberSchema = Type.Object({
  firstName: text(),
  lastName: text(),
  phone: optionalText(),
  email: text(),
});

/** Every field of a stored deal (the `Deal` of core), by name. */
const dealProperties = {
  id: Type.String({ description: "The Referral ID" }),
  orgId: text(),
  direction: Type.Enum(["inbound", "outbound"] as const, {
    description: "inbound: received from the vendor side; outbound: created by the partner",
  }),
  createdAt: instant("ISO 8601 UTC"),
  updatedAt: instant("ISO 8601 UTC: the last change"),
  receivedAt: orNull(instant("ISO 8601 UTC: when an inbound deal arrived")),
  version: Type.Integer({ description: "Bumped on every change; the ETag" }),
  engagementId: text(),
  name: text(),
  customerName: text(),
  customerAddress1: text(),
  customerAddress2: optionalText(),
  customerCity: text(),
  customerState: optionalText(),
  customerPostalCode: optionalText(),
  customerCountry: Type.String({ description: "ISO 3166-1 alpha-2" }),
  customerDuns: optionalText(),
  contactFirstName: optionalText(),
  contactLastName: optionalText(),
  contactPhone: optionalText(),
  contactEmail: optionalText(),
  status: Type.Enum(STATUSES),
  substatus: Type.Enum(SUBSTATUSES),
  microsoftStatus: optionalText(),
  closeReason: orNull(Type.Integer()),
  salesStage: orNull(Type.Integer()),
  value: Type.Number(),
  currency: Type.String({ description: "ISO 4217" }),
  closeDate: Type.String({ description: "YYYY-MM-DD" }),
  crmId: optionalText(),
  campaignId: optionalText(),
  notes: optionalText(),
  helpRequired: Type.Boolean(),
  helpType: orNull(Type.Integer()),
  shareWithMicrosoft: Type.Boolean(),
  notesToMicrosoft: optionalText(),
  consent: Type.Boolean(),
  solutions: Type.Array(SolutionSchema),
  team: Type.Array(TeamMemberSchema),
} satisfies Record<keyof Deal, TSchema>;

/** A deal as the list and the API show it: the stored deal, its type, your star, its ETag. */
export const DealSchema = Type.Object({
  ...dealProperties,
  type: Type.Enum(DEAL_TYPES, { description: "Co-sell, Partner-led or Private" }),
  favorite: Type.Boolean({ description: "Starred by you" }),
  etag: Type.String({ description: 'The ETag, quoted as If-Match wants it: "3"' }),
});
export type DealJson = Static<typeof DealSchema>;

export const DealListSchema = Type.Object({
  items: Type.Array(DealSchema),
  total: Type.Integer({
    description:
      "How many deals match, over all pages (at most 10,000 unless count=exact: see totalIsExact)",
  }),
  totalIsExact: Type.Boolean({
    description:
      "False when more than 10,000 deals match: `total` is then 10,000 and the list goes on",
  }),
  totalEstimate: Type.Optional(
    Type.Integer({
      description:
        "When more than 10,000 match and the store can tell cheaply (PostgreSQL's planner, no rows read): about how many. Ask count=exact for the exact figure",
    }),
  ),
  next: Type.Optional(
    Type.String({
      description:
        "When the page is full: pass it as `after` (same filters and sort) for the next page",
    }),
  ),
});
export type DealListJson = Static<typeof DealListSchema>;

const StatusPairSchema = Type.Object({
  status: Type.Enum(STATUSES),
  substatus: Type.Enum(SUBSTATUSES),
});

const CodeListSchema = Type.Object({
  name: text(),
  codes: Type.Array(Type.Object({ code: Type.Integer(), label: text() })),
});

export const TransitionSchema = Type.Object({
  name: Type.String({ description: "accept, decline, win, lose, close-as-error" }),
  to: StatusPairSchema,
  reason: orNull(CodeListSchema),
});

/** Field → why it cannot change now; a field that is not there is editable. */
export const LocksSchema = Type.Object(
  Object.fromEntries([...FIELD_KEYS, ...INPUT_LISTS].map((k) => [k, Type.Optional(text())])),
  { description: "The fields locked now, each with the reason" },
);

/** One deal with what may be done to it now: the status moves open to you, the locked fields. */
export const DealDetailSchema = Type.Object({
  ...DealSchema.properties,
  allowedTransitions: Type.Array(TransitionSchema),
  locks: LocksSchema,
});
export type DealDetailJson = Static<typeof DealDetailSchema>;

const field = <T extends TSchema & { type: string }>(schema: T) => Type.Optional(orNull(schema));
const textField = (description?: string) =>
  field(description ? Type.String({ description }) : Type.String());
const codeField = (description: string) => field(Type.Integer({ description }));
const yesNoField = () => field(Type.Boolean());

const inputProperties = {
  engagementId: textField("Set by the system; on an update it must match the deal"),
  name: textField(),
  customerName: textField(),
  customerAddress1: textField(),
  customerAddress2: textField(),
  customerCity: textField(),
  customerState: textField(),
  customerPostalCode: textField(),
  customerCountry: textField("ISO 3166-1 alpha-2, e.g. US"),
  customerDuns: textField("Nine digits"),
  contactFirstName: textField(),
  contactLastName: textField(),
  contactPhone: textField(),
  contactEmail: textField(),
  status: textField("New, Active or Closed"),
  substatus: textField("Pending, Received, Accepted, Won, Lost, Declined, Expired or Error"),
  microsoftStatus: textField("Read-only: ignored, as in a file"),
  closeReason: codeField("The reason a closing move asks for (see allowedTransitions)"),
  salesStage: codeField("10, 20, 40, 60, 80 or 100"),
  value: field(Type.Number()),
  currency: textField("ISO 4217, e.g. USD"),
  closeDate: textField("YYYY-MM-DD"),
  crmId: textField(),
  campaignId: textField(),
  notes: textField(),
  helpRequired: yesNoField(),
  helpType: codeField("1–6, when help is required"),
  shareWithMicrosoft: yesNoField(),
  notesToMicrosoft: textField(),
  consent: yesNoField(),
} satisfies Record<FieldKey, TSchema>;

export const SolutionInputSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, description: "Solution ID, e.g. SOL-1234-PQRS" }),
    currency: Type.Optional(orNull(Type.String({ description: "ISO 4217" }))),
    price: Type.Optional(orNull(Type.Number())),
    quantity: Type.Optional(orNull(Type.Number())),
  },
  { additionalProperties: false },
);

export const TeamMemberInputSchema = Type.Object(
  {
    firstName: Type.String(),
    lastName: Type.String(),
    phone: Type.Optional(orNull(Type.String())),
    email: Type.String(),
  },
  { additionalProperties: false },
);

/**
 * A deal's fields for a create or an update. On an update an absent field stays as it is and
 * null clears it; a list given replaces the deal's list.
 */
export const DealInputSchema = Type.Object(
  {
    ...inputProperties,
    solutions: Type.Optional(Type.Array(SolutionInputSchema)),
    team: Type.Optional(Type.Array(TeamMemberInputSchema)),
  },
  { additionalProperties: false },
);
export type DealInputJson = Static<typeof DealInputSchema>;
