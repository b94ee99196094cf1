import { allocate, type DType } from './dtype.js';
import { scatterStrided } from './iterate.js';
import { NDArray } from './ndarray.js';
import { formatShape, normalizeAxis, sizeOf } from './shape.js';

/** Joins arrays along an existing axis; every other dimension and the dtype must agree. */
export function concat(arrays: readonly NDArray[], axis = 0): NDArray {
  if (arrays.length === 0) throw new RangeError('concat: need at least one array');
  const first = arrays[0]!;
  const along = normalizeAxis('concat', axis, first.rank);
  arrays.forEach((a, i) => {
    if (a.dtype !== first.dtype)
      throw new TypeError(`concat: array ${i} is ${a.dtype}, array 0 is ${first.dtype}`);
    if (a.rank !== first.rank || a.shape.some((d, k) => k !== along && d !== first.shape[k])) {
      throw new RangeError(
        `concat: array ${i} has shape ${formatShape(a.shape)}, incompatible with ${formatShape(first.shape)} along axis ${along}`,
      );
    }
  });
  const shape = [...first.shape];
  shape[along] = arrays.reduce((n, a) => n + a.shape[along]!, 0);
  const out = new NDArray(allocate(first.dtype, sizeOf(shape)), shape, { dtype: first.dtype });
  let start = 0;
  for (const a of arrays) {
    const length = a.shape[along]!;
    const target = out.slice(...shape.map((_, k) => (k === along ? { start, stop: start + length } : null)));
    writeInto(target, a);
    start += length;
  }
  return out;
}

/** Joins arrays of one shape along a new axis. */
export function stack(arrays: readonly NDArray[], axis = 0): NDArray {
  if (arrays.length === 0) throw new RangeError('stack: need at least one array');
  const first = arrays[0]!;
  arrays.forEach((a, i) => {
    if (formatShape(a.shape) !== formatShape(first.shape)) {
      throw new RangeError(
        `stack: array ${i} has shape ${formatShape(a.shape)}, array 0 has ${formatShape(first.shape)}`,
      );
    }
  });
  const at = normalizeAxis('stack', axis, first.rank + 1);
  return concat(
    arrays.map((a) => a.expandDims(at)),
    at,
  );
}

/**
 * Views of `a` cut along `axis`: into `sections` equal parts (a number), or at the given indices (NumPy's
 * array_split semantics are not used: unequal sections are an error).
 */
export function split(a: NDArray, sections: number | readonly number[], axis = 0): NDArray[] {
  const along = normalizeAxis('split', axis, a.rank);
  const d = a.shape[along]!;
  let cuts: number[];
  if (typeof sections === 'number') {
    if (!Number.isInteger(sections) || sections <= 0 || d % sections !== 0) {
      throw new RangeError(
        `split: axis ${along} of length ${d} cannot be split into ${sections} equal sections`,
      );
    }
    cuts = Array.from({ length: sections - 1 }, (_, i) => ((i + 1) * d) / sections);
  } else {
    cuts = [...sections];
    if (cuts.some((c, i) => !Number.isInteger(c) || c < 0 || c > d || (i > 0 && c < cuts[i - 1]!))) {
      throw new RangeError(`split: indices [${sections}] must be increasing integers within 0..${d}`);
    }
  }
  const bounds = [0, ...cuts, d];
  return bounds
    .slice(1)
    .map((stop, i) => a.slice(...a.shape.map((_, k) => (k === along ? { start: bounds[i]!, stop } : null))));
}

