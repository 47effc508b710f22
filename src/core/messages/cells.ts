/**
 * What the cell codecs say when a cell cannot be read, in English and French, with the same
 * details (the column, the value, the suggestion). Keyed by the row error code each goes with;
 * the English is the published wording (tests and the CLI pin it), so change it only on purpose.
 */
import { didYouMeanIn, inLang, type Label, orListIn, quote, type Text } from "./text.js";

const en = (label: Label): string => inLang("en", label);
const fr = (label: Label): string => inLang("fr", label);

const monthOf = (locale: "en-US" | "fr-FR", m: number): string =>
  new Date(Date.UTC(2000, m - 1, 1)).toLocaleString(locale, { month: "long", timeZone: "UTC" });

/** Why a number cell could not be read: the end of an `invalid_number` message. */
export const NUMBER_WHY = {
  tooLarge: { en: "is too large", fr: "est trop grand" },
  scientific: (plain: string): Text => ({
    en: `is in scientific notation; write it in plain digits (did you mean ${plain}?)`,
    fr: `est en notation scientifique : écrivez-le en chiffres (vouliez-vous dire ${plain} ?)`,
  }),
  currencySymbol: {
    en: "is not a number; remove the currency symbol (the currency is given separately)",
    fr: "n'est pas un nombre : retirez le symbole monétaire (la devise est donnée à part)",
  },
  letters: {
    en: "is not a number; write digits with an optional decimal point, e.g. 1234.56",
    fr: "n'est pas un nombre : écrivez des chiffres, avec un point décimal si besoin, par ex. 1234.56",
  },
  unreadable: {
    en: "is not a number we can read; write digits with an optional decimal point, e.g. 1234.56 (no thousands separators, to be safe)",
    fr: "n'est pas un nombre lisible : écrivez des chiffres, avec un point décimal si besoin, par ex. 1234.56 (sans séparateur de milliers, par prudence)",
  },
} satisfies Record<string, Text | ((...args: never[]) => Text)>;

/** Why an email cell is not an address: the middle of an `invalid_email` message. */
export const EMAIL_WHY = {
  stray: {
    en: "it contains a space or a character not allowed in an address",
    fr: "elle contient une espace ou un caractère interdit dans une adresse",
  },
  noAt: { en: "it has no @", fr: "elle n'a pas de @" },
  manyAt: {
    en: "it has more than one @; give one address",
    fr: "elle a plus d'un @ : donnez une seule adresse",
  },
  nothingBefore: { en: "nothing comes before the @", fr: "rien ne précède le @" },
  noDomain: {
    en: "the part after the @ is not a domain",
    fr: "ce qui suit le @ n'est pas un domaine",
  },
  tooLong: (max: number): Text => ({
    en: `it is longer than ${max} characters`,
    fr: `elle dépasse ${max} caractères`,
  }),
} satisfies Record<string, Text | ((...args: never[]) => Text)>;

/** The parts of a Solution or Team member cell, named inside that cell's messages. */
export const PART = {
  currency: { en: "the currency", fr: "la devise" },
  price: { en: "the price", fr: "le prix" },
  quantity: { en: "the quantity", fr: "la quantité" },
  email: { en: "the email", fr: "l'e-mail" },
} satisfies Record<string, Text>;

/** What is wrong with a Solution or Team member cell as a whole. */
export const LIST_CELL_WHY = {
  parts: (n: number, most: number): Text => ({
    en: `it has ${n} parts, more than ${most}`,
    fr: `elle a ${n} parties, plus que ${most}`,
  }),
  partsNot3or4: (n: number): Text => ({
    en: `it has ${n} part${n === 1 ? "" : "s"}, not 3 or 4`,
    fr: `elle a ${n} partie${n === 1 ? "" : "s"}, et non 3 ou 4`,
  }),
  solutionIdMissing: { en: "the solution ID is missing", fr: "l'ID de la solution manque" },
  emailMissing: { en: "the email is missing", fr: "l'e-mail manque" },
  firstNameMissing: { en: "the first name is missing", fr: "le prénom manque" },
  lastNameMissing: { en: "the last name is missing", fr: "le nom manque" },
} satisfies Record<string, Text | ((...args: never[]) => Text)>;

