import { describe, expect, it } from "vitest";
import { COLUMNS, KNOWN_IGNORED_HEADERS, listHeaderOf } from "./columns.js";
import { FileRejectedError } from "./errors.js";
import { describeIgnored, type HeaderMap, mapHeaders, normaliseHeader } from "./header-map.js";

const rejected = (headers: readonly string[]): FileRejectedError => {
  try {
    mapHeaders(headers);
  } catch (error) {
    if (error instanceof FileRejectedError) return error;
    throw error;
  }
  throw new Error(`mapHeaders accepted ${JSON.stringify(headers)}`);
};

const keyAt = (map: HeaderMap, index: number) =>
  [...map.columns].find(([, at]) => at.index === index)?.[0];

describe("mapHeaders: the catalogue's own headers", () => {
  it.each(COLUMNS.map((c) => [c.en, c.key] as const))("English %s", (header, key) => {
    const map = mapHeaders(["Deal Name", header === "Deal Name" ? "Notes" : header]);
    expect(map.columns.get(key)?.header).toBe(header);
    expect(map.ignored).toEqual([]);
  });

  it.each(COLUMNS.map((c) => [c.fr, c.key] as const))("French %s", (header, key) => {
    const map = mapHeaders([header]);
    expect(map.columns.get(key)).toEqual({ index: 0, header });
    expect(map.ignored).toEqual([]);
  });

  it.each(COLUMNS.flatMap((c) => (c.aliases ?? []).map((alias) => [alias, c.key] as const)))(
    "alias %s",
    (header, key) => {
      expect(mapHeaders([header]).columns.get(key)?.index).toBe(0);
    },
  );

  it("maps a whole English header row and a whole French one to the same keys, in order", () => {
    const en = mapHeaders(COLUMNS.map((c) => c.en));
    const fr = mapHeaders(COLUMNS.map((c) => c.fr));
    expect(en.lang).toBe("en");
    expect(fr.lang).toBe("fr");
    COLUMNS.forEach((c, i) => {
      expect(keyAt(en, i)).toBe(c.key);
      expect(keyAt(fr, i)).toBe(c.key);
    });
  });
});

describe("mapHeaders: tolerant matching (SPEC §4)", () => {
  it.each([
    ["deal name", "name"],
    ["DEAL NAME", "name"],
    ["  Deal Name  ", "name"],
    ["Deal   Name", "name"],
    ["Deal\u00a0Name", "name"],
    ["\tCustomer  Postal   Code ", "customerPostalCode"],
    ["Deal Name *", "name"],
    ["What specific help from Microsoft ?", "helpType"],
    ["What specific help from Microsoft?", "helpType"],
    ["Microsoft help required ?", "helpRequired"],
    ["Aide Microsoft requise?", "helpRequired"],
    ["Aide Microsoft requise ?", "helpRequired"],
    ["Quelle aide specifique de Microsoft ?", "helpType"],
    ["Etat du client", "customerState"],
    ["ETAPE DE VENTE", "salesStage"],
    ["Date de cloture estimee", "closeDate"],
    ["Partager avec l’équipe de vente Microsoft", "shareWithMicrosoft"],
    ["Partager avec l‘equipe de vente Microsoft", "shareWithMicrosoft"],
    ["ID de référence", "referralId"],
    ["id de reference", "referralId"],
    ["URL de reference", "referralId"],
    ["Sous-etat de la reference du partenaire", "substatus"],
    // NFC and NFD spellings of the same accent are the same header.
    ["E\u0301tat du client", "customerState"],
  ] as const)("%j → %s", (header, key) => {
    const map = mapHeaders([header]);
    expect(map.columns.get(key)).toEqual({ index: 0, header });
    expect(map.ignored).toEqual([]);
  });

  it("normalises case, accents, apostrophes, spaces, a space before ? or :, and a trailing *", () => {
    expect(normaliseHeader("  Partager avec l’Équipe   de vente  ")).toBe(
      "partager avec l'equipe de vente",
    );
    expect(normaliseHeader("What specific help from Microsoft ?")).toBe(
      "what specific help from microsoft?",
    );
    expect(normaliseHeader("Deal Name*")).toBe("deal name");
  });
});