/** NumPy's take: the result has shape a.shape[:axis] + indices.shape + a.shape[axis+1:]. */
export function take(a: NDArray, indices: NDArray | readonly number[], axis = 0): NDArray {
  const along = normalizeAxis('take', axis, a.rank);
  const idx = indexArray('take', indices, a.shape[along]!, along);
  const inner = a.shape.slice(along + 1);
  const outer = a.shape.slice(0, along);
  // One block copy per (outer position, pick) from a row-major copy of a: an embedding lookup of thousands of
  // rows is a loop of short copies, not one slice-and-stack per pick.
  const source = a.contiguous();
  const picks = idx.toTypedArray();
  const block = sizeOf(inner);
  const length = a.shape[along]!;
  const outerSize = sizeOf(outer);
  const out = allocate(a.dtype, outerSize * picks.length * block);
  const data = source.data;
  for (let o = 0, at = 0; o < outerSize; o++) {
    for (let j = 0; j < picks.length; j++, at += block) {
      const from = source.offset + (o * length + picks[j]!) * block;
      for (let q = 0; q < block; q++) out[at + q] = data[from + q]!;
    }
  }
  return new NDArray(out, [...outer, ...idx.shape, ...inner], { dtype: a.dtype });
}

/**
 * NumPy's take_along_axis (PyTorch's gather): out[..., j, ...] = a[..., indices[..., j, ...], ...]; indices
 * has a's rank and broadcasts against it on every other axis. Picks e.g. each row's target-class logit.
 */
export function takeAlongAxis(a: NDArray, indices: NDArray, axis: number): NDArray {
  const along = normalizeAxis('takeAlongAxis', axis, a.rank);
  if (indices.rank !== a.rank) {
    throw new RangeError(
      `takeAlongAxis: indices have rank ${indices.rank}, a has rank ${a.rank} (${formatShape(a.shape)})`,
    );
  }
  const idx = indexArray('takeAlongAxis', indices, a.shape[along]!, along);
  const shape = a.shape.map((d, k) => (k === along ? idx.shape[k]! : Math.max(d, idx.shape[k]!)));
  const source = a.broadcastTo(shape.map((d, k) => (k === along ? a.shape[k]! : d)));
  const index = idx.broadcastTo(shape).toTypedArray();
  const out = allocate(a.dtype, index.length);
  const counter = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < out.length; flat++) {
    let at = source.offset;
    for (let k = 0; k < shape.length; k++)
      at += (k === along ? index[flat]! : counter[k]!) * source.strides[k]!;
    out[flat] = source.data[at]!;
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++counter[k]! < shape[k]!) break;
      counter[k] = 0;
    }
  }
  return new NDArray(out, shape, { dtype: a.dtype });
}

/** Rows of the identity: out[..., c] = 1 where indices[...] = c. */
export function oneHot(
  indices: NDArray | readonly number[],
  depth: number,
  dtype: DType = 'float32',
): NDArray {
  if (!Number.isInteger(depth) || depth <= 0)
    throw new RangeError(`oneHot: depth must be a positive integer, got ${depth}`);
  const idx = indexArray('oneHot', indices, depth, -1, false);
  const flat = idx.toTypedArray();
  const out = allocate(dtype, flat.length * depth);
  for (let i = 0; i < flat.length; i++) out[i * depth + flat[i]!] = 1;
  return new NDArray(out, [...idx.shape, depth], { dtype });
}

/** Integer indices, checked against the axis length; negative ones count from the end when allowed. */
function indexArray(
  op: string,
  indices: NDArray | readonly number[],
  length: number,
  axis: number,
  negative = true,
): NDArray {
  const idx = indices instanceof NDArray ? indices : new NDArray(Int32Array.from(indices), [indices.length]);
  if (idx.dtype !== 'int32' && idx.dtype !== 'uint8')
    throw new TypeError(`${op}: indices must be int32, got ${idx.dtype}`);
  const flat = idx.toTypedArray();
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (
      v >= length ||
      v < (negative ? -length : 0) ||
      (!(indices instanceof NDArray) && !Number.isInteger(indices[i]))
    ) {
      const where = axis >= 0 ? `axis ${axis} with size ${length}` : `depth ${length}`;
      throw new RangeError(
        `${op}: index ${indices instanceof NDArray ? v : indices[i]} is out of bounds for ${where}`,
      );
    }
    if (v < 0) flat[i] = v + length;
  }
  return new NDArray(flat, idx.shape, { dtype: idx.dtype });
}

/** Copies `source` into the (possibly strided) view `target` of the same shape. */
function writeInto(target: NDArray, source: NDArray): void {
  scatterStrided(source.toTypedArray(), target.data, target.shape, target.strides, target.offset);
}
