/**
 * The interface's language and the Intl formats that follow it: the person's choice if they
 * made one (remembered in this browser), else the browser's language. Dates and amounts on
 * the page go through here, so there is one format throughout; files keep Partner Center's.
 */
import { LANGS, type Lang } from "../core/columns.js";

export type { Lang };
const STORAGE_KEY = "cosell.lang";

let current: Lang = "en";

export const currentLang = (): Lang => current;
export const setCurrentLang = (lang: Lang) => {
  current = lang;
  document.documentElement.lang = lang;
};

const asLang = (value: string | null | undefined): Lang | undefined =>
  LANGS.find((l) => value?.toLowerCase().startsWith(l));

export function detectLanguage(): Lang {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode): follow the browser.
  }
  return asLang(saved) ?? navigator.languages.map((l) => asLang(l)).find(Boolean) ?? "en";
}

export function rememberLanguage(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered; the switch still applies to this visit.
  }
}

/** The browser's own locale when it speaks the interface's language (en-GB keeps its dates). */
export function intlLocale(): string {
  const browser = navigator.languages.find((l) => asLang(l) === current);
  return browser ?? (current === "fr" ? "fr-FR" : "en-US");
}

/** Intl formatters are costly to make and a grid page formats hundreds of cells: made once. */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const once = <T>(map: Map<string, T>, key: string, make: () => T): T => {
  const found = map.get(key);
  if (found) return found;
  const made = make();
  map.set(key, made);
  return made;
};
const cached = (key: string, make: () => Intl.NumberFormat) => once(numberFormats, key, make);
const cachedDate = (key: string, make: () => Intl.DateTimeFormat) => once(dateFormats, key, make);

export function formatMoney(value: number, currency: string): string {
  const locale = intlLocale();
  try {
    return cached(
      `money ${locale} ${currency}`,
      () =>
        new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0 }),
    ).format(value);
  } catch {
    return `${formatNumber(value)} ${currency}`;
  }
}

export const formatNumber = (n: number): string => {
  const locale = intlLocale();
  return cached(`number ${locale}`, () => new Intl.NumberFormat(locale)).format(n);
};

const DATE: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit" };

/** A calendar date (YYYY-MM-DD), shown as the day it names whatever the time zone. */
export function formatDate(isoDate: string): string {
  const d = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return isoDate;
  const locale = intlLocale();
  return cachedDate(
    `date ${locale}`,
    () => new Intl.DateTimeFormat(locale, { ...DATE, timeZone: "UTC" }),
  ).format(d);
}

/** An instant, in the person's time zone, the zone named. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(), {
    ...DATE,
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(d);
}

/** The day an instant falls on, in the person's time zone. */
export function formatDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const locale = intlLocale();
  return cachedDate(`day ${locale}`, () => new Intl.DateTimeFormat(locale, DATE)).format(d);
}
