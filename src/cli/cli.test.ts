/**
 * The `cosell` command line end to end: accounts, the template, usage errors, where the data
 * lives and standard input. Tests run the compiled bin/cosell in a child process, as the
 * issue's acceptance scripts do, against a fresh store per test (SQLite, or PostgreSQL when
 * COSELL_TEST_DATABASE_URL is set). Import and export have their own files beside this one.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readCsv } from "../core/csv/index.js";
import { templateFile } from "../core/template.js";
import { verifyPassword } from "../server/auth/password.js";
import { actorByEmail } from "../server/commands/accounts.js";
import { expectExit, FIXTURES_DIR, jsonOf, runCli, setupCliWorld } from "../test-support/cli.js";
import { testDatabaseUrl } from "../test-support/db.js";
import { csvBytes, newDealRow } from "../test-support/deals.js";
import { EXIT } from "./exit-codes.js";

const world = setupCliWorld();

/** Accounts these tests make through the CLI itself. */
const ADMIN = "admin@contoso.example";
const USER = "ana.silva@contoso.example";

const fixture = (name: string): string => path.join(FIXTURES_DIR, name);

describe("cosell --version and --help", () => {
  it("prints the package's version and exits 0", async () => {
    const r = await runCli(["--version"]);
    expectExit(r, EXIT.ok);
    const pkg: unknown = JSON.parse(
      await readFile(new URL("../../package.json", import.meta.url), "utf8"),
    );
    expect(pkg).toMatchObject({ version: r.stdout.trim() });
  });

  it("lists every command of the contract", async () => {
    const r = await runCli(["--help"]);
    expectExit(r, EXIT.ok);
    for (const command of ["org", "user", "template", "import", "export", "receive", "expire"]) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, "m"));
    }
  });
});

describe("cosell org create", () => {
  it("prints a generated password once, and that password is the admin's", async () => {
    const r = await world().run(["org", "create", "Contoso", "--admin", ADMIN]);
    expectExit(r, EXIT.ok);
    expect(r.stdout).toContain(`Created organisation 'Contoso' with Referrals admin ${ADMIN}`);
    const password = /Password \(shown once\): (\S+)/.exec(r.stdout)?.[1] ?? "";
    expect(password.length).toBeGreaterThanOrEqual(16);
    const hash = await world().withStore((store) =>
      store.db
        .selectFrom("users")
        .select(["role", "password_hash"])
        .where("email", "=", ADMIN)
        .executeTakeFirstOrThrow(),
    );
    expect(hash.role).toBe("admin");
    expect(await verifyPassword(password, hash.password_hash ?? "")).toBe(true);
    expect(hash.password_hash).not.toContain(password);
  });

  it("refuses a weak --password with the password rule's message (exit 2), and takes COSELL_PASSWORD_MIN_LENGTH", async () => {
    expectExit(await world().run(["org", "create", "Contoso", "--admin", ADMIN]), EXIT.ok);
    const add = (password: string, env: Record<string, string> = {}) =>
      world().run(
        [
          "user",
          "add",
          "weak@contoso.example",
          "--org",
          "Contoso",
          "--role",
          "user",
          "--password",
          password,
        ],
        { env },
      );
    const short = await add("a");
    expectExit(short, EXIT.rejected);
    expect(short.stderr).toContain("too short: use at least 12 characters");
    const common = await add("qwerty123456");
    expectExit(common, EXIT.rejected);
    expect(common.stderr).toContain("commonly used passwords");
    const longer = await add("fifteen-letters", { COSELL_PASSWORD_MIN_LENGTH: "16" });
    expectExit(longer, EXIT.rejected);
    expect(longer.stderr).toContain("at least 16 characters");
    const org = await world().run([
      "org",
      "create",
      "Weak",
      "--admin",
      "w@weak.example",
      "--password",
      "12345678",
    ]);
    expectExit(org, EXIT.rejected);
    expect(org.stderr).toContain("too short");
    expectExit(await add("fifteen-letters"), EXIT.ok);
  });

  it("takes --password and then prints none", async () => {
    const r = await world().run([
      "org",
      "create",
      "Contoso",
      "--admin",
      ADMIN,
      "--password",
      "correct horse battery",
    ]);
    expectExit(r, EXIT.ok);
    expect(r.stdout).not.toMatch(/password/i);
    const { password_hash } = await world().withStore((store) =>
      store.db
        .selectFrom("users")
        .select("password_hash")
        .where("email", "=", ADMIN)
        .executeTakeFirstOrThrow(),
    );
    expect(await verifyPassword("correct horse battery", password_hash ?? "")).toBe(true);
  });

  it("refuses a second organisation of the same name (exit 2)", async () => {
    expectExit(await world().run(["org", "create", "Contoso", "--admin", ADMIN]), EXIT.ok);
    const r = await world().run(["org", "create", "Contoso", "--admin", "other@contoso.example"]);
    expectExit(r, EXIT.rejected);
    expect(r.stderr).toContain("An organisation named 'Contoso' already exists");
  });

  it("needs --admin (exit 2, with the usage)", async () => {
    const r = await world().run(["org", "create", "Contoso"]);
    expectExit(r, EXIT.rejected);
    expect(r.stderr).toContain("required option '--admin <email>' not specified");
    expect(r.stderr).toContain("Usage: cosell org create");
  });
});

