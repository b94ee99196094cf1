import type { Matrix } from '../core/matrix.js';
import { type GrowOptions, midpoint, type NodeStats, type Split, type SplitFinder } from './grow.js';

/** At most this many bins per feature, so a bin index fits a byte (LightGBM's and scikit-learn's default 255). */
export const MAX_BINS = 255;

/**
 * Features binned once for histogram split search (Ke et al. 2017, LightGBM; scikit-learn's
 * HistGradientBoosting): a feature with ≤ maxBins distinct training values gets a bin for each; otherwise its values
 * are grouped into ≤ maxBins bins of about equal row counts. A row is stored as its bin's index. Thresholds between bins are midpoints of real values, so a
 * tree grown on bins predicts on raw features.
 */
export class BinnedFeatures {
  readonly rows: number;
  readonly features: number;
  /** Column-major bin indices. */
  readonly bins: Uint8Array;
  /** thresholds[f][b]: the cut between bins b and b + 1 of feature f. */
  readonly thresholds: Float64Array[];

  constructor(X: Matrix, maxBins = MAX_BINS) {
    if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS)
      throw new RangeError(
        `BinnedFeatures: maxBins must be a whole number in [2, ${MAX_BINS}], got ${maxBins}`,
      );
    const { rows: n, cols: d } = X;
    this.rows = n;
    this.features = d;
    this.bins = new Uint8Array(n * d);
    this.thresholds = [];
    const column = new Float64Array(n);
    for (let f = 0; f < d; f++) {
      for (let i = 0; i < n; i++) column[i] = X.data[i * d + f]!;
      const sorted = Float64Array.from(column).sort();
      const distinct: number[] = [];
      for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
      const cuts: number[] = [];
      if (distinct.length <= maxBins) {
        // Few values: a bin each, cut midway between neighbours (as scikit-learn's binning).
        for (let k = 1; k < distinct.length; k++) cuts.push(midpoint(distinct[k - 1]!, distinct[k]!));
      } else {
        // Cut where the sorted values cross each multiple of n / maxBins, moved past any run of equal values.
        for (let b = 1; b < maxBins; b++) {
          let at = Math.floor((b * n) / maxBins);
          while (at < n && sorted[at] === sorted[at - 1]) at++;
          if (at >= n) break;
          const t = midpoint(sorted[at - 1]!, sorted[at]!);
          if (cuts.length === 0 || t > cuts[cuts.length - 1]!) cuts.push(t);
        }
      }
      const thresholds = Float64Array.from(cuts);
      this.thresholds.push(thresholds);
      for (let i = 0; i < n; i++) {
        // Binary search: the number of cuts below the value is its bin.
        let lo = 0;
        let hi = thresholds.length;
        const v = column[i]!;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (thresholds[mid]! < v) lo = mid + 1;
          else hi = mid;
        }
        this.bins[f * n + i] = lo;
      }
    }
  }
}

/**
 * Histogram split search for regression trees (squared error), the split finder of gradient boosting: a node's
 * rows are summed into per-feature bins (rows, Σw, Σw·y, Σw·y²) in one pass, and the best cut is a scan over ≤ 255
 * bins instead of over the rows in sorted order. A child's histogram is its parent's minus its sibling's, so only
 * the smaller child is ever summed.
 */
export class HistogramSplitter implements SplitFinder {
  readonly features: number;
  private readonly rows: Int32Array;
  private readonly buffer: Int32Array;
  /** Histograms waiting for their node, keyed by the node's row range. */
  private readonly pending = new Map<string, Float64Array>();
  private static readonly SUMS = 4;
  private readonly stride = HistogramSplitter.SUMS * MAX_BINS;

  constructor(
    private readonly binned: BinnedFeatures,
    private readonly y: Float64Array,
    private readonly weights: Float64Array,
  ) {
    this.features = binned.features;
    const rows: number[] = [];
    for (let i = 0; i < binned.rows; i++) if (weights[i]! > 0) rows.push(i);
    this.rows = Int32Array.from(rows);
    this.buffer = new Int32Array(rows.length);
  }

  rootRange(): [number, number] {
    return [0, this.rows.length];
  }

  stats(start: number, end: number): NodeStats {
    let weight = 0;
    let sum = 0;
    let sumSq = 0;
    for (let p = start; p < end; p++) {
      const i = this.rows[p]!;
      const w = this.weights[i]!;
      weight += w;
      sum += w * this.y[i]!;
      sumSq += w * this.y[i]! ** 2;
    }
    const mean = sum / weight;
    return {
      value: Float64Array.of(mean),
      impurity: Math.max(sumSq / weight - mean * mean, 0),
      weight,
      count: end - start,
    };
  }

