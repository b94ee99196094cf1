import type { NDArray, NestedArray, ReduceOptions, SliceSpec } from '@mle/tensor';
import * as T from '@mle/tensor';
import { Tensor } from './tensor.js';

/** A tensor, or a number that takes the other operand's dtype. */
export type Input = Tensor | number;

const asTensor = (x: Input, like: Tensor): Tensor =>
  x instanceof Tensor ? x : new Tensor(T.full([], x, like.dtype));

/** A constant tensor from nested arrays (float32 unless told), optionally requiring a gradient. */
export function tensor(
  values: NestedArray | NDArray,
  options: { dtype?: T.DType; requiresGrad?: boolean } = {},
): Tensor {
  const value = values instanceof T.NDArray ? values : T.array(values, options.dtype ?? 'float32');
  return new Tensor(value, { requiresGrad: options.requiresGrad ?? false });
}

/**
 * Sums a broadcast gradient back to the shape of the operand that was broadcast: over the leading axes it
 * lacked and over the axes where it had length 1.
 */
export function unbroadcast(grad: NDArray, shape: readonly number[]): NDArray {
  if (grad.shape.join() === shape.join()) return grad;
  const lead = grad.rank - shape.length;
  const axes = grad.shape.flatMap((d, i) => (i < lead || (shape[i - lead] === 1 && d !== 1) ? [i] : []));
  const summed = axes.length > 0 ? T.sum(grad, { axis: axes, keepdims: true }) : grad;
  return summed.reshape([...shape]);
}

function binary(
  name: string,
  forward: (a: NDArray, b: NDArray) => NDArray,
  backward: (g: NDArray, a: NDArray, b: NDArray, out: NDArray) => [NDArray | null, NDArray | null],
) {
  return (x: Input, y: Input): Tensor => {
    const like = x instanceof Tensor ? x : (y as Tensor);
    const a = asTensor(x, like);
    const b = asTensor(y, like);
    const out = forward(a.value, b.value);
    return Tensor.fromOp(name, out, [a, b], (g) => {
      const [ga, gb] = backward(g, a.value, b.value, out);
      return [
        ga && a.requiresGrad ? unbroadcast(ga, a.shape) : null,
        gb && b.requiresGrad ? unbroadcast(gb, b.shape) : null,
      ];
    });
  };
}

export const add = binary('add', T.add, (g) => [g, g]);
export const sub = binary('sub', T.sub, (g) => [g, T.neg(g)]);
export const mul = binary('mul', T.mul, (g, a, b) => [T.mul(g, b), T.mul(g, a)]);
export const div = binary('div', T.div, (g, a, b) => [T.div(g, b), T.neg(T.div(T.mul(g, a), T.mul(b, b)))]);
/** Element-wise maximum; where the two are equal the gradient goes to the first operand. */
export const maximum = binary('maximum', T.maximum, (g, a, b) => {
  const first = T.greaterEqual(a, b);
  return [T.where(first, g, 0), T.where(first, 0, g)];
});

function unary(
  name: string,
  forward: (a: NDArray) => NDArray,
  backward: (g: NDArray, a: NDArray, out: NDArray) => NDArray,
) {
  return (x: Tensor): Tensor => {
    const out = forward(x.value);
    return Tensor.fromOp(name, out, [x], (g) => [backward(g, x.value, out)]);
  };
}

export const neg = unary('neg', T.neg, (g) => T.neg(g));
export const exp = unary('exp', T.exp, (g, _a, out) => T.mul(g, out));
export const log = unary('log', T.log, (g, a) => T.div(g, a));
export const sqrt = unary('sqrt', T.sqrt, (g, _a, out) => T.div(T.mul(g, 0.5), out));
export const abs = unary('abs', T.abs, (g, a) =>
  T.mul(g, T.sub(T.greater(a, 0).astype(a.dtype), T.less(a, 0).astype(a.dtype))),
);
export const tanh = unary('tanh', T.tanh, (g, _a, out) => T.mul(g, T.sub(1, T.mul(out, out))));
export const sigmoid = unary('sigmoid', T.sigmoid, (g, _a, out) => T.mul(g, T.mul(out, T.sub(1, out))));
/** max(x, 0); its backward pass is one fused loop (the hot path of every ReLU network). */
export const relu = unary('relu', T.relu, (g, a) => {
  const gv = g.toReadonlyTypedArray();
  const av = a.toReadonlyTypedArray();
  const out = T.zeros(a.shape, g.dtype);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = av[i]! > 0 ? gv[i]! : 0;
  return out;
});

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const TANH_C = Math.sqrt(2 / Math.PI);

