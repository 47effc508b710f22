import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STATUSES, SUBSTATUSES } from "../deal.js";
import { decodeStatus, decodeSubstatus, encodeStatus, encodeSubstatus } from "./status.js";

describe("decodeStatus", () => {
  const column = "Partner Referral Status";

  it.each([
    ["New", "New"],
    ["new", "New"],
    ["Nouveau", "New"],
    ["NOUVELLE", "New"],
    ["active", "Active"],
    ["Actif", "Active"],
    ["CLOSED", "Closed"],
    ["Fermé", "Closed"],
    ["fermee", "Closed"],
    ["FERMÉE", "Closed"],
    ["Ferme\u0301", "Closed"],
    [" Active\u00a0", "Active"],
  ])("reads %s as %s", (raw, expected) => {
    expect(decodeStatus(raw, column)).toEqual({ ok: true, value: expected });
  });

  it("refuses anything else and lists the accepted values", () => {
    expect(decodeStatus("Open", column)).toEqual({
      ok: false,
      code: "invalid_status",
      message: "Partner Referral Status 'Open' is not a status; use New, Active or Closed",
      fr: expect.any(String),
    });
  });

  it("does not take a substatus for a status", () => {
    expect(decodeStatus("Won", column)).toMatchObject({ ok: false, code: "invalid_status" });
  });
});

describe("decodeSubstatus", () => {
  const column = "Sous-état de la référence du partenaire";

  it.each([
    ["Pending", "Pending"],
    ["en attente", "Pending"],
    ["En  Attente", "Pending"],
    ["Reçu", "Received"],
    ["recue", "Received"],
    ["Accepté", "Accepted"],
    ["ACCEPTEE", "Accepted"],
    ["Gagné", "Won"],
    ["gagnee", "Won"],
    ["Perdu", "Lost"],
    ["Perdue", "Lost"],
    ["Refusé", "Declined"],
    ["refusée", "Declined"],
    ["Expiré", "Expired"],
    ["Expirée", "Expired"],
    ["Erreur", "Error"],
    ["error", "Error"],
    ["declined", "Declined"],
  ])("reads %s as %s", (raw, expected) => {
    expect(decodeSubstatus(raw, column)).toEqual({ ok: true, value: expected });
  });

  it("refuses anything else and lists the accepted values", () => {
    expect(decodeSubstatus("Done", column)).toEqual({
      ok: false,
      code: "invalid_substatus",
      message:
        "Sous-état de la référence du partenaire 'Done' is not a substatus; use Pending, Received, Accepted, Won, Lost, Declined, Expired or Error",
      fr: expect.any(String),
    });
  });
});

describe("status encoders", () => {
  it("write the English names, which decode back to the same value", () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), (status) => {
        expect(encodeStatus(status)).toBe(status);
        expect(decodeStatus(encodeStatus(status), "Status")).toEqual({ ok: true, value: status });
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...SUBSTATUSES), (substatus) => {
        expect(decodeSubstatus(encodeSubstatus(substatus), "Substatus")).toEqual({
          ok: true,
          value: substatus,
        });
      }),
    );
  });
});
