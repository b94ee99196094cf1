import { type Comparator, numericOrder } from '../sorting/compare.js';

/**
 * A binary min-heap (by `compare`) of keyed items with decrease-key: an index map from key to heap position
 * makes `update` O(log n) — what Dijkstra's algorithm needs. push/pop O(log n), peek O(1).
 */
export class PriorityQueue<K, P = number> {
  private readonly keys: K[] = [];
  private readonly priorities: P[] = [];
  private readonly position = new Map<K, number>();

  constructor(private readonly compare: Comparator<P> = numericOrder as Comparator<P>) {}

  get size(): number {
    return this.keys.length;
  }

  has(key: K): boolean {
    return this.position.has(key);
  }

  priority(key: K): P | undefined {
    const i = this.position.get(key);
    return i === undefined ? undefined : this.priorities[i];
  }

  /** Adds a key, or changes its priority if present (up or down). */
  set(key: K, priority: P): void {
    const i = this.position.get(key);
    if (i === undefined) {
      this.keys.push(key);
      this.priorities.push(priority);
      this.position.set(key, this.keys.length - 1);
      this.up(this.keys.length - 1);
      return;
    }
    const before = this.priorities[i]!;
    this.priorities[i] = priority;
    if (this.compare(priority, before) < 0) this.up(i);
    else this.down(i);
  }

  peek(): [K, P] | undefined {
    return this.keys.length === 0 ? undefined : [this.keys[0]!, this.priorities[0]!];
  }

  pop(): [K, P] | undefined {
    if (this.keys.length === 0) return undefined;
    const top: [K, P] = [this.keys[0]!, this.priorities[0]!];
    this.swap(0, this.keys.length - 1);
    this.keys.pop();
    this.priorities.pop();
    this.position.delete(top[0]);
    if (this.keys.length > 0) this.down(0);
    return top;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(this.priorities[i]!, this.priorities[parent]!) >= 0) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.keys.length;
    for (;;) {
      let smallest = i;
      const l = 2 * i + 1;
      const r = l + 1;
      if (l < n && this.compare(this.priorities[l]!, this.priorities[smallest]!) < 0) smallest = l;
      if (r < n && this.compare(this.priorities[r]!, this.priorities[smallest]!) < 0) smallest = r;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(i: number, j: number): void {
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
    [this.priorities[i], this.priorities[j]] = [this.priorities[j]!, this.priorities[i]!];
    this.position.set(this.keys[i]!, i);
    this.position.set(this.keys[j]!, j);
  }
}

/** The k largest values, largest first, with a size-k min-heap: O(n log k) time, O(k) space. */
export function topK(values: Iterable<number>, k: number): number[] {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`topK: k must be a non-negative integer, got ${k}`);
  const heap: number[] = [];
  const down = (i: number) => {
    for (;;) {
      let s = i;
      const l = 2 * i + 1;
      const r = l + 1;
      if (l < heap.length && heap[l]! < heap[s]!) s = l;
      if (r < heap.length && heap[r]! < heap[s]!) s = r;
      if (s === i) return;
      [heap[i], heap[s]] = [heap[s]!, heap[i]!];
      i = s;
    }
  };
  for (const v of values) {
    if (Number.isNaN(v)) throw new RangeError('topK: NaN has no place in an order');
    if (heap.length < k) {
      heap.push(v);
      for (let i = heap.length - 1; i > 0 && heap[i]! < heap[(i - 1) >> 1]!; i = (i - 1) >> 1) {
        [heap[i], heap[(i - 1) >> 1]] = [heap[(i - 1) >> 1]!, heap[i]!];
      }
    } else if (k > 0 && v > heap[0]!) {
      heap[0] = v;
      down(0);
    }
  }
  return heap.sort((a, b) => b - a);
}
