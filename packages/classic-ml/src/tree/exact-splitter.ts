import type { TreeData } from './data.js';
import {
  type Criterion,
  classImpurity,
  type GrowOptions,
  midpoint,
  type NodeStats,
  type Split,
  type SplitFinder,
  type TreeTargets,
} from './grow.js';

/**
 * Exact split search over presorted features: each feature's rows are sorted once per fit (TreeData), and a split
 * partitions every feature's list stably, so each node's rows stay sorted in every feature and a node costs
 * O(rows × features) to search, never a sort. Rows with weight 0 (out of a bootstrap sample) are left out.
 * Every boundary between two distinct values is a candidate threshold.
 */
export class ExactSplitter implements SplitFinder {
  readonly features: number;
  private readonly n: number;
  /** Column-major features. */
  private readonly xcol: Float64Array;
  /** sorted[f·m + p]: the p-th row in feature f's order (m rows with weight > 0). */
  private readonly sorted: Int32Array;
  private readonly m: number;
  private readonly goesLeft: Uint8Array;
  private readonly buffer: Int32Array;
  private readonly K: number;
  private readonly left: Float64Array;
  private readonly right: Float64Array;

  constructor(
    data: TreeData,
    private readonly targets: TreeTargets,
    private readonly weights: Float64Array,
    private readonly criterion: Criterion,
  ) {
    const { rows: n, features: d } = data;
    this.n = n;
    this.features = d;
    this.xcol = data.xcol;
    // The presorted orders of all rows, filtered to the rows this tree sees: O(rows × features), no sort.
    const all = data.sorted();
    let m = 0;
    for (let i = 0; i < n; i++) if (weights[i]! > 0) m++;
    this.m = m;
    this.sorted = new Int32Array(d * m);
    for (let j = 0; j < d; j++) {
      let p = j * m;
      for (let q = j * n; q < (j + 1) * n; q++) {
        const i = all[q]!;
        if (weights[i]! > 0) this.sorted[p++] = i;
      }
    }
    this.goesLeft = new Uint8Array(n);
    this.buffer = new Int32Array(this.m);
    this.K = targets.kind === 'classification' ? targets.classes : 3;
    this.left = new Float64Array(this.K);
    this.right = new Float64Array(this.K);
  }

  rootRange(): [number, number] {
    return [0, this.m];
  }

  stats(start: number, end: number): NodeStats {
    const rows = this.sorted.subarray(start, end); // feature 0's order: any feature holds the node's rows
    const w = this.weights;
    let weight = 0;
    if (this.targets.kind === 'classification') {
      const counts = new Float64Array(this.targets.classes);
      for (const i of rows) {
        counts[this.targets.codes[i]!]! += w[i]!;
        weight += w[i]!;
      }
      const impurity = classImpurity(counts, weight, this.criterion);
      return { value: counts.map((c) => c / weight), impurity, weight, count: rows.length };
    }
    let sum = 0;
    let sumSq = 0;
    for (const i of rows) {
      const yi = this.targets.y[i]!;
      weight += w[i]!;
      sum += w[i]! * yi;
      sumSq += w[i]! * yi * yi;
    }
    const mean = sum / weight;
    return {
      value: Float64Array.of(mean),
      impurity: Math.max(sumSq / weight - mean * mean, 0),
      weight,
      count: rows.length,
    };
  }

  bestSplit(
    start: number,
    end: number,
    parent: NodeStats,
    candidates: Int32Array,
    options: GrowOptions,
  ): Split | undefined {
    const { n, m, xcol, weights: w } = this;
    const minLeaf = options.minSamplesLeaf;
    const parentCost = parent.weight * parent.impurity;
    let best: Split | undefined;
    const limit = options.maxFeatures ?? this.features;
    for (let c = 0; c < candidates.length; c++) {
      // Past the first maxFeatures, keep looking only until some split is found (as scikit-learn does).
      if (c >= limit && best) break;
      const f = candidates[c]!;
      const order = this.sorted.subarray(f * m + start, f * m + end);
      const col = xcol.subarray(f * n, (f + 1) * n);
      if (col[order[0]!] === col[order[order.length - 1]!]) continue; // constant here
      const found =
        this.targets.kind === 'classification'
          ? this.scanClasses(order, col, w, parent, minLeaf, this.targets.codes)
          : this.scanValues(order, col, w, parent, minLeaf, this.targets.y);
      if (found && parentCost - found.cost > (best?.gain ?? 1e-12 * Math.max(parentCost, 1e-300))) {
        best = {
          feature: f,
          threshold: midpoint(col[order[found.at - 1]!]!, col[order[found.at]!]!),
          gain: parentCost - found.cost,
          leftCount: found.at,
        };
      }
    }
    return best;
  }

