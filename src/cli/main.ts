/**
 * The `cosell` command line: a thin adapter over the engine's commands. It parses flags,
 * opens the store, calls one command and presents the result. Heavy modules are loaded
 * only by the command that needs them, so `cosell --version` starts fast.
 */

import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { ROLES, type Role } from "../core/actor.js";
import { LANGS, type Lang } from "../core/columns.js";
import { EXPIRY_DAYS } from "../core/limits.js";
import { registerConnect } from "./connect.js";
import { registerDbCommands } from "./db-copy.js";
import { EXIT } from "./exit-codes.js";
import type { ExportFlags } from "./export-flags.js";
import { addImportUndo, undoArgv } from "./import-undo.js";
import { contractRows, printJson, reportTemplate, writeOut } from "./report.js";
import { registerSimulate } from "./simulate.js";
import { registerSync } from "./sync.js";

const pkg: unknown = JSON.parse(
  readFileSync(new URL("../../../package.json", import.meta.url), "utf8"),
);
const version = typeof pkg === "object" && pkg && "version" in pkg ? String(pkg.version) : "0.0.0";

interface GlobalFlags {
  data?: string;
}

const program = new Command("cosell")
  .description("Co-sell deals with bulk CSV import and export in the Partner Center format")
  .version(version)
  .option(
    "--data <dir>",
    "data directory of the embedded store (default: $COSELL_DATA_DIR or ./data)",
  )
  .showHelpAfterError()
  .exitOverride();

/**
 * Reads the limits (a bad COSELL_*_MAX_* value stops here), opens the store, runs `fn`, closes
 * it; maps failures to messages and exit codes.
 */
const withStore = async (
  fn: (
    store: import("../server/db/store.js").Store,
    limits: import("../core/limits.js").Limits,
  ) => Promise<number>,
) => {
  const { openDatabase } = await import("../server/db/connect.js");
  const { resolveStoreOptions } = await import("../server/db/store-options.js");
  const { limitsFromEnv } = await import("../server/limits-env.js");
  const limits = limitsFromEnv(process.env);
  const flags = program.opts<GlobalFlags>();
  const store = await openDatabase(resolveStoreOptions(process.env, flags));
  try {
    process.exitCode = await fn(store, limits);
  } finally {
    await store.close();
  }
};

const lang = () => new Option("--lang <lang>", "header language").choices(LANGS).default("en");
const fileFormat = () =>
  new Option("--format <format>", "file format").choices(["csv", "xlsx"]).default("csv");

// Remote mode: import, export and template through a cosell server's HTTP API (see the hook
// below), with the same flags and output as on the local store.
interface RemoteFlags {
  server?: string;
  token?: string;
}

program
  .addOption(
    new Option("--server <url>", "run import, export and template on this cosell server").env(
      "COSELL_SERVER",
    ),
  )
  .addOption(
    new Option("--token <token>", "the API token to use with --server").env("COSELL_TOKEN"),
  );

program
  .command("org")
  .description("organisations (tenants)")
  .command("create <name>")
  .description("create an organisation with its first Referrals admin")
  .requiredOption("--admin <email>", "email of the organisation's Referrals admin")
  .option("--name <name>", 'the admin\'s name, e.g. "First Last"')
  .option(
    "--password <password>",
    "the admin's password (default: one is generated and printed once)",
  )
  .action(async (name: string, o: { admin: string; name?: string; password?: string }) =>
    withStore(async (store) => {
      const { createOrganization } = await import("../server/commands/accounts.js");
      const { passwordPolicyFromEnv } = await import("../server/auth/password-rules.js");
      const account = await createOrganization(store, {
        name,
        adminEmail: o.admin,
        adminName: o.name ?? null,
        password: o.password ?? null,
        policy: passwordPolicyFromEnv(process.env),
      });
      console.log(`Created organisation '${name}' with Referrals admin ${account.email}`);
      if (account.generatedPassword)
        console.log(`Password (shown once): ${account.generatedPassword}`);
      return EXIT.ok;
    }),
  );

program
  .command("user")
  .description("users of an organisation")
  .command("add <email>")
  .description("add a user to an organisation")
  .requiredOption("--org <name>", "organisation name")
  .addOption(
    new Option("--role <role>", "Referrals admin or Referrals user")
      .choices(ROLES)
      .makeOptionMandatory(),
  )
  .option("--name <name>", 'the user\'s name, e.g. "First Last"')
  .option("--password <password>", "password (default: one is generated and printed once)")
  .action(async (email: string, o: { org: string; role: Role; name?: string; password?: string }) =>
    withStore(async (store) => {
      const { addUser } = await import("../server/commands/accounts.js");
      const { passwordPolicyFromEnv } = await import("../server/auth/password-rules.js");
      const account = await addUser(store, {
        email,
        orgName: o.org,
        role: o.role,
        name: o.name ?? null,
        password: o.password ?? null,
        policy: passwordPolicyFromEnv(process.env),
      });
      console.log(`Added ${account.email} to '${o.org}' as Referrals ${o.role}`);
      if (account.generatedPassword)
        console.log(`Password (shown once): ${account.generatedPassword}`);
      return EXIT.ok;
    }),
  );

