import { type Comparator, numericOrder, sortSafely } from './compare.js';
import { heapRange, insertionRange } from './simple.js';

/**
 * Introsort (Musser, 1997): quicksort with a median-of-three pivot and a 3-way partition (Bentley–McIlroy, so
 * runs of equal keys cost nothing and ordered input stays ordered), insertion sort below 16 elements, and heapsort once the recursion
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
    const [lt, gt] = partition3(a, lo, hi, pivot, cmp);
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

/**
 * Bentley and McIlroy's 3-way partition ("Engineering a sort function", 1993): a Hoare scan from both ends that
 * parks keys equal to the pivot at the two ends, then swaps them into the middle. Returns [lt, gt] with
 * a[lo, lt) < pivot, a[lt, gt) = pivot, a[gt, hi) > pivot. Unlike Dijkstra's one-way scan, which swaps every
 * larger key to the back and so reverses them, it leaves ordered input in order: sorted and reversed arrays
 * split evenly at every level.
 */
function partition3<T>(a: T[], lo: number, hi: number, pivot: T, cmp: Comparator<T>): [number, number] {
  let i = lo;
  let j = hi - 1;
  let p = lo; // a[lo, p) = pivot
  let q = hi - 1; // a(q, hi) = pivot
  for (;;) {
    for (; i <= j; i++) {
      const c = cmp(a[i]!, pivot);
      if (c > 0) break;
      if (c === 0) swap(a, p++, i);
    }
    for (; i <= j; j--) {
      const c = cmp(a[j]!, pivot);
      if (c < 0) break;
      if (c === 0) swap(a, j, q--);
    }
    if (i > j) break;
    swap(a, i++, j--);
  }
  // Now a[p, i) < pivot and a(j, q] > pivot, with i = j + 1: move the equal keys in from both ends.
  const left = Math.min(p - lo, i - p);
  for (let k = 0; k < left; k++) swap(a, lo + k, i - left + k);
  const right = Math.min(q - j, hi - 1 - q);
  for (let k = 0; k < right; k++) swap(a, i + k, hi - right + k);
  return [lo + (i - p), hi - (q - j)];
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
