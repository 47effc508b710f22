import { describe, expect, it } from "vitest";
import { readSharedFixture } from "../../test-support/shared-fixtures.js";
import { decodeBytes } from "./encoding.js";
import { neutraliseCell, restoreCell } from "./formula.js";
import { readCsv } from "./read.js";
import { writeCsv } from "./write.js";

/** The shared sample files, shaped like what partner staff really upload (fixtures/README.md). */
function load(name: string) {
  const { text, encoding } = decodeBytes(readSharedFixture(name));
  return { encoding, ...readCsv(text) };
}

const column = (header: readonly string[], name: string): number => {
  const index = header.indexOf(name);
  if (index === -1) throw new Error(`no column ${name}`);
  return index;
};

describe("create-en.csv", () => {
  const file = load("create-en.csv");

  it("is comma-delimited UTF-8 with a BOM, the BOM gone from the first header", () => {
    expect(file.encoding).toBe("utf-8-bom");
    expect(file.delimiter).toBe(",");
    expect(file.header).toHaveLength(38);
    expect(file.header.slice(0, 4)).toEqual([
      "Errors",
      "Engagement ID",
      "Referral ID",
      "Deal Name",
    ]);
    expect(file.header.at(-1)).toBe("Team member 3");
  });

  it("has 12 records of 38 cells, quoted commas and a multi-line note intact", () => {
    expect(file.records).toHaveLength(12);
    for (const record of file.records) expect(record.cells).toHaveLength(38);
    const [first, , third, fourth, fifth] = file.records;
    expect(first?.cells[column(file.header, "Customer Name")]).toBe("Fabrikam, Inc.");
    expect(third?.cells[column(file.header, "Customer City")]).toBe("München");
    expect(fourth?.cells[column(file.header, "Notes")]).toBe(
      "Multi-line note\nsecond line, with comma",
    );
    expect(fourth?.line).toBe(5);
    expect(fifth?.line).toBe(7);
    expect(file.records.at(-1)?.line).toBe(15);
  });
});

describe("create-fr-excel-1252.csv", () => {
  const file = load("create-fr-excel-1252.csv");

  it("is semicolon-delimited Windows-1252 with the French headers", () => {
    expect(file.encoding).toBe("windows-1252");
    expect(file.delimiter).toBe(";");
    expect(file.header).toHaveLength(38);
    expect(file.header.slice(0, 3)).toEqual(["Erreurs", "ID engagement", "URL de référence"]);
    expect(file.header).toContain("Aide Microsoft requise ?");
    expect(file.header.at(-1)).toBe("Membre de l'équipe 3");
  });

  it("has 6 records with their accents intact", () => {
    expect(file.records).toHaveLength(6);
    const city = column(file.header, "Ville du client");
    const address = column(file.header, "Adresse client, ligne 1");
    expect(file.records.map((r) => r.cells[city])).toEqual([
      "Austin",
      "Sydney",
      "München",
      "London",
      "Lyon",
      "Toronto",
    ]);
    expect(file.records[2]?.cells[address]).toBe("Hauptstraße 5");
    expect(file.records[4]?.cells[address]).toBe("7 rue de l'Église");
    expect(
      file.records[0]?.cells[column(file.header, "Sous-état de la référence du partenaire")],
    ).toBe("Accepté");
    expect(file.records[0]?.cells[column(file.header, "Nom du client")]).toBe("Fabrikam, Inc.");
    expect(file.records.map((r) => r.line)).toEqual([2, 4, 6, 7, 8, 9]);
  });
});

describe("errors-mixed.csv", () => {
  const file = load("errors-mixed.csv");

  it("has 8 records, each with its mistake as written", () => {
    expect(file.encoding).toBe("utf-8-bom");
    expect(file.delimiter).toBe(",");
    expect(file.records).toHaveLength(8);
    const cell = (row: number, name: string) => file.records[row]?.cells[column(file.header, name)];
    expect(cell(0, "Customer Country")).toBe("USA");
    expect(cell(1, "Estimated Close Date")).toBe("30/01/2027");
    expect(cell(2, "Solution 1")).toBe("");
    expect(cell(3, "Consent to share Customer/Partner contact")).toBe("No");
    expect(cell(5, "Customer D-U-N-S ID")).toBe("8.15E+07");
    expect(cell(6, "Deal Name")).toBe('=HYPERLINK("http://evil.example","click")');
    expect(cell(6, "Customer City")).toBe("São Paulo");
    expect(cell(7, "Estimated Deal Value")).toBe("-5");
    expect(file.records[6]?.line).toBe(9);
  });

  it("survives export with neutralised cells and re-import unchanged", () => {
    const exported = writeCsv(
      [file.header, ...file.records.map((r) => r.cells)].map((row) => row.map(neutraliseCell)),
    );
    expect(exported).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
    const reread = readCsv(decodeBytes(new TextEncoder().encode(exported)).text);
    expect(reread.records.map((r) => r.cells.map(restoreCell))).toEqual(
      file.records.map((r) => r.cells),
    );
  });
});

describe("newer-template-columns.csv", () => {
  const file = load("newer-template-columns.csv");

  it("has the newer template's extra columns and 3 records", () => {
    expect(file.encoding).toBe("utf-8-bom");
    expect(file.delimiter).toBe(",");
    expect(file.header).toHaveLength(42);
    expect(file.header).toEqual(
      expect.arrayContaining([
        "Marketplace Purchase Intent",
        "Customer Domain Name",
        "Microsoft MSX ID",
        "PartnerID (formerly MPN ID)",
      ]),
    );
    expect(file.records).toHaveLength(3);
    expect(file.records[0]?.cells[column(file.header, "Customer Domain Name")]).toBe(
      "contoso.example",
    );
    expect(file.records[0]?.cells[column(file.header, "Marketplace Purchase Intent")]).toBe(
      "Have not decided",
    );
  });
});