program
  .command("template")
  .description("print or save the import template")
  .addOption(lang())
  .addOption(fileFormat())
  .option("--example", "add one example row")
  .option("-o, --output <file>", "write to FILE instead of standard output")
  .action(async (o: { lang: Lang; format: "csv" | "xlsx"; example?: boolean; output?: string }) => {
    const { templateOf } = await import("./formats.js");
    reportTemplate(await writeOut(o.output, await templateOf(o)));
  });

program
  .command("import <file>")
  .description(
    "create and update deals from a co-sell CSV file or Excel workbook (`cosell import undo IMPORT-ID --as EMAIL` undoes one)",
  )
  .requiredOption("--as <email>", "the user doing the import")
  .option("--dry-run", "check and report what would happen; write nothing")
  .option(
    "--results <file>",
    "write the results file (the input with Errors and Import Result filled)",
  )
  .option("--upsert-by-crm-id", "a new row whose CRM ID matches an existing deal updates that deal")
  .option(
    "--map <pair>",
    'read a column of the file as a co-sell column: "File header=Co-sell column" ("File header=" ignores it); repeatable',
    (pair: string, pairs: string[] = []) => [...pairs, pair],
  )
  .option("--preset <name>", "read the file's columns with this saved column-mapping preset")
  .option("--json", "print one JSON object")
  .action(
    async (
      file: string,
      o: {
        as: string;
        dryRun?: boolean;
        results?: string;
        upsertByCrmId?: boolean;
        map?: string[];
        preset?: string;
        json?: boolean;
      },
    ) =>
      withStore(async (store, limits) => {
        const { basename } = await import("node:path");
        const { actorByEmail } = await import("../server/commands/accounts.js");
        const { importDeals } = await import("../server/commands/import-deals.js");
        const { cliOrigin } = await import("../server/commands/audit.js");
        const { formatImportSummary, importExitCode, importJson, progressBar, resultsOut } =
          await import("./report.js");
        const { parseMapPairs } = await import("../core/column-mapping.js");
        const mapping = parseMapPairs(o.map ?? []);
        const actor = await actorByEmail(store, o.as);
        const { openImportFile } = await import("./large-file.js");
        const { CLI_SLICE_BYTES } = await import("../server/commands/import-stream.js");
        const opened = await openImportFile(file);
        const bar = progressBar(process.stderr);
        const results = o.results ? await resultsOut(o.results) : null;
        const summary = await importDeals(store, {
          actor,
          bytes: opened.bytes,
          ...(opened.file ? { file: opened.file } : {}),
          fileName: basename(file),
          dryRun: o.dryRun ?? false,
          upsertByCrmId: o.upsertByCrmId ?? false,
          mapping,
          preset: o.preset ?? null,
          origin: cliOrigin("import"),
          limits,
          // Every row for --json (its contract); otherwise only those the summary prints.
          keepRows: o.json ? "all" : "shown",
          sliceBytes: CLI_SLICE_BYTES,
          ...(results ? { resultsTo: results.write } : {}),
          onProgress: o.json ? undefined : (done, total, phase) => bar.update(done, total, phase),
        })
          .catch(async (error: unknown) => {
            await results?.abandon();
            throw error;
          })
          .finally(() => opened.close());
        bar.done();
        await results?.close();
        if (o.json) printJson(importJson(summary));
        else console.log(formatImportSummary(basename(file), summary, o.results ?? null));
        return importExitCode(summary);
      }),
  );

addImportUndo(program, withStore);

