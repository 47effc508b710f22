/**
 * A synced field and its value as a person reads them, in the interface's language: the sync
 * speaks in Partner Center's units (the first contact as one field, the status pair as one,
 * help as {required, type}), which the page shows as the deal's own labels and values.
 */
import { DECLINE_LOST_REASONS, HELP_TYPES } from "../core/code-lists.js";
import { encodeSolution, encodeTeamMember } from "../core/codecs/index.js";
import { headerOf, isFieldKey } from "../core/columns.js";
import { isRecord } from "../core/json.js";
import { formatDate, formatNumber } from "./locale.js";
import { lang, t } from "./messages.js";

/** The label of a synced field (`contact`, `status`, `help`, … or a deal field's key). */
export function syncedFieldLabel(field: string): string {
  switch (field) {
    case "contact":
      return t.syncContact;
    case "status":
      return `${headerOf("status", lang())} · ${headerOf("substatus", lang())}`;
    case "help":
      return headerOf("helpRequired", lang());
    case "solutions":
      return t.groupSolutions;
    case "team":
      return t.groupTeam;
    default:
      return isFieldKey(field) ? headerOf(field, lang()) : field;
  }
}

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

const lines = (value: unknown, one: (item: Record<string, unknown>) => string): string =>
  Array.isArray(value) && value.length > 0
    ? value.flatMap((item) => (isRecord(item) ? [one(item)] : [])).join("\n")
    : t.emptyValue;

/** A synced value as text; several lines for the lists (solutions, team). */
export function syncedValueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return t.emptyValue;
  if (typeof value === "boolean") return value ? t.yes : t.no;
  switch (field) {
    case "status":
      return typeof value === "string" ? value.replace("/", " · ") : JSON.stringify(value);
    case "closeDate":
      return typeof value === "string" ? formatDate(value) : JSON.stringify(value);
    case "closeReason": {
      const code = num(value);
      const label = code === null ? undefined : DECLINE_LOST_REASONS.entries.get(code);
      return label ? `${code} · ${label}` : JSON.stringify(value);
    }
    case "contact":
      if (!isRecord(value)) break;
      return (
        [
          [text(value.firstName), text(value.lastName)].filter(Boolean).join(" "),
          text(value.phone),
          text(value.email),
        ]
          .filter(Boolean)
          .join(", ") || t.emptyValue
      );
    case "help": {
      if (!isRecord(value)) break;
      if (value.required !== true) return t.no;
      const type = num(value.type);
      const label = type === null ? undefined : HELP_TYPES.entries.get(type);
      return label ? `${t.yes} · ${type} · ${label}` : t.yes;
    }
    case "solutions":
      return lines(value, (s) =>
        encodeSolution({
          id: text(s.id) ?? "",
          currency: text(s.currency),
          price: num(s.price),
          quantity: num(s.quantity),
        }),
      );
    case "team":
      return lines(value, (m) =>
        encodeTeamMember({
          firstName: text(m.firstName) ?? "",
          lastName: text(m.lastName) ?? "",
          phone: text(m.phone),
          email: text(m.email) ?? "",
        }),
      );
  }
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
