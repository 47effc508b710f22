import { distance } from "fastest-levenshtein";
import { foldText } from "./cell-text.js";

/** Names matched loosely: case, accents, dots and apostrophes ignored; other punctuation is a space. */
export const foldName = (name: string): string =>
  foldText(name)
    .replace(/[.'’]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** Names (already folded) and the code each stands for; one name may stand for several codes. */
export interface NameIndex {
  readonly byName: ReadonlyMap<string, readonly string[]>;
}

/** Built once at module load from `[name, code]` pairs. */
export const buildNameIndex = (
  pairs: Iterable<readonly [name: string, code: string]>,
): NameIndex => {
  const byName = new Map<string, string[]>();
  for (const [name, code] of pairs) {
    const key = foldName(name);
    if (key === "") continue;
    const codes = byName.get(key);
    if (codes === undefined) byName.set(key, [code]);
    else if (!codes.includes(code)) codes.push(code);
  }
  return { byName };
};

/** How many typos a name of this length may carry and still be recognised. */
export const typoBudget = (length: number): number =>
  length < 3 ? 0 : Math.max(1, Math.floor(length / 4));

/** A typed prefix must be this long before it counts ("États-Unis" for "États-Unis d'Amérique"). */
const MIN_PREFIX = 4;

const addAll = (into: string[], codes: readonly string[]): void => {
  for (const code of codes) if (!into.includes(code)) into.push(code);
};

/**
 * The codes a free-text name most likely means: an exact name, else the start of a name
 * (whole words), else the nearest names within the typo budget. Several codes when tied.
 * Only used on the error path, so a linear scan is fine.
 */
export const guessCodes = (index: NameIndex, text: string): string[] => {
  const key = foldName(text);
  if (key === "") return [];
  const exact = index.byName.get(key);
  if (exact !== undefined) return [...exact];

  const found: string[] = [];
  if (key.length >= MIN_PREFIX) {
    for (const [name, codes] of index.byName) {
      if (name.startsWith(key) && name.charAt(key.length) === " ") addAll(found, codes);
    }
    if (found.length > 0) return found;
  }

  const budget = typoBudget(key.length);
  let best = budget;
  for (const [name, codes] of index.byName) {
    // The length difference is a lower bound of the distance: skip names that cannot win.
    if (Math.abs(name.length - key.length) > best) continue;
    const d = distance(key, name);
    if (d > best) continue;
    if (d < best) {
      best = d;
      found.length = 0;
    }
    addAll(found, codes);
  }
  return found;
};