export const CELL = {
  // required
  blank: (column: Label): Text => ({
    en: `${en(column)} is blank; enter a value`,
    fr: `${fr(column)} est vide : saisissez une valeur`,
  }),
  // too_long
  tooLong: (column: Label, value: string, length: number, max: number): Text => ({
    en: `${en(column)} ${quote(value)} is ${length} characters long; the limit is ${max}, so remove ${length - max}`,
    fr: `${fr(column)} ${quote(value)} fait ${length} caractères ; la limite est ${max} : retirez-en ${length - max}`,
  }),
  cellTooLong: (column: Label, length: number, max: number): Text => ({
    en: `${en(column)} is ${length} characters long; the limit is ${max}`,
    fr: `${fr(column)} fait ${length} caractères ; la limite est ${max}`,
  }),
  // invalid_yes_no
  notYesNo: (column: Label, value: string): Text => ({
    en: `${en(column)} ${quote(value)} is not Yes or No; write Yes or No (Oui/Non, Y/N and True/False work too)`,
    fr: `${fr(column)} ${quote(value)} n'est ni Yes ni No : écrivez Yes ou No (Oui/Non, Y/N et True/False conviennent aussi)`,
  }),
  // invalid_status, invalid_substatus
  notStatus: (column: Label, value: string, names: readonly string[]): Text => ({
    en: `${en(column)} ${quote(value)} is not a status; use ${orListIn("en", names)}`,
    fr: `${fr(column)} ${quote(value)} n'est pas un statut : utilisez ${orListIn("fr", names)}`,
  }),
  notSubstatus: (column: Label, value: string, names: readonly string[]): Text => ({
    en: `${en(column)} ${quote(value)} is not a substatus; use ${orListIn("en", names)}`,
    fr: `${fr(column)} ${quote(value)} n'est pas un sous-statut : utilisez ${orListIn("fr", names)}`,
  }),
  // invalid_date
  dateHasTime: (column: Label, value: string, example: string): Text => ({
    en: `${en(column)} ${quote(value)} has a time of day; give only the date, e.g. ${example}`,
    fr: `${fr(column)} ${quote(value)} contient une heure : donnez seulement la date, par ex. ${example}`,
  }),
  dateNotReal: (column: Label, value: string, y: number, m: number, days: number): Text => ({
    en: `${en(column)} ${quote(value)} is not a real date (${monthOf("en-US", m)} ${y} has ${days} days)`,
    fr: `${fr(column)} ${quote(value)} n'est pas une date réelle (${monthOf("fr-FR", m)} ${y} compte ${days} jours)`,
  }),
  dateNoMonth: (column: Label, value: string, m: number): Text => ({
    en: `${en(column)} ${quote(value)} is not a real date (there is no month ${m})`,
    fr: `${fr(column)} ${quote(value)} n'est pas une date réelle (il n'y a pas de mois ${m})`,
  }),
  dateTwoDigitYear: (
    column: Label,
    value: string,
    guess: string | null,
    example: string,
  ): Text => ({
    en: `${en(column)} ${quote(value)} has a two-digit year; write the year in full${guess ? ` (did you mean ${guess}?)` : `, e.g. ${example}`}`,
    fr: `${fr(column)} ${quote(value)} a une année à deux chiffres : écrivez l'année en entier${guess ? ` (vouliez-vous dire ${guess} ?)` : `, par ex. ${example}`}`,
  }),
  dateNotFormat: (column: Label, value: string, guess: string | null, example: string): Text => ({
    en: `${en(column)} ${quote(value)} is not a date in MM/DD/YYYY format${guess ? ` (did you mean ${guess}?)` : `, e.g. ${example}`}`,
    fr: `${fr(column)} ${quote(value)} n'est pas une date au format MM/JJ/AAAA${guess ? ` (vouliez-vous dire ${guess} ?)` : `, par ex. ${example}`}`,
  }),
  // invalid_timestamp
  notTimestamp: (column: Label, value: string, example: string): Text => ({
    en: `${en(column)} ${quote(value)} is not a date and time; keep the exported value (e.g. ${example}) or clear the cell to skip the check`,
    fr: `${fr(column)} ${quote(value)} n'est pas une date et heure : gardez la valeur exportée (par ex. ${example}) ou videz la cellule pour sauter la vérification`,
  }),
  timestampNoZone: (column: Label, value: string, example: string): Text => ({
    en: `${en(column)} ${quote(value)} has no time zone; add Z for UTC, e.g. ${example}`,
    fr: `${fr(column)} ${quote(value)} n'a pas de fuseau horaire : ajoutez Z pour UTC, par ex. ${example}`,
  }),
  timestampTwoDigitYear: (column: Label, value: string, example: string): Text => ({
    en: `${en(column)} ${quote(value)} has a two-digit year; keep the exported value (e.g. ${example}) or write the year in full`,
    fr: `${fr(column)} ${quote(value)} a une année à deux chiffres : gardez la valeur exportée (par ex. ${example}) ou écrivez l'année en entier`,
  }),
  timestampNotExcelForm: (column: Label, value: string, guess: string | null): Text => ({
    en: `${en(column)} ${quote(value)} is not a date and time in M/D/YYYY H:mm form${guess ? ` (did you mean ${guess}?)` : ""}`,
    fr: `${fr(column)} ${quote(value)} n'est pas une date et heure de la forme M/J/AAAA H:mm${guess ? ` (vouliez-vous dire ${guess} ?)` : ""}`,
  }),
  // invalid_number, negative_number
  notNumber: (column: Label, value: string, why: Text): Text => ({
    en: `${en(column)} ${quote(value)} ${why.en}`,
    fr: `${fr(column)} ${quote(value)} ${why.fr}`,
  }),
  negative: (column: Label, value: string): Text => ({
    en: `${en(column)} ${quote(value)} is negative; enter 0 or more`,
    fr: `${fr(column)} ${quote(value)} est négatif : saisissez 0 ou plus`,
  }),
  negativeQuantity: (column: Label, value: string): Text => ({
    en: `${en(column)} ${quote(value)} is negative; enter a whole number of 1 or more`,
    fr: `${fr(column)} ${quote(value)} est négatif : saisissez un nombre entier de 1 ou plus`,
  }),
  notWholeQuantity: (column: Label, value: string): Text => ({
    en: `${en(column)} ${quote(value)} must be a whole number of 1 or more`,
    fr: `${fr(column)} ${quote(value)} doit être un nombre entier de 1 ou plus`,
  }),
  // invalid_code
  notCode: (column: Label, value: string, codes: string): Text => ({
    en: `${en(column)} ${quote(value)} is not one of the allowed codes: ${codes}`,
    fr: `${fr(column)} ${quote(value)} n'est pas un des codes permis : ${codes}`,
  }),
  // invalid_country
  notCountry: (column: Label, value: string, guesses: readonly string[]): Text => {
    const two = value.length === 2;
    return {
      en: `${en(column)} ${quote(value)} ${two ? "is not a known two-letter country code" : "is not a two-letter code"}${didYouMeanIn("en", guesses) || "; use an ISO 3166-1 alpha-2 code such as US, FR or DE"}`,
      fr: `${fr(column)} ${quote(value)} ${two ? "n'est pas un code pays à deux lettres connu" : "n'est pas un code à deux lettres"}${didYouMeanIn("fr", guesses) || " : utilisez un code ISO 3166-1 alpha-2 comme US, FR ou DE"}`,
    };
  },
  // invalid_currency
  notCurrency: (column: Label, value: string, guesses: readonly string[]): Text => ({
    en: `${en(column)} ${quote(value)} is not an ISO 4217 currency code${didYouMeanIn("en", guesses) || "; use a three-letter code such as USD, EUR or GBP"}`,
    fr: `${fr(column)} ${quote(value)} n'est pas un code de devise ISO 4217${didYouMeanIn("fr", guesses) || " : utilisez un code à trois lettres comme USD, EUR ou GBP"}`,
  }),
  // invalid_duns, duns_scientific_notation
  dunsScientific: (column: Label, value: string): Text => ({
    en: `${en(column)} ${quote(value)} was turned into scientific notation by a spreadsheet, which loses digits; format the column as Text and re-enter the number`,
    fr: `${fr(column)} ${quote(value)} a été mis en notation scientifique par un tableur, qui perd des chiffres : formatez la colonne en Texte et ressaisissez le numéro`,
  }),
  notDuns: (column: Label, value: string): Text => ({
    en: `${en(column)} ${quote(value)} is not a D-U-N-S number; write its nine digits, e.g. 150483782`,
    fr: `${fr(column)} ${quote(value)} n'est pas un numéro D-U-N-S : écrivez ses neuf chiffres, par ex. 150483782`,
  }),
  dunsTooLong: (column: Label, value: string, digits: number): Text => ({
    en: `${en(column)} ${quote(value)} has ${digits} digits; a D-U-N-S number has nine`,
    fr: `${fr(column)} ${quote(value)} a ${digits} chiffres ; un numéro D-U-N-S en a neuf`,
  }),
  // spreadsheet_scientific_notation
  scientific: (column: Label, value: string): Text => ({
    en: `${en(column)} ${quote(value)} was turned into scientific notation by a spreadsheet, which loses digits; format the column as Text and re-enter the value`,
    fr: `${fr(column)} ${quote(value)} a été mis en notation scientifique par un tableur, qui perd des chiffres : formatez la colonne en Texte et ressaisissez la valeur`,
  }),
  phoneScientific: (column: Label, value: string, phone: string): Text => ({
    en: `${en(column)} ${quote(value)}: its phone ${quote(phone)} was turned into scientific notation by a spreadsheet, which loses digits; format the column as Text and re-enter the phone`,
    fr: `${fr(column)} ${quote(value)} : son téléphone ${quote(phone)} a été mis en notation scientifique par un tableur, qui perd des chiffres : formatez la colonne en Texte et ressaisissez le téléphone`,
  }),
  // postal_code_lost_leading_zero
  postalLostZero: (
    column: Label,
    postalCode: string,
    digits: number,
    country: string,
    expected: number,
    restored: string,
  ): Text => ({
    en: `${en(column)} ${quote(postalCode)} has ${digits} digit${digits === 1 ? "" : "s"}; postal codes in ${country} have ${expected}, so a spreadsheet probably dropped its leading zeros: format the column as Text and write ${quote(restored)}`,
    fr: `${fr(column)} ${quote(postalCode)} a ${digits} chiffre${digits === 1 ? "" : "s"} ; les codes postaux de ${country} en ont ${expected}, un tableur a donc sans doute retiré les zéros initiaux : formatez la colonne en Texte et écrivez ${quote(restored)}`,
  }),
  // invalid_email
  notEmail: (column: Label, value: string, why: Text): Text => ({
    en: `${en(column)} ${quote(value)} is not an email address (${why.en}); write it like name@example.com`,
    fr: `${fr(column)} ${quote(value)} n'est pas une adresse e-mail (${why.fr}) : écrivez-la comme nom@exemple.com`,
  }),
  // invalid_solution, invalid_team_member
  badListCell: (column: Label, value: string, why: Text, shape: string): Text => ({
    en: `${en(column)} ${quote(value)}: ${why.en}. Expected ${shape}`,
    fr: `${fr(column)} ${quote(value)} : ${why.fr}. Attendu : ${shape}`,
  }),
  solutionTwoWays: (column: Label, value: string, shape: string): Text => ({
    en: `${en(column)} ${quote(value)} can be read two ways; write the price with a dot for decimals and no thousands separator. Expected ${shape}`,
    fr: `${fr(column)} ${quote(value)} se lit de deux façons : écrivez le prix avec un point décimal et sans séparateur de milliers. Attendu : ${shape}`,
  }),
  // too_many_solutions, too_many_team_members (counted over a row's columns)
  tooManyInColumns: (column: Label, max: number, list: "solutions" | "team"): Text => ({
    en: `${en(column)}: a deal has at most ${max} ${list === "solutions" ? "solutions" : "team members"}; move the extra ones to another deal or leave them out`,
    fr: `${fr(column)} : une transaction a au plus ${max} ${list === "solutions" ? "solutions" : "membres d'équipe"} ; déplacez les autres vers une autre transaction ou retirez-les`,
  }),
};
