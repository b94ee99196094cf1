import { type Comparator, numericOrder } from '../sorting/compare.js';

/** First index i in sorted `a` with a[i] ≥ x (C++'s lower_bound): O(log n). */
export function lowerBound<T>(
  a: ArrayLike<T>,
  x: T,
  compare: Comparator<T> = numericOrder as Comparator<T>,
): number {
  return partitionPoint(a, (v) => compare(v, x) < 0);
}

/** First index i in sorted `a` with a[i] > x (upper_bound): [lowerBound, upperBound) holds the elements equal to x. */
export function upperBound<T>(
  a: ArrayLike<T>,
  x: T,
  compare: Comparator<T> = numericOrder as Comparator<T>,
): number {
  return partitionPoint(a, (v) => compare(v, x) <= 0);
}

/** The first index where `before` turns false, for a predicate true on a prefix of `a`: O(log n). */
function partitionPoint<T>(a: ArrayLike<T>, before: (v: T) => boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(a[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of x in sorted `a`, or -1: O(log n). */
export function binarySearch<T>(
  a: ArrayLike<T>,
  x: T,
  compare: Comparator<T> = numericOrder as Comparator<T>,
): number {
  const i = lowerBound(a, x, compare);
  return i < a.length && compare(a[i]!, x) === 0 ? i : -1;
}

/**
 * The k-th smallest element (0-based) by quickselect (Hoare): expected O(n), O(1) extra space. Pivots are
 * picked by a fixed-seed generator so the run is reproducible. Works on a copy; the input is not reordered.
 */
export function quickselect<T>(
  array: readonly T[],
  k: number,
  compare: Comparator<T> = numericOrder as Comparator<T>,
): T {
  if (!Number.isInteger(k) || k < 0 || k >= array.length) {
    throw new RangeError(`quickselect: k = ${k} is outside [0, ${array.length - 1}]`);
  }
  const a = array.slice();
  let lo = 0;
  let hi = a.length - 1;
  let seed = 0x9e3779b9;
  const random = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  while (lo < hi) {
    const pivot = a[lo + random(hi - lo + 1)]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (compare(a[i]!, pivot) < 0) i++;
      while (compare(a[j]!, pivot) > 0) j--;
      if (i <= j) {
        [a[i], a[j]] = [a[j]!, a[i]!];
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}
