/**
 * Non-finite numbers (`1e309` read as Infinity by the query coercion or by JSON.parse) are
 * refused with a 400 that names the parameter, on every route, instead of reaching the
 * database as a 500.
 */
import { describe, expect, it } from "vitest";
import { setupTestServer, withToken } from "../../test-support/http.js";

describe("non-finite numbers", () => {
  const server = setupTestServer();

  it("are refused in query strings and JSON bodies with a 400 naming the parameter", async () => {
    const api = await withToken(server(), server().admin);
    for (const path of ["/api/deals?offset=1e309", "/api/imports?offset=1e309"]) {
      const { status, body } = await api.json<{ error: { code: string; message: string } }>(path);
      expect(status, path).toBe(400);
      expect(body.error.code, path).toBe("invalid_argument");
      expect(body.error.message, path).toContain("'offset'");
    }
    const created = await api.json<{ error: { message: string } }>("/api/deals", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"name": "Infinite deal", "value": 1e309}',
    });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toContain("value");
  });

  it("leave plain numbers alone", async () => {
    const api = await withToken(server(), server().admin);
    expect((await api.json("/api/deals?offset=0&limit=5")).status).toBe(200);
  });
});
