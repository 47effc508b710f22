/**
 * A message in both interface languages, built at once from the same values, so the core can
 * say what went wrong with its details (values, suggestions, lines) in English and in French
 * without knowing who will read it. The English is the contract (tests, the CLI, scripts);
 * the French is what the French page and a French file's results show.
 */
import type { Lang } from "../columns.js";

export type { Lang };

export interface Text {
  readonly en: string;
  readonly fr: string;
}

/** Anything that carries an English message and maybe its French twin (errors, row errors). */
export interface Localizable {
  readonly message: string;
  readonly fr?: string | undefined;
}

/** The message in `lang`; the English one when no French was written for it. */
export function messageIn(lang: Lang, said: Localizable): string {
  return lang === "fr" ? (said.fr ?? said.message) : said.message;
}

/** `{message, fr}` from a text or a plain (English-only) string, as errors store them. */
export function splitText(text: string | Text): { message: string; fr?: string } {
  return typeof text === "string" ? { message: text } : { message: text.en, fr: text.fr };
}

let frenchNumbers: Intl.NumberFormat | undefined;

/**
 * A count with the language's thousands separator: 10,000 / 10 000. English by hand and the
 * French formatter made on first use: the first Intl formatter of a process loads ICU's data
 * (tens of milliseconds), which a process that never says anything in French should not pay.
 */
export function formatCount(n: number, lang: Lang): string {
  if (lang === "en") return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
  frenchNumbers ??= new Intl.NumberFormat("fr-FR");
  return frenchNumbers.format(n);
}

/** "A", "A or B", "A, B or C" — and "A, B ou C". */
export function orListIn(lang: Lang, items: readonly string[]): string {
  const or = lang === "fr" ? "ou" : "or";
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} ${or} ${items.at(-1)}`;
}

/**
 * The language an HTTP `Accept-Language` header asks for, among the interface's: the first by
 * weight that cosell speaks, English when none is (or when the header is absent or `*`).
 */
export function preferredLang(header: string | undefined): Lang {
  if (!header) return "en";
  const asked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((a) => a.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of asked) {
    if (tag === "fr" || tag.startsWith("fr-")) return "fr";
    if (tag === "en" || tag.startsWith("en-")) return "en";
  }
  return "en";
}

/** A label in both languages (a column named in a message, or a part of a cell), or one for both. */
export type Label = string | Text;

/** The label, or the nested message, in `lang`. */
export function inLang(lang: Lang, label: Label): string {
  return typeof label === "string" ? label : label[lang];
}

/** The same words in both languages (a header, a value, a code). */
export const same = (words: string): Text => ({ en: words, fr: words });

const SHOWN_CHARS = 60;

/** The offending value as messages show it: quoted, and cut short so a huge cell cannot flood a message. */
export const quote = (value: string): string => {
  if (value.length <= SHOWN_CHARS) return `'${value}'`;
  let end = SHOWN_CHARS - 1;
  // Never cut a surrogate pair in half.
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `'${value.slice(0, end)}…'`;
};

const MAX_SUGGESTIONS = 3;

/** " (did you mean US?)" / " (vouliez-vous dire US ?)", or "" when there is no guess or too many to be useful. */
export function didYouMeanIn(lang: Lang, guesses: readonly string[]): string {
  if (guesses.length === 0 || guesses.length > MAX_SUGGESTIONS) return "";
  const list = orListIn(lang, guesses);
  return lang === "fr" ? ` (vouliez-vous dire ${list} ?)` : ` (did you mean ${list}?)`;
}
