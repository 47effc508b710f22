/**
 * Cell codecs: one cell's text ⇄ one value. Every decoder is `(raw, column) => CellResult<T>`,
 * trims the cell itself and names the column and the value in its messages; every encoder is
 * the exact inverse of its decoder.
 */
export { type CellDecoder, suggestedValues } from "./cell-text.js";
export { countryCodes, decodeCountry } from "./country.js";
export { currencyCodeList, decodeCurrency } from "./currency.js";
export {
  decodeCloseDate,
  decodeTimestamp,
  encodeCloseDate,
  encodeTimestamp,
} from "./date.js";
export { decodeDuns } from "./duns.js";
export { decodeEmail } from "./email.js";
export {
  decodeCode,
  decodeDecimal,
  decodeQuantity,
  decodeVersion,
  encodeDecimal,
} from "./number.js";
export { decodeSolution, encodeSolution } from "./solution.js";
export { lostLeadingZeroError, refuseScientific } from "./spreadsheet-damage.js";
export { decodeStatus, decodeSubstatus, statusWord } from "./status.js";
export { decodeTeamMember, encodeTeamMember } from "./team-member.js";
export { decodeText } from "./text.js";
export { decodeYesNo, encodeYesNo } from "./yes-no.js";
