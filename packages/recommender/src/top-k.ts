/** The k highest-scoring items not in `exclude`, best first (ties to the lower id). */
export function topK(scores: Float64Array, k: number, exclude: ArrayLike<number> = []): Int32Array {
  const banned = new Set(Array.from(exclude));
  const best = new Int32Array(k).fill(-1);
  const value = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s > value[k - 1]!) || banned.has(i)) continue;
    let p = k - 1;
    while (p > 0 && s > value[p - 1]!) {
      value[p] = value[p - 1]!;
      best[p] = best[p - 1]!;
      p--;
    }
    value[p] = s;
    best[p] = i;
  }
  return best;
}
