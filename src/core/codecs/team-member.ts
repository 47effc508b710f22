import type { TeamMember } from "../deal.js";
import { type CellResult, fail, ok } from "../errors.js";
import { CELL, LIST_CELL_WHY, PART } from "../messages/cells.js";
import type { Label, Text } from "../messages/text.js";
import { blankCell, trimCell } from "./cell-text.js";
import { decodeEmail } from "./email.js";
import { isScientificNotation } from "./spreadsheet-damage.js";

const SHAPE = "FIRST, LAST, PHONE, EMAIL, e.g. Bob, Partner, 999999, bob.partner@contoso.com";

const invalid = (column: Label, value: string, problem: Text): CellResult<TeamMember> =>
  fail("invalid_team_member", CELL.badListCell(column, value, problem, SHAPE));

/**
 * SPEC §5, row 34: `FIRST, LAST, PHONE, EMAIL` in one cell; the phone is optional, so its part may
 * be empty (`Bob, Partner, , bob@contoso.com`) or left out (`Bob, Partner, bob@contoso.com`).
 */
export const decodeTeamMember = (raw: string, column: Label): CellResult<TeamMember> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const parts = value.split(",").map(trimCell);
  const [firstName = "", lastName = "", third = "", fourth] = parts;
  if (parts.length < 3 || parts.length > 4) {
    return invalid(column, value, LIST_CELL_WHY.partsNot3or4(parts.length));
  }
  // Three parts: the phone was left out, if the third is the email.
  if (fourth === undefined && !third.includes("@"))
    return invalid(column, value, LIST_CELL_WHY.emailMissing);
  const phone = fourth === undefined || third === "" ? null : third;
  const emailText = fourth ?? third;

  if (firstName === "") return invalid(column, value, LIST_CELL_WHY.firstNameMissing);
  if (lastName === "") return invalid(column, value, LIST_CELL_WHY.lastNameMissing);
  if (emailText === "") return invalid(column, value, LIST_CELL_WHY.emailMissing);
  if (phone !== null && isScientificNotation(phone)) {
    return fail("spreadsheet_scientific_notation", CELL.phoneScientific(column, value, phone));
  }
  const email = decodeEmail(emailText, PART.email);
  if (!email.ok)
    return invalid(column, value, { en: email.message, fr: email.fr ?? email.message });
  return ok({ firstName, lastName, phone, email: email.value });
};

/** `Bob, Partner, 999999, bob@x.com`; a missing phone stays an empty part: `Bob, Partner, , bob@x.com`. */
export const encodeTeamMember = (member: TeamMember): string =>
  [member.firstName, member.lastName, member.phone ?? "", member.email].join(", ");
