import currencyCodes from "currency-codes";
import fc from "fast-check";
import countries from "i18n-iso-countries";
import { describe, expect, it } from "vitest";
import { buildDeal } from "../test-support/build-deal.js";
import {
  encodeUtf16WithBom,
  encodeWindows1252,
  WINDOWS_1252_CHARACTERS,
} from "../test-support/text-encoders.js";
import { COLUMNS, type FieldKey, type Lang } from "./columns.js";
import { writeCsv } from "./csv/index.js";
import type { Deal, DealFields, Solution, TeamMember } from "./deal.js";
import { exportHeader, exportRow, writeExportFile } from "./export/export-file.js";
import { type ImportFile, readImportFile } from "./import/read-import-file.js";
import { DEAL_NAME_MAX, DEFAULT_LIMITS } from "./limits.js";
import { planUpdate } from "./row/plan-row.js";

/**
 * SPEC §3: "The exported file is a valid import file" — for any valid deal, exporting it and
 * importing the file untouched changes nothing, in English and French, as UTF-8 with a BOM,
 * UTF-16, and Windows-1252 with semicolons (what Excel saves in a French locale).
 */

const COUNTRIES = Object.keys(countries.getAlpha2Codes());
const CURRENCIES = currencyCodes.codes();

/** decodeBytes refuses NUL and reads many C0 controls as a binary file: keep them out. */
const isText = (s: string): boolean =>
  [...s].every((ch) => ch >= " " || ch === "\t" || ch === "\r" || ch === "\n") &&
  !s.includes("\u007f");

/** Pieces that stress quoting, line ends, the formula guard and the encodings. */
const TRICKY = [
  ",",
  ";",
  '"',
  '""',
  "\n",
  "\r\n",
  "\r",
  "\t",
  " ",
  "=",
  "+",
  "-",
  "@",
  "'",
  "'=",
  "''-",
  '=HYPERLINK("x")',
];

const unicodePiece = fc.oneof(
  fc.constantFrom(...TRICKY, "é", "ß", "😀", "漢字", "\u00a0", "€", "’", "Œuvre", "\u200b"),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);

const windows1252Piece = fc.oneof(
  fc.constantFrom(...TRICKY, "é", "€", "’", "Œ", "ÿ", "«»"),
  fc.constantFrom(...WINDOWS_1252_CHARACTERS),
);

/** How a file stores a text cell: trimmed, never empty (empty is null). */
const textFrom = (piece: fc.Arbitrary<string>, maxPieces = 8): fc.Arbitrary<string> =>
  fc
    .array(piece, { minLength: 1, maxLength: maxPieces })
    .map((parts) => parts.join("").trim())
    .filter((s) => s !== "" && isText(s));

const emailArb = fc.emailAddress().filter((e) => e.length <= 254);

