/** What the plan-row tests share: rows by header, contexts, outcomes read back, sample deals. */
import { expect } from "vitest";
import { buildDeal } from "./build-deal.js";
import { newDealRow } from "./rows.js";
import type { Lang } from "../core/columns.js";
import type { Deal, TeamMember } from "../core/deal.js";
import type { RowError, RowErrorCode } from "../core/errors.js";
import { exportHeader, exportRow } from "../core/export/export-file.js";
import { mapHeaders } from "../core/header-map.js";
import { planImport } from "../core/import/plan-import.js";
import { parseImportRows } from "../core/import/read-import-file.js";
import { DEFAULT_LIMITS, type Limits } from "../core/limits.js";
import { parseRow } from "../core/row/parse-row.js";
import { planCreate, planUpdate, type RowContext, type RowOutcome } from "../core/row/plan-row.js";

/** A row keyed by header, in column order; `undefined` leaves a column out. */
export type Cells = Record<string, string>;

export const parse = (row: Cells, limits: Limits = DEFAULT_LIMITS) => {
  const map = mapHeaders(Object.keys(row));
  const parsed = parseRow(map, { line: 2, cells: Object.values(row) }, 1, limits);
  return { map, parsed };
};

export const ctxOf = (
  parsedMap: ReturnType<typeof parse>["map"],
  extra: Partial<RowContext> = {},
) => ({
  map: parsedMap,
  limits: DEFAULT_LIMITS,
  mode: "import" as const,
  requiredMember: null,
  ...extra,
});

export const create = (row: Cells, extra: Partial<RowContext> = {}): RowOutcome => {
  const { map, parsed } = parse(row);
  return planCreate(parsed, ctxOf(map, extra));
};

/** `previousChangeAt`: when the deal changed before its last change (its audit trail says). */
export const update = (
  deal: Deal,
  row: Cells,
  extra: Partial<RowContext> = {},
  previousChangeAt: string | null = null,
): RowOutcome => {
  const { map, parsed } = parse(row);
  return planUpdate(parsed, deal, ctxOf(map, extra), previousChangeAt);
};

/** A complete, valid create row (as in the template). */
export const newRow = (overrides: Record<string, string | undefined> = {}): Cells =>
  withOverrides(newDealRow(), overrides);

/** The deal's row exactly as an export writes it, then edited. */
export const exported = (
  deal: Deal,
  overrides: Record<string, string | undefined> = {},
  lang: Lang = "en",
): Cells => {
  const solutions = Math.max(1, deal.solutions.length);
  const team = Math.max(1, deal.team.length);
  const header = exportHeader(lang, solutions, team);
  const cells = exportRow(deal, solutions, team);
  return withOverrides(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""])), overrides);
};

export const withOverrides = (row: Cells, overrides: Record<string, string | undefined>): Cells => {
  const out: Cells = {};
  for (const [k, v] of Object.entries(row)) {
    const o = k in overrides ? overrides[k] : v;
    if (o !== undefined) out[k] = o;
  }
  for (const [k, v] of Object.entries(overrides)) if (!(k in row) && v !== undefined) out[k] = v;
  return out;
};

export const errorsOf = (outcome: RowOutcome): RowError[] =>
  outcome.result === "Not processed" ? outcome.errors : [];
export const codesOf = (outcome: RowOutcome): RowErrorCode[] =>
  errorsOf(outcome).map((e) => e.code);

export const fieldsOf = (outcome: RowOutcome) => {
  if (outcome.result === "Not processed") {
    throw new Error(`not processed: ${outcome.errors.map((e) => e.message).join("; ")}`);
  }
  return outcome.fields;
};

export const expectUnchanged = (outcome: RowOutcome): void => {
  expect(errorsOf(outcome)).toEqual([]);
  expect(outcome.result).toBe("Unchanged");
};

export const CO_SELL = {
  helpRequired: true,
  helpType: 2,
  shareWithMicrosoft: true,
  microsoftStatus: "Pending",
  contactFirstName: "John",
  contactLastName: "Customer",
  contactPhone: "9999999999",
  contactEmail: "john.customer@contoso.example",
} as const satisfies Partial<Deal>;
export const PARTNER_LED = { shareWithMicrosoft: true } as const satisfies Partial<Deal>;

export const ANA: TeamMember = {
  firstName: "Ana",
  lastName: "Silva",
  phone: null,
  email: "ana.silva@contoso.example",
};

/** A one-file import, for the codes only the file level gives. `crm` deals are visible unless listed in `hidden`. */
export const importOf = (
  rows: Cells[],
  known: Deal[],
  crm: Deal[] = [],
  options: { upsertByCrmId?: boolean; hidden?: Deal[] } = {},
): RowOutcome[] => {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const map = mapHeaders(header);
  const records = rows.map((r, i) => ({ line: i + 2, cells: header.map((h) => r[h] ?? "") }));
  const file = parseImportRows({ encoding: "utf-8", delimiter: ",", map, records }, DEFAULT_LIMITS);
  const byCrmId = new Map<string, { deal: Deal | null; id: string }[]>();
  for (const d of crm) {
    const seen = options.hidden?.includes(d) ? null : d;
    byCrmId.set(d.crmId ?? "", [...(byCrmId.get(d.crmId ?? "") ?? []), { deal: seen, id: d.id }]);
  }
  return planImport(file, { visible: new Map(known.map((d) => [d.id, d])), byCrmId }, ctxOf(map), {
    upsertByCrmId: options.upsertByCrmId ?? false,
  }).map((p) => p.outcome);
};

export const deal = buildDeal();
export const won = buildDeal({ status: "Closed", substatus: "Won", salesStage: 100 });

export const noOutcome: RowOutcome = { result: "Not processed", errors: [] };
