/** A comparator as Array.prototype.sort takes it: negative, zero or positive. */
export type Comparator<T> = (a: T, b: T) => number;

/**
 * The numeric order of TypedArray.prototype.sort: ascending, -0 before +0, NaN after everything.
 * (Array.prototype.sort without a comparator compares strings; this is the order people mean for numbers.)
 */
export function numericOrder(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === 0 && b === 0) return Object.is(a, -0) ? (Object.is(b, -0) ? 0 : -1) : Object.is(b, -0) ? 1 : 0;
  return 0;
}

/**
 * Sorts a copy and writes it back only when the sort finished, so a comparator that throws, or returns
 * something that is not a number, leaves the caller's array exactly as it was.
 */
export function sortSafely<T>(
  op: string,
  array: T[],
  compare: Comparator<T>,
  sort: (copy: T[], cmp: Comparator<T>) => void,
): T[] {
  if (!Array.isArray(array))
    throw new TypeError(`${op}: expected an array, got ${array === null ? 'null' : typeof array}`);
  if (typeof compare !== 'function') throw new TypeError(`${op}: the comparator must be a function`);
  const checked: Comparator<T> = (a, b) => {
    const r = compare(a, b);
    if (typeof r !== 'number' || Number.isNaN(r)) {
      throw new TypeError(
        `${op}: the comparator returned ${String(r)} for (${String(a)}, ${String(b)}); expected a number`,
      );
    }
    return r;
  };
  const copy = array.slice();
  sort(copy, checked);
  for (let i = 0; i < copy.length; i++) array[i] = copy[i]!;
  return array;
}
