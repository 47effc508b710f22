import { describe, expect, it } from "vitest";
import { decodeCloseDate, decodeCountry } from "../codecs/index.js";
import { FileRejectedError } from "../errors.js";
import { readImportFile } from "../import/read-import-file.js";
import { DEFAULT_LIMITS } from "../limits.js";
import { messageIn, preferredLang } from "./text.js";

describe("the language a request asks for", () => {
  it("follows Accept-Language by weight, among English and French", () => {
    expect(preferredLang(undefined)).toBe("en");
    expect(preferredLang("*")).toBe("en");
    expect(preferredLang("fr")).toBe("fr");
    expect(preferredLang("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7")).toBe("fr");
    expect(preferredLang("en-GB,fr;q=0.5")).toBe("en");
    expect(preferredLang("de-DE,fr;q=0.8,en;q=0.6")).toBe("fr");
    expect(preferredLang("en;q=0.4,fr;q=0.9")).toBe("fr");
    expect(preferredLang("fr;q=0,en")).toBe("en");
    expect(preferredLang("de, ja")).toBe("en");
  });
});

describe("the core's messages in French", () => {
  it("carry the same details as the English: the value, the suggestion", () => {
    const date = decodeCloseDate("30/01/2027", "Date de clôture estimée");
    expect(date.ok).toBe(false);
    if (date.ok) return;
    expect(date.message).toBe(
      "Date de clôture estimée '30/01/2027' is not a date in MM/DD/YYYY format (did you mean 01/30/2027?)",
    );
    expect(messageIn("fr", date)).toBe(
      "Date de clôture estimée '30/01/2027' n'est pas une date au format MM/JJ/AAAA (vouliez-vous dire 01/30/2027 ?)",
    );
    const country = decodeCountry("Allemagne", "Pays du client");
    if (country.ok) throw new Error("Allemagne is not a code");
    expect(messageIn("fr", country)).toBe(
      "Pays du client 'Allemagne' n'est pas un code à deux lettres (vouliez-vous dire DE ?)",
    );
    expect(messageIn("en", country)).toBe(country.message);
  });

  it("say why a whole file is refused, with its line and limit", () => {
    const header = "Deal Name\n";
    const rows = "x\n".repeat(DEFAULT_LIMITS.importRows + 1);
    let refused: unknown;
    try {
      readImportFile(new TextEncoder().encode(header + rows), DEFAULT_LIMITS);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(FileRejectedError);
    if (!(refused instanceof FileRejectedError)) return;
    expect(refused.message).toMatch(/^The file has 1001 data rows; an import takes at most 1000\./);
    expect(refused.fr).toMatch(
      /^Le fichier a 1\u202f001 lignes de données ; un import en prend au plus 1\u202f000\./,
    );
  });
});
