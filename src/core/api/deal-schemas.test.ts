import { Value } from "typebox/value";
import { describe, expect, expectTypeOf, it } from "vitest";
import { buildDeal } from "../../test-support/build-deal.js";
import type { FieldKey } from "../columns.js";
import type { Deal, DealFields } from "../deal.js";
import type { DealInput } from "../deal-input.js";
import {
  type DealDetailJson,
  DealDetailSchema,
  type DealInputJson,
  DealInputSchema,
  type DealJson,
  DealSchema,
} from "./deal-schemas.js";

/** The JSON type a field's value travels as. */
type JsonOf<T> =
  NonNullable<T> extends boolean ? boolean : NonNullable<T> extends number ? number : string;

describe("deal schemas", () => {
  it("describe exactly the core's deal, field by field, nulls included", () => {
    expectTypeOf<Omit<DealJson, "type" | "favorite" | "etag">>().toEqualTypeOf<Deal>();
    expectTypeOf<Required<Omit<DealInputJson, "solutions" | "team">>>().toEqualTypeOf<{
      [K in FieldKey]: JsonOf<DealFields[K]> | null;
    }>();
    expectTypeOf<DealInputJson>().toExtend<DealInput>();
  });

  it("accept a deal as the API shows it", () => {
    const deal = buildDeal({ customerAddress2: null, closeReason: 3 });
    const json: DealJson = { ...deal, type: "Private", favorite: true, etag: '"1"' };
    expect(Value.Check(DealSchema, json)).toBe(true);
    const detail: DealDetailJson = {
      ...json,
      allowedTransitions: [
        { name: "win", to: { status: "Closed", substatus: "Won" }, reason: null },
        {
          name: "lose",
          to: { status: "Closed", substatus: "Lost" },
          reason: { name: "Declined/Lost reason", codes: [{ code: 1, label: "x" }] },
        },
      ],
      locks: { customerName: "Read-only after the deal is created" },
    };
    expect(Value.Check(DealDetailSchema, detail)).toBe(true);
    expect(Value.Check(DealSchema, { ...json, customerCity: null })).toBe(false);
  });

  it("take a partial body with nulls, and refuse unknown properties", () => {
    expect(Value.Check(DealInputSchema, { notes: null, value: 5, helpRequired: false })).toBe(true);
    expect(Value.Check(DealInputSchema, { solutions: [{ id: "SOL-1", price: null }] })).toBe(true);
    expect(Value.Check(DealInputSchema, { colour: "red" })).toBe(false);
    expect(Value.Check(DealInputSchema, { team: [{ firstName: "A", lastName: "B" }] })).toBe(false);
    expect(Value.Check(DealInputSchema, { value: "5" })).toBe(false);
  });
});