describe("mapHeaders: numbered columns", () => {
  it("reads Solution N and Team member N up to 50, sorted by number", () => {
    const headers = [
      ...Array.from({ length: 50 }, (_, i) => listHeaderOf("team", 50 - i, "en")),
      ...Array.from({ length: 50 }, (_, i) => listHeaderOf("solutions", 50 - i, "en")),
    ];
    const map = mapHeaders(headers);
    expect(map.solutions.map((c) => c.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(map.team.map((c) => c.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(map.team[0]).toEqual({ n: 1, index: 49, header: "Team member 1" });
    expect(map.solutions[0]).toEqual({ n: 1, index: 99, header: "Solution 1" });
    expect(map.ignored).toEqual([]);
  });

  it("recognises the French team columns, with a curly apostrophe or no accent", () => {
    const map = mapHeaders([
      "Membre de l'équipe 1",
      "Membre de l’équipe 2",
      "membre de l'equipe 3",
      "MEMBRE DE L'ÉQUIPE  4",
    ]);
    expect(map.team.map((c) => c.n)).toEqual([1, 2, 3, 4]);
    expect(map.lang).toBe("fr");
  });

  it("recognises Solution 51 and Team member 51 as list columns (the row parser reports too many)", () => {
    const map = mapHeaders(["Solution 51", "Team member 51", "Membre de l'équipe 52"]);
    expect(map.solutions).toEqual([{ n: 51, index: 0, header: "Solution 51" }]);
    expect(map.team.map((c) => c.n)).toEqual([51, 52]);
    expect(map.ignored).toEqual([]);
  });
});

describe("mapHeaders: columns it does not use", () => {
  it.each([
    ...KNOWN_IGNORED_HEADERS,
    "Microsoft team member 1",
    "Microsoft Team Member 12",
    "Managed Account Match 2",
    "Unmanaged Account 3",
    "Moodys Account Match 1",
    "cla number",
  ])("reports %j as a newer template column, not an error", (header) => {
    const map = mapHeaders(["Deal Name", header]);
    expect(map.ignored).toEqual([{ index: 1, header, reason: "newer_template" }]);
    expect(map.team).toEqual([]);
    expect(describeIgnored(map.ignored[0] ?? { index: 0, header: "", reason: "empty" })).toBe(
      `'${header}' is a Partner Center template column cosell does not use`,
    );
  });

  it.each([
    ["Deal Nme", "Deal Name"],
    ["Custmer Name", "Customer Name"],
    ["Currrency", "Currency"],
    ["Nom du clent", "Nom du client"],
    ["Soluton 1", "Solution 1"],
    ["Team membr 1", "Team member 1"],
  ])("ignores the unknown %j with a hint (%s)", (header, hint) => {
    const map = mapHeaders(["Deal Name", header]);
    expect(map.ignored).toEqual([{ index: 1, header, reason: "unknown", hint }]);
    expect(describeIgnored({ index: 1, header, reason: "unknown", hint })).toBe(
      `'${header}' is not a known column (did you mean '${hint}'?)`,
    );
  });

  it("ignores an unknown column that resembles nothing, without a hint", () => {
    const map = mapHeaders(["Deal Name", "Favourite colour"]);
    expect(map.ignored).toEqual([{ index: 1, header: "Favourite colour", reason: "unknown" }]);
    expect(describeIgnored({ index: 1, header: "Favourite colour", reason: "unknown" })).toBe(
      "'Favourite colour' is not a known column",
    );
  });

  it("ignores columns without a header", () => {
    const map = mapHeaders(["Deal Name", "", "  "]);
    expect(map.ignored).toEqual([
      { index: 1, header: "", reason: "empty" },
      { index: 2, header: "  ", reason: "empty" },
    ]);
    expect(describeIgnored({ index: 1, header: "", reason: "empty" })).toBe(
      "column 2 has no header",
    );
  });
});

describe("mapHeaders: whole-file rejections", () => {
  it.each([
    [["Deal Name", "Notes", "Deal Name"]],
    [["Deal Name", "deal  name "]],
    [["Solution 1", "SOLUTION 1"]],
    [["Team member 2", "team member 2"]],
    [["Aide Microsoft requise ?", "Aide Microsoft requise?"]],
    [["Deal Name", "Nom de la transaction"]],
    [["Referral ID", "ID de référence"]],
    [["URL de référence", "ID de reference"]],
    [["Customer Country", "Customer Country/Region"]],
    // The same numbered column in two languages, or written two ways.
    [["Team member 1", "Membre de l'équipe 1"]],
    [["Solution 1", "Solution 01"]],
  ])("rejects the duplicated header in %j", (headers) => {
    const error = rejected(headers);
    expect(error.code).toBe("duplicate_header");
    expect(error.message).toContain(`'${headers.at(-1)?.trim()}'`);
  });

  it("names both positions of a duplicated header", () => {
    expect(rejected(["Deal Name", "Notes", "deal name"]).message).toBe(
      "The header 'deal name' appears twice (columns 1 and 3); keep one of them and upload again",
    );
  });

  it.each([
    [["Name", "Address", "Amount"]],
    [["CLA Number", "Microsoft team member 1"]],
    [["", " "]],
  ])("rejects %j: no header it recognises", (headers) => {
    expect(rejected(headers).code).toBe("no_header");
  });
});

describe("mapHeaders: language", () => {
  it.each([
    [["Deal Name", "Customer Name", "Ville du client"], "en"],
    [["Nom de la transaction", "Customer Name", "Ville du client"], "fr"],
    [["Notes", "Solution 1"], "en"],
    [["Notes", "Membre de l'équipe 1"], "fr"],
    [["Notes", "Team member 1"], "en"],
  ] as const)("%j is %s", (headers, lang) => {
    expect(mapHeaders(headers).lang).toBe(lang);
  });

  it("does not let Notes or Solution (the same in both languages) tip the guess", () => {
    expect(mapHeaders(["Notes", "Solution 1", "Solution 2", "Nom du client"]).lang).toBe("fr");
  });
});
