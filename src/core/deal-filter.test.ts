import { describe, expect, it } from "vitest";
import {
  type DealFilterInput,
  FILTER_PARAMS,
  filterParamsOf,
  parseDealFilter,
  parseFilterParams,
} from "./deal-filter.js";
import { RequestError } from "./errors.js";

const refused = (input: DealFilterInput): RequestError => {
  try {
    parseDealFilter(input);
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error(`parseDealFilter accepted ${JSON.stringify(input)}`);
};

describe("parseDealFilter accepts", () => {
  it("nothing at all, and blank values, as no filter", () => {
    expect(parseDealFilter({})).toEqual({});
    expect(
      parseDealFilter({
        tab: " ",
        countries: ["", " "],
        customerName: "",
        type: "  ",
        solutionId: "",
        status: "",
        search: "   ",
      }),
    ).toEqual({});
  });

  it.each([
    ["inbound", "inbound"],
    ["Outbound", "outbound"],
    [" FAVORITES ", "favorites"],
  ])("the tab %j", (tab, expected) => {
    expect(parseDealFilter({ tab })).toEqual({ tab: expected });
  });

  it("countries as a comma-separated string or a list, in any case, without repeats", () => {
    expect(parseDealFilter({ countries: "us, fr,US" })).toEqual({ countries: ["US", "FR"] });
    expect(parseDealFilter({ countries: ["de", " gb "] })).toEqual({ countries: ["DE", "GB"] });
  });

  it.each([
    ["Co-sell", "Co-sell"],
    ["co sell", "Co-sell"],
    ["PARTNER_LED", "Partner-led"],
    ["partner-led", "Partner-led"],
    ["private", "Private"],
  ])("the deal type %j", (type, expected) => {
    expect(parseDealFilter({ type })).toEqual({ type: expected });
  });

  it.each([
    ["Active", { status: "Active" }],
    ["nouveau", { status: "New" }],
    ["Fermé", { status: "Closed" }],
    ["won", { substatus: "Won" }],
    ["En attente", { substatus: "Pending" }],
    ["Refuse", { substatus: "Declined" }],
  ])("the status or substatus %j", (status, expected) => {
    expect(parseDealFilter({ status })).toEqual(expected);
  });

  it("a customer name, a solution ID and a search of 3 characters or more, trimmed", () => {
    expect(
      parseDealFilter({ customerName: " Contoso ", solutionId: " SOL-1 ", search: "  abc " }),
    ).toEqual({ customerName: "Contoso", solutionId: "SOL-1", search: "abc" });
  });
});

describe("parseDealFilter refuses", () => {
  it.each<[DealFilterInput, string]>([
    [{ tab: "archive" }, "Tab 'archive' is not one of inbound, outbound, favorites"],
    [{ countries: "US,USA" }, "Country 'USA' is not a two-letter code (did you mean US?)"],
    [{ countries: ["ZZ"] }, "Country 'ZZ'"],
    [{ type: "shared" }, "Deal type 'shared' is not one of Co-sell, Partner-led, Private"],
    [{ status: "Open" }, "Status 'Open' is neither a status"],
    [{ search: "ab" }, "Search 'ab' is too short: type 3 characters or more"],
    [{ search: " a  " }, "Search 'a' is too short"],
    // Characters, not UTF-16 units: two emoji are two characters.
    [{ search: "😀😀" }, "Search '😀😀' is too short"],
  ])("%j", (input, message) => {
    const error = refused(input);
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain(message);
  });
});

describe("countries in every shape a request gives them", () => {
  it("takes a comma string, an array, and an array of comma strings alike", () => {
    for (const countries of ["us,FR", ["US", "fr"], ["US,FR"]]) {
      expect(parseDealFilter({ countries }).countries).toEqual(["US", "FR"]);
    }
  });
});

describe("the filter by its wire names (FILTER_PARAMS)", () => {
  it("means what the checked filter's own names mean", () => {
    expect(
      parseFilterParams({
        tab: "Outbound",
        country: ["us", "FR,us"],
        customer: " Contoso ",
        type: "co sell",
        solution: " SOL-1 ",
        status: "won",
        search: " abc ",
      }),
    ).toEqual(
      parseDealFilter({
        tab: "outbound",
        countries: ["US", "FR"],
        customerName: "Contoso",
        type: "Co-sell",
        solutionId: "SOL-1",
        status: "Won",
        search: "abc",
      }),
    );
  });

  it("writes a checked filter back by those names, and it reads as the same filter", () => {
    for (const filter of [
      {},
      parseFilterParams({ tab: "inbound", country: "US,FR", type: "private", status: "New" }),
      parseFilterParams({
        customer: "Contoso",
        solution: "SOL-1",
        status: "Pending",
        search: "abc",
      }),
    ]) {
      const params = filterParamsOf(filter);
      expect(Object.keys(params).every((k) => FILTER_PARAMS.some((p) => p === k))).toBe(true);
      expect(parseFilterParams(params)).toEqual(filter);
    }
  });
});
