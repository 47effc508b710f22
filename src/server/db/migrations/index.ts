import { initial } from "./0001-initial.js";
import { service } from "./0002-service.js";
import { listSpeed } from "./0003-list-speed.js";
import { dealListVersion } from "./0004-deal-list-version.js";
import { writeSpeed } from "./0005-write-speed.js";
import { lz4Files } from "./0006-lz4-files.js";
import { pgTabIndex } from "./0007-pg-tab-index.js";
import { readableAudit } from "./0008-readable-audit.js";
import { connections } from "./0009-connections.js";
import { searchIndex } from "./0010-search-index.js";
import { importPresetsUndo } from "./0011-import-presets-undo.js";
import { stalledAttempts } from "./0012-stalled-attempts.js";
import { signInFailures } from "./0013-sign-in-failures.js";
import { syncLease } from "./0014-sync-lease.js";
import { importResultParts } from "./0015-import-result-parts.js";
import type { VersionedMigration } from "./versioned-migration.js";

/**
 * Every migration, oldest first. Listed here rather than read from a folder, so the
 * compiled `dist/` needs no filesystem scan. Names sort in this order; never rename
 * or edit a published one — add the next number instead.
 */
export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: VersionedMigration]> = [
  ["0001-initial", initial],
  ["0002-service", service],
  ["0003-list-speed", listSpeed],
  ["0004-deal-list-version", dealListVersion],
  ["0005-write-speed", writeSpeed],
  ["0006-lz4-files", lz4Files],
  ["0007-pg-tab-index", pgTabIndex],
  ["0008-readable-audit", readableAudit],
  ["0009-connections", connections],
  ["0010-search-index", searchIndex],
  ["0011-import-presets-undo", importPresetsUndo],
  ["0012-stalled-attempts", stalledAttempts],
  ["0013-sign-in-failures", signInFailures],
  ["0014-sync-lease", syncLease],
  ["0015-import-result-parts", importResultParts],
];
