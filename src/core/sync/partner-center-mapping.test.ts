/** The mapping both ways, exactly: what a deal sends is what it reads back. */
import { describe, expect, it } from "vitest";
import { buildDeal } from "../../test-support/build-deal.js";
import type { Referral } from "../api/partner-center-schemas.js";
import { createBody, utcDate, valuesOfDeal, valuesOfReferral } from "./partner-center-mapping.js";
import { transitionPath } from "./remote-transition.js";

const asReferral = (body: Record<string, unknown>): Referral => ({
  id: "r-1",
  eTag: '"1"',
  updatedDateTime: "2026-12-01T00:00:00Z",
  status: "Active",
  substatus: "Accepted",
  ...body,
});

describe("Partner Center mapping", () => {
  it("round-trips a deal through a create body: accents, decimals, dates, lists", () => {
    const deal = {
      ...buildDeal(),
      name: "Société Générale — Ça va",
      value: 12345.67,
      closeDate: "2027-02-28",
      customerDuns: "123456789",
      crmId: null,
      helpRequired: true,
      helpType: 3,
      shareWithMicrosoft: true,
      status: "Active" as const,
      substatus: "Accepted" as const,
    };
    const values = valuesOfDeal(deal);
    const body = createBody(values, "cosell:x");
    const { status: _, substatus: __, ...rest } = body;
    const back = valuesOfReferral(asReferral({ ...rest, externalReferenceId: "cosell:x" }));
    expect(back.errors).toEqual([]);
    expect(back.values).toEqual({
      ...values,
      crmId: deal.crmId === null ? null : back.values.crmId,
    });
  });

  it("reads a string dealValue and takes the UTC calendar date of closingDateTime", () => {
    const mapped = valuesOfReferral(
      asReferral({
        name: "n",
        customerProfile: {
          name: "c",
          address: { addressLine1: "a", city: "Zürich", country: "CH" },
        },
        details: {
          dealValue: "10000.10",
          currency: "CHF",
          closingDateTime: "2027-03-01T01:30:00+02:00",
        },
      }),
    );
    expect(mapped.errors).toEqual([]);
    expect(mapped.values.value).toBe(10000.1);
    expect(mapped.values.closeDate).toBe("2027-02-28");
    expect(utcDate("2027-01-31T23:59:59.9999999Z")).toBe("2027-01-31");
  });

  it("names every member it cannot map", () => {
    const mapped = valuesOfReferral(
      asReferral({ status: "None", substatus: "None", details: { currency: "XXXX" } }),
    );
    expect(mapped.errors.map((e) => e.field).sort()).toEqual(
      [
        "closeDate",
        "currency",
        "customerAddress1",
        "customerCity",
        "customerCountry",
        "customerName",
        "name",
        "status",
        "value",
      ].sort(),
    );
  });
});

describe("remote status through the lifecycle table", () => {
  it("walks New to Won by accept then win, and refuses to leave a terminal state", () => {
    expect(
      transitionPath(
        { status: "New", substatus: "Pending" },
        { status: "Closed", substatus: "Won" },
      )?.map((t) => t.name),
    ).toEqual(["accept", "win"]);
    expect(
      transitionPath(
        { status: "Closed", substatus: "Won" },
        { status: "Active", substatus: "Accepted" },
      ),
    ).toBeNull();
  });
});
