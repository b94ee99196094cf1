import { type Comparator, numericOrder, sortSafely } from './compare.js';

const MIN_MERGE = 32;
const MIN_GALLOP = 7;

/**
 * TimSort (Peters, 2002; CPython's listsort.txt): find the natural runs (reversing strictly descending ones),
 * extend short runs to `minrun` with binary insertion sort, and merge runs from a stack whose lengths keep
 * the invariants that bound the work to O(n log n); merges "gallop" (exponential search) when one run keeps
 * winning, so nearly-sorted input costs close to O(n). Stable; O(n) extra space worst case.
 */
export function timSort<T>(array: T[], compare: Comparator<T> = numericOrder as Comparator<T>): T[] {
  return sortSafely('timSort', array, compare, (a, cmp) => new TimSort(a, cmp).sort());
}

class TimSort<T> {
  private readonly runs: { base: number; length: number }[] = [];
  private minGallop = MIN_GALLOP;

  constructor(
    private readonly a: T[],
    private readonly cmp: Comparator<T>,
  ) {}

  sort(): void {
    const n = this.a.length;
    if (n < 2) return;
    const minRun = minRunLength(n);
    let lo = 0;
    while (lo < n) {
      let run = this.countRunAndMakeAscending(lo, n);
      if (run < minRun) {
        const forced = Math.min(minRun, n - lo);
        this.binaryInsertionSort(lo, lo + forced, lo + run);
        run = forced;
      }
      this.runs.push({ base: lo, length: run });
      this.mergeCollapse();
      lo += run;
    }
    while (this.runs.length > 1)
      this.mergeAt(
        this.runs.length >= 3 && this.runs.at(-3)!.length < this.runs.at(-1)!.length
          ? this.runs.length - 3
          : this.runs.length - 2,
      );
  }

  /** Length of the run at lo; a strictly descending run is reversed (strictness keeps the sort stable). */
  private countRunAndMakeAscending(lo: number, hi: number): number {
    const { a, cmp } = this;
    let end = lo + 1;
    if (end === hi) return 1;
    if (cmp(a[end++]!, a[lo]!) < 0) {
      while (end < hi && cmp(a[end]!, a[end - 1]!) < 0) end++;
      for (let i = lo, j = end - 1; i < j; i++, j--) [a[i], a[j]] = [a[j]!, a[i]!];
    } else {
      while (end < hi && cmp(a[end]!, a[end - 1]!) >= 0) end++;
    }
    return end - lo;
  }

  /** Inserts a[start, hi) into the sorted a[lo, start), finding each place by binary search (after equal keys). */
  private binaryInsertionSort(lo: number, hi: number, start: number): void {
    const { a, cmp } = this;
    for (let i = start; i < hi; i++) {
      const pivot = a[i]!;
      let left = lo;
      let right = i;
      while (left < right) {
        const mid = (left + right) >>> 1;
        if (cmp(pivot, a[mid]!) < 0) right = mid;
        else left = mid + 1;
      }
      for (let j = i; j > left; j--) a[j] = a[j - 1]!;
      a[left] = pivot;
    }
  }

  /** Keeps |X| > |Y| + |Z| and |Y| > |Z| for the top runs (with the 2015 fix that also checks the fourth). */
  private mergeCollapse(): void {
    const r = this.runs;
    while (r.length > 1) {
      let n = r.length - 2;
      const len = (i: number) => r[i]!.length;
      if ((n > 0 && len(n - 1) <= len(n) + len(n + 1)) || (n > 1 && len(n - 2) <= len(n - 1) + len(n))) {
        if (len(n - 1) < len(n + 1)) n--;
      } else if (len(n) > len(n + 1)) {
        break;
      }
      this.mergeAt(n);
    }
  }

  /** Merges runs i and i+1. */
  private mergeAt(i: number): void {
    const { a, cmp } = this;
    let { base: base1, length: len1 } = this.runs[i]!;
    const { base: base2 } = this.runs[i + 1]!;
    let len2 = this.runs[i + 1]!.length;
    this.runs[i] = { base: base1, length: len1 + len2 };
    this.runs.splice(i + 1, 1);
    // Elements of run 1 already before run 2's first element stay where they are.
    const k = gallopRight(a[base2]!, a, base1, len1, 0, cmp);
    base1 += k;
    len1 -= k;
    if (len1 === 0) return;
    // Elements of run 2 already after run 1's last element stay too.
    len2 = gallopLeft(a[base1 + len1 - 1]!, a, base2, len2, len2 - 1, cmp);
    if (len2 === 0) return;
    if (len1 <= len2) this.mergeLo(base1, len1, base2, len2);
    else this.mergeHi(base1, len1, base2, len2);
  }