  /** The node's histogram: handed over by its parent's partition, or summed from its rows. */
  private histogram(start: number, end: number): Float64Array {
    const key = `${start}:${end}`;
    const ready = this.pending.get(key);
    if (ready) {
      this.pending.delete(key);
      return ready;
    }
    const { binned, stride } = this;
    const n = binned.rows;
    const h = new Float64Array(this.features * stride);
    for (let f = 0; f < this.features; f++) {
      const o = f * stride;
      const col = f * n;
      for (let p = start; p < end; p++) {
        const i = this.rows[p]!;
        const b = o + 4 * binned.bins[col + i]!;
        const w = this.weights[i]!;
        const wy = w * this.y[i]!;
        h[b]! += 1;
        h[b + 1]! += w;
        h[b + 2]! += wy;
        h[b + 3]! += wy * this.y[i]!;
      }
    }
    return h;
  }

  /** The node at this range will not be split: drop the histogram its parent left for it. */
  discard(start: number, end: number): void {
    this.pending.delete(`${start}:${end}`);
  }

  private current: { start: number; end: number; h: Float64Array } | undefined;

  bestSplit(
    start: number,
    end: number,
    parent: NodeStats,
    candidates: Int32Array,
    options: GrowOptions,
  ): Split | undefined {
    const h = this.histogram(start, end);
    this.current = { start, end, h };
    const { stride } = this;
    const parentCost = parent.weight * parent.impurity;
    // Every row is in each feature's histogram: feature 0's bins give the node's totals.
    let totalS = 0;
    let totalQ = 0;
    for (let b = 0; b < MAX_BINS; b++) {
      totalS += h[4 * b + 2]!;
      totalQ += h[4 * b + 3]!;
    }
    let best: Split | undefined;
    const limit = options.maxFeatures ?? this.features;
    for (let c = 0; c < candidates.length; c++) {
      if (c >= limit && best) break;
      const f = candidates[c]!;
      const cuts = this.binned.thresholds[f]!;
      const o = f * stride;
      let countLeft = 0;
      let wl = 0;
      let sl = 0;
      let ql = 0;
      for (let b = 0; b < cuts.length; b++) {
        countLeft += h[o + 4 * b]!;
        wl += h[o + 4 * b + 1]!;
        sl += h[o + 4 * b + 2]!;
        ql += h[o + 4 * b + 3]!;
        const wr = parent.weight - wl;
        if (wl <= 0 || wr <= 0) continue;
        if (countLeft < options.minSamplesLeaf || end - start - countLeft < options.minSamplesLeaf) continue;
        const sr = totalS - sl;
        const cost = ql - (sl * sl) / wl + (totalQ - ql) - (sr * sr) / wr;
        const gain = parentCost - cost;
        if (gain > (best?.gain ?? 1e-12 * Math.max(parentCost, 1e-300)))
          best = { feature: f, threshold: cuts[b]!, gain, leftCount: countLeft };
      }
    }
    return best;
  }

  partition(start: number, end: number, split: Split): void {
    const col = split.feature * this.binned.rows;
    const cut = this.binned.thresholds[split.feature]!.indexOf(split.threshold);
    let l = start;
    let r = 0;
    for (let p = start; p < end; p++) {
      const i = this.rows[p]!;
      if (this.binned.bins[col + i]! <= cut) this.rows[l++] = i;
      else this.buffer[r++] = i;
    }
    this.rows.set(this.buffer.subarray(0, r), l);
    // Sum the smaller child; the larger child's histogram is the parent's minus it (the parent's buffer reused).
    const parent = this.current!;
    if (parent.start !== start || parent.end !== end)
      throw new Error('HistogramSplitter: partition of a node not just searched');
    const mid = start + split.leftCount;
    const [small, large] =
      mid - start <= end - mid
        ? [
            [start, mid],
            [mid, end],
          ]
        : [
            [mid, end],
            [start, mid],
          ];
    const hs = this.histogram(small[0]!, small[1]!);
    const hl = parent.h;
    for (let k = 0; k < hl.length; k++) hl[k]! -= hs[k]!;
    this.pending.set(`${small[0]}:${small[1]}`, hs);
    this.pending.set(`${large[0]}:${large[1]}`, hl);
    this.current = undefined;
  }
}