/**
 * GELU x·Φ(x) (Hendrycks & Gimpel, 2016), or its tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715x³))). One
 * pass computes the output and the derivative together (Φ(x) + x·φ(x), or the tanh form's own derivative), so the
 * backward pass is one multiply and erf is evaluated once per element: in a GPT's MLP, composing it from elementary
 * ops spent more time in erf and temporaries than in the matrix products around it.
 */
export function gelu(x: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  checkOptions('gelu', options, ['approximate']);
  const tanhForm = options.approximate === 'tanh';
  // float32 keeps 24 bits: an erf good to float32 (five times faster) loses nothing that the result would keep.
  const erf = x.dtype === 'float32' ? T.erfFloat32 : T.erf;
  const a = x.value.toReadonlyTypedArray();
  const out = T.zeros(x.shape, x.dtype);
  const y = out.data;
  const derivative = T.zeros(x.shape, x.dtype);
  const d = derivative.data;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (tanhForm) {
      const t = Math.tanh(TANH_C * (v + 0.044715 * v * v * v));
      y[i] = 0.5 * v * (1 + t);
      d[i] = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * TANH_C * (1 + 3 * 0.044715 * v * v);
    } else {
      const cdf = 0.5 * (1 + erf(v * Math.SQRT1_2));
      y[i] = v * cdf;
      d[i] = cdf + (v * Math.exp(-0.5 * v * v)) / SQRT_2PI;
    }
  }
  return Tensor.fromOp('gelu', out, [x], (g) => [T.mul(g, derivative)]);
}

/** x^p for a constant exponent p. d/dx = p·x^(p−1), and 0 for p = 0 (where p·x^(p−1) would be 0·∞ at x = 0). */
export function pow(x: Tensor, p: number): Tensor {
  const out = T.pow(x.value, p);
  return Tensor.fromOp('pow', out, [x], (g) => [
    p === 0 ? T.zeros([...g.shape], g.dtype) : T.mul(g, T.mul(T.pow(x.value, p - 1), p)),
  ]);
}

/** NumPy matmul semantics, batch axes broadcast; 1-D operands become a row (a) or column (b) and are squeezed back. */
export function matmul(x: Tensor, y: Tensor): Tensor {
  if (x.shape.length === 1)
    return reshape(
      matmul(reshape(x, [1, x.shape[0]!]), y),
      y.shape.length === 1 ? [] : [...y.shape.slice(0, -2), y.shape.at(-1)!],
    );
  if (y.shape.length === 1) return reshape(matmul(x, reshape(y, [y.shape[0]!, 1])), x.shape.slice(0, -1));
  const out = T.matmul(x.value, y.value);
  const swap = (a: NDArray) => a.transpose(...a.shape.map((_, i) => i).slice(0, -2), a.rank - 1, a.rank - 2);
  return Tensor.fromOp('matmul', out, [x, y], (g) => [
    x.requiresGrad ? unbroadcast(T.matmul(g, swap(y.value)), x.shape) : null,
    y.requiresGrad ? unbroadcast(T.matmul(swap(x.value), g), y.shape) : null,
  ]);
}

export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  const out = T.sum(x.value, options);
  return Tensor.fromOp('sum', out, [x], (g) => [expandTo(g, x.shape, options)]);
}

export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  const out = T.mean(x.value, options);
  const count = x.size / Math.max(out.size, 1);
  return Tensor.fromOp('mean', out, [x], (g) => [T.div(expandTo(g, x.shape, options), count)]);
}

/** Maximum over axes; the gradient is shared equally among tied maxima. */
export function max(x: Tensor, options: ReduceOptions = {}): Tensor {
  const out = T.max(x.value, options);
  return Tensor.fromOp('max', out, [x], (g) => {
    const kept = expandTo(out, x.shape, options);
    const mask = T.equal(x.value, kept).astype(x.dtype);
    const ties = expandTo(T.sum(mask, options), x.shape, options);
    return [T.div(T.mul(mask, expandTo(g, x.shape, options)), ties)];
  });
}

