/**
 * `npm run openapi`: writes the committed OpenAPI document (`docs/openapi.json`, from the
 * repository's root, where npm runs scripts) from the routes as they are, over a throwaway
 * embedded store.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../db/connect.js";
import { OPENAPI_FILE, renderOpenApi } from "./openapi-document.js";

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cosell-openapi-"));
  const store = await openDatabase({ dataDir: dir });
  try {
    await writeFile(OPENAPI_FILE, await renderOpenApi(store));
    process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
