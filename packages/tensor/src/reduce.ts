import { allocate, type DType, floatResult, type TypedArray } from './dtype.js';
import { NDArray } from './ndarray.js';
import { formatShape, normalizeAxes, normalizeAxis } from './shape.js';

export interface ReduceOptions {
  /** Axes to reduce (negative counts from the end); all axes when omitted. */
  axis?: number | readonly number[];
  /** Keep reduced axes with length 1, so the result broadcasts against the input. */
  keepdims?: boolean;
}

/** The input regrouped as `outer` rows of `length` elements: row i holds everything reduced into output i. */
interface Rows {
  data: TypedArray;
  outer: number;
  length: number;
  shape: number[];
}

function rowsOf(op: string, a: NDArray, options: ReduceOptions): Rows {
  const axes = normalizeAxes(op, options.axis, a.rank);
  const kept = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  // Reduced axes moved last, then one copy: every output's inputs become one contiguous run.
  const data = a.transpose(...kept, ...axes).toReadonlyTypedArray();
  const length = axes.reduce((n, i) => n * a.shape[i]!, 1);
  const shape = options.keepdims
    ? a.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : kept.map((i) => a.shape[i]!);
  return { data, outer: kept.reduce((n, i) => n * a.shape[i]!, 1), length, shape };
}

function result(values: Float64Array, shape: number[], dtype: DType): NDArray {
  const out = allocate(dtype, values.length);
  out.set(values);
  return new NDArray(out, shape, { dtype });
}

/** Float64 totals of every output's inputs, and how many inputs each total has. */
interface Totals {
  out: Float64Array;
  shape: number[];
  length: number;
}

/**
 * Sums over the leading axes of a contiguous array (bias gradients, batch totals) without the transposing
 * copy of rowsOf: out[j] = Σᵢ data[i·inner + j] walks memory in order (and adds in the same order as rowsOf).
 */
function totalsLeading(a: NDArray, axes: number[], keepdims: boolean): Totals | undefined {
  if (a.size === 0 || !a.isContiguous || axes.length === a.rank || axes.some((axis, i) => axis !== i))
    return undefined;
  const outerCount = axes.reduce((n, i) => n * a.shape[i]!, 1);
  const inner = a.size / outerCount;
  const out = new Float64Array(inner);
  const data = a.data;
  for (let i = 0, k = a.offset; i < outerCount; i++) for (let j = 0; j < inner; j++, k++) out[j]! += data[k]!;
  const shape = keepdims ? a.shape.map((d, i) => (i < axes.length ? 1 : d)) : a.shape.slice(axes.length);
  return { out, shape, length: outerCount };
}

/** The float64 sum of every output's inputs: the shared core of sum and mean. */
function totals(op: string, a: NDArray, options: ReduceOptions): Totals {
  const leading = totalsLeading(a, normalizeAxes(op, options.axis, a.rank), options.keepdims ?? false);
  if (leading) return leading;
  const { data, outer, length, shape } = rowsOf(op, a, options);
  const out = new Float64Array(outer);
  for (let r = 0, k = 0; r < outer; r++) {
    let s = 0;
    for (let j = 0; j < length; j++) s += data[k++]!;
    out[r] = s;
  }
  return { out, shape, length };
}

/** Sums accumulate in float64. Integer and bool input gives float64 (NumPy would give int64). */
export function sum(a: NDArray, options: ReduceOptions = {}): NDArray {
  const { out, shape } = totals('sum', a, options);
  return result(out, shape, floatResult(a.dtype));
}

export function mean(a: NDArray, options: ReduceOptions = {}): NDArray {
  const { out, shape, length } = totals('mean', a, options);
  if (length === 0) throw new RangeError(`mean: cannot average zero elements of ${formatShape(a.shape)}`);
  for (let r = 0; r < out.length; r++) out[r]! /= length;
  return result(out, shape, floatResult(a.dtype));
}

function extreme(op: 'max' | 'min', a: NDArray, options: ReduceOptions): NDArray {
  const { data, outer, length, shape } = rowsOf(op, a, options);
  if (length === 0)
    throw new RangeError(`${op}: zero-size reduction of ${formatShape(a.shape)} has no identity`);
  const sign = op === 'max' ? 1 : -1;
  const out = new Float64Array(outer);
  for (let r = 0, k = 0; r < outer; r++) {
    let best = data[k]!;
    for (let j = 0; j < length; j++, k++) {
      const v = data[k]!;
      if (Number.isNaN(v)) {
        best = v; // NaN propagates, as in NumPy
        k += length - j;
        break;
      }
      if (sign * v > sign * best) best = v;
    }
    out[r] = best;
  }
  return result(out, shape, a.dtype);
}

export const max = (a: NDArray, options: ReduceOptions = {}) => extreme('max', a, options);
export const min = (a: NDArray, options: ReduceOptions = {}) => extreme('min', a, options);

function argExtreme(op: 'argmax' | 'argmin', a: NDArray, axis?: number, keepdims = false): NDArray {
  const source = axis === undefined ? a.reshape(-1) : a;
  const along = axis === undefined ? 0 : normalizeAxis(op, axis, a.rank);
  const { data, outer, length, shape } = rowsOf(op, source, {
    axis: along,
    keepdims: keepdims && axis !== undefined,
  });
  if (length === 0) throw new RangeError(`${op}: attempt to get ${op} of an empty sequence`);
  const sign = op === 'argmax' ? 1 : -1;
  const out = allocate('int32', outer);
  for (let r = 0; r < outer; r++) {
    const base = r * length;
    let best = 0;
    for (let j = 0; j < length; j++) {
      const v = data[base + j]!;
      if (Number.isNaN(v)) {
        best = j; // the first NaN wins, as in NumPy
        break;
      }
      if (sign * v > sign * data[base + best]!) best = j;
    }
    out[r] = best;
  }
  return new NDArray(out, keepdims && axis === undefined ? a.shape.map(() => 1) : shape, { dtype: 'int32' });
}