  /** The boundary (left gets order[0 … at)) minimising w_L·i(L) + w_R·i(R), over class counts. */
  private scanClasses(
    order: Int32Array,
    col: Float64Array,
    w: Float64Array,
    parent: NodeStats,
    minLeaf: number,
    codes: Int32Array,
  ) {
    const { left, right } = this;
    left.fill(0);
    for (let k = 0; k < this.K; k++) right[k] = parent.value[k]! * parent.weight;
    let wl = 0;
    let wr = parent.weight;
    let bestCost = Number.POSITIVE_INFINITY;
    let bestAt = -1;
    const count = order.length;
    const gini = this.criterion === 'gini';
    // Gini from running Σ counts², updated per moved row: (c + w)² − c² on the left, (c − w)² − c² on the right.
    let sqL = 0;
    let sqR = 0;
    if (gini) for (let k = 0; k < this.K; k++) sqR += right[k]! * right[k]!;
    for (let p = 0; p < count - 1; p++) {
      const i = order[p]!;
      const wi = w[i]!;
      const k = codes[i]!;
      if (gini) {
        sqL += 2 * left[k]! * wi + wi * wi;
        sqR += -2 * right[k]! * wi + wi * wi;
      }
      left[k]! += wi;
      right[k]! -= wi;
      wl += wi;
      wr -= wi;
      if (p + 1 < minLeaf || count - p - 1 < minLeaf) continue;
      if (col[i]! === col[order[p + 1]!]!) continue;
      const cost = gini
        ? wl - sqL / wl + (wr - sqR / wr)
        : wl * classImpurity(left, wl, 'entropy') + wr * classImpurity(right, wr, 'entropy');
      if (cost < bestCost) {
        bestCost = cost;
        bestAt = p + 1;
      }
    }
    return bestAt < 0 ? undefined : { at: bestAt, cost: bestCost };
  }

  /** The same over regression targets: w·variance on each side from running sums. */
  private scanValues(
    order: Int32Array,
    col: Float64Array,
    w: Float64Array,
    parent: NodeStats,
    minLeaf: number,
    y: Float64Array,
  ) {
    let wl = 0;
    let sl = 0;
    let ql = 0;
    let totalS = 0;
    let totalQ = 0;
    for (const i of order) {
      totalS += w[i]! * y[i]!;
      totalQ += w[i]! * y[i]! * y[i]!;
    }
    let bestCost = Number.POSITIVE_INFINITY;
    let bestAt = -1;
    const count = order.length;
    for (let p = 0; p < count - 1; p++) {
      const i = order[p]!;
      const wi = w[i]!;
      wl += wi;
      sl += wi * y[i]!;
      ql += wi * y[i]! * y[i]!;
      if (p + 1 < minLeaf || count - p - 1 < minLeaf) continue;
      if (col[i]! === col[order[p + 1]!]!) continue;
      const wr = parent.weight - wl;
      const sr = totalS - sl;
      // w·Var = Σw·y² − (Σw·y)²/w on each side.
      const cost = ql - (sl * sl) / wl + (totalQ - ql) - (sr * sr) / wr;
      if (cost < bestCost) {
        bestCost = cost;
        bestAt = p + 1;
      }
    }
    return bestAt < 0 ? undefined : { at: bestAt, cost: bestCost };
  }

  partition(start: number, end: number, split: Split): void {
    const { m, goesLeft, buffer } = this;
    const f = split.feature;
    const mid = start + split.leftCount;
    for (let p = start; p < end; p++) goesLeft[this.sorted[f * m + p]!] = p < mid ? 1 : 0;
    for (let g = 0; g < this.features; g++) {
      if (g === f) continue;
      const o = g * m;
      let l = start;
      let r = 0;
      for (let p = start; p < end; p++) {
        const i = this.sorted[o + p]!;
        if (goesLeft[i]) this.sorted[o + l++] = i;
        else buffer[r++] = i;
      }
      this.sorted.set(buffer.subarray(0, r), o + l);
    }
  }
}
