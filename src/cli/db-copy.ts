/**
 * `cosell db copy --to postgres://…`: the way up from the embedded store. Copies every table
 * of the store that `--data` / `COSELL_DATA_DIR` selects (never DATABASE_URL: that is where the
 * copy goes) into an empty PostgreSQL database, shows progress on standard error and checks
 * the row counts of every table at the end.
 */
import type { Command } from "commander";
import { EXIT } from "./exit-codes.js";

interface CopyFlags {
  to: string;
  force?: boolean;
  json?: boolean;
}

export function registerDbCommands(program: Command): void {
  program
    .command("db")
    .description("move the data between stores")
    .command("copy")
    .description(
      "copy everything from the embedded store (--data / COSELL_DATA_DIR) into an empty PostgreSQL database",
    )
    .requiredOption("--to <url>", "the PostgreSQL database, postgres://user:password@host:5432/db")
    .option(
      "--force",
      "copy into a schema that already has cosell's tables, provided they are empty",
    )
    .option("--json", "print {tables: {name: rows}} when done")
    .action(async (o: CopyFlags) => {
      process.exitCode = await copy(program.opts<{ data?: string }>().data, o);
    });
}

async function copy(dataFlag: string | undefined, o: CopyFlags): Promise<number> {
  const { existsSync } = await import("node:fs");
  const path = await import("node:path");
  const { RequestError } = await import("../core/errors.js");
  const { openDatabase } = await import("../server/db/connect.js");
  const { checkTargetEmpty, copyStore } = await import("../server/db/copy-store.js");
  const { SQLITE_FILE_NAME } = await import("../server/db/open-sqlite.js");
  const { KEY_FILE_NAME } = await import("../server/auth/secret-box.js");
  const { resolveStoreOptions } = await import("../server/db/store-options.js");

  if (!/^postgres(ql)?:\/\//.test(o.to)) {
    throw new RequestError(
      "invalid_argument",
      `--to '${o.to}' is not a PostgreSQL URL: give postgres://user:password@host:5432/database`,
    );
  }
  const { dataDir } = resolveStoreOptions(
    { COSELL_DATA_DIR: process.env.COSELL_DATA_DIR },
    {
      data: dataFlag,
    },
  );
  const file = path.join(dataDir ?? "", SQLITE_FILE_NAME);
  if (!existsSync(file)) {
    throw new RequestError(
      "invalid_argument",
      `there is no embedded store at ${file}: point --data (or COSELL_DATA_DIR) at the folder that holds ${SQLITE_FILE_NAME}`,
    );
  }

  // Looked at before it is migrated, so a database another deployment uses is left untouched.
  const probe = await openDatabase({ databaseUrl: o.to, migrate: false });
  try {
    await checkTargetEmpty(probe.db, o.force ?? false);
  } finally {
    await probe.close();
  }
  const source = await openDatabase({ dataDir: dataDir ?? "" });
  try {
    const target = await openDatabase({ databaseUrl: o.to });
    try {
      const tty = process.stderr.isTTY === true;
      const tables = await copyStore(source, target, {
        onProgress: ({ table, copied, total }) => {
          const line = `Copying ${table}: ${copied.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} rows`;
          if (tty) process.stderr.write(`\r\x1b[2K${line}${copied === total ? "\n" : ""}`);
          else if (copied === total) process.stderr.write(`${line}\n`);
        },
      });
      if (o.json) {
        const counts = Object.fromEntries(tables.map((t) => [t.name, t.rows]));
        process.stdout.write(`${JSON.stringify({ tables: counts })}\n`);
      } else {
        const rows = tables.reduce((n, t) => n + t.rows, 0);
        process.stdout.write(
          `Copied ${rows.toLocaleString("en-US")} rows in ${tables.length} tables from ${file} to PostgreSQL; every table's count checked.\n`,
        );
      }
      if (existsSync(path.join(dataDir ?? "", KEY_FILE_NAME))) {
        process.stderr.write(
          `Connections' secrets are sealed with the key in ${path.join(dataDir ?? "", KEY_FILE_NAME)}: give every process on PostgreSQL COSELL_SECRET_KEY set to its content.\n`,
        );
      }
      return EXIT.ok;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
