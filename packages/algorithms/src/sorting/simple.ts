import { type Comparator, numericOrder, sortSafely } from './compare.js';

/**
 * Insertion sort: O(n²) comparisons worst case, O(n) on sorted input, O(1) extra space, stable.
 * The inner loop of every fast sort for short ranges.
 */
export function insertionSort<T>(array: T[], compare: Comparator<T> = numericOrder as Comparator<T>): T[] {
  return sortSafely('insertionSort', array, compare, (a, cmp) => insertionRange(a, 0, a.length, cmp));
}

export function insertionRange<T>(a: T[], lo: number, hi: number, cmp: Comparator<T>): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= lo && cmp(a[j]!, x) > 0) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

/** Heapsort: O(n log n) always, O(1) extra space, not stable. The introsort fallback. */
export function heapSort<T>(array: T[], compare: Comparator<T> = numericOrder as Comparator<T>): T[] {
  return sortSafely('heapSort', array, compare, (a, cmp) => heapRange(a, 0, a.length, cmp));
}

export function heapRange<T>(a: T[], lo: number, hi: number, cmp: Comparator<T>): void {
  const n = hi - lo;
  const sift = (root: number, size: number) => {
    for (;;) {
      let largest = root;
      const l = 2 * root + 1;
      const r = l + 1;
      if (l < size && cmp(a[lo + l]!, a[lo + largest]!) > 0) largest = l;
      if (r < size && cmp(a[lo + r]!, a[lo + largest]!) > 0) largest = r;
      if (largest === root) return;
      const t = a[lo + root]!;
      a[lo + root] = a[lo + largest]!;
      a[lo + largest] = t;
      root = largest;
    }
  };
  for (let i = (n >> 1) - 1; i >= 0; i--) sift(i, n);
  for (let end = n - 1; end > 0; end--) {
    const t = a[lo]!;
    a[lo] = a[lo + end]!;
    a[lo + end] = t;
    sift(0, end);
  }
}

/** Merge sort, top-down (recursive halves): O(n log n), O(n) extra space, stable. */
export function mergeSort<T>(array: T[], compare: Comparator<T> = numericOrder as Comparator<T>): T[] {
  return sortSafely('mergeSort', array, compare, (a, cmp) => {
    const buffer = a.slice();
    const sort = (lo: number, hi: number) => {
      if (hi - lo <= 16) {
        insertionRange(a, lo, hi, cmp);
        return;
      }
      const mid = (lo + hi) >>> 1;
      sort(lo, mid);
      sort(mid, hi);
      if (cmp(a[mid - 1]!, a[mid]!) <= 0) return; // already in order: nothing to merge
      merge(a, buffer, lo, mid, hi, cmp);
    };
    sort(0, a.length);
  });
}

/** Merge sort, bottom-up (widths 1, 2, 4, …): the same bounds without recursion. */
export function mergeSortBottomUp<T>(
  array: T[],
  compare: Comparator<T> = numericOrder as Comparator<T>,
): T[] {
  return sortSafely('mergeSortBottomUp', array, compare, (a, cmp) => {
    const buffer = a.slice();
    for (let width = 1; width < a.length; width *= 2) {
      for (let lo = 0; lo < a.length - width; lo += 2 * width)
        merge(a, buffer, lo, lo + width, Math.min(lo + 2 * width, a.length), cmp);
    }
  });
}

/** Merges sorted a[lo, mid) and a[mid, hi); ties take the left element first, which keeps the sort stable. */
function merge<T>(a: T[], buffer: T[], lo: number, mid: number, hi: number, cmp: Comparator<T>): void {
  for (let k = lo; k < hi; k++) buffer[k] = a[k]!;
  let i = lo;
  let j = mid;
  for (let k = lo; k < hi; k++) {
    if (i >= mid) a[k] = buffer[j++]!;
    else if (j >= hi) a[k] = buffer[i++]!;
    else if (cmp(buffer[j]!, buffer[i]!) < 0) a[k] = buffer[j++]!;
    else a[k] = buffer[i++]!;
  }
}
