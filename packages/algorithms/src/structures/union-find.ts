/**
 * Disjoint sets over 0..n-1 with path compression (halving) and union by rank: every operation in
 * O(α(n)) amortized — effectively constant.
 */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly rank: Uint8Array;
  private sets: number;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 0)
      throw new RangeError(`UnionFind: size must be a non-negative integer, got ${size}`);
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
    this.rank = new Uint8Array(size);
    this.sets = size;
  }

  get count(): number {
    return this.sets;
  }

  find(x: number): number {
    this.check(x);
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }

  /** Joins the sets of a and b; returns false if they were already one. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.rank[ra]! < this.rank[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    if (this.rank[ra] === this.rank[rb]) this.rank[ra]!++;
    this.sets--;
    return true;
  }

  connected(a: number, b: number): boolean {
    return this.find(a) === this.find(b);
  }

  private check(x: number): void {
    if (!Number.isInteger(x) || x < 0 || x >= this.size)
      throw new RangeError(`UnionFind: element ${x} is outside [0, ${this.size - 1}]`);
  }
}
