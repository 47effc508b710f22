/**
 * Column mapping: a file's own headers (a CRM export's "Opportunity Name", "Close Date") told
 * which co-sell column they fill, or to be ignored, before the usual header matching — so
 * mapped columns meet exactly the rules, messages and results file of named ones. The results
 * file keeps the file's own headers. Best guesses come from the header matcher itself, then a
 * dictionary of the names Salesforce, HubSpot and Dynamics 365 opportunity exports use (EN, FR),
 * then the "did you mean" distance. Pure: the browser runs it for its mapping step.
 */
import { COLUMNS, isFieldKey, LIST_COLUMNS } from "./columns.js";
import { FileRejectedError, RequestError } from "./errors.js";
import { closestHeader, type HeaderMap, mapHeaders, normaliseHeader } from "./header-map.js";

/** File header → co-sell header (English or French, any spelling the matcher accepts), or null to ignore. */
export type ColumnMapping = Readonly<Record<string, string | null>>;

/** What the CRMs call the co-sell columns (checked against the catalogue when this module loads). */
const CRM_NAMES: Readonly<Record<string, readonly string[]>> = {
  "Deal Name": [
    "Opportunity Name",
    "Opportunity",
    "Name",
    "Topic",
    "Nom de l'opportunité",
    "Opportunité",
    "Sujet",
    "Nom",
  ],
  "Customer Name": [
    "Account Name",
    "Account",
    "Company",
    "Company Name",
    "Associated Company",
    "Potential Customer",
    "Customer",
    "Nom du compte",
    "Compte",
    "Entreprise",
    "Nom de l'entreprise",
    "Client potentiel",
    "Client",
  ],
  "Customer Address Line 1": [
    "Billing Street",
    "Street",
    "Street Address",
    "Address 1: Street 1",
    "Address",
    "Rue de facturation",
    "Rue",
    "Adresse",
    "Adresse 1 : rue 1",
  ],
  "Customer Address Line 2": ["Address 1: Street 2", "Street 2", "Adresse 1 : rue 2"],
  "Customer City": [
    "Billing City",
    "City",
    "Address 1: City",
    "Ville de facturation",
    "Ville",
    "Adresse 1 : ville",
  ],
  "Customer State": [
    "Billing State/Province",
    "State/Province",
    "State",
    "State/Region",
    "Address 1: State/Province",
    "Région de facturation",
    "État/Province",
    "Région",
  ],
  "Customer Postal Code": [
    "Billing Zip/Postal Code",
    "Zip/Postal Code",
    "Postal Code",
    "Zip",
    "Address 1: ZIP/Postal Code",
    "Code postal de facturation",
    "Code postal",
  ],
  "Customer Country": [
    "Billing Country",
    "Country",
    "Country/Region",
    "Address 1: Country/Region",
    "Pays de facturation",
    "Pays",
    "Pays/Région",
  ],
  "Customer Contact First Name": [
    "Contact First Name",
    "First Name",
    "Prénom du contact",
    "Prénom",
  ],
  "Customer Contact Last Name": [
    "Contact Last Name",
    "Last Name",
    "Nom du contact",
    "Nom de famille",
  ],
  "Customer Contact Phone number": [
    "Contact Phone",
    "Phone",
    "Business Phone",
    "Phone Number",
    "Téléphone",
    "Téléphone professionnel",
  ],
  "Customer Contact Email Address": [
    "Contact Email",
    "Email",
    "E-mail",
    "Email Address",
    "Adresse e-mail",
  ],
  "Estimated Deal Value": [
    "Amount",
    "Est. Revenue",
    "Estimated Revenue",
    "Deal Amount",
    "Value",
    "Montant",
    "Revenu estimé",
    "Montant de la transaction",
    "Valeur",
  ],
  Currency: [
    "Opportunity Currency",
    "Currency ISO Code",
    "Amount Currency",
    "Devise de l'opportunité",
    "Code ISO de la devise",
  ],
  "Estimated Close Date": [
    "Close Date",
    "Est. Close Date",
    "Expected Close Date",
    "Date de clôture",
    "Date de fermeture",
    "Date de clôture prévue",
  ],
  "CRM ID": [
    "Opportunity ID",
    "Record ID",
    "Deal ID",
    "Opportunity Id",
    "ID de l'opportunité",
    "ID de fiche d'informations",
    "ID de la transaction",
  ],
  "Marketing Campaign ID": [
    "Primary Campaign Source",
    "Campaign",
    "Campaign Name",
    "Source Campaign",
    "Source de campagne principale",
    "Campagne",
  ],
  Notes: ["Description", "Deal Description", "Next Step", "Étape suivante"],
};

