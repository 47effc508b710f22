/**
 * The OpenAPI document as the server serves it at /api/openapi.json, rendered the one way it is
 * committed (`docs/openapi.json`): a change to the API then shows in review, and a test tells
 * when the committed copy is stale (`npm run openapi` writes it again).
 */
import { DEFAULT_LIMITS } from "../../core/limits.js";
import type { Store } from "../db/store.js";
import { buildApp } from "./app.js";

/** Where the committed document lives, from the repository's root. */
export const OPENAPI_FILE = "docs/openapi.json";

/** What regenerates it; the drift test's failure says so. */
export const OPENAPI_COMMAND = "npm run openapi";

/** The document of an app on `store` with the default limits, as indented JSON text. */
export async function renderOpenApi(store: Store): Promise<string> {
  const app = await buildApp({ store, limits: DEFAULT_LIMITS, logger: false, webRoot: null });
  try {
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
