import { describe, expect, it } from "vitest";
import { COLUMNS, type Lang } from "./columns.js";
import { readImportFile } from "./import/read-import-file.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { planCreate } from "./row/plan-row.js";
import { templateFile } from "./template.js";

const read = (lang: Lang, example: boolean) =>
  readImportFile(new TextEncoder().encode(templateFile(lang, example)), DEFAULT_LIMITS);

describe.each(["en", "fr"] as const)("the %s template", (lang) => {
  it("is a file the importer accepts, every header recognised", () => {
    const file = read(lang, false);
    expect(file.rows).toEqual([]);
    expect(file.map.ignored).toEqual([]);
    expect(file.map.lang).toBe(lang);
    expect(file.map.headers).toEqual([
      ...COLUMNS.filter(
        (c) => c.key !== "lastModified" && c.key !== "importResult" && c.key !== "version",
      ).map((c) => c[lang]),
      "Solution 1",
      lang === "en" ? "Team member 1" : "Membre de l'équipe 1",
    ]);
    expect(file.map.solutions).toHaveLength(1);
    expect(file.map.team).toHaveLength(1);
  });

  it("has an example row that creates a deal with no errors", () => {
    const file = read(lang, true);
    expect(file.rows).toHaveLength(1);
    const [row] = file.rows;
    if (!row) throw new Error("no example row");
    expect(row.errors).toEqual([]);
    expect(row.referralId).toBeNull();
    const outcome = planCreate(row, {
      map: file.map,
      limits: DEFAULT_LIMITS,
      mode: "import",
      requiredMember: null,
    });
    expect(outcome.result === "Not processed" ? outcome.errors : []).toEqual([]);
    expect(outcome).toMatchObject({
      result: "Created",
      fields: {
        name: "UK spring deal",
        customerCountry: "US",
        customerDuns: "081466849",
        status: "Active",
        substatus: "Accepted",
        helpRequired: true,
        helpType: 2,
        shareWithMicrosoft: true,
        closeDate: "2027-01-30",
        solutions: [{ id: "SOL-1234-PQRS", currency: "USD", price: 10, quantity: 100 }],
        team: [
          {
            firstName: "Bob",
            lastName: "Partner",
            phone: "999999",
            email: "bob.partner@contoso.com",
          },
        ],
      },
    });
  });
});
