import { describe, expect, it } from "vitest";
import { newDealId } from "./ids.js";

describe("new deal ids", () => {
  it("are distinct version-7 UUIDs carrying the time they were made", () => {
    const before = Date.now();
    const ids = Array.from({ length: 10_000 }, newDealId);
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
  });
});