/** Index of the largest element along `axis` (of the flattened array when omitted), as int32. */
export const argmax = (a: NDArray, axis?: number, keepdims = false) =>
  argExtreme('argmax', a, axis, keepdims);
export const argmin = (a: NDArray, axis?: number, keepdims = false) =>
  argExtreme('argmin', a, axis, keepdims);

export interface VarianceOptions extends ReduceOptions {
  /** Delta degrees of freedom: divide by N − ddof. 0 (population) by default, as NumPy. */
  ddof?: number;
}

/** Variance by two passes (mean, then squared deviations), which avoids the cancellation of E[x²] − E[x]². */
export function variance(a: NDArray, options: VarianceOptions = {}): NDArray {
  const ddof = options.ddof ?? 0;
  const { data, outer, length, shape } = rowsOf('var', a, options);
  if (length - ddof <= 0)
    throw new RangeError(`var: ${length} elements with ddof ${ddof} leave no degrees of freedom`);
  const out = new Float64Array(outer);
  for (let r = 0; r < outer; r++) {
    const base = r * length;
    let m = 0;
    for (let j = 0; j < length; j++) m += data[base + j]!;
    m /= length;
    let ss = 0;
    for (let j = 0; j < length; j++) {
      const d = data[base + j]! - m;
      ss += d * d;
    }
    out[r] = ss / (length - ddof);
  }
  return result(out, shape, floatResult(a.dtype));
}

export function std(a: NDArray, options: VarianceOptions = {}): NDArray {
  const v = variance(a, options);
  for (let i = 0; i < v.data.length; i++) v.data[i] = Math.sqrt(v.data[i]!);
  return v;
}

/** log Σ exp(x), computed as m + log Σ exp(x − m) with m the maximum, so large inputs do not overflow. */
export function logsumexp(a: NDArray, options: ReduceOptions = {}): NDArray {
  const { data, outer, length, shape } = rowsOf('logsumexp', a, options);
  const out = new Float64Array(outer);
  for (let r = 0; r < outer; r++) out[r] = logSumExpRow(data, r * length, length);
  return result(out, shape, floatResult(a.dtype));
}

function logSumExpRow(data: TypedArray, base: number, length: number): number {
  const { peak, total } = shiftedExpSum(data, base, length);
  return Number.isFinite(peak) ? peak + Math.log(total) : peak;
}

/** The row's maximum m and Σ exp(x − m); every exponent is ≤ 0, so nothing overflows. */
function shiftedExpSum(data: TypedArray, base: number, length: number): { peak: number; total: number } {
  let peak = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < length; j++) {
    const v = data[base + j]!;
    if (Number.isNaN(v)) return { peak: Number.NaN, total: Number.NaN };
    if (v > peak) peak = v;
  }
  // All −∞ gives −∞ and any +∞ gives +∞, as NumPy; the shifted sum would be NaN there.
  if (!Number.isFinite(peak)) return { peak, total: Number.NaN };
  let total = 0;
  for (let j = 0; j < length; j++) total += Math.exp(data[base + j]! - peak);
  return { peak, total };
}

/** Applies `rowFn` to every 1-D lane along `axis`, writing a same-shaped float result. */
function alongAxis(
  op: string,
  a: NDArray,
  axis: number,
  rowFn: (data: TypedArray, base: number, length: number, out: Float64Array) => void,
): NDArray {
  const along = normalizeAxis(op, axis, a.rank);
  const order = [...a.shape.keys()].filter((i) => i !== along).concat(along);
  const moved = a.transpose(...order);
  const data = moved.toReadonlyTypedArray();
  const length = a.shape[along]!;
  const out = new Float64Array(data.length);
  for (let base = 0; base < data.length; base += length) rowFn(data, base, length, out);
  const dtype = floatResult(a.dtype);
  const flat = allocate(dtype, out.length);
  flat.set(out);
  const inverse = order.map((_, i) => order.indexOf(i));
  return new NDArray(flat, moved.shape, { dtype }).transpose(...inverse).contiguous();
}

/** exp(x − max) / Σ exp(x − max) along `axis`: the shift changes nothing mathematically and prevents overflow. */
export function softmax(a: NDArray, axis = -1): NDArray {
  return alongAxis('softmax', a, axis, (data, base, length, out) => {
    const { peak, total } = shiftedExpSum(data, base, length);
    for (let j = 0; j < length; j++) out[base + j] = Math.exp(data[base + j]! - peak) / total;
  });
}

/** x − logsumexp(x) along `axis`: stable where log(softmax(x)) would take the log of an underflowed 0. */
export function logSoftmax(a: NDArray, axis = -1): NDArray {
  return alongAxis('logSoftmax', a, axis, (data, base, length, out) => {
    const { peak, total } = shiftedExpSum(data, base, length);
    const logTotal = Math.log(total);
    for (let j = 0; j < length; j++) out[base + j] = data[base + j]! - peak - logTotal;
  });
}
