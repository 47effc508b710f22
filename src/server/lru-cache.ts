/**
 * A bounded in-memory cache: at most `maxEntries` values and `maxWeight` in total (e.g. bytes),
 * forgetting the least recently used first. `getOrCompute` also runs one computation per key at
 * a time: requests arriving while a value is being computed wait for it instead of repeating
 * the work (after a write, 50 concurrent requests for one page cost one query, not 50).
 * Values are never stale by time: callers put what makes them valid (a data version) in the key.
 */
export interface LruLimits<V> {
  maxEntries: number;
  /** The most total weight kept; one value heavier than this is returned but not kept. */
  maxWeight?: number;
  weigh?: (value: V) => number;
}

export class LruCache<V> {
  readonly #entries = new Map<string, { value: V; weight: number }>();
  readonly #pending = new Map<string, Promise<V>>();
  readonly #limits: Required<LruLimits<V>>;
  #weight = 0;

  constructor(limits: LruLimits<V>) {
    this.#limits = { maxWeight: Number.POSITIVE_INFINITY, weigh: () => 1, ...limits };
  }

  get size(): number {
    return this.#entries.size;
  }

  get weight(): number {
    return this.#weight;
  }

  get(key: string): V | undefined {
    return this.#touch(key)?.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const weight = this.#limits.weigh(value);
    if (weight > this.#limits.maxWeight) return;
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    while (this.#entries.size > this.#limits.maxEntries || this.#weight > this.#limits.maxWeight) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }

  /** The cached value, else the one being computed for this key, else computes and keeps it. */
  getOrCompute(key: string, compute: () => Promise<V>): Promise<V> {
    const entry = this.#touch(key);
    if (entry) return Promise.resolve(entry.value);
    const running = this.#pending.get(key);
    if (running) return running;
    const computed = compute().then(
      (value) => {
        this.#pending.delete(key);
        this.set(key, value);
        return value;
      },
      (error: unknown) => {
        this.#pending.delete(key);
        throw error;
      },
    );
    this.#pending.set(key, computed);
    return computed;
  }

  /** The entry, now marked most recently used (last: the first key is the one to evict). */
  #touch(key: string): { value: V } | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }
}
