/** A Fenwick (binary indexed) tree: point update and prefix sum in O(log n) (Fenwick, 1994). */
export class FenwickTree {
  private readonly tree: Float64Array;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 0)
      throw new RangeError(`FenwickTree: size must be a non-negative integer, got ${size}`);
    this.tree = new Float64Array(size + 1);
  }

  /** values[i] += delta. */
  add(i: number, delta: number): void {
    this.check(i);
    for (let j = i + 1; j <= this.size; j += j & -j) this.tree[j]! += delta;
  }

  /** Σ values[0, end). */
  prefixSum(end: number): number {
    if (!Number.isInteger(end) || end < 0 || end > this.size)
      throw new RangeError(`FenwickTree: end ${end} is outside [0, ${this.size}]`);
    let s = 0;
    for (let j = end; j > 0; j -= j & -j) s += this.tree[j]!;
    return s;
  }

  /** Σ values[start, end). */
  rangeSum(start: number, end: number): number {
    return this.prefixSum(end) - this.prefixSum(start);
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.size)
      throw new RangeError(`FenwickTree: index ${i} is outside [0, ${this.size - 1}]`);
  }
}