/** Minimum over axes: −max(−x). */
export const min = (x: Tensor, options: ReduceOptions = {}): Tensor => neg(max(neg(x), options));

/** Element-wise minimum: −maximum(−a, −b). */
export const minimum = (a: Input, b: Input): Tensor => {
  const like = a instanceof Tensor ? a : (b as Tensor);
  return neg(maximum(neg(asTensor(a, like)), neg(asTensor(b, like))));
};

export interface VarianceOptions extends ReduceOptions {
  /** Delta degrees of freedom: divide by N − ddof. 0 (population) by default, as NumPy; PyTorch's default is 1. */
  ddof?: number;
}

/** Variance over `axis` (all axes by default), composed from differentiable ops. */
export function variance(x: Tensor, options: VarianceOptions = {}): Tensor {
  checkOptions('variance', options, ['axis', 'keepdims', 'ddof']);
  const { ddof = 0, ...reduce } = options;
  const centred = sub(x, mean(x, { axis: reduce.axis, keepdims: true }));
  const squares = sum(mul(centred, centred), reduce);
  const n = x.size / squares.size;
  if (!(Number.isInteger(ddof) && ddof >= 0) || n - ddof <= 0)
    throw new RangeError(`variance: ${n} elements with ddof ${ddof} leave no degrees of freedom`);
  return div(squares, n - ddof);
}

export const std = (x: Tensor, options: VarianceOptions = {}): Tensor => sqrt(variance(x, options));

/**
 * Refuses an option the function does not implement: a caller who asks for `dilation` or `ddof` and silently gets
 * a different computation would never find out.
 */
export function checkOptions(where: string, options: object, supported: readonly string[]): void {
  for (const key of Object.keys(options))
    if (!supported.includes(key))
      throw new TypeError(`${where}: option "${key}" is not supported (supported: ${supported.join(', ')})`);
}

export function logsumexp(x: Tensor, options: ReduceOptions = {}): Tensor {
  const out = T.logsumexp(x.value, options);
  return Tensor.fromOp('logsumexp', out, [x], (g) => [
    T.mul(expandTo(g, x.shape, options), T.exp(T.sub(x.value, expandTo(out, x.shape, options)))),
  ]);
}

export function softmax(x: Tensor, axis = -1): Tensor {
  const out = T.softmax(x.value, axis);
  return Tensor.fromOp('softmax', out, [x], (g) => [
    T.mul(out, T.sub(g, T.sum(T.mul(g, out), { axis, keepdims: true }))),
  ]);
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const out = T.logSoftmax(x.value, axis);
  return Tensor.fromOp('logSoftmax', out, [x], (g) => [
    T.sub(g, T.mul(T.exp(out), T.sum(g, { axis, keepdims: true }))),
  ]);
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const out = x.value.reshape([...shape]);
  return Tensor.fromOp('reshape', out, [x], (g) => [g.reshape([...x.shape])]);
}

export function transpose(x: Tensor, ...axes: number[]): Tensor {
  const out = x.value.transpose(...axes);
  const order =
    axes.length > 0
      ? axes.map((a) => (a < 0 ? a + x.shape.length : a))
      : x.shape.map((_, i) => x.shape.length - 1 - i);
  const inverse = order.map((_, i) => order.indexOf(i));
  return Tensor.fromOp('transpose', out, [x], (g) => [g.transpose(...inverse)]);
}

export function slice(x: Tensor, ...specs: SliceSpec[]): Tensor {
  const out = x.value.slice(...specs);
  return Tensor.fromOp('slice', out, [x], (g) => {
    const full = T.zeros(x.shape, x.dtype);
    full.slice(...specs).assign(g);
    return [full];
  });
}

export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  const out = T.concat(
    xs.map((x) => x.value),
    axis,
  );
  const along = axis < 0 ? axis + out.rank : axis;
  const cuts: number[] = [];
  for (const x of xs.slice(0, -1)) cuts.push((cuts.at(-1) ?? 0) + x.shape[along]!);
  return Tensor.fromOp('concat', out, xs, (g) => T.split(g, cuts, along));
}