  /** Merge with run 1 copied out (it is the shorter), filling from the left. */
  private mergeLo(base1: number, len1: number, base2: number, len2: number): void {
    const { a, cmp } = this;
    const tmp = a.slice(base1, base1 + len1);
    let cursor1 = 0;
    let cursor2 = base2;
    let dest = base1;
    a[dest++] = a[cursor2++]!;
    if (--len2 === 0) {
      for (let i = 0; i < len1; i++) a[dest + i] = tmp[cursor1 + i]!;
      return;
    }
    if (len1 === 1) {
      for (let i = 0; i < len2; i++) a[dest + i] = a[cursor2 + i]!;
      a[dest + len2] = tmp[cursor1]!;
      return;
    }
    let minGallop = this.minGallop;
    outer: for (;;) {
      let count1 = 0;
      let count2 = 0;
      // One element at a time until one run wins MIN_GALLOP times in a row.
      do {
        if (cmp(a[cursor2]!, tmp[cursor1]!) < 0) {
          a[dest++] = a[cursor2++]!;
          count2++;
          count1 = 0;
          if (--len2 === 0) break outer;
        } else {
          a[dest++] = tmp[cursor1++]!;
          count1++;
          count2 = 0;
          if (--len1 === 1) break outer;
        }
      } while ((count1 | count2) < minGallop);
      // Galloping: copy whole stretches found by exponential search.
      do {
        count1 = gallopRight(a[cursor2]!, tmp, cursor1, len1, 0, cmp);
        if (count1 !== 0) {
          for (let i = 0; i < count1; i++) a[dest + i] = tmp[cursor1 + i]!;
          dest += count1;
          cursor1 += count1;
          len1 -= count1;
          if (len1 <= 1) break outer;
        }
        a[dest++] = a[cursor2++]!;
        if (--len2 === 0) break outer;
        count2 = gallopLeft(tmp[cursor1]!, a, cursor2, len2, 0, cmp);
        if (count2 !== 0) {
          for (let i = 0; i < count2; i++) a[dest + i] = a[cursor2 + i]!;
          dest += count2;
          cursor2 += count2;
          len2 -= count2;
          if (len2 === 0) break outer;
        }
        a[dest++] = tmp[cursor1++]!;
        if (--len1 === 1) break outer;
        minGallop--;
      } while (count1 >= MIN_GALLOP || count2 >= MIN_GALLOP);
      if (minGallop < 0) minGallop = 0;
      minGallop += 2; // leaving gallop mode costs; make it harder to re-enter
    }
    this.minGallop = Math.max(1, minGallop);
    if (len1 === 1) {
      for (let i = 0; i < len2; i++) a[dest + i] = a[cursor2 + i]!;
      a[dest + len2] = tmp[cursor1]!;
    } else {
      for (let i = 0; i < len1; i++) a[dest + i] = tmp[cursor1 + i]!;
    }
  }

