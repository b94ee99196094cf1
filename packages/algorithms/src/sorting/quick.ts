import { type Comparator, numericOrder, sortSafely } from './compare.js';
import { heapRange, insertionRange } from './simple.js';

/**
 * Introsort (Musser, 1997): quicksort with a median-of-three pivot and a 3-way partition (Dijkstra's Dutch
 * flag, so runs of equal keys cost nothing), insertion sort below 16 elements, and heapsort once the recursion
 * is 2·log₂(n) deep — so the worst case is O(n log n) even on adversarial input. O(log n) stack, not stable.
 */
export function quickSort<T>(array: T[], compare: Comparator<T> = numericOrder as Comparator<T>): T[] {
  return sortSafely('quickSort', array, compare, (a, cmp) => {
    const limit = 2 * Math.floor(Math.log2(Math.max(a.length, 1)));
    introsort(a, 0, a.length, limit, cmp);
  });
}

function introsort<T>(a: T[], lo: number, hi: number, depth: number, cmp: Comparator<T>): void {
  while (hi - lo > 16) {
    if (depth-- === 0) {
      heapRange(a, lo, hi, cmp);
      return;
    }
    const pivot = medianOfThree(a[lo]!, a[(lo + hi) >>> 1]!, a[hi - 1]!, cmp);
    // a[lo, lt) < pivot, a[lt, i) = pivot, a[gt, hi) > pivot
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const c = cmp(a[i]!, pivot);
      if (c < 0) swap(a, lt++, i++);
      else if (c > 0) swap(a, i, --gt);
      else i++;
    }
    // Recurse into the smaller side, loop on the larger: O(log n) stack.
    if (lt - lo < hi - gt) {
      introsort(a, lo, lt, depth, cmp);
      lo = gt;
    } else {
      introsort(a, gt, hi, depth, cmp);
      hi = lt;
    }
  }
  insertionRange(a, lo, hi, cmp);
}

function medianOfThree<T>(x: T, y: T, z: T, cmp: Comparator<T>): T {
  if (cmp(x, y) < 0) {
    if (cmp(y, z) < 0) return y;
    return cmp(x, z) < 0 ? z : x;
  }
  if (cmp(x, z) < 0) return x;
  return cmp(y, z) < 0 ? z : y;
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