export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  const at = axis < 0 ? axis + xs[0]!.shape.length + 1 : axis;
  return concat(
    xs.map((x) => reshape(x, [...x.shape.slice(0, at), 1, ...x.shape.slice(at)])),
    at,
  );
}

export function where(condition: NDArray, x: Input, y: Input): Tensor {
  const like = x instanceof Tensor ? x : (y as Tensor);
  const a = asTensor(x, like);
  const b = asTensor(y, like);
  const out = T.where(condition, a.value, b.value);
  return Tensor.fromOp('where', out, [a, b], (g) => [
    a.requiresGrad ? unbroadcast(T.where(condition, g, 0), a.shape) : null,
    b.requiresGrad ? unbroadcast(T.where(condition, 0, g), b.shape) : null,
  ]);
}

/** x with `value` wherever `mask` is true (PyTorch's masked_fill); no gradient reaches the filled places. */
export const maskedFill = (x: Tensor, mask: NDArray, value: number): Tensor => where(mask, value, x);

/** PyTorch's gather / NumPy's take_along_axis; the gradient is scattered (and summed) back to the picked places. */
export function gather(x: Tensor, indices: NDArray, axis: number): Tensor {
  const out = T.takeAlongAxis(x.value, indices, axis);
  return Tensor.fromOp('gather', out, [x], (g) => [scatterAdd(x.shape, x.dtype, indices, g, axis)]);
}

/** Rows (or slices along `axis`) picked by integer indices, as an embedding lookup; repeated picks sum their gradients. */
export function take(x: Tensor, indices: NDArray, axis = 0): Tensor {
  const out = T.take(x.value, indices, axis);
  return Tensor.fromOp('take', out, [x], (g) => {
    // Each picked slice's gradient is added back at its index: for every position on the axes before `axis` and
    // every pick, one block of the trailing axes (an embedding row, for axis 0) summed into x's gradient.
    const along = axis < 0 ? axis + x.shape.length : axis;
    const picks = indices.toTypedArray();
    const length = x.shape[along]!;
    const block = x.shape.slice(along + 1).reduce((n, d) => n * d, 1);
    const outer = x.shape.slice(0, along).reduce((n, d) => n * d, 1);
    const grad = T.zeros(x.shape, x.dtype);
    const into = grad.data;
    const from = g.toTypedArray();
    for (let o = 0, at = 0; o < outer; o++) {
      for (let j = 0; j < picks.length; j++, at += block) {
        const p = picks[j]!;
        const base = (o * length + (p < 0 ? p + length : p)) * block;
        for (let q = 0; q < block; q++) into[base + q]! += from[at + q]!;
      }
    }
    return [grad];
  });
}

function scatterAdd(
  shape: readonly number[],
  dtype: T.DType,
  indices: NDArray,
  g: NDArray,
  axis: number,
): NDArray {
  const along = axis < 0 ? axis + shape.length : axis;
  const out = T.zeros(shape, dtype);
  const gShape = g.shape;
  const idx = indices.broadcastTo(gShape).toTypedArray();
  const gv = g.toTypedArray();
  const strides = out.strides;
  const counter = new Array<number>(gShape.length).fill(0);
  for (let flat = 0; flat < gv.length; flat++) {
    let at = 0;
    for (let k = 0; k < gShape.length; k++) {
      const i = k === along ? (idx[flat]! < 0 ? idx[flat]! + shape[k]! : idx[flat]!) : counter[k]!;
      at += i * strides[k]!;
    }
    out.data[at]! += gv[flat]!;
    for (let k = gShape.length - 1; k >= 0; k--) {
      if (++counter[k]! < gShape[k]!) break;
      counter[k] = 0;
    }
  }
  return out;
}

function keepShape(shape: readonly number[], options: ReduceOptions): number[] {
  const rank = shape.length;
  const axes =
    options.axis === undefined
      ? shape.map((_, i) => i)
      : (typeof options.axis === 'number' ? [options.axis] : [...options.axis]).map((a) =>
          a < 0 ? a + rank : a,
        );
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** A reduced gradient (or value) broadcast back over the reduced axes to `shape`, as a fresh array. */
function expandTo(g: NDArray, shape: readonly number[], options: ReduceOptions): NDArray {
  return g.reshape(keepShape(shape, options)).broadcastTo(shape).clone();
}
