/**
 * A least-recently-used cache with O(1) get and set: a Map keeps insertion order, so deleting and re-inserting
 * a key on every use moves it to the back, and the first key is always the least recently used.
 */
export class LRUCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`LRUCache: capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key)!;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** Stores a value; returns the evicted [key, value] if the cache was full. */
  set(key: K, value: V): [K, V] | undefined {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size <= this.capacity) return undefined;
    const [oldest, evicted] = this.map.entries().next().value as [K, V];
    this.map.delete(oldest);
    return [oldest, evicted];
  }

  /** Keys from least to most recently used. */
  keys(): K[] {
    return [...this.map.keys()];
  }
}
