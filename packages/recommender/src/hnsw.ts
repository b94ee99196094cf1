import { mulberry32 } from '@mle/datasets';
import { topK } from './top-k.js';

export type Metric = 'l2' | 'cosine';

const EMPTY = new Int32Array(0);

export interface HnswOptions {
  /** Neighbours kept per node on the upper layers; layer 0 keeps 2M. Default 16. */
  M?: number;
  /** Candidates followed while inserting. Default 200. */
  efConstruction?: number;
  metric?: Metric;
  seed?: number;
}

/**
 * A binary heap of (distance, node) pairs in typed arrays: a min-heap, or a max-heap when `max` is set (it stores
 * negated distances).
 */
class Heap {
  private keys: Float64Array;
  private values: Int32Array;
  size = 0;

  constructor(
    capacity: number,
    private readonly max: boolean,
  ) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.values = new Int32Array(Math.max(16, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  push(distance: number, node: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const values = new Int32Array(this.size * 2);
      values.set(this.values);
      this.values = values;
    }
    let i = this.size++;
    const key = this.max ? -distance : distance;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.values[i] = this.values[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.values[i] = node;
  }

  /** The top's distance (the smallest for a min-heap, the largest for a max-heap). */
  topDistance(): number {
    return this.max ? -this.keys[0]! : this.keys[0]!;
  }

  topNode(): number {
    return this.values[0]!;
  }

  pop(): void {
    const last = --this.size;
    const key = this.keys[last]!;
    const value = this.values[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= key) break;
      this.keys[i] = this.keys[child]!;
      this.values[i] = this.values[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }
}

/**
 * Hierarchical navigable small world graphs (Malkov & Yashunin, 2018): every vector is a node on layer 0 and, with
 * probability falling geometrically (level = ⌊−ln U · mL⌋, mL = 1/ln M), on the layers above; a query descends
 * greedily from the top layer's entry point and then searches layer 0 keeping the `ef` best candidates. Neighbours
 * are chosen by the paper's heuristic (algorithm 4): a candidate is kept only if it is closer to the new node than
 * to every neighbour kept so far, which keeps links pointing in different directions. Distances are squared L2, or
 * 1 − cos for 'cosine' (vectors normalised on insert). Every distance computed is counted.
 */
export class Hnsw {
  readonly dimension: number;
  readonly M: number;
  readonly efConstruction: number;
  readonly metric: Metric;
  private readonly cosine: boolean;
  /** Distances computed so far (insertions and searches); reset it to measure one phase. */
  distanceComputations = 0;
  private vectors: Float32Array;
  private count = 0;
  private levels: Uint8Array;
  /** Layer 0: node v's links are link0[v·2M … v·2M + degree0[v]). */
  private link0: Int32Array;
  private degree0: Uint8Array;
  /** Layers ≥ 1: upper[layer − 1].get(v) is v's links there. */
  private readonly upper: Map<number, Int32Array>[] = [];
  private entry = -1;
  private maxLevel = -1;
  private readonly random: () => number;
  private visited: Uint32Array;
  /** The search's two heaps, reused across searches (they grow as needed). */
  private readonly candidates = new Heap(256, false);
  private readonly found = new Heap(256, true);
  private epoch = 0;

  constructor(dimension: number, capacity: number, options: HnswOptions = {}) {
    const { M = 16, efConstruction = 200, metric = 'l2', seed = 1 } = options;
    if (!Number.isInteger(dimension) || dimension < 1)
      throw new RangeError(`Hnsw: dimension must be a whole number ≥ 1, got ${dimension}`);
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`Hnsw: capacity must be a whole number ≥ 1, got ${capacity}`);
    if (!Number.isInteger(M) || M < 2 || M > 127)
      throw new RangeError(`Hnsw: M must be a whole number in [2, 127], got ${M}`);
    if (!Number.isInteger(efConstruction) || efConstruction < 1)
      throw new RangeError(`Hnsw: efConstruction must be a whole number ≥ 1, got ${efConstruction}`);
    if (metric !== 'l2' && metric !== 'cosine')
      throw new RangeError(`Hnsw: metric must be 'l2' or 'cosine', got ${metric}`);
    this.dimension = dimension;
    this.M = M;
    this.efConstruction = efConstruction;
    this.metric = metric;
    this.cosine = metric === 'cosine';
    this.vectors = new Float32Array(capacity * dimension);
    this.levels = new Uint8Array(capacity);
    this.link0 = new Int32Array(capacity * 2 * M);
    this.degree0 = new Uint8Array(capacity);
    this.visited = new Uint32Array(capacity);
    this.random = mulberry32(seed);
  }

  get size(): number {
    return this.count;
  }

  /** Squared L2, or 1 − dot for 'cosine' (the stored vectors and the queries are unit length). */
  private distance(a: number, query: Float32Array): number {
    this.distanceComputations++;
    const d = this.dimension;
    const v = this.vectors;
    const base = a * d;
    let s = 0;
    if (this.cosine) {
      for (let k = 0; k < d; k++) s += v[base + k]! * query[k]!;
      return 1 - s;
    }
    for (let k = 0; k < d; k++) {
      const t = v[base + k]! - query[k]!;
      s += t * t;
    }
    return s;
  }

  private vector(node: number): Float32Array {
    return this.vectors.subarray(node * this.dimension, (node + 1) * this.dimension);
  }

  private neighbours(node: number, layer: number): ArrayLike<number> {
    if (layer === 0) return this.link0.subarray(node * 2 * this.M, node * 2 * this.M + this.degree0[node]!);
    return this.upper[layer - 1]!.get(node) ?? EMPTY;
  }

  private setNeighbours(node: number, layer: number, list: readonly number[]): void {
    if (layer === 0) {
      this.link0.set(list, node * 2 * this.M);
      this.degree0[node] = list.length;
    } else this.upper[layer - 1]!.set(node, Int32Array.from(list));
  }

  /** A query vector in the index's form: checked for its dimension and finiteness, normalised for cosine. */
  private prepare(values: ArrayLike<number>, where: string): Float32Array {
    if (values.length !== this.dimension)
      throw new RangeError(`Hnsw.${where}: vector of dimension ${values.length}, expected ${this.dimension}`);
    const q = Float32Array.from(values);
    let norm = 0;
    for (let k = 0; k < q.length; k++) {
      if (!Number.isFinite(q[k]!))
        throw new RangeError(`Hnsw.${where}: vector[${k}] is ${values[k]}, expected a finite number`);
      norm += q[k]! * q[k]!;
    }
    if (this.metric === 'cosine') {
      if (norm === 0)
        throw new RangeError(`Hnsw.${where}: a zero vector has no direction for the cosine metric`);
      const inv = 1 / Math.sqrt(norm);
      for (let k = 0; k < q.length; k++) q[k]! *= inv;
    }
    return q;
  }

  /**
   * Algorithm 2: the `ef` nodes nearest to q on one layer reachable from the entry points, as [distance, node]
   * pairs sorted nearest first.
   */
  private searchLayer(
    q: Float32Array,
    entries: readonly [number, number][],
    ef: number,
    layer: number,
  ): [number, number][] {
    if (++this.epoch === 0xffffffff) {
      this.visited.fill(0);
      this.epoch = 1;
    }
    const candidates = this.candidates;
    const found = this.found;
    candidates.clear();
    found.clear();
    for (const [d, node] of entries) {
      this.visited[node] = this.epoch;
      candidates.push(d, node);
      found.push(d, node);
    }
    // The hot loop, on locals: every link array is an Int32Array, the distance is inlined.
    const vectors = this.vectors;
    const dim = this.dimension;
    const visited = this.visited;
    const epoch = this.epoch;
    const cosine = this.cosine;
    const stride = 2 * this.M;
    let computed = 0;
    while (candidates.size > 0) {
      const d = candidates.topDistance();
      const node = candidates.topNode();
      if (d > found.topDistance()) break;
      candidates.pop();
      // Layer 0's links are read in place (a subarray per expansion would allocate on the hot path).
      const links = layer === 0 ? this.link0 : (this.upper[layer - 1]!.get(node) ?? EMPTY);
      const from = layer === 0 ? node * stride : 0;
      const to = layer === 0 ? from + this.degree0[node]! : links.length;
      for (let p = from; p < to; p++) {
        const next = links[p]!;
        if (visited[next] === epoch) continue;
        visited[next] = epoch;
        computed++;
        const base = next * dim;
        // Four running sums, so the additions do not wait on each other; the tail (dim mod 4) after.
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let k = 0;
        if (cosine) {
          for (; k + 3 < dim; k += 4) {
            s0 += vectors[base + k]! * q[k]!;
            s1 += vectors[base + k + 1]! * q[k + 1]!;
            s2 += vectors[base + k + 2]! * q[k + 2]!;
            s3 += vectors[base + k + 3]! * q[k + 3]!;
          }
          for (; k < dim; k++) s0 += vectors[base + k]! * q[k]!;
        } else {
          for (; k + 3 < dim; k += 4) {
            const t0 = vectors[base + k]! - q[k]!;
            const t1 = vectors[base + k + 1]! - q[k + 1]!;
            const t2 = vectors[base + k + 2]! - q[k + 2]!;
            const t3 = vectors[base + k + 3]! - q[k + 3]!;
            s0 += t0 * t0;
            s1 += t1 * t1;
            s2 += t2 * t2;
            s3 += t3 * t3;
          }
          for (; k < dim; k++) {
            const t = vectors[base + k]! - q[k]!;
            s0 += t * t;
          }
        }
        const sum = s0 + s1 + s2 + s3;
        const dn = cosine ? 1 - sum : sum;
        if (found.size < ef || dn < found.topDistance()) {
          candidates.push(dn, next);
          found.push(dn, next);
          if (found.size > ef) found.pop();
        }
      }
    }
    this.distanceComputations += computed;
    const out: [number, number][] = [];
    while (found.size > 0) {
      out.push([found.topDistance(), found.topNode()]);
      found.pop();
    }
    return out.reverse();
  }

  /** Algorithm 4: keep a candidate only if it is nearer to the base than to every neighbour already kept. */
  private selectNeighbours(candidates: [number, number][], m: number): number[] {
    const kept: number[] = [];
    for (const [d, node] of candidates) {
      if (kept.length >= m) break;
      const v = this.vector(node);
      if (kept.every((k) => this.distance(k, v) > d)) kept.push(node);
    }
    return kept;
  }

  /** Adds a vector; its id is the insertion order (0, 1, …). */
  add(values: ArrayLike<number>): number {
    const node = this.count;
    if (node >= this.levels.length)
      throw new RangeError(`Hnsw.add: the index is full (capacity ${this.levels.length})`);
    const q = this.prepare(values, 'add');
    this.vectors.set(q, node * this.dimension);
    const level = Math.min(Math.floor(-Math.log(1 - this.random()) / Math.log(this.M)), 255);
    this.levels[node] = level;
    this.count++;
    while (this.upper.length < level) this.upper.push(new Map());
    if (this.entry < 0) {
      this.entry = node;
      this.maxLevel = level;
      return node;
    }
    let nearest: [number, number][] = [[this.distance(this.entry, q), this.entry]];
    for (let layer = this.maxLevel; layer > level; layer--)
      nearest = this.searchLayer(q, nearest, 1, layer).slice(0, 1);
    for (let layer = Math.min(level, this.maxLevel); layer >= 0; layer--) {
      const candidates = this.searchLayer(q, nearest, this.efConstruction, layer);
      const limit = layer === 0 ? 2 * this.M : this.M;
      const chosen = this.selectNeighbours(candidates, this.M);
      this.setNeighbours(node, layer, chosen);
      for (const other of chosen) {
        const links = Array.from(this.neighbours(other, layer));
        if (links.length < limit) links.push(node);
        else {
          // Over the limit: re-select the other node's links from its old ones and the new node.
          const ov = this.vector(other);
          const pool = [...links, node].map((n) => [this.distance(n, ov), n] as [number, number]);
          pool.sort((a, b) => a[0] - b[0]);
          links.splice(0, links.length, ...this.selectNeighbours(pool, limit));
        }
        this.setNeighbours(other, layer, links);
      }
      nearest = candidates;
    }
    if (level > this.maxLevel) {
      this.maxLevel = level;
      this.entry = node;
    }
    return node;
  }

  /** The k nearest stored vectors to `query` as { ids, distances }, nearest first, searching with ef ≥ k. */
  search(
    query: ArrayLike<number>,
    k: number,
    ef = Math.max(k, 64),
  ): { ids: Int32Array; distances: Float64Array } {
    if (!Number.isInteger(k) || k < 1)
      throw new RangeError(`Hnsw.search: k must be a whole number ≥ 1, got ${k}`);
    if (this.entry < 0) throw new RangeError('Hnsw.search: the index is empty');
    const q = this.prepare(query, 'search');
    let nearest: [number, number][] = [[this.distance(this.entry, q), this.entry]];
    for (let layer = this.maxLevel; layer > 0; layer--)
      nearest = this.searchLayer(q, nearest, 1, layer).slice(0, 1);
    const found = this.searchLayer(q, nearest, Math.max(ef, k), 0).slice(0, k);
    return { ids: Int32Array.from(found, (f) => f[1]), distances: Float64Array.from(found, (f) => f[0]) };
  }
}

/**
 * Exact k nearest neighbours by scanning every vector (the reference HNSW is measured against): one distance per
 * vector, the k nearest picked by `topK` on the negated distances (ties to the lower id), no full sort.
 */
export function exactSearch(
  vectors: Float32Array,
  dimension: number,
  query: ArrayLike<number>,
  k: number,
  metric: Metric = 'l2',
): Int32Array {
  const n = vectors.length / dimension;
  const q = Float64Array.from(query);
  if (metric === 'cosine') {
    let norm = 0;
    for (let d = 0; d < dimension; d++) norm += q[d]! * q[d]!;
    for (let d = 0; d < dimension; d++) q[d]! /= Math.sqrt(norm);
  }
  const closeness = new Float64Array(n); // −distance, so the nearest score highest
  for (let i = 0; i < n; i++) {
    const base = i * dimension;
    let s = 0;
    if (metric === 'cosine') {
      let dot = 0;
      let norm = 0;
      for (let d = 0; d < dimension; d++) {
        const v = vectors[base + d]!;
        dot += v * q[d]!;
        norm += v * v;
      }
      s = 1 - dot / Math.sqrt(norm);
    } else
      for (let d = 0; d < dimension; d++) {
        const t = vectors[base + d]! - q[d]!;
        s += t * t;
      }
    closeness[i] = -s;
  }
  return topK(closeness, Math.min(k, n));
}
