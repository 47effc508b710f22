/**
 * The limits the server applies (SPEC §8, set by its environment), asked once per page load:
 * the browser's pre-check of a file must refuse what the server refuses, and no more.
 */
import { LimitsSchema } from "../core/api/limits-schemas.js";
import { DEFAULT_LIMITS, type Limits } from "../core/limits.js";
import { getJson } from "./api.js";
import { parse } from "./api-types.js";

let asked: Promise<Limits> | null = null;

/** The server's limits; the defaults if it cannot say (it checks the upload again anyway). */
export function serverLimits(): Promise<Limits> {
  asked ??= getJson("/api/limits")
    .then((json) => parse(LimitsSchema, json))
    .catch(() => {
      asked = null;
      return DEFAULT_LIMITS;
    });
  return asked;
}
