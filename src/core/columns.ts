/**
 * SPEC §5: the column catalogue — every header in English and French, which field it
 * fills, whether a new deal needs it and when it locks. Written once; the importer,
 * the exporter, the template, the API and the web page all read it from here.
 */
import type { DealFields } from "./deal.js";

/** A scalar field of the deal that a column carries. */
export type FieldKey = Exclude<keyof DealFields, "solutions" | "team">;

/** Columns that carry no deal field: output-only, identity and concurrency columns. */
export type SpecialKey = "errors" | "referralId" | "lastModified" | "importResult" | "version";

export type ColumnKey = FieldKey | SpecialKey;

/**
 * When a field stops being editable (SPEC §6).
 * - system: always read-only (set by the system or the vendor side);
 * - after-create: read-only once the deal exists;
 * - once-shared: read-only once the deal is shared with the vendor's sales team;
 * - once-yes: read-only once it is Yes (and the deal is shared);
 * - once-set: read-only once it has a value (and the deal is shared);
 * - editable: editable until the deal is terminal.
 */
export type Lock = "system" | "after-create" | "once-shared" | "once-yes" | "once-set" | "editable";

export interface ColumnDef {
  key: ColumnKey;
  en: string;
  fr: string;
  /** Other spellings seen in Partner Center files. */
  aliases?: readonly string[];
  /** Mandatory for a new deal. */
  mandatory: boolean;
  lock: Lock;
}

const col = (
  key: ColumnKey,
  en: string,
  fr: string,
  mandatory: boolean,
  lock: Lock,
  aliases?: readonly string[],
): ColumnDef =>
  aliases ? { key, en, fr, mandatory, lock, aliases } : { key, en, fr, mandatory, lock };

/** Template order (SPEC §5), which is also export order. */
export const COLUMNS: readonly ColumnDef[] = [
  col("errors", "Errors", "Erreurs", false, "system"),
  col("engagementId", "Engagement ID", "ID engagement", false, "system"),
  col("referralId", "Referral ID", "URL de référence", false, "system", ["ID de référence"]),
  col("name", "Deal Name", "Nom de la transaction", true, "editable"),
  col("customerName", "Customer Name", "Nom du client", true, "after-create"),
  col(
    "customerAddress1",
    "Customer Address Line 1",
    "Adresse client, ligne 1",
    true,
    "after-create",
  ),
  col(
    "customerAddress2",
    "Customer Address Line 2",
    "Adresse client, ligne 2",
    false,
    "after-create",
  ),
  col("customerCity", "Customer City", "Ville du client", true, "after-create"),
  col("customerState", "Customer State", "État du client", false, "after-create"),
  col("customerPostalCode", "Customer Postal Code", "Code postal du client", false, "after-create"),
  col("customerCountry", "Customer Country", "Pays du client", true, "after-create", [
    "Customer Country/Region",
  ]),
  col("customerDuns", "Customer D-U-N-S ID", "ID du client D-U-N-S", false, "after-create", [
    "Customer DUNS ID",
  ]),
  col(
    "contactFirstName",
    "Customer Contact First Name",
    "Prénom du contact client",
    false,
    "once-shared",
  ),
  col(
    "contactLastName",
    "Customer Contact Last Name",
    "Nom du contact du client",
    false,
    "once-shared",
  ),
  col(
    "contactPhone",
    "Customer Contact Phone number",
    "Numéro de téléphone du contact client",
    false,
    "once-shared",
  ),
  col(
    "contactEmail",
    "Customer Contact Email Address",
    "Adresse E-mail du contact client",
    false,
    "once-shared",
  ),
  col("status", "Partner Referral Status", "État de la référence partenaire", true, "editable"),
  col(
    "substatus",
    "Partner Referral Substatus",
    "Sous-état de la référence du partenaire",
    true,
    "editable",
  ),
  col(
    "microsoftStatus",
    "Microsoft Referral Status",
    "État de la référence Microsoft",
    false,
    "system",
  ),
  col("closeReason", "Declined/Lost reason", "Raison refusée/perdue", false, "editable", [
    "Declined/Lost/Error reason",
    "Decline/Lost/Error reason",
    "Decline/Lost reason",
  ]),
  col("salesStage", "Sales Stage", "Étape de vente", false, "editable"),
  col(
    "value",
    "Estimated Deal Value",
    "Estimation de la valeur de la transaction",
    true,
    "editable",
  ),
  col("currency", "Currency", "Devise", true, "editable"),
  col("closeDate", "Estimated Close Date", "Date de clôture estimée", true, "editable"),
  col("crmId", "CRM ID", "ID CRM", false, "editable"),
  col("campaignId", "Marketing Campaign ID", "ID de campagne marketing", false, "editable"),
  col("notes", "Notes", "Notes", false, "editable"),
  col("helpRequired", "Microsoft help required?", "Aide Microsoft requise ?", true, "once-yes"),
  col(
    "helpType",
    "What specific help from Microsoft?",
    "Quelle aide spécifique de Microsoft ?",
    false,
    "once-set",
  ),
  col(
    "shareWithMicrosoft",
    "Share with Microsoft sales team",
    "Partager avec l'équipe de vente Microsoft",
    true,
    "once-yes",
  ),
  col("notesToMicrosoft", "Notes to Microsoft", "Remarques à Microsoft", false, "once-set"),
  col(
    "consent",
    "Consent to share Customer/Partner contact",
    "Consentement de partager le contact avec le client et le partenaire",
    true,
    "after-create",
  ),
  col("lastModified", "Last Modified", "Dernière modification", false, "system"),
  col("importResult", "Import Result", "Résultat de l'importation", false, "system"),
  // The deal's version (an integer, which a spreadsheet keeps as it is): what the stale-row
  // check compares exactly. Exports write it last, after the numbered columns; optional on input.
  col("version", "Version", "Version", false, "system"),
];

