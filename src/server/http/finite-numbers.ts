/**
 * Refuses numbers that are not finite in a request's query and JSON body. Ajv's coercion turns
 * `offset=1e309` into Infinity, and JSON.parse reads `1e309` the same way; Ajv's integer and
 * number checks accept Infinity, which then reaches the database as a 500. One hook covers every
 * route, so no schema can forget it.
 */
import type { FastifyRequest } from "fastify";
import { RequestError } from "../../core/errors.js";

/** The path of the first non-finite number inside a parsed value, or null when there is none. */
function nonFinitePath(value: unknown, path: string, depth: number): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : path;
  if (depth > 8 || value === null || typeof value !== "object" || ArrayBuffer.isView(value))
    return null;
  for (const [key, item] of Object.entries(value)) {
    const found = nonFinitePath(item, path === "" ? key : `${path}.${key}`, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** A preHandler hook: runs after validation, so it sees the coerced values. */
export async function rejectNonFiniteNumbers(request: FastifyRequest): Promise<void> {
  for (const [where, value] of [
    ["query", request.query],
    ["body", request.body],
  ] as const) {
    const path = nonFinitePath(value, "", 0);
    if (path !== null)
      throw new RequestError(
        "invalid_argument",
        `The ${where} parameter '${path}' is not a finite number; send a plain number such as 0 or 50`,
      );
  }
}
