import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR, resolveStoreOptions } from "./store-options.js";

describe("resolveStoreOptions", () => {
  const url = "postgres://u@db:5432/cosell";

  it("defaults to SQLite in ./data", () => {
    expect(resolveStoreOptions({}, {})).toEqual({ dataDir: DEFAULT_DATA_DIR });
  });

  it("takes COSELL_DATA_DIR", () => {
    expect(resolveStoreOptions({ COSELL_DATA_DIR: "/srv/cosell" }, {})).toEqual({
      dataDir: "/srv/cosell",
    });
  });

  it("selects PostgreSQL with DATABASE_URL, over COSELL_DATA_DIR", () => {
    expect(resolveStoreOptions({ DATABASE_URL: url, COSELL_DATA_DIR: "/srv/cosell" }, {})).toEqual({
      databaseUrl: url,
    });
  });

  it("lets --data win over both environment variables", () => {
    expect(
      resolveStoreOptions(
        { DATABASE_URL: url, COSELL_DATA_DIR: "/srv/cosell" },
        { data: "./here" },
      ),
    ).toEqual({ dataDir: "./here" });
  });

  it("treats empty values as unset", () => {
    expect(resolveStoreOptions({ DATABASE_URL: " ", COSELL_DATA_DIR: "" }, { data: "" })).toEqual({
      dataDir: DEFAULT_DATA_DIR,
    });
  });

  it("sizes PostgreSQL's pool with COSELL_DB_POOL_SIZE", () => {
    expect(resolveStoreOptions({ DATABASE_URL: url, COSELL_DB_POOL_SIZE: "25" }, {})).toEqual({
      databaseUrl: url,
      poolSize: 25,
    });
  });

  it("refuses a pool size that is not a positive whole number, naming the variable", () => {
    for (const bad of ["0", "-3", "ten", "2.5"]) {
      expect(() =>
        resolveStoreOptions({ DATABASE_URL: url, COSELL_DB_POOL_SIZE: bad }, {}),
      ).toThrow(/COSELL_DB_POOL_SIZE='.*' is not a valid limit/);
    }
  });
});
