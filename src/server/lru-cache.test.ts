import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.js";

describe("LruCache", () => {
  it("forgets the least recently used entry past its entry limit", () => {
    const cache = new LruCache<number>({ maxEntries: 2 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now the most recently used
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });

  it("keeps its total weight under the limit, and never keeps a value heavier than it", () => {
    const cache = new LruCache<string>({ maxEntries: 100, maxWeight: 10, weigh: (s) => s.length });
    cache.set("a", "xxxx");
    cache.set("b", "yyyy");
    cache.set("c", "zzzz");
    expect(cache.get("a")).toBeUndefined();
    expect(cache.weight).toBe(8);
    cache.set("huge", "x".repeat(11));
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.weight).toBe(8);
    cache.set("b", "y");
    expect(cache.weight).toBe(5);
  });

  it("computes a missing value once for every caller waiting on it", async () => {
    const cache = new LruCache<number>({ maxEntries: 10 });
    let runs = 0;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const compute = async () => {
      runs++;
      await gate;
      return 42;
    };
    const waiting = [cache.getOrCompute("k", compute), cache.getOrCompute("k", compute)];
    release();
    expect(await Promise.all(waiting)).toEqual([42, 42]);
    expect(await cache.getOrCompute("k", compute)).toBe(42);
    expect(runs).toBe(1);
  });

  it("keeps no failure: the next caller computes again", async () => {
    const cache = new LruCache<number>({ maxEntries: 10 });
    await expect(
      cache.getOrCompute("k", () => Promise.reject(new Error("database went away"))),
    ).rejects.toThrow("database went away");
    expect(await cache.getOrCompute("k", async () => 7)).toBe(7);
  });
});
