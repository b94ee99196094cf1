import { Rng } from '@mle/tensor';
import { Tree } from './tree.js';

/** The targets a tree learns: class codes (with K classes) or real values. */
export type TreeTargets =
  | { kind: 'classification'; codes: Int32Array; classes: number }
  | { kind: 'regression'; y: Float64Array };

export type Criterion = 'gini' | 'entropy' | 'squared_error';

export interface GrowOptions {
  criterion: Criterion;
  /** Depth limit (root at 0); undefined grows until leaves are pure or too small. */
  maxDepth: number | undefined;
  /** A node needs this many rows to be split (default 2). */
  minSamplesSplit: number;
  /** Each child keeps at least this many rows (default 1). */
  minSamplesLeaf: number;
  /** Features searched per node (random subset, as random forests do); all when undefined. */
  maxFeatures: number | undefined;
  /** Draws the feature subsets. */
  seed: number;
}

/** A candidate split of a node: rows with x[feature] ≤ threshold go left. */
export interface Split {
  feature: number;
  threshold: number;
  /** w_t·i(t) − w_L·i(L) − w_R·i(R) > 0. */
  gain: number;
  /** Rows going left. */
  leftCount: number;
}

/** Node statistics: the outputs of a leaf, the impurity, and the weighted and plain row counts. */
export interface NodeStats {
  value: Float64Array;
  impurity: number;
  weight: number;
  count: number;
}

/**
 * What a split finder offers the growth loop. Rows of a node are a contiguous range [start, end) of the finder's
 * own ordering; `partition` reorders that range so the left child's rows come first.
 */
export interface SplitFinder {
  readonly features: number;
  rootRange(): [number, number];
  stats(start: number, end: number): NodeStats;
  bestSplit(
    start: number,
    end: number,
    parent: NodeStats,
    candidates: Int32Array,
    options: GrowOptions,
  ): Split | undefined;
  partition(start: number, end: number, split: Split): void;
  /** The node at this range became a leaf: anything kept for it can go. */
  discard?(start: number, end: number): void;
}

/** Grows a tree depth-first from the finder's rows, stopping at pure nodes, the depth limit and the size limits. */
export function growTree(finder: SplitFinder, options: GrowOptions): Tree {
  const rootStats = finder.stats(...finder.rootRange());
  const tree = new Tree(rootStats.value.length);
  const rng = new Rng(options.seed);
  const d = finder.features;
  const candidates = Int32Array.from({ length: d }, (_, j) => j);
  const stack: { node: number; start: number; end: number; stats: NodeStats }[] = [];
  const [s0, e0] = finder.rootRange();
  stack.push({
    node: tree.addNode(rootStats.value, rootStats.impurity, rootStats.weight, 0),
    start: s0,
    end: e0,
    stats: rootStats,
  });
  while (stack.length > 0) {
    const { node, start, end, stats } = stack.pop()!;
    const depth = tree.depth[node]!;
    if (
      stats.impurity <= 1e-12 ||
      (options.maxDepth !== undefined && depth >= options.maxDepth) ||
      stats.count < options.minSamplesSplit ||
      stats.count < 2 * options.minSamplesLeaf
    ) {
      finder.discard?.(start, end);
      continue;
    }
    if (options.maxFeatures !== undefined && options.maxFeatures < d) {
      // A fresh random order of the features; the finder looks at the first maxFeatures (and on, if none splits).
      for (let j = d - 1; j > 0; j--) {
        const r = rng.nextInt(j + 1);
        const t = candidates[j]!;
        candidates[j] = candidates[r]!;
        candidates[r] = t;
      }
    }
    const split = finder.bestSplit(start, end, stats, candidates, options);
    if (!split) continue; // the finder kept nothing: histograms are handed over only by partition
    finder.partition(start, end, split);
    const mid = start + split.leftCount;
    const leftStats = finder.stats(start, mid);
    const rightStats = finder.stats(mid, end);
    tree.feature[node] = split.feature;
    tree.threshold[node] = split.threshold;
    const left = tree.addNode(leftStats.value, leftStats.impurity, leftStats.weight, depth + 1);
    const right = tree.addNode(rightStats.value, rightStats.impurity, rightStats.weight, depth + 1);
    tree.left[node] = left;
    tree.right[node] = right;
    // Right pushed first so the left subtree is grown (and numbered) first.
    stack.push({ node: right, start: mid, end, stats: rightStats });
    stack.push({ node: left, start, end: mid, stats: leftStats });
  }
  return tree;
}

/** Gini 1 − Σp² or entropy −Σp·log₂p of weighted class counts. */
export function classImpurity(counts: Float64Array, total: number, criterion: Criterion): number {
  if (total <= 0) return 0;
  let s = 0;
  if (criterion === 'gini') {
    for (let k = 0; k < counts.length; k++) s += counts[k]! * counts[k]!;
    return 1 - s / (total * total);
  }
  for (let k = 0; k < counts.length; k++) {
    const p = counts[k]! / total;
    if (p > 0) s -= p * Math.log2(p);
  }
  return s;
}

/** scikit-learn's threshold between two sorted values: their midpoint, or the lower one where rounding reaches the upper. */
export function midpoint(lower: number, upper: number): number {
  const t = lower / 2 + upper / 2;
  return t === upper || !Number.isFinite(t) ? lower : t;
}
