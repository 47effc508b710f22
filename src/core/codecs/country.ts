import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json" with { type: "json" };
import fr from "i18n-iso-countries/langs/fr.json" with { type: "json" };
import { LANGS, type Lang } from "../columns.js";
import { type CellResult, fail, ok } from "../errors.js";
import { CELL } from "../messages/cells.js";
import type { Label } from "../messages/text.js";
import { blankCell, trimCell } from "./cell-text.js";
import { buildNameIndex, guessCodes } from "./suggest.js";

// Node's entry of the package registers every locale; a browser bundle gets only these two.
countries.registerLocale(en);
countries.registerLocale(fr);

export type CountryLang = Lang;

/** ISO 3166-1 alpha-2 codes, as the package maintains them. */
const ALPHA2: ReadonlySet<string> = new Set(Object.keys(countries.getAlpha2Codes()));
const ALPHA3: ReadonlyMap<string, string> = new Map(Object.entries(countries.getAlpha3Codes()));

/** English and French names and aliases ("UK", "U.S.A.", "Allemagne") → alpha-2. */
const NAMES = buildNameIndex(
  LANGS.flatMap((lang) =>
    Object.entries(countries.getNames(lang, { select: "all" })).flatMap(([code, names]) =>
      names.map((name) => [name, code] as const),
    ),
  ),
);

/** Every ISO 3166-1 alpha-2 code, sorted (the workbook template's drop-down list). */
export function countryCodes(): string[] {
  return [...ALPHA2].sort();
}

/** Whether `code` is an ISO 3166-1 alpha-2 code, exactly as stored (upper case). */
export const isCountryCode = (code: string): boolean => ALPHA2.has(code);

/** The country's usual name, e.g. `countryName("DE", "fr")` → "Allemagne". */
export const countryName = (code: string, lang: CountryLang): string | undefined =>
  isCountryCode(code) ? countries.getName(code, lang) : undefined;

const guessCountry = (value: string): string[] => {
  const alpha2 = ALPHA3.get(value.toUpperCase());
  return alpha2 === undefined ? guessCodes(NAMES, value) : [alpha2];
};

/**
 * SPEC §5, row 11: an ISO 3166-1 alpha-2 code in any case, returned upper case. Anything else is
 * refused, with the code it most likely means: an alpha-3 code, an English or French name, an
 * alias, or a close misspelling.
 */
export const decodeCountry = (raw: string, column: Label): CellResult<string> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const upper = value.toUpperCase();
  if (value.length === 2 && ALPHA2.has(upper)) return ok(upper);
  return fail("invalid_country", CELL.notCountry(column, value, guessCountry(value)));
};