interface Target {
  /** The canonical English header to put in place of the file's. */
  header: string;
}

/** Every co-sell header a mapping may name (normalised) → its English header. */
const TARGETS = new Map<string, Target>();
for (const c of COLUMNS) {
  for (const name of [c.en, c.fr, ...(c.aliases ?? [])]) {
    TARGETS.set(normaliseHeader(name), { header: c.en });
  }
}

const DICTIONARY = new Map<string, string>();
for (const [target, names] of Object.entries(CRM_NAMES)) {
  if (!TARGETS.has(normaliseHeader(target))) throw new Error(`CRM_NAMES: ${target} is no column`);
  for (const name of names) DICTIONARY.set(normaliseHeader(name), target);
}

const LIST_TARGET = /^(solution|team member|membre de l'equipe) (\d+)$/;

/** The canonical header a mapping's target names, or null for "ignore"; throws when it names nothing. */
function targetHeader(target: string | null, source: string): string | null {
  if (target === null) return null;
  const norm = normaliseHeader(target);
  if (norm === "" || norm === "ignore" || norm === "ignorer") return null;
  const known = TARGETS.get(norm);
  if (known) return known.header;
  const list = LIST_TARGET.exec(norm);
  if (list?.[1] && list[2]) {
    const key = list[1] === "solution" ? "solutions" : "team";
    return `${LIST_COLUMNS[key].en} ${Number(list[2])}`;
  }
  const hint = closestHeader(target);
  throw new RequestError(
    "invalid_argument",
    `The mapping '${source}=${target}' names no co-sell column${hint ? ` (did you mean '${hint}'?)` : ""}; map to a template header, e.g. 'Deal Name', or to 'ignore'`,
  );
}

/**
 * The file's headers with the mapping applied (what the header matcher reads), checked: every
 * mapped header must be in the file.
 */
export function mappedHeaders(headers: readonly string[], mapping: ColumnMapping): string[] {
  const out = [...headers];
  const byNorm = new Map(headers.map((h, i) => [normaliseHeader(h), i]));
  for (const [source, target] of Object.entries(mapping)) {
    const at = byNorm.get(normaliseHeader(source));
    if (at === undefined) {
      throw new RequestError(
        "invalid_argument",
        `The mapping names the column '${source}', which the file does not have; its columns are ${headers
          .filter((h) => h.trim() !== "")
          .map((h) => `'${h.trim()}'`)
          .join(", ")}`,
      );
    }
    out[at] = targetHeader(target, source) ?? "";
  }
  return out;
}

/**
 * Matches the headers with a mapping applied, then gives the file's own headers back to every
 * column, so that messages and the results file name them as the file does.
 */
export function mapHeadersWith(headers: readonly string[], mapping: ColumnMapping): HeaderMap {
  if (Object.keys(mapping).length === 0) return mapHeaders(headers);
  const mapped = mappedHeaders(headers, mapping);
  const map = mapHeaders(mapped);
  const own = (index: number) => headers[index] ?? "";
  const ignoredByMapping = new Set(
    mapped.flatMap((h, i) => (h === "" && (headers[i] ?? "").trim() !== "" ? [i] : [])),
  );
  return {
    ...map,
    headers,
    columns: new Map(
      [...map.columns].map(([key, c]) => [key, { index: c.index, header: own(c.index) }]),
    ),
    solutions: map.solutions.map((c) => ({ ...c, header: own(c.index) })),
    team: map.team.map((c) => ({ ...c, header: own(c.index) })),
    ignored: map.ignored.map((c) =>
      ignoredByMapping.has(c.index)
        ? { index: c.index, header: own(c.index), reason: "mapped" as const }
        : { ...c, header: own(c.index) },
    ),
  };
}

export type GuessSource = "template" | "dictionary" | "similar" | "none";

export interface ColumnGuess {
  index: number;
  header: string;
  /** The co-sell header to map it to (English), or null: ignore. */
  target: string | null;
  source: GuessSource;
}

/** A best guess for every column of the file: what the mapping step shows preselected. */
export function guessMapping(headers: readonly string[]): ColumnGuess[] {
  const taken = new Set<string>();
  const guesses = headers.map((header, index): ColumnGuess => {
    const norm = normaliseHeader(header);
    const known = TARGETS.get(norm);
    if (known || LIST_TARGET.test(norm)) {
      return { index, header, target: known?.header ?? header.trim(), source: "template" };
    }
    return { index, header, target: null, source: "none" };
  });
  for (const g of guesses) if (g.target) taken.add(normaliseHeader(g.target));
  for (const g of guesses) {
    if (g.source !== "none" || g.header.trim() === "") continue;
    const norm = normaliseHeader(g.header);
    const target = DICTIONARY.get(norm) ?? closestHeader(g.header);
    if (!target) continue;
    const canonical = TARGETS.get(normaliseHeader(target))?.header ?? target;
    if (taken.has(normaliseHeader(canonical))) continue;
    taken.add(normaliseHeader(canonical));
    g.target = canonical;
    g.source = DICTIONARY.has(norm) ? "dictionary" : "similar";
  }
  return guesses;
}

/** The guesses as a mapping (only the columns the template does not already name). */
export function mappingOf(guesses: readonly ColumnGuess[]): Record<string, string | null> {
  const mapping: Record<string, string | null> = {};
  for (const g of guesses) {
    if (g.source === "template" || g.header.trim() === "") continue;
    mapping[g.header] = g.target;
  }
  return mapping;
}

/** Whether a file needs the mapping step: a header the template does not know. */
export function needsMapping(headers: readonly string[]): boolean {
  return guessMapping(headers).some((g) => g.source !== "template" && g.header.trim() !== "");
}

/** The columns mandatory for a new deal that the headers do not name (English headers). */
export function missingMandatory(map: HeaderMap): string[] {
  return COLUMNS.filter((c) => c.mandatory && isFieldKey(c.key) && !map.columns.has(c.key)).map(
    (c) => c.en,
  );
}

/**
 * Whether the import panel shows its mapping step before the check: no header it recognises,
 * a header the template does not know (a newer template's columns are known), or — in a file
 * without Referral IDs, so of new deals — a mandatory column missing. Any other whole-file
 * problem (a duplicated header) is the check's to report.
 */
export function wantsMappingStep(headers: readonly string[]): boolean {
  let map: HeaderMap;
  try {
    map = mapHeaders(headers);
  } catch (error) {
    return error instanceof FileRejectedError && error.code === "no_header";
  }
  if (map.ignored.some((c) => c.reason === "unknown")) return true;
  return !map.columns.has("referralId") && missingMandatory(map).length > 0;
}

/** A saved preset fits a file when the file has every header the preset maps. */
export function presetFits(mapping: ColumnMapping, headers: readonly string[]): boolean {
  const have = new Set(headers.map(normaliseHeader));
  const keys = Object.keys(mapping);
  return keys.length > 0 && keys.every((k) => have.has(normaliseHeader(k)));
}

/** Reads `A=B` pairs (the CLI's `--map`), `A=` or `A=ignore` meaning ignore. */
export function parseMapPairs(pairs: readonly string[]): Record<string, string | null> {
  const mapping: Record<string, string | null> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf("=");
    if (at <= 0) {
      throw new RequestError(
        "invalid_argument",
        `--map '${pair}' must be "File header=Co-sell column", e.g. --map "Opportunity Name=Deal Name"`,
      );
    }
    const target = pair.slice(at + 1).trim();
    mapping[pair.slice(0, at).trim()] = target === "" ? null : target;
  }
  return mapping;
}

/** Checks a mapping from JSON: an object of strings (or null). */
export function parseMapping(value: unknown): Record<string, string | null> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RequestError(
      "invalid_argument",
      'The mapping must be an object of "File header": "Co-sell column" (or null to ignore)',
    );
  }
  const mapping: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v !== "string") {
      throw new RequestError(
        "invalid_argument",
        `The mapping of '${k}' must be a co-sell column's header, or null to ignore`,
      );
    }
    mapping[k] = v;
  }
  return mapping;
}
