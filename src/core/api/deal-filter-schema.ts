/**
 * The deal filter's one vocabulary (`FILTER_PARAMS`) as TypeBox schemas, for the server's
 * validation and OpenAPI: GET /api/deals's query and POST /api/exports's body take the same
 * names, so a filter read off the page's address can be exported as it is. The rules that
 * check the values are core's (`parseFilterParams`).
 */
import { type Static, Type } from "typebox";
import { type DealFilterParams, type FilterParam, SEARCH_MIN_CHARS, TABS } from "../deal-filter.js";
import { LANGS } from "../columns.js";
import { RequestError } from "../errors.js";

const COUNTRY_HINT = "ISO 3166-1 alpha-2 codes: comma-separated (US,FR) or repeated";

/** Every name but `country`, whose shape differs between a query string and a JSON body. */
const filterFields = {
  tab: Type.Optional(Type.String({ description: TABS.join(", ") })),
  customer: Type.Optional(Type.String({ description: "Part of the customer's name" })),
  type: Type.Optional(Type.String({ description: "Co-sell, Partner-led or Private" })),
  solution: Type.Optional(Type.String({ description: "A solution ID" })),
  status: Type.Optional(Type.String({ description: "A status or a substatus" })),
  search: Type.Optional(
    Type.String({
      description: `Deal name, customer name, Referral ID, CRM ID or notes; ${SEARCH_MIN_CHARS} characters or more`,
    }),
  ),
} satisfies Record<Exclude<FilterParam, "country">, unknown>;

/** The filter in GET /api/deals's query string: a repeated `country` is an array. */
export const DealFilterQueryFields = {
  tab: filterFields.tab,
  country: Type.Optional(Type.Array(Type.String(), { description: COUNTRY_HINT })),
  customer: filterFields.customer,
  type: filterFields.type,
  solution: filterFields.solution,
  status: filterFields.status,
  search: filterFields.search,
} satisfies Record<FilterParam, unknown>;

/**
 * The names POST /api/exports took before the filter had one vocabulary, each with the name
 * that replaces it. Deprecated: still accepted in 0.x, to be refused like any unknown name in
 * 1.0. (`substatus` is deprecated too, but `status` was always taken beside it and wins.)
 */
const RENAMED_EXPORT_NAMES = [
  ["countries", "country"],
  ["customerName", "customer"],
  ["solutionId", "solution"],
] as const satisfies readonly (readonly [string, FilterParam])[];

const deprecated = (name: FilterParam) => ({
  description: `Deprecated: use ${name}`,
  deprecated: true,
});

/** POST /api/exports: the list's filter, the file's language and format; a misspelt name is refused. */
export const ExportRequestSchema = Type.Object(
  {
    ...filterFields,
    country: Type.Optional(
      Type.Union([Type.Array(Type.String()), Type.String()], { description: COUNTRY_HINT }),
    ),
    lang: Type.Optional(Type.Enum(LANGS)),
    format: Type.Optional(Type.Union([Type.Literal("csv"), Type.Literal("xlsx")])),
    countries: Type.Optional(
      Type.Union([Type.Array(Type.String()), Type.String()], {
        ...deprecated("country"),
      }),
    ),
    customerName: Type.Optional(Type.String(deprecated("customer"))),
    solutionId: Type.Optional(Type.String(deprecated("solution"))),
    substatus: Type.Optional(Type.String(deprecated("status"))),
  },
  // A misspelt filter must not quietly export everything.
  { additionalProperties: false },
);
export type ExportRequestJson = Static<typeof ExportRequestSchema>;

/**
 * An export request's filter by its wire names, a deprecated name read as the one that replaces
 * it. Both names of one filter at once is refused: which one was meant cannot be told.
 */
export function exportFilterParams(body: ExportRequestJson): DealFilterParams {
  for (const [old, name] of RENAMED_EXPORT_NAMES) {
    if (body[old] !== undefined && body[name] !== undefined)
      throw new RequestError(
        "invalid_argument",
        `Give '${name}' or its deprecated alias '${old}', not both`,
      );
  }
  return {
    tab: body.tab,
    search: body.search,
    country: body.country ?? body.countries,
    customer: body.customer ?? body.customerName,
    type: body.type,
    solution: body.solution ?? body.solutionId,
    status: body.status ?? body.substatus,
  };
}
