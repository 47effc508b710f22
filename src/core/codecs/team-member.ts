import type { TeamMember } from "../deal.js";
import { type CellResult, fail, ok } from "../errors.js";
import { blankCell, quote, trimCell } from "./cell-text.js";
import { decodeEmail } from "./email.js";
import { isScientificNotation } from "./spreadsheet-damage.js";

const SHAPE = "FIRST, LAST, PHONE, EMAIL, e.g. Bob, Partner, 999999, bob.partner@contoso.com";

const invalid = (column: string, value: string, problem: string): CellResult<TeamMember> =>
  fail("invalid_team_member", `${column} ${quote(value)}: ${problem}. Expected ${SHAPE}`);

/**
 * SPEC §5, row 34: `FIRST, LAST, PHONE, EMAIL` in one cell; the phone is optional, so its part may
 * be empty (`Bob, Partner, , bob@contoso.com`) or left out (`Bob, Partner, bob@contoso.com`).
 */
export const decodeTeamMember = (raw: string, column: string): CellResult<TeamMember> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const parts = value.split(",").map(trimCell);
  const [firstName = "", lastName = "", third = "", fourth] = parts;
  if (parts.length < 3 || parts.length > 4) {
    return invalid(
      column,
      value,
      `it has ${parts.length} part${parts.length === 1 ? "" : "s"}, not 3 or 4`,
    );
  }
  // Three parts: the phone was left out, if the third is the email.
  if (fourth === undefined && !third.includes("@"))
    return invalid(column, value, "the email is missing");
  const phone = fourth === undefined || third === "" ? null : third;
  const emailText = fourth ?? third;

  if (firstName === "") return invalid(column, value, "the first name is missing");
  if (lastName === "") return invalid(column, value, "the last name is missing");
  if (emailText === "") return invalid(column, value, "the email is missing");
  if (phone !== null && isScientificNotation(phone)) {
    return fail(
      "spreadsheet_scientific_notation",
      `${column} ${quote(value)}: its phone ${quote(phone)} was turned into scientific notation by a spreadsheet, which loses digits; format the column as Text and re-enter the phone`,
    );
  }
  const email = decodeEmail(emailText, "the email");
  if (!email.ok) return invalid(column, value, email.message);
  return ok({ firstName, lastName, phone, email: email.value });
};

/** `Bob, Partner, 999999, bob@x.com`; a missing phone stays an empty part: `Bob, Partner, , bob@x.com`. */
export const encodeTeamMember = (member: TeamMember): string =>
  [member.firstName, member.lastName, member.phone ?? "", member.email].join(", ");
