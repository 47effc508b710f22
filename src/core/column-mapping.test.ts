import { describe, expect, it } from "vitest";
import { SALESFORCE_HEADERS } from "../test-support/crm-export.js";
import {
  guessMapping,
  mapHeadersWith,
  mappingOf,
  needsMapping,
  parseMapPairs,
  presetFits,
  wantsMappingStep,
} from "./column-mapping.js";
import { templateRows } from "./template.js";
import { RequestError } from "./errors.js";
import { describeIgnored } from "./header-map.js";

describe("guessMapping", () => {
  it("guesses a Salesforce export's columns from the CRM dictionary, and leaves Stage to the person", () => {
    const guesses = guessMapping(SALESFORCE_HEADERS);
    const byHeader = Object.fromEntries(guesses.map((g) => [g.header, [g.target, g.source]]));
    expect(byHeader).toMatchObject({
      "Opportunity Name": ["Deal Name", "dictionary"],
      "Account Name": ["Customer Name", "dictionary"],
      "Billing Street": ["Customer Address Line 1", "dictionary"],
      "Billing Country": ["Customer Country", "dictionary"],
      Amount: ["Estimated Deal Value", "dictionary"],
      "Close Date": ["Estimated Close Date", "dictionary"],
      "Opportunity ID": ["CRM ID", "dictionary"],
      Stage: [null, "none"],
      "Solution 1": ["Solution 1", "template"],
      "Partner Referral Status": ["Partner Referral Status", "template"],
    });
    expect(needsMapping(SALESFORCE_HEADERS)).toBe(true);
  });

  it("guesses French CRM names, and a typo of a template header", () => {
    const guesses = guessMapping([
      "Nom de l'opportunité",
      "Montant",
      "Date de clôture",
      "Custmer Name",
    ]);
    expect(guesses.map((g) => g.target)).toEqual([
      "Deal Name",
      "Estimated Deal Value",
      "Estimated Close Date",
      "Customer Name",
    ]);
    expect(guesses[3]?.source).toBe("similar");
  });

  it("never guesses one co-sell column twice", () => {
    const guesses = guessMapping(["Deal Name", "Opportunity Name"]);
    expect(guesses.map((g) => g.target)).toEqual(["Deal Name", null]);
  });
});

describe("mapHeadersWith", () => {
  it("reads mapped columns as their co-sell columns, under the file's own headers", () => {
    const mapping = mappingOf(guessMapping(SALESFORCE_HEADERS));
    const map = mapHeadersWith(SALESFORCE_HEADERS, mapping);
    expect(map.columns.get("name")).toEqual({ index: 0, header: "Opportunity Name" });
    expect(map.columns.get("value")).toEqual({ index: 5, header: "Amount" });
    expect(map.headers).toEqual(SALESFORCE_HEADERS);
    expect(map.ignored.map(describeIgnored)).toEqual([
      "'Stage' is ignored, as the column mapping says",
    ]);
  });

  it("refuses a mapping to no co-sell column, or of a header the file lacks, saying which", () => {
    expect(() => mapHeadersWith(["Amount"], { Amount: "Deal Valu" })).toThrow(
      /'Amount=Deal Valu' names no co-sell column/,
    );
    expect(() => mapHeadersWith(["Amount"], { Amout: "Deal Name" })).toThrow(RequestError);
  });

  it("a preset fits a file that has every header it maps", () => {
    expect(presetFits({ Amount: "Estimated Deal Value" }, ["amount ", "Other"])).toBe(true);
    expect(presetFits({ Amount: "Estimated Deal Value", X: null }, ["Amount"])).toBe(false);
  });
});

describe("parseMapPairs", () => {
  it("reads the CLI's --map pairs; an empty target ignores the column", () => {
    expect(parseMapPairs(["Opportunity Name=Deal Name", "Stage="])).toEqual({
      "Opportunity Name": "Deal Name",
      Stage: null,
    });
    expect(() => parseMapPairs(["Opportunity Name"])).toThrow(
      /must be "File header=Co-sell column"/,
    );
  });
});

describe("wantsMappingStep", () => {
  it("asks for the mapping step for a CRM export, headers it cannot read, or mandatory columns missing from new deals", () => {
    expect(wantsMappingStep(SALESFORCE_HEADERS)).toBe(true);
    expect(wantsMappingStep(["Foo", "Bar"])).toBe(true);
    expect(wantsMappingStep(["Deal Name", "Customer Name"])).toBe(true);
  });

  it("goes straight to the check for the template, a newer template's columns, or an update file", () => {
    const template = templateRows("en", false)[0] ?? [];
    expect(wantsMappingStep(template)).toBe(false);
    expect(wantsMappingStep([...template, "Customer Domain Name"])).toBe(false);
    expect(wantsMappingStep(["Referral ID", "Deal Name"])).toBe(false);
  });
});
