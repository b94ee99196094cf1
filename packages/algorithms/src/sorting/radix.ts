export type RadixKeys = Uint32Array | Int32Array | Float32Array;

/**
 * LSD radix sort of 32-bit keys in four passes of 8 bits: O(n) time, O(n) extra space, stable. Keys are mapped
 * to unsigned integers whose order is the keys' order — Int32 by flipping the sign bit, Float32 by flipping the
 * sign bit of positives and every bit of negatives (so -0 lands before +0), with every NaN mapped past +Infinity,
 * as TypedArray.prototype.sort orders them. A pass is skipped when all keys share that byte. Sorts in place.
 */
export function radixSort<K extends RadixKeys>(keys: K): K {
  if (!(keys instanceof Uint32Array || keys instanceof Int32Array || keys instanceof Float32Array)) {
    const got = Array.isArray(keys)
      ? 'an Array'
      : keys === null
        ? 'null'
        : ((keys as object)?.constructor?.name ?? typeof keys);
    throw new TypeError(`radixSort: expected a Uint32Array, Int32Array or Float32Array, got ${got}`);
  }
  const n = keys.length;
  if (n < 2) return keys;
  const bits = new Uint32Array(keys.buffer, keys.byteOffset, n);
  let from = new Uint32Array(n);
  for (let i = 0; i < n; i++) from[i] = toOrdered(bits[i]!, keys);
  let to = new Uint32Array(n);
  const counts = new Uint32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(from[i]! >>> shift) & 0xff]!++;
    if (counts[(from[0]! >>> shift) & 0xff] === n) continue; // every key has this byte: nothing moves
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = from[i]!;
      to[counts[(k >>> shift) & 0xff]!++] = k;
    }
    [from, to] = [to, from];
  }
  for (let i = 0; i < n; i++) bits[i] = fromOrdered(from[i]!, keys);
  return keys;
}

function toOrdered(u: number, keys: RadixKeys): number {
  if (keys instanceof Uint32Array) return u;
  if (keys instanceof Int32Array) return (u ^ 0x80000000) >>> 0;
  if ((u & 0x7f800000) === 0x7f800000 && (u & 0x007fffff) !== 0) return 0xffffffff; // NaN, any sign or payload
  return (u & 0x80000000 ? ~u : u | 0x80000000) >>> 0;
}

function fromOrdered(k: number, keys: RadixKeys): number {
  if (keys instanceof Uint32Array) return k;
  if (keys instanceof Int32Array) return (k ^ 0x80000000) >>> 0;
  if (k === 0xffffffff) return 0x7fc00000; // the canonical quiet NaN
  return (k & 0x80000000 ? k & 0x7fffffff : ~k) >>> 0;
}

/**
 * Counting sort of small non-negative integers (labels, bytes, ranks): O(n + range) time and space, stable in
 * effect (equal integers are indistinguishable). Refuses anything but integers in [0, range).
 */
export function countingSort<A extends Uint8Array | Uint16Array | Int32Array | number[]>(
  values: A,
  range: number,
): A {
  if (!Number.isInteger(range) || range < 1)
    throw new RangeError(`countingSort: range must be a positive integer, got ${range}`);
  const counts = new Uint32Array(range);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= range) {
      throw new RangeError(`countingSort: value ${i} is ${v}, expected an integer in [0, ${range})`);
    }
    counts[v]!++;
  }
  let at = 0;
  for (let v = 0; v < range; v++) for (let c = counts[v]!; c > 0; c--) values[at++] = v;
  return values;
}
