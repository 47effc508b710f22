/**
 * Matches a file's header row against the column catalogue: case, accents, curly
 * apostrophes, surrounding and repeated spaces do not matter (SPEC §4). Unknown
 * columns are ignored with a "did you mean" hint; a duplicated header rejects the file.
 */
import { distance } from "fastest-levenshtein";
import {
  COLUMNS,
  type ColumnKey,
  KNOWN_IGNORED_HEADERS,
  KNOWN_IGNORED_PATTERNS,
  type Lang,
  LIST_COLUMNS,
  type ListKey,
} from "./columns.js";
import { FileRejectedError } from "./errors.js";
import { FILE } from "./messages/files.js";

export interface IgnoredColumn {
  /** 0-based position in the row. */
  index: number;
  header: string;
  /** `mapped`: the import's column mapping said to ignore it. */
  reason: "newer_template" | "unknown" | "empty" | "mapped";
  /** For an unknown column: the known header it most resembles. */
  hint?: string;
}

export interface ListColumn {
  /** 1-based number from the header, e.g. 3 for `Solution 3`. */
  n: number;
  index: number;
  header: string;
}

export interface HeaderMap {
  /** The file's header cells as written. */
  headers: readonly string[];
  /** Column key → 0-based position and header as the file spells it. */
  columns: ReadonlyMap<ColumnKey, { index: number; header: string }>;
  solutions: readonly ListColumn[];
  team: readonly ListColumn[];
  ignored: readonly IgnoredColumn[];
  /** The language most headers are in (used for columns the results file adds). */
  lang: Lang;
}

/** Lower case, no accents, straight apostrophes, single spaces, no space before `?` or `:`, no trailing `*`. */
export const normaliseHeader = (header: string): string =>
  header
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\s\u00a0]+/g, " ")
    .trim()
    .replace(/\s*\*$/, "")
    .replace(/ ([?:])/g, "$1")
    .toLowerCase();

interface Known {
  key: ColumnKey;
  lang: Lang | null;
  display: string;
}

const KNOWN = new Map<string, Known>();
for (const c of COLUMNS) {
  KNOWN.set(normaliseHeader(c.en), { key: c.key, lang: "en", display: c.en });
  KNOWN.set(normaliseHeader(c.fr), { key: c.key, lang: "fr", display: c.fr });
  for (const alias of c.aliases ?? []) {
    KNOWN.set(normaliseHeader(alias), { key: c.key, lang: null, display: c.en });
  }
}
// "Notes" is the same word in both languages: it must not tip the language guess.
for (const [name, known] of KNOWN) {
  const def = COLUMNS.find((c) => c.key === known.key);
  if (def && normaliseHeader(def.en) === normaliseHeader(def.fr)) {
    KNOWN.set(name, { ...known, lang: null });
  }
}

const IGNORED = new Set(KNOWN_IGNORED_HEADERS.map(normaliseHeader));

const LIST_PATTERNS: readonly { list: ListKey; lang: Lang | null; re: RegExp }[] = [
  { list: "solutions", lang: null, re: /^solution (\d+)$/ },
  { list: "team", lang: "en", re: /^team member (\d+)$/ },
  { list: "team", lang: "fr", re: /^membre de l'equipe (\d+)$/ },
];

/** Every header a user may have meant, for "did you mean" hints. */
const SUGGESTIONS: readonly { norm: string; display: string }[] = [
  ...COLUMNS.flatMap((c) => [
    { norm: normaliseHeader(c.en), display: c.en },
    { norm: normaliseHeader(c.fr), display: c.fr },
  ]),
  { norm: "solution 1", display: `${LIST_COLUMNS.solutions.en} 1` },
  { norm: "team member 1", display: `${LIST_COLUMNS.team.en} 1` },
];

const suggest = (norm: string): string | undefined => {
  let best: { display: string; d: number } | undefined;
  for (const s of SUGGESTIONS) {
    const d = distance(norm, s.norm);
    if (!best || d < best.d) best = { display: s.display, d };
  }
  // Close enough to be a typo, not a different column altogether.
  return best && best.d <= Math.max(2, Math.floor(norm.length / 4)) ? best.display : undefined;
};

/** The known header a header most resembles, if it is close enough to be a typo of it. */
export function closestHeader(header: string): string | undefined {
  return suggest(normaliseHeader(header));
}

/** Maps a header row, or throws `FileRejectedError` (duplicate header, nothing recognisable). */
export const mapHeaders = (headers: readonly string[]): HeaderMap => {
  const columns = new Map<ColumnKey, { index: number; header: string }>();
  const solutions: ListColumn[] = [];
  const team: ListColumn[] = [];
  const ignored: IgnoredColumn[] = [];
  const seen = new Map<string, number>();
  const votes = { en: 0, fr: 0 };

  headers.forEach((header, index) => {
    const norm = normaliseHeader(header);
    if (norm === "") {
      ignored.push({ index, header, reason: "empty" });
      return;
    }
    const earlier = seen.get(norm);
    if (earlier !== undefined) {
      throw new FileRejectedError(
        "duplicate_header",
        FILE.headerTwice(header.trim(), earlier + 1, index + 1),
      );
    }
    seen.set(norm, index);

    const known = KNOWN.get(norm);
    if (known) {
      const taken = columns.get(known.key);
      if (taken) {
        throw new FileRejectedError(
          "duplicate_header",
          FILE.sameColumn(taken.header.trim(), taken.index + 1, header.trim(), index + 1),
        );
      }
      columns.set(known.key, { index, header });
      if (known.lang) votes[known.lang]++;
      return;
    }
    for (const p of LIST_PATTERNS) {
      const m = p.re.exec(norm);
      if (m?.[1]) {
        const list = p.list === "solutions" ? solutions : team;
        const n = Number(m[1]);
        // `Team member 1` and `Membre de l'équipe 1`, or `Solution 1` and `Solution 01`: one column twice.
        const taken = list.find((c) => c.n === n);
        if (taken) {
          throw new FileRejectedError(
            "duplicate_header",
            FILE.sameColumn(taken.header.trim(), taken.index + 1, header.trim(), index + 1),
          );
        }
        list.push({ n, index, header });
        if (p.lang) votes[p.lang]++;
        return;
      }
    }
    if (IGNORED.has(norm) || KNOWN_IGNORED_PATTERNS.some((re) => re.test(norm))) {
      ignored.push({ index, header, reason: "newer_template" });
      return;
    }
    const hint = suggest(norm);
    ignored.push(
      hint ? { index, header, reason: "unknown", hint } : { index, header, reason: "unknown" },
    );
  });

  if (columns.size === 0 && solutions.length === 0 && team.length === 0) {
    throw new FileRejectedError("no_header", FILE.noKnownHeader);
  }
  solutions.sort((a, b) => a.n - b.n);
  team.sort((a, b) => a.n - b.n);
  return {
    headers,
    columns,
    solutions,
    team,
    ignored,
    lang: votes.fr > votes.en ? "fr" : "en",
  };
};

/** "Solution 0", or a gap is harmless; the same number twice is ambiguous and rejected above as a duplicate. */
export const describeIgnored = (c: IgnoredColumn): string => {
  switch (c.reason) {
    case "empty":
      return `column ${c.index + 1} has no header`;
    case "mapped":
      return `'${c.header.trim()}' is ignored, as the column mapping says`;
    case "newer_template":
      return `'${c.header.trim()}' is a Partner Center template column cosell does not use`;
    case "unknown":
      return c.hint
        ? `'${c.header.trim()}' is not a known column (did you mean '${c.hint}'?)`
        : `'${c.header.trim()}' is not a known column`;
  }
};
