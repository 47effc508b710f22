/** SPEC §8: every limit in one place, all configurable by passing another `Limits`. */
export interface Limits {
  /** Data rows per import file; a file with more is rejected whole. */
  importRows: number;
  /** Deals per export file; the rest are left out and counted. */
  exportRecords: number;
  solutionsPerDeal: number;
  teamMembersPerDeal: number;
  /** Upload size in bytes. */
  uploadBytes: number;
  /** Characters in one cell. */
  cellChars: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  importRows: 1000,
  exportRecords: 5000,
  solutionsPerDeal: 50,
  teamMembersPerDeal: 50,
  uploadBytes: 5 * 1024 * 1024,
  cellChars: 32_000,
});

/** Days an inbound deal may stay New before the system closes it as Expired. */
export const EXPIRY_DAYS = 14;

/** Deal Name length (SPEC §5, row 4). */
export const DEAL_NAME_MAX = 100;
