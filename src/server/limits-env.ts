/**
 * SPEC §8's limits as a deployment sets them: read once from the environment when a process
 * starts (`cosell serve`, `cosell worker`, each CLI command), so the CLI, the API, the worker
 * and the page (which asks the server) all apply the same values. A value that is not a
 * positive whole number is refused at start, naming the variable, rather than ignored.
 */
import { RequestError } from "../core/errors.js";
import { DEFAULT_LIMITS, type Limits } from "../core/limits.js";

export type LimitsEnv = Readonly<Record<string, string | undefined>>;

/** Each limit's variable, in the order the start-up line and the docs list them. */
export const LIMIT_VARIABLES: Readonly<Record<keyof Limits, string>> = Object.freeze({
  importRows: "COSELL_IMPORT_MAX_ROWS",
  exportRecords: "COSELL_EXPORT_MAX_RECORDS",
  uploadBytes: "COSELL_UPLOAD_MAX_BYTES",
  solutionsPerDeal: "COSELL_DEAL_MAX_SOLUTIONS",
  teamMembersPerDeal: "COSELL_DEAL_MAX_TEAM_MEMBERS",
  cellChars: "COSELL_CELL_MAX_CHARS",
});

const LIMIT_KEYS: readonly (keyof Limits)[] = [
  "importRows",
  "exportRecords",
  "uploadBytes",
  "solutionsPerDeal",
  "teamMembersPerDeal",
  "cellChars",
];

const BYTE_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** Far beyond any real file, but small enough that arithmetic on it stays exact. */
const MAX_VALUE = 2 ** 40;

/** A positive whole number from variable `name`, refused at start with a clear message otherwise. */
export function parsePositive(name: string, raw: string, bytes = false): number {
  const match = /^(\d[\d_]*)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = match?.[2]?.toLowerCase() ?? "";
  const factor = bytes ? BYTE_UNITS[unit] : unit === "" ? 1 : undefined;
  const digits = match?.[1]?.replaceAll("_", "");
  const value = digits && factor ? Number(digits) * factor : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_VALUE) {
    const example = bytes ? "e.g. 5242880 or 5MiB" : "e.g. 1000";
    throw new RequestError(
      "invalid_argument",
      `${name}='${raw}' is not a valid limit: give a whole number of at least 1 (${example}), or unset it for the default`,
    );
  }
  return value;
}

/** The limits this process applies: SPEC §8's defaults, each replaced by its variable when set. */
export function limitsFromEnv(env: LimitsEnv): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const key of LIMIT_KEYS) {
    const name = LIMIT_VARIABLES[key];
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") continue;
    limits[key] = parsePositive(name, raw, key === "uploadBytes");
  }
  return limits;
}

function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

function formatSize(bytes: number): string {
  if (bytes % 1024 ** 2 === 0) return `${formatCount(bytes / 1024 ** 2)} MiB`;
  if (bytes % 1024 === 0) return `${formatCount(bytes / 1024)} KiB`;
  return `${formatCount(bytes)} bytes`;
}

/** One line for `cosell serve` and `cosell worker` to print at start. */
export function describeLimits(limits: Limits): string {
  return [
    `imports ${formatCount(limits.importRows)} rows`,
    `exports ${formatCount(limits.exportRecords)} deals`,
    `uploads ${formatSize(limits.uploadBytes)}`,
    `${formatCount(limits.solutionsPerDeal)} solutions and ${formatCount(limits.teamMembersPerDeal)} team members per deal`,
    `${formatCount(limits.cellChars)} characters per cell`,
  ].join(", ");
}
