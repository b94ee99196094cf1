import type { Matrix } from '../core/matrix.js';

/**
 * A fitted binary tree in flat arrays (node 0 is the root): an internal node sends a row left when
 * x[feature] ≤ threshold; a leaf (feature −1) holds `outputs` values — class probabilities for a classifier, the
 * mean target for a regressor. Impurity and weighted sample count per node serve cost-complexity pruning and
 * feature importances.
 */
export class Tree {
  feature: number[] = [];
  threshold: number[] = [];
  left: number[] = [];
  right: number[] = [];
  /** Node c's outputs are value[c·outputs … (c + 1)·outputs). */
  value: number[] = [];
  impurity: number[] = [];
  weight: number[] = [];
  depth: number[] = [];

  constructor(readonly outputs: number) {}

  get nodeCount(): number {
    return this.feature.length;
  }

  addNode(value: ArrayLike<number>, impurity: number, weight: number, depth: number): number {
    const id = this.feature.length;
    this.feature.push(-1);
    this.threshold.push(0);
    this.left.push(-1);
    this.right.push(-1);
    for (let k = 0; k < this.outputs; k++) this.value.push(value[k]!);
    this.impurity.push(impurity);
    this.weight.push(weight);
    this.depth.push(depth);
    return id;
  }

  isLeaf(node: number): boolean {
    return this.left[node] === -1;
  }

  /** The leaf each row of X lands in. */
  apply(X: Matrix): Int32Array {
    const out = new Int32Array(X.rows);
    const d = X.cols;
    for (let i = 0; i < X.rows; i++) {
      let node = 0;
      while (this.left[node] !== -1)
        node =
          X.data[i * d + this.feature[node]!]! <= this.threshold[node]!
            ? this.left[node]!
            : this.right[node]!;
      out[i] = node;
    }
    return out;
  }

  /** n × outputs: each row's leaf values. */
  predict(X: Matrix): Float64Array {
    const leaves = this.apply(X);
    const K = this.outputs;
    const out = new Float64Array(X.rows * K);
    for (let i = 0; i < X.rows; i++)
      for (let k = 0; k < K; k++) out[i * K + k] = this.value[leaves[i]! * K + k]!;
    return out;
  }

  leafCount(): number {
    let n = 0;
    for (let c = 0; c < this.nodeCount; c++) if (this.isLeaf(c)) n++;
    return n;
  }

  maxDepth(): number {
    let m = 0;
    for (const d of this.depth) m = Math.max(m, d);
    return m;
  }

  /**
   * Mean decrease in impurity per feature, normalised to sum 1: Σ over the nodes splitting on it of
   * w_t·i(t) − w_L·i(L) − w_R·i(R).
   */
  featureImportances(features: number): Float64Array {
    const out = new Float64Array(features);
    for (let c = 0; c < this.nodeCount; c++) {
      if (this.isLeaf(c)) continue;
      const l = this.left[c]!;
      const r = this.right[c]!;
      out[this.feature[c]!]! +=
        this.weight[c]! * this.impurity[c]! -
        this.weight[l]! * this.impurity[l]! -
        this.weight[r]! * this.impurity[r]!;
    }
    const total = out.reduce((a, b) => a + b, 0);
    return total > 0 ? out.map((v) => v / total) : out;
  }

  /** Cost R(t) = (w_t / w_root)·i(t) of node c as a leaf, and R(T_c) of its subtree's leaves, with their count. */
  private subtreeCosts(): { leafCost: Float64Array; subtreeCost: Float64Array; leaves: Int32Array } {
    const n = this.nodeCount;
    const total = this.weight[0]!;
    const leafCost = new Float64Array(n);
    const subtreeCost = new Float64Array(n);
    const leaves = new Int32Array(n);
    for (let c = n - 1; c >= 0; c--) {
      // Children always have larger ids than their parent, so a reverse scan sees them first.
      leafCost[c] = (this.weight[c]! / total) * this.impurity[c]!;
      if (this.isLeaf(c)) {
        subtreeCost[c] = leafCost[c]!;
        leaves[c] = 1;
      } else {
        subtreeCost[c] = subtreeCost[this.left[c]!]! + subtreeCost[this.right[c]!]!;
        leaves[c] = leaves[this.left[c]!]! + leaves[this.right[c]!]!;
      }
    }
    return { leafCost, subtreeCost, leaves };
  }

  /**
   * Minimal cost-complexity pruning (Breiman et al. 1984, ch. 3): while the weakest link — the internal node with the
   * smallest α_eff = (R(t) − R(T_t)) / (|leaves(T_t)| − 1) — has α_eff ≤ ccpAlpha, collapse it into a leaf.
   * Returns the sequence of (α, total leaf impurity) along the way, as scikit-learn's cost_complexity_pruning_path.
   */
  prune(ccpAlpha: number): { alphas: number[]; impurities: number[] } {
    const alphas = [0];
    const impurities = [this.subtreeCosts().subtreeCost[0]!];
    for (;;) {
      const { leafCost, subtreeCost, leaves } = this.subtreeCosts();
      let weakest = -1;
      let weakestAlpha = Number.POSITIVE_INFINITY;
      // Only nodes still reachable from the root count: walk down from it.
      const stack = [0];
      while (stack.length > 0) {
        const c = stack.pop()!;
        if (this.isLeaf(c)) continue;
        const alpha = (leafCost[c]! - subtreeCost[c]!) / (leaves[c]! - 1);
        if (alpha < weakestAlpha) {
          weakestAlpha = alpha;
          weakest = c;
        }
        stack.push(this.right[c]!, this.left[c]!);
      }
      if (weakest < 0 || weakestAlpha > ccpAlpha) break;
      this.left[weakest] = -1;
      this.right[weakest] = -1;
      this.feature[weakest] = -1;
      alphas.push(Math.max(weakestAlpha, 0));
      impurities.push(this.subtreeCosts().subtreeCost[0]!);
      if (weakest === 0) break;
    }
    this.compact();
    return { alphas, impurities };
  }

  /** Drops nodes no longer reachable after pruning, renumbering the rest in depth-first order. */
  private compact(): void {
    const old = { ...this, value: this.value.slice() };
    const keep: number[] = [];
    const stack = [0];
    while (stack.length > 0) {
      const c = stack.pop()!;
      keep.push(c);
      if (!this.isLeaf(c)) stack.push(this.right[c]!, this.left[c]!);
    }
    keep.sort((a, b) => a - b);
    const id = new Map(keep.map((c, i) => [c, i]));
    const pick = <T>(a: T[]) => keep.map((c) => a[c]!);
    this.feature = pick(old.feature);
    this.threshold = pick(old.threshold);
    this.left = keep.map((c) => (old.left[c] === -1 ? -1 : id.get(old.left[c]!)!));
    this.right = keep.map((c) => (old.right[c] === -1 ? -1 : id.get(old.right[c]!)!));
    this.value = keep.flatMap((c) => old.value.slice(c * this.outputs, (c + 1) * this.outputs));
    this.impurity = pick(old.impurity);
    this.weight = pick(old.weight);
    this.depth = pick(old.depth);
  }

  toJSON() {
    const { outputs, feature, threshold, left, right, value, impurity, weight, depth } = this;
    return { outputs, feature, threshold, left, right, value, impurity, weight, depth };
  }

  static fromJSON(json: ReturnType<Tree['toJSON']>): Tree {
    return Object.assign(new Tree(json.outputs), json);
  }
}