describe("cosell user add", () => {
  it("adds a Referrals admin and a Referrals user with their names", async () => {
    await world().run([
      "org",
      "create",
      "Contoso",
      "--admin",
      ADMIN,
      "--password",
      "cli-test-passphrase",
    ]);
    const admin = await world().run([
      "user",
      "add",
      "boss@contoso.example",
      "--org",
      "Contoso",
      "--role",
      "admin",
      "--password",
      "cli-test-passphrase",
    ]);
    expectExit(admin, EXIT.ok);
    expect(admin.stdout).toContain("Added boss@contoso.example to 'Contoso' as Referrals admin");
    expect(admin.stdout).not.toContain("Password");
    const user = await world().run([
      "user",
      "add",
      "Ana.Silva@contoso.example",
      "--org",
      "Contoso",
      "--role",
      "user",
      "--name",
      "Ana Silva",
    ]);
    expectExit(user, EXIT.ok);
    expect(user.stdout).toContain(`Added ${USER} to 'Contoso' as Referrals user`);
    expect(user.stdout).toMatch(/Password \(shown once\): \S{16,}/);
    const actors = await world().withStore(async (store) => ({
      admin: await actorByEmail(store, "boss@contoso.example"),
      user: await actorByEmail(store, USER),
    }));
    expect(actors).toMatchObject({
      admin: { role: "admin", name: null },
      user: { role: "user", name: "Ana Silva" },
    });
  });

  it("refuses a role other than admin or user (exit 2)", async () => {
    await world().run(["org", "create", "Contoso", "--admin", ADMIN]);
    const r = await world().run(["user", "add", USER, "--org", "Contoso", "--role", "boss"]);
    expectExit(r, EXIT.rejected);
    expect(r.stderr).toContain("argument 'boss' is invalid. Allowed choices are admin, user");
  });

  it("refuses an unknown organisation, a taken email and a bad email (exit 2)", async () => {
    await world().run(["org", "create", "Contoso", "--admin", ADMIN]);
    const unknown = await world().run(["user", "add", USER, "--org", "Nope", "--role", "user"]);
    expectExit(unknown, EXIT.rejected);
    expect(unknown.stderr).toContain("No organisation named 'Nope'");
    const taken = await world().run(["user", "add", ADMIN, "--org", "Contoso", "--role", "user"]);
    expectExit(taken, EXIT.rejected);
    expect(taken.stderr).toContain(`The email '${ADMIN}' is already in use`);
    const bad = await world().run([
      "user",
      "add",
      "not-an-email",
      "--org",
      "Contoso",
      "--role",
      "user",
    ]);
    expectExit(bad, EXIT.rejected);
  });
});

describe("cosell template", () => {
  it("prints the English template, headers only, by default", async () => {
    const r = await world().run(["template"]);
    expectExit(r, EXIT.ok);
    expect(r.stdout).toBe(templateFile("en", false));
    const { header, records } = readCsv(r.stdout);
    expect(header).toContain("Deal Name");
    expect(records).toEqual([]);
  });

  it("prints the French template with an example row", async () => {
    const r = await world().run(["template", "--lang", "fr", "--example"]);
    expectExit(r, EXIT.ok);
    expect(r.stdout).toBe(templateFile("fr", true));
    const { header, records } = readCsv(r.stdout);
    expect(header).toContain("Nom de la transaction");
    expect(records).toHaveLength(1);
  });

  it("writes to -o FILE, and its example row imports as one new deal", async () => {
    const { admin } = await world().seedAccounts();
    const r = await world().run(["template", "--example", "-o", "template.csv"]);
    expectExit(r, EXIT.ok);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Template written to template.csv");
    const file = path.join(world().dir, "template.csv");
    expect(await readFile(file, "utf8")).toBe(templateFile("en", true));
    const imported = await world().run(["import", file, "--as", admin, "--json"]);
    expectExit(imported, EXIT.ok);
    expect(jsonOf(imported)).toMatchObject({ total: 1, created: 1 });
  });

  it("refuses a language other than en or fr (exit 2)", async () => {
    const r = await world().run(["template", "--lang", "de"]);
    expectExit(r, EXIT.rejected);
    expect(r.stderr).toContain("Allowed choices are en, fr");
  });
});

