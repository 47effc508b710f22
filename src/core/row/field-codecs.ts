/**
 * One codec per scalar field: how a cell becomes a field value and back. The importer,
 * the exporter, the change list and the results file all go through this table.
 */
import { HELP_TYPES, SALES_STAGES } from "../code-lists.js";
import {
  decodeCloseDate,
  decodeCode,
  decodeCountry,
  decodeCurrency,
  decodeDecimal,
  decodeDuns,
  decodeEmail,
  decodeStatus,
  decodeSubstatus,
  decodeText,
  decodeYesNo,
  encodeCloseDate,
  encodeDecimal,
  encodeYesNo,
  refuseScientific,
} from "../codecs/index.js";
import type { FieldKey } from "../columns.js";
import type { DealFields } from "../deal.js";
import type { CellResult } from "../errors.js";
import { DEAL_NAME_MAX, type Limits } from "../limits.js";

export interface FieldCodec<T> {
  decode(raw: string, column: string, limits: Limits): CellResult<T>;
  encode(value: T): string;
}

type Codecs = { [K in FieldKey]: FieldCodec<NonNullable<DealFields[K]>> };

const text: FieldCodec<string> = {
  decode: (raw, column, limits) => decodeText(raw, column, limits.cellChars),
  encode: (v) => v,
};

/** Digits kept as text (phone, postal code, CRM and campaign IDs): refused when a spreadsheet rewrote them. */
const numberLikeText: FieldCodec<string> = {
  decode: (raw, column, limits) => {
    const decoded = decodeText(raw, column, limits.cellChars);
    return decoded.ok ? refuseScientific(column, decoded.value) : decoded;
  },
  encode: (v) => v,
};

const yesNo: FieldCodec<boolean> = {
  decode: (raw, column) => decodeYesNo(raw, column),
  encode: encodeYesNo,
};

const integer = (s: number): string => String(s);

export const FIELD_CODECS: Codecs = {
  engagementId: text,
  name: {
    decode: (raw, column) => decodeText(raw, column, DEAL_NAME_MAX),
    encode: (v) => v,
  },
  customerName: text,
  customerAddress1: text,
  customerAddress2: text,
  customerCity: text,
  customerState: text,
  customerPostalCode: numberLikeText,
  customerCountry: { decode: (raw, column) => decodeCountry(raw, column), encode: (v) => v },
  customerDuns: { decode: (raw, column) => decodeDuns(raw, column), encode: (v) => v },
  contactFirstName: text,
  contactLastName: text,
  contactPhone: numberLikeText,
  contactEmail: { decode: (raw, column) => decodeEmail(raw, column), encode: (v) => v },
  status: { decode: (raw, column) => decodeStatus(raw, column), encode: (v) => v },
  substatus: { decode: (raw, column) => decodeSubstatus(raw, column), encode: (v) => v },
  microsoftStatus: text,
  // Which list applies (1–8 or 1–9) depends on the substatus: the row rules decode it.
  closeReason: { decode: (raw) => ({ ok: true, value: Number(raw) }), encode: integer },
  salesStage: { decode: (raw, column) => decodeCode(raw, column, SALES_STAGES), encode: integer },
  value: { decode: (raw, column) => decodeDecimal(raw, column), encode: encodeDecimal },
  currency: { decode: (raw, column) => decodeCurrency(raw, column), encode: (v) => v },
  closeDate: { decode: (raw, column) => decodeCloseDate(raw, column), encode: encodeCloseDate },
  crmId: numberLikeText,
  campaignId: numberLikeText,
  notes: text,
  helpRequired: yesNo,
  helpType: { decode: (raw, column) => decodeCode(raw, column, HELP_TYPES), encode: integer },
  shareWithMicrosoft: yesNo,
  notesToMicrosoft: text,
  consent: yesNo,
};

/** A field value as its cell text; null and undefined become an empty cell. */
export const encodeField = <K extends FieldKey>(
  key: K,
  value: DealFields[K] | null | undefined,
): string => {
  if (value === null || value === undefined) return "";
  const codec: FieldCodec<NonNullable<DealFields[K]>> = FIELD_CODECS[key];
  return codec.encode(value);
};