program
  .command("export")
  .description("export deals as a co-sell CSV file (the list's tab, filters and your scope)")
  .requiredOption("--as <email>", "the user doing the export")
  .addOption(
    new Option("--tab <tab>", "which tab (default: every deal in scope)").choices([
      "inbound",
      "outbound",
      "favorites",
    ]),
  )
  .option("--country <codes>", "countries, comma-separated ISO codes, e.g. US,FR")
  .option("--customer <name>", "part of the customer name")
  .option("--type <type>", "co-sell, partner-led or private")
  .option("--status <status>", "a status (New, Active, Closed) or substatus (Won, Lost, …)")
  .option("--solution <id>", "a solution ID")
  .option(
    "--search <text>",
    "search deal name, customer, Referral ID, CRM ID and notes (3+ characters)",
  )
  .addOption(lang())
  .addOption(fileFormat())
  .option(
    "-o, --output <file>",
    "write to FILE (- for standard output; default: deals-export-<time>.csv or .xlsx)",
  )
  .option("--json", "print {count, leftOut, file}")
  .action(async (o: ExportFlags & { as: string }) =>
    withStore(async (store, limits) => {
      const { exportFilterOf } = await import("./export-flags.js");
      const { actorByEmail } = await import("../server/commands/accounts.js");
      const { exportDealsFile } = await import("../server/commands/export-deals.js");
      const { reportExport } = await import("./report.js");
      const { exportFileName } = await import("../core/export/export-file.js");
      const filter = exportFilterOf(o);
      const actor = await actorByEmail(store, o.as);
      const result = await exportDealsFile(store, {
        actor,
        filter,
        lang: o.lang,
        format: o.format,
        limits,
      });
      const file = await writeOut(
        o.output ?? exportFileName(new Date().toISOString(), o.format),
        result.data,
      );
      reportExport(result, file, o.json ?? false);
      return EXIT.ok;
    }),
  );

program
  .command("receive <file>")
  .description("vendor side: receive inbound referrals for an organisation from a co-sell CSV file")
  .requiredOption("--org <name>", "the organisation receiving the referrals")
  .option("--json", "print one JSON object")
  .action(async (file: string, o: { org: string; json?: boolean }) =>
    withStore(async (store, limits) => {
      const { readFile } = await import("node:fs/promises");
      const { basename } = await import("node:path");
      const { orgIdByName } = await import("../server/commands/accounts.js");
      const { importDeals } = await import("../server/commands/import-deals.js");
      const orgId = await orgIdByName(store, o.org);
      const summary = await importDeals(store, {
        actor: { kind: "vendor", orgId },
        bytes: await readFile(file),
        limits,
      });
      if (o.json) {
        const { summaryWithoutFile } = await import("../server/commands/import-summary.js");
        const s = summaryWithoutFile(summary);
        printJson({ ...s, rows: contractRows(s.rows) });
      } else {
        console.log(
          `Received ${basename(file)} for '${o.org}': ${summary.created} inbound referrals created, ${summary.notProcessed} not processed`,
        );
        for (const r of summary.rows.filter((x) => x.result === "Not processed")) {
          console.log(`  row ${r.row}: ${r.errors.map((e) => e.message).join("; ")}`);
        }
      }
      return summary.notProcessed > 0 ? EXIT.someRowsFailed : EXIT.ok;
    }),
  );

program
  .command("expire")
  .description(
    `close as Expired every inbound deal still New ${EXPIRY_DAYS} days after it was received`,
  )
  .option("--now <iso>", "run as of this time (ISO 8601), default now")
  .action(async (o: { now?: string }) =>
    withStore(async (store) => {
      const { expireDeals } = await import("../server/commands/expire-deals.js");
      const now = o.now ? new Date(o.now) : new Date();
      if (Number.isNaN(now.getTime())) {
        console.error(`--now '${o.now}' is not an ISO 8601 time, e.g. 2026-12-01T00:00:00Z`);
        return EXIT.rejected;
      }
      const { expired } = await expireDeals(store, now);
      console.log(
        `Expired ${expired} inbound deal${expired === 1 ? "" : "s"} as of ${now.toISOString()}`,
      );
      return EXIT.ok;
    }),
  );

program
  .command("serve")
  .description(
    "run the cosell server (web app and HTTP API) with a worker inside; first start seeds a demo",
  )
  .option("--port <port>", "port to listen on (default: $PORT or 3000; 0 picks a free one)")
  .option("--host <host>", "address to listen on (default: $HOST or 127.0.0.1)")
  .action(async (o: { port?: string; host?: string }) =>
    withStore(async (store) => {
      const { listenAddress, runServer } = await import("../server/serve.js");
      const address = listenAddress(process.env, o);
      await runServer({ store, ...address, env: process.env, out: process.stdout });
      return EXIT.ok;
    }),
  );

program
  .command("worker")
  .description("run a worker: takes import and export jobs from the queue until SIGTERM or SIGINT")
  .action(async () =>
    withStore(async (store) => {
      const { runWorker } = await import("../server/serve.js");
      await runWorker({ store, env: process.env, out: process.stdout });
      return EXIT.ok;
    }),
  );

