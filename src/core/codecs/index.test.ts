import { describe, expect, it } from "vitest";
import { SALES_STAGES } from "../code-lists.js";
import {
  type CellDecoder,
  decodeCloseDate,
  decodeCode,
  decodeCountry,
  decodeCurrency,
  decodeDecimal,
  decodeDuns,
  decodeEmail,
  decodeQuantity,
  decodeSolution,
  decodeStatus,
  decodeSubstatus,
  decodeTeamMember,
  decodeText,
  decodeTimestamp,
  decodeYesNo,
} from "./index.js";

/** Every decoder, with a value it must refuse. */
const decoders: readonly [string, CellDecoder<unknown>, string][] = [
  ["decodeYesNo", decodeYesNo, "Peut-être"],
  ["decodeStatus", decodeStatus, "Open"],
  ["decodeSubstatus", decodeSubstatus, "Done"],
  ["decodeCloseDate", decodeCloseDate, "30/01/2027"],
  ["decodeTimestamp", decodeTimestamp, "yesterday"],
  ["decodeDecimal", decodeDecimal, "$10"],
  ["decodeQuantity", decodeQuantity, "0"],
  ["decodeCode", (raw, column) => decodeCode(raw, column, SALES_STAGES), "30"],
  ["decodeCountry", decodeCountry, "USA"],
  ["decodeCurrency", decodeCurrency, "$"],
  ["decodeDuns", decodeDuns, "8.15E+07"],
  ["decodeEmail", decodeEmail, "bob@contoso"],
  ["decodeText", (raw, column) => decodeText(raw, column, 3), "Contoso"],
  ["decodeSolution", decodeSolution, "SOL-1, USD, ten"],
  ["decodeTeamMember", decodeTeamMember, "Bob, Partner"],
];

describe("every decoder", () => {
  const column = "Column As Spelled";

  it.each(decoders)("%s names the column and the value when it refuses", (_, decode, bad) => {
    const result = decode(` ${bad}\u00a0`, column);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message.startsWith(`${column} '${bad}'`)).toBe(true);
    }
  });

  it.each(decoders)("%s answers `required` for a blank cell", (_, decode) => {
    expect(decode(" \u00a0\t", column)).toEqual({
      ok: false,
      code: "required",
      message: "Column As Spelled is blank; enter a value",
      fr: expect.any(String),
    });
  });
});