  /** Merge with run 2 copied out (it is the shorter), filling from the right. */
  private mergeHi(base1: number, len1: number, base2: number, len2: number): void {
    const { a, cmp } = this;
    const tmp = a.slice(base2, base2 + len2);
    let cursor1 = base1 + len1 - 1;
    let cursor2 = len2 - 1;
    let dest = base2 + len2 - 1;
    a[dest--] = a[cursor1--]!;
    if (--len1 === 0) {
      for (let i = 0; i < len2; i++) a[dest - len2 + 1 + i] = tmp[i]!;
      return;
    }
    if (len2 === 1) {
      dest -= len1;
      cursor1 -= len1;
      for (let i = len1 - 1; i >= 0; i--) a[dest + 1 + i] = a[cursor1 + 1 + i]!;
      a[dest] = tmp[cursor2]!;
      return;
    }
    let minGallop = this.minGallop;
    outer: for (;;) {
      let count1 = 0;
      let count2 = 0;
      do {
        if (cmp(tmp[cursor2]!, a[cursor1]!) < 0) {
          a[dest--] = a[cursor1--]!;
          count1++;
          count2 = 0;
          if (--len1 === 0) break outer;
        } else {
          a[dest--] = tmp[cursor2--]!;
          count2++;
          count1 = 0;
          if (--len2 === 1) break outer;
        }
      } while ((count1 | count2) < minGallop);
      do {
        count1 = len1 - gallopRight(tmp[cursor2]!, a, base1, len1, len1 - 1, cmp);
        if (count1 !== 0) {
          dest -= count1;
          cursor1 -= count1;
          len1 -= count1;
          for (let i = count1 - 1; i >= 0; i--) a[dest + 1 + i] = a[cursor1 + 1 + i]!;
          if (len1 === 0) break outer;
        }
        a[dest--] = tmp[cursor2--]!;
        if (--len2 === 1) break outer;
        count2 = len2 - gallopLeft(a[cursor1]!, tmp, 0, len2, len2 - 1, cmp);
        if (count2 !== 0) {
          dest -= count2;
          cursor2 -= count2;
          len2 -= count2;
          for (let i = 0; i < count2; i++) a[dest + 1 + i] = tmp[cursor2 + 1 + i]!;
          if (len2 <= 1) break outer;
        }
        a[dest--] = a[cursor1--]!;
        if (--len1 === 0) break outer;
        minGallop--;
      } while (count1 >= MIN_GALLOP || count2 >= MIN_GALLOP);
      if (minGallop < 0) minGallop = 0;
      minGallop += 2;
    }
    this.minGallop = Math.max(1, minGallop);
    if (len2 === 1) {
      dest -= len1;
      cursor1 -= len1;
      for (let i = len1 - 1; i >= 0; i--) a[dest + 1 + i] = a[cursor1 + 1 + i]!;
      a[dest] = tmp[cursor2]!;
    } else {
      for (let i = 0; i < len2; i++) a[dest - len2 + 1 + i] = tmp[i]!;
    }
  }
}

/** The run length n is split into: between 16 and 32, such that n / minrun is a power of two or just below. */
function minRunLength(n: number): number {
  let r = 0;
  while (n >= MIN_MERGE) {
    r |= n & 1;
    n >>= 1;
  }
  return n + r;
}

/**
 * Where `key` goes in the sorted a[base, base+length), before any equal elements (leftmost), found by galloping
 * from `hint`: exponential steps, then binary search in the last step.
 */
function gallopLeft<T>(
  key: T,
  a: T[],
  base: number,
  length: number,
  hint: number,
  cmp: Comparator<T>,
): number {
  let lastOfs = 0;
  let ofs = 1;
  if (cmp(key, a[base + hint]!) > 0) {
    const maxOfs = length - hint;
    while (ofs < maxOfs && cmp(key, a[base + hint + ofs]!) > 0) {
      lastOfs = ofs;
      ofs = (ofs << 1) + 1;
    }
    if (ofs > maxOfs) ofs = maxOfs;
    lastOfs += hint;
    ofs += hint;
  } else {
    const maxOfs = hint + 1;
    while (ofs < maxOfs && cmp(key, a[base + hint - ofs]!) <= 0) {
      lastOfs = ofs;
      ofs = (ofs << 1) + 1;
    }
    if (ofs > maxOfs) ofs = maxOfs;
    [lastOfs, ofs] = [hint - ofs, hint - lastOfs];
  }
  lastOfs++;
  while (lastOfs < ofs) {
    const m = lastOfs + ((ofs - lastOfs) >>> 1);
    if (cmp(key, a[base + m]!) > 0) lastOfs = m + 1;
    else ofs = m;
  }
  return ofs;
}

/** Like gallopLeft, but after any equal elements (rightmost). */
function gallopRight<T>(
  key: T,
  a: T[],
  base: number,
  length: number,
  hint: number,
  cmp: Comparator<T>,
): number {
  let ofs = 1;
  let lastOfs = 0;
  if (cmp(key, a[base + hint]!) < 0) {
    const maxOfs = hint + 1;
    while (ofs < maxOfs && cmp(key, a[base + hint - ofs]!) < 0) {
      lastOfs = ofs;
      ofs = (ofs << 1) + 1;
    }
    if (ofs > maxOfs) ofs = maxOfs;
    [lastOfs, ofs] = [hint - ofs, hint - lastOfs];
  } else {
    const maxOfs = length - hint;
    while (ofs < maxOfs && cmp(key, a[base + hint + ofs]!) >= 0) {
      lastOfs = ofs;
      ofs = (ofs << 1) + 1;
    }
    if (ofs > maxOfs) ofs = maxOfs;
    lastOfs += hint;
    ofs += hint;
  }
  lastOfs++;
  while (lastOfs < ofs) {
    const m = lastOfs + ((ofs - lastOfs) >>> 1);
    if (cmp(key, a[base + m]!) < 0) ofs = m;
    else lastOfs = m + 1;
  }
  return ofs;
}