program
  .command("token")
  .description("API tokens, for scripts and remote mode")
  .command("create")
  .description("create an API token for a user; prints the token alone on standard output")
  .requiredOption("--as <email>", "the user the token acts as")
  .option("--name <name>", "a label to recognise the token by")
  .action(async (o: { as: string; name?: string }) =>
    withStore(async (store) => {
      const { actorByEmail } = await import("../server/commands/accounts.js");
      const { createApiToken } = await import("../server/commands/credentials.js");
      const actor = await actorByEmail(store, o.as);
      const { token } = await createApiToken(store, actor, o.name ?? "cosell token create");
      process.stdout.write(`${token}\n`);
      return EXIT.ok;
    }),
  );

program
  .command("vendor-token")
  .description("credentials of the vendor side (the /api/vendor routes)")
  .command("create")
  .description("create a vendor credential; prints it alone on standard output")
  .option("--name <name>", "a label to recognise the credential by")
  .action(async (o: { name?: string }) =>
    withStore(async (store) => {
      const { createVendorToken } = await import("../server/commands/credentials.js");
      const { token } = await createVendorToken(store, o.name ?? "vendor");
      process.stdout.write(`${token}\n`);
      return EXIT.ok;
    }),
  );

registerSimulate(program);
registerConnect(program, withStore);
registerDbCommands(program);
registerSync(program, withStore);

const REMOTE_COMMANDS: ReadonlySet<string> = new Set(["import", "export", "template"]);

/**
 * With --server (or COSELL_SERVER), import, export and template keep their flags but run
 * through the HTTP API: the token says who is asking, so --as becomes optional (and is
 * checked against the token when given). A COSELL_SERVER in the environment leaves the
 * other commands local; --server on one of them is a mistake worth saying.
 */
program.hook("preSubcommand", async (_program, sub) => {
  const { server, token } = program.opts<RemoteFlags>();
  if (!server) return;
  const name = sub.name();
  const { RequestError } = await import("../core/errors.js");
  if (!REMOTE_COMMANDS.has(name)) {
    if (program.getOptionValueSource("server") !== "cli") return;
    throw new RequestError(
      "invalid_argument",
      `--server applies to import, export and template, not to ${name}`,
    );
  }
  if (!token) {
    throw new RequestError(
      "invalid_argument",
      "--server needs --token TOKEN (or COSELL_TOKEN); `cosell token create --as EMAIL` makes one",
    );
  }
  for (const option of sub.options) {
    if (option.attributeName() === "as") option.makeOptionMandatory(false);
  }
  const target = { server, token };
  sub.action(async () => {
    const remote = await import("./remote.js");
    if (name === "import") {
      const [file] = sub.processedArgs;
      process.exitCode = await remote.remoteImport(target, String(file), sub.opts());
    } else if (name === "export") {
      process.exitCode = await remote.remoteExport(target, sub.opts());
    } else {
      process.exitCode = await remote.remoteTemplate(target, sub.opts());
    }
  });
});

/** Known failures become a message and an exit code; anything else is a bug worth its stack. */
const fail = async (error: unknown): Promise<number> => {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.rejected;
  }
  const { FileRejectedError, RequestError } = await import("../core/errors.js");
  const json = process.argv.includes("--json");
  if (error instanceof FileRejectedError) {
    if (json) printJson({ rejected: true, error: { code: error.code, message: error.message } });
    else console.error(`File rejected (${error.code}): ${error.message}. Nothing was imported.`);
    return EXIT.rejected;
  }
  if (error instanceof RequestError) {
    if (json) printJson({ rejected: true, error: { code: error.code, message: error.message } });
    else console.error(`cosell: ${error.message}`);
    return EXIT.rejected;
  }
  // An input file that is missing, a folder or not readable is a usage error, not a crash.
  const fileErrors: unknown[] = ["ENOENT", "EISDIR", "EACCES"];
  if (error instanceof Error && "code" in error && fileErrors.includes(error.code)) {
    console.error(`cosell: ${error.message}`);
    return EXIT.rejected;
  }
  if (program.opts<RemoteFlags>().server) {
    const { RemoteError } = await import("./remote.js");
    if (error instanceof RemoteError) {
      console.error(`cosell: ${error.message}`);
      return EXIT.failure;
    }
  }
  const { DatabaseOpenError } = await import("../server/db/store.js");
  const { ListenError } = await import("../server/serve.js");
  if (error instanceof ListenError) {
    console.error(`cosell: ${error.message}`);
    return EXIT.failure;
  }
  if (error instanceof DatabaseOpenError) {
    console.error(`cosell: ${error.message}`);
    return EXIT.failure;
  }
  console.error(error);
  return EXIT.failure;
};

export const main = async (argv: readonly string[]): Promise<void> => {
  try {
    await program.parseAsync(undoArgv(argv));
  } catch (error) {
    process.exitCode = await fail(error);
  }
};