describe("usage errors exit 2 with a helpful message", () => {
  it("an unknown flag shows the command's usage", async () => {
    const r = await world().run(["import", fixture("create-en.csv"), "--as", ADMIN, "--bogus"]);
    expectExit(r, EXIT.rejected);
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(r.stderr).toContain("Usage: cosell import [options] <file>");
  });

  it("import and export need --as", async () => {
    for (const args of [["import", fixture("create-en.csv")], ["export"]]) {
      const r = await world().run(args);
      expectExit(r, EXIT.rejected);
      expect(r.stderr).toContain("required option '--as <email>' not specified");
    }
  });

  it("an unknown user is named", async () => {
    await world().seedAccounts();
    for (const command of ["import", "export"]) {
      const args = command === "import" ? [command, fixture("create-en.csv")] : [command];
      const r = await world().run([...args, "--as", "nobody@contoso.example"]);
      expectExit(r, EXIT.rejected);
      expect(r.stderr).toContain("No active user with email 'nobody@contoso.example'");
    }
  });

  it("a missing file is named", async () => {
    const { admin } = await world().seedAccounts();
    const r = await world().run(["import", "no-such-file.csv", "--as", admin]);
    expectExit(r, EXIT.rejected);
    expect(r.stderr).toContain("no-such-file.csv");
  });

  it("a file that cannot be read (a folder) is a usage error, not a crash", async () => {
    const { admin } = await world().seedAccounts();
    for (const args of [
      ["import", world().dir, "--as", admin],
      ["receive", world().dir, "--org", "Contoso"],
    ]) {
      const r = await world().run(args);
      expectExit(r, EXIT.rejected);
      expect(r.stderr).toMatch(/^cosell: EISDIR/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it("an unknown command, or none, shows the usage", async () => {
    const unknown = await world().run(["frobnicate"]);
    expectExit(unknown, EXIT.rejected);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const none = await world().run([]);
    expectExit(none, EXIT.rejected);
    expect(none.stderr).toContain("Usage: cosell [options] [command]");
  });
});

describe("where the data lives", () => {
  // Always SQLite: runCli starts from an environment without DATABASE_URL.
  const create = (cwd: string, args: string[], env: Record<string, string> = {}) =>
    runCli(["org", "create", "Contoso", "--admin", ADMIN, ...args], { cwd, env });

  it("--data beats COSELL_DATA_DIR, which beats ./data", async () => {
    const { dir } = world();
    const flag = path.join(dir, "flag");
    const fromEnv = path.join(dir, "env");
    expectExit(await create(dir, ["--data", flag], { COSELL_DATA_DIR: fromEnv }), EXIT.ok);
    expect(existsSync(path.join(flag, "cosell.db"))).toBe(true);
    expect(existsSync(fromEnv)).toBe(false);

    expectExit(await create(dir, [], { COSELL_DATA_DIR: fromEnv }), EXIT.ok);
    expect(existsSync(path.join(fromEnv, "cosell.db"))).toBe(true);
    expect(existsSync(path.join(dir, "data"))).toBe(false);

    expectExit(await create(dir, []), EXIT.ok);
    expect(existsSync(path.join(dir, "data", "cosell.db"))).toBe(true);

    // Each is its own store: the organisation exists once in each.
    const again = await create(dir, ["--data", flag]);
    expectExit(again, EXIT.rejected);
    expect(again.stderr).toContain("already exists");
  });

  it("takes --data after the command too", async () => {
    const { dir } = world();
    const r = await create(dir, ["--data", "after"]);
    expectExit(r, EXIT.ok);
    expect(existsSync(path.join(dir, "after", "cosell.db"))).toBe(true);
  });

  it.runIf(testDatabaseUrl())(
    "DATABASE_URL selects PostgreSQL over COSELL_DATA_DIR; --data still picks SQLite",
    async () => {
      const { dir, env } = world();
      const fromEnv = path.join(dir, "env");
      await mkdir(fromEnv);
      const pg = { ...env, COSELL_DATA_DIR: fromEnv };
      expectExit(await create(dir, [], pg), EXIT.ok);
      expect(await readdir(fromEnv)).toEqual([]);
      expectExit(await create(dir, ["--data", "local"], pg), EXIT.ok);
      expect(existsSync(path.join(dir, "local", "cosell.db"))).toBe(true);
      const again = await create(dir, [], pg);
      expectExit(again, EXIT.rejected);
    },
  );
});

describe("standard input", () => {
  it("no command waits on it when it is not a terminal", async () => {
    // runCli leaves standard input an open pipe, never written: a read would hang to the timeout.
    const { admin } = await world().seedAccounts();
    const inbound = await world().write(
      "inbound.csv",
      csvBytes([newDealRow({ "Partner Referral Status": "", "Partner Referral Substatus": "" })]),
    );
    const runs = [
      ["template"],
      ["import", fixture("create-en.csv"), "--as", admin, "--dry-run"],
      ["import", fixture("create-en.csv"), "--as", admin],
      ["export", "--as", admin, "-o", "-"],
      ["export", "--as", admin],
      ["receive", inbound, "--org", "Contoso"],
      ["expire"],
      ["user", "add", "new@contoso.example", "--org", "Contoso", "--role", "user"],
    ];
    for (const args of runs) {
      const r = await world().run(args, { timeoutMs: 10_000 });
      expectExit(r, EXIT.ok);
    }
  });
});