const dealArb = (piece: fc.Arbitrary<string>): fc.Arbitrary<Deal> => {
  const text = textFrom(piece);
  const optText = fc.option(text, { nil: null });
  /** A part of a Solution or Team member cell: no comma, which separates the parts. */
  const part = textFrom(piece, 4)
    .map((s) => s.replaceAll(",", "").trim())
    .filter((s) => s !== "");
  const name = text.filter((s) => [...s].length <= DEAL_NAME_MAX);

  const solution: fc.Arbitrary<Solution> = fc.record({
    id: part,
    currency: fc.option(fc.constantFrom(...CURRENCIES), { nil: null }),
    price: fc.option(
      fc.double({ min: 0, max: 1e21, noNaN: true, noDefaultInfinity: true }).map((v) => v + 0),
      { nil: null },
    ),
    quantity: fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { nil: null }),
  });
  const member: fc.Arbitrary<TeamMember> = fc.record({
    firstName: part,
    lastName: part,
    phone: fc.option(part, { nil: null }),
    email: emailArb,
  });

  const pair = fc.constantFrom(
    { status: "New", substatus: "Pending", closeReason: null },
    { status: "New", substatus: "Received", closeReason: null },
    { status: "Active", substatus: "Accepted", closeReason: null },
    { status: "Closed", substatus: "Won", closeReason: null },
    { status: "Closed", substatus: "Expired", closeReason: null },
    ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((r) => [
      { status: "Closed", substatus: "Lost", closeReason: r },
      { status: "Closed", substatus: "Declined", closeReason: r },
    ]),
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((r) => ({
      status: "Closed",
      substatus: "Error",
      closeReason: r,
    })),
  ) as fc.Arbitrary<Pick<DealFields, "status" | "substatus" | "closeReason">>;

  const contact = {
    contactFirstName: text,
    contactLastName: text,
    contactPhone: text,
    contactEmail: emailArb,
  };
  /** Co-sell, Partner-led or Private, always within the invariants (help ⇒ shared, type, contacts). */
  const sharing = fc.oneof(
    fc.record({
      helpRequired: fc.constant(true),
      helpType: fc.integer({ min: 1, max: 6 }),
      shareWithMicrosoft: fc.constant(true),
      ...contact,
    }),
    fc.record({
      helpRequired: fc.constant(false),
      helpType: fc.constant(null),
      shareWithMicrosoft: fc.boolean(),
      contactFirstName: optText,
      contactLastName: optText,
      contactPhone: optText,
      contactEmail: fc.option(emailArb, { nil: null }),
    }),
  );

  const date = fc
    .date({ min: new Date("1900-01-01"), max: new Date("2999-12-31"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const instant = fc
    .date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString());

  return fc
    .record({
      id: fc.uuid(),
      updatedAt: instant,
      engagementId: text,
      name,
      customerName: text,
      customerAddress1: text,
      customerAddress2: optText,
      customerCity: text,
      customerState: optText,
      customerPostalCode: optText,
      customerCountry: fc.constantFrom(...COUNTRIES),
      customerDuns: fc.option(fc.stringMatching(/^\d{9}$/), { nil: null }),
      // The vendor's word for it; the partner's file never changes it, whatever it says.
      microsoftStatus: fc.constantFrom(null, "Pending", "Accepted", "Declined", "Won", "Lost"),
      salesStage: fc.constantFrom(null, 10, 20, 40, 60, 80, 100),
      value: fc
        .double({ min: 0, max: 1e21, noNaN: true, noDefaultInfinity: true })
        .map((v) => v + 0),
      currency: fc.constantFrom(...CURRENCIES),
      closeDate: date,
      crmId: optText,
      campaignId: optText,
      notes: optText,
      notesToMicrosoft: optText,
      solutions: fc.array(solution, { minLength: 1, maxLength: 5 }),
      team: fc.array(member, { minLength: 1, maxLength: 5 }),
    })
    .chain((fields) =>
      fc.tuple(pair, sharing).map(([state, share]) => {
        const deal = buildDeal({ ...fields, ...state, ...share });
        return state.substatus === "Won" ? { ...deal, salesStage: 100 } : deal;
      }),
    );
};

const FIELD_KEYS = COLUMNS.map((c) => c.key).filter(
  (k): k is FieldKey =>
    k !== "errors" &&
    k !== "referralId" &&
    k !== "lastModified" &&
    k !== "importResult" &&
    k !== "version",
);

/** Every row reads back as exactly its deal, and planUpdate finds nothing to change. */
const expectUnchanged = (file: ImportFile, deals: readonly Deal[], asUser: boolean): void => {
  expect(file.map.ignored).toEqual([]);
  expect(file.rows).toHaveLength(deals.length);
  file.rows.forEach((row, i) => {
    const deal = deals[i];
    if (!deal) throw new Error(`no deal for row ${i + 1}`);
    expect(row.errors).toEqual([]);
    expect(row.referralId).toBe(deal.id);
    expect(row.fields).toEqual(Object.fromEntries(FIELD_KEYS.map((k) => [k, deal[k]])));
    expect(row.solutions).toEqual(deal.solutions);
    expect(row.team).toEqual(deal.team);
    const outcome = planUpdate(row, deal, {
      map: file.map,
      limits: DEFAULT_LIMITS,
      mode: "import",
      // A Referrals user sees only deals they are on the team of.
      requiredMember: asUser ? (deal.team[0] ?? null) : null,
    });
    expect(outcome.result === "Not processed" ? outcome.errors : []).toEqual([]);
    expect(outcome.result).toBe("Unchanged");
  });
};

/** The same export, written with `;` and without a BOM, as Excel saves it in Windows-1252. */
const semicolonExport = (deals: readonly Deal[], lang: Lang): string => {
  const solutions = Math.max(1, ...deals.map((d) => d.solutions.length));
  const team = Math.max(1, ...deals.map((d) => d.team.length));
  return writeCsv(
    [exportHeader(lang, solutions, team), ...deals.map((d) => exportRow(d, solutions, team))],
    { delimiter: ";", bom: false },
  );
};

const WINDOWS_1252 = new Set(WINDOWS_1252_CHARACTERS);
const fits1252 = (text: string): boolean => [...text].every((ch) => WINDOWS_1252.has(ch));

/** Windows-1252 bytes that also happen to be valid UTF-8 are read as UTF-8: no decoder can tell. */
const readsAsUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return bytes.some((b) => b >= 0x80);
  } catch {
    return false;
  }
};