const SPECIAL_KEYS: readonly SpecialKey[] = [
  "errors",
  "referralId",
  "lastModified",
  "importResult",
  "version",
];

export const isFieldKey = (key: string): key is FieldKey =>
  COLUMNS.some((c) => c.key === key) && !SPECIAL_KEYS.some((k) => k === key);

/** The scalar deal fields, in column order. */
export const FIELD_KEYS: readonly FieldKey[] = COLUMNS.map((c) => c.key).filter(isFieldKey);

export const COLUMN_BY_KEY: ReadonlyMap<ColumnKey, ColumnDef> = new Map(
  COLUMNS.map((c) => [c.key, c]),
);

export const columnDef = (key: ColumnKey): ColumnDef => {
  const def = COLUMN_BY_KEY.get(key);
  if (!def) throw new Error(`Unknown column key ${key}`);
  return def;
};

/** The numbered columns: `Solution N` and `Team member N` (`Membre de l'équipe N`). */
export type ListKey = "solutions" | "team";
export const LIST_COLUMNS: Readonly<Record<ListKey, { en: string; fr: string }>> = {
  solutions: { en: "Solution", fr: "Solution" },
  team: { en: "Team member", fr: "Membre de l'équipe" },
};

/** The languages of the headers, the statuses, the country names and the page: English and French. */
export const LANGS = ["en", "fr"] as const;
export type Lang = (typeof LANGS)[number];

/** `value` when it names one of `LANGS` exactly, else undefined. */
export function langOf(value: unknown): Lang | undefined {
  return LANGS.find((l) => l === value);
}

export const headerOf = (key: ColumnKey, lang: Lang): string => columnDef(key)[lang];
export const listHeaderOf = (list: ListKey, n: number, lang: Lang): string =>
  `${LIST_COLUMNS[list][lang]} ${n}`;

/**
 * Columns of newer (or older) Partner Center templates that cosell does not use:
 * recognised, reported as ignored, never an error.
 */
export const KNOWN_IGNORED_HEADERS: readonly string[] = [
  "CLA Number",
  "Device Category",
  "Silicon Type",
  "Azure Certified Device",
  "Attach Services (IoT)",
  "Microsoft MSX ID",
  "Migrated PSC Deal ID",
  "PartnerID (formerly MPN ID)",
  "PartnerID",
  "MPN ID",
  "Marketplace Purchase Intent",
  "Customer Domain Name",
  "Final Matched Customer Account",
  "Matched Category",
  "Confidence",
  "DUNS Account",
  "DUNS Account Match",
  "Microsoft Referral Substatus",
  "Created Date",
  "Partner Role",
  "Solution Area",
  "Solution Play",
];

/** Numbered columns of newer templates, e.g. `Microsoft team member 1`, `Managed Account Match 2`. */
export const KNOWN_IGNORED_PATTERNS: readonly RegExp[] = [
  /^microsoft team member \d+$/,
  /^(managed|unmanaged|moodys) account( match)? \d+$/,
];
