/**
 * Narrows an aggregate (`count(*)`, `sum`) to a number. Kysely types them as
 * `string | number | bigint` because pg returns int8 as a string; our pools parse int8 to
 * a number already (see open-postgres.ts), so this only checks and narrows.
 */
export function toCount(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  // sum() over no rows is NULL in both dialects.
  if (value === null) return 0;
  throw new TypeError(`Not a count: ${String(value)}`);
}