const check1252 = (deals: readonly Deal[], lang: Lang, asUser: boolean): boolean => {
  const bytes = encodeWindows1252(semicolonExport(deals, lang));
  if (readsAsUtf8(bytes)) return false;
  const file = readImportFile(bytes, DEFAULT_LIMITS);
  expect(file.delimiter).toBe(";");
  expect(file.encoding).toBe(bytes.some((b) => b >= 0x80) ? "windows-1252" : "utf-8");
  expectUnchanged(file, deals, asUser);
  return true;
};

const langArb = fc.constantFrom<Lang>("en", "fr");

describe("export → import of any valid deals changes nothing", () => {
  it("as exported: UTF-8 with a BOM, in English and French (and UTF-16, and 1252 when the text fits)", () => {
    fc.assert(
      fc.property(
        fc.array(dealArb(unicodePiece), { minLength: 1, maxLength: 4 }),
        langArb,
        fc.boolean(),
        (deals, lang, asUser) => {
          const csv = writeExportFile(deals, lang);
          const file = readImportFile(new TextEncoder().encode(csv), DEFAULT_LIMITS);
          expect(file.encoding).toBe("utf-8-bom");
          expect(file.delimiter).toBe(",");
          expect(file.map.lang).toBe(lang);
          expectUnchanged(file, deals, asUser);

          const utf16 = readImportFile(encodeUtf16WithBom(csv, "le"), DEFAULT_LIMITS);
          expectUnchanged(utf16, deals, asUser);

          if (fits1252(semicolonExport(deals, lang))) check1252(deals, lang, asUser);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("saved by Excel as Windows-1252 with semicolons", () => {
    fc.assert(
      fc.property(
        fc.array(dealArb(windows1252Piece), { minLength: 1, maxLength: 4 }),
        langArb,
        fc.boolean(),
        (deals, lang, asUser) => {
          fc.pre(check1252(deals, lang, asUser));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("keeps the tricky values of a hand-picked deal", () => {
    const deal = buildDeal({
      name: '=cmd|" /C calc"!A0',
      customerName: '-Contoso, "Ltd"',
      customerAddress1: "@1 Main Street\r\nBuilding 2",
      customerPostalCode: "01234",
      customerDuns: "000000001",
      notes: "''=already guarded",
      crmId: "+33 1 23 45 67 89",
      value: 0.1 + 0.2,
      solutions: [{ id: "=SOL", currency: null, price: 1e21, quantity: null }],
      team: [{ firstName: "'=Zoë", lastName: "Ø", phone: null, email: "z@x.example" }],
    });
    for (const lang of ["en", "fr"] as const) {
      const file = readImportFile(
        new TextEncoder().encode(writeExportFile([deal], lang)),
        DEFAULT_LIMITS,
      );
      expectUnchanged(file, [deal], false);
      expect(check1252([deal], lang, false)).toBe(true);
    }
  });
});
