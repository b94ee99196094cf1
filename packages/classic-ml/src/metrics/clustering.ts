import { squaredDistance } from '../core/distance.js';
import { type Features, toMatrix } from '../core/matrix.js';

/**
 * Mean silhouette over all samples (Rousseeuw 1987): for sample i with mean distance a to its own cluster and b to
 * the nearest other cluster, s = (b − a) / max(a, b), and 0 for a sample alone in its cluster. Euclidean distance,
 * O(n²). Needs 2 ≤ clusters ≤ n − 1, as scikit-learn.
 */
export function silhouetteScore(X: Features, labels: ArrayLike<number>): number {
  const m = toMatrix(X, 'silhouetteScore');
  const n = m.rows;
  if (labels.length !== n) throw new RangeError(`silhouetteScore: ${n} rows but ${labels.length} labels`);
  const ids = [...new Set(Array.from(labels))];
  if (ids.length < 2 || ids.length > n - 1)
    throw new RangeError(`silhouetteScore: needs 2 to n − 1 = ${n - 1} clusters, got ${ids.length}`);
  const cluster = Int32Array.from(Array.from(labels), (l) => ids.indexOf(l));
  const sizes = new Int32Array(ids.length);
  for (const c of cluster) sizes[c]!++;
  const sums = new Float64Array(ids.length);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      sums[cluster[j]!]! += Math.sqrt(squaredDistance(m.data, i * m.cols, m.data, j * m.cols, m.cols));
    }
    const own = cluster[i]!;
    if (sizes[own]! === 1) continue; // s = 0
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < ids.length; c++) if (c !== own) b = Math.min(b, sums[c]! / sizes[c]!);
    total += (b - a) / Math.max(a, b);
  }
  return total / n;
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985): the Rand index corrected for chance from the contingency table n_ij,
 * ARI = (Σ C(n_ij,2) − E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) − E), E = Σ C(a_i,2)·Σ C(b_j,2) / C(n,2).
 * 1 for identical partitions (up to renaming), about 0 for random ones.
 */
export function adjustedRandIndex(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (truth.length !== predicted.length || truth.length === 0)
    throw new RangeError(
      `adjustedRandIndex: ${truth.length} and ${predicted.length} labels (need as many, ≥ 1)`,
    );
  const n = truth.length;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${truth[i]}\u0000${predicted[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(truth[i]!, (rows.get(truth[i]!) ?? 0) + 1);
    cols.set(predicted[i]!, (cols.get(predicted[i]!) ?? 0) + 1);
  }
  const pairs = (k: number) => (k * (k - 1)) / 2;
  const sumOf = (counts: Iterable<number>) => {
    let s = 0;
    for (const c of counts) s += pairs(c);
    return s;
  };
  const index = sumOf(table.values());
  const a = sumOf(rows.values());
  const b = sumOf(cols.values());
  const expected = (a * b) / pairs(n);
  const maximum = (a + b) / 2;
  if (maximum === expected) return 1; // both partitions trivial (one cluster, or all singletons)
  return (index - expected) / (maximum - expected);
}
