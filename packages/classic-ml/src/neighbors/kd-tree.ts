import { squaredDistance } from '../core/distance.js';
import type { Matrix } from '../core/matrix.js';

/**
 * A k-d tree over the rows of a matrix (Friedman, Bentley & Finkel 1977): each node splits its rows at the median of
 * the dimension where they spread widest, down to leaves of at most `leafSize` rows. A query descends to the nearer
 * side first and visits the farther side only when its bounding box lies closer than the k-th best distance so far.
 * The rows are reordered into one index array; nodes live in typed arrays, not objects.
 */
export class KdTree {
  /** Row indices, permuted so each node's rows are contiguous: node t holds order[start[t] … end[t]). */
  readonly order: Int32Array;
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  /** Per node, the bounding box of its rows: d lows then d highs. */
  private readonly boxes: number[] = [];

  constructor(
    private readonly points: Matrix,
    private readonly leafSize = 30,
  ) {
    this.order = Int32Array.from({ length: points.rows }, (_, i) => i);
    this.build(0, points.rows);
  }

  private build(from: number, to: number): number {
    const { cols: d, data } = this.points;
    const node = this.start.length;
    this.start.push(from);
    this.end.push(to);
    this.left.push(-1);
    this.right.push(-1);
    const lo = new Array<number>(d).fill(Number.POSITIVE_INFINITY);
    const hi = new Array<number>(d).fill(Number.NEGATIVE_INFINITY);
    for (let p = from; p < to; p++) {
      const o = this.order[p]! * d;
      for (let j = 0; j < d; j++) {
        const v = data[o + j]!;
        if (v < lo[j]!) lo[j] = v;
        if (v > hi[j]!) hi[j] = v;
      }
    }
    this.boxes.push(...lo, ...hi);
    if (to - from <= this.leafSize) return node;
    let axis = 0;
    for (let j = 1; j < d; j++) if (hi[j]! - lo[j]! > hi[axis]! - lo[axis]!) axis = j;
    if (hi[axis] === lo[axis]) return node; // all rows equal: a leaf however many
    const mid = (from + to) >> 1;
    this.select(from, to, mid, axis);
    this.left[node] = this.build(from, mid);
    this.right[node] = this.build(mid, to);
    return node;
  }

  /** Quickselect on order[from … to) by coordinate `axis`, so position k holds the median. */
  private select(from: number, to: number, k: number, axis: number): void {
    const { cols: d, data } = this.points;
    const key = (p: number) => data[this.order[p]! * d + axis]!;
    let lo = from;
    let hi = to - 1;
    while (lo < hi) {
      const pivot = key((lo + hi) >> 1);
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (key(i) < pivot) i++;
        while (key(j) > pivot) j--;
        if (i <= j) {
          const t = this.order[i]!;
          this.order[i] = this.order[j]!;
          this.order[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  }

  /**
   * The k nearest rows to `query` (squared Euclidean distance), nearest first, ties by lower row index; written to
   * `indices` and `distances` (length k).
   */
  query(query: Float64Array, k: number, indices: Int32Array, distances: Float64Array): void {
    const heap = new NeighborHeap(k, indices, distances);
    this.visit(0, query, heap);
    heap.sort();
  }

  /** Every row within `radius` (Euclidean, inclusive) of `query`, in no particular order. */
  withinRadius(query: Float64Array, radius: number, out: number[] = []): number[] {
    const { cols: d, data } = this.points;
    const r2 = radius * radius;
    const stack = [0];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (this.boxDistance(node, query) > r2) continue;
      if (this.left[node] !== -1) {
        stack.push(this.right[node]!, this.left[node]!);
        continue;
      }
      for (let p = this.start[node]!; p < this.end[node]!; p++) {
        const row = this.order[p]!;
        if (squaredDistance(query, 0, data, row * d, d) <= r2) out.push(row);
      }
    }
    return out;
  }

  private visit(node: number, q: Float64Array, heap: NeighborHeap): void {
    const { cols: d, data } = this.points;
    if (this.left[node] === -1) {
      for (let p = this.start[node]!; p < this.end[node]!; p++) {
        const row = this.order[p]!;
        heap.offer(squaredDistance(q, 0, data, row * d, d), row);
      }
      return;
    }
    const a = this.left[node]!;
    const b = this.right[node]!;
    const da = this.boxDistance(a, q);
    const db = this.boxDistance(b, q);
    const [near, nearD, far, farD] = da <= db ? [a, da, b, db] : [b, db, a, da];
    if (nearD <= heap.worst()) this.visit(near, q, heap);
    if (farD <= heap.worst()) this.visit(far, q, heap);
  }

  /** Squared distance from q to the node's bounding box (0 inside it). */
  private boxDistance(node: number, q: Float64Array): number {
    const d = this.points.cols;
    const o = node * 2 * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = q[j]!;
      const lo = this.boxes[o + j]!;
      const hi = this.boxes[o + d + j]!;
      const t = v < lo ? lo - v : v > hi ? v - hi : 0;
      s += t * t;
    }
    return s;
  }
}

/**
 * The k best (smallest distance, then lowest index) candidates seen so far, as a binary max-heap whose top is the
 * worst kept; stored in the caller's arrays.
 */
export class NeighborHeap {
  private size = 0;

  constructor(
    private readonly k: number,
    private readonly index: Int32Array,
    private readonly distance: Float64Array,
  ) {}

  /** The distance a candidate must beat (or tie with a lower index) to enter: +∞ until k are kept. */
  worst(): number {
    return this.size < this.k ? Number.POSITIVE_INFINITY : this.distance[0]!;
  }

  private worse(a: number, b: number): boolean {
    const da = this.distance[a]!;
    const db = this.distance[b]!;
    return da > db || (da === db && this.index[a]! > this.index[b]!);
  }

  offer(dist: number, row: number): void {
    const { index, distance } = this;
    if (this.size < this.k) {
      let i = this.size++;
      index[i] = row;
      distance[i] = dist;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    if (dist > distance[0]! || (dist === distance[0]! && row > index[0]!)) return;
    index[0] = row;
    distance[0] = dist;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < this.size && this.worse(l, top)) top = l;
      if (r < this.size && this.worse(r, top)) top = r;
      if (top === i) return;
      this.swap(i, top);
      i = top;
    }
  }

  private swap(a: number, b: number): void {
    const { index, distance } = this;
    const ti = index[a]!;
    index[a] = index[b]!;
    index[b] = ti;
    const td = distance[a]!;
    distance[a] = distance[b]!;
    distance[b] = td;
  }

  /** Orders the kept candidates nearest first. */
  sort(): void {
    const pairs = Array.from({ length: this.size }, (_, i) => [this.distance[i]!, this.index[i]!] as const);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    pairs.forEach(([dist, row], i) => {
      this.distance[i] = dist;
      this.index[i] = row;
    });
  }
}
