import stdlibErf from '@stdlib/math-base-special-erf';
import { allocate, type DType, floatResult, isFloat, type TypedArray } from './dtype.js';
import { forEachRow, planWalk } from './iterate.js';
import { NDArray } from './ndarray.js';
import { broadcastShapes, contiguousStrides, formatShape } from './shape.js';

/** An array, or a number that takes the other operand's dtype (NumPy's scalar rule). */
export type Operand = NDArray | number;

type Kernel = (out: TypedArray, n: number, io: number, ...args: (TypedArray | number)[]) => void;

/**
 * Element-wise loops are generated once per operation with the expression written into the loop body,
 * as ndarray's cwise compiler does: one shared loop calling `op(x, y)` per element would see many different
 * functions at one call site, and V8 would stop inlining it (measured ~10× slower than a plain loop).
 */
function compile(arity: 1 | 2 | 3, expression: string, helpers: Record<string, unknown> = {}): Kernel {
  const names = ['x', 'y', 'z'].slice(0, arity);
  const params = names.flatMap((v) => [v, `i${v}`, `s${v}`]).join(', ');
  const reads = names.map((v) => `const ${v === 'x' ? 'a' : v === 'y' ? 'b' : 'c'} = ${v}[i${v}];`).join(' ');
  const steps = names.map((v) => `i${v} += s${v};`).join(' ');
  const body = `return function kernel(out, n, io, ${params}) {
    for (let t = 0; t < n; t++) { ${reads} out[io++] = ${expression}; ${steps} }
  };`;
  return new Function(...Object.keys(helpers), body)(...Object.values(helpers)) as Kernel;
}

/** Runs a compiled kernel over broadcast operands into a fresh contiguous array of `dtype`. */
function run(op: string, kernel: Kernel, operands: NDArray[], dtype: DType): NDArray {
  const shape = broadcastShapes(op, ...operands.map((o) => o.shape));
  const out = allocate(
    dtype,
    shape.reduce((a, b) => a * b, 1),
  );
  if (out.length === 0) return new NDArray(out, shape, { dtype });
  const views = operands.map((o) => o.broadcastTo(shape));
  const walk = planWalk(shape, [contiguousStrides(shape), ...views.map((v) => v.strides)]);
  const n = walk.shape.at(-1)!;
  const inner = walk.strides.map((s) => s.at(-1)!);
  forEachRow(walk, [0, ...views.map((v) => v.offset)], (offsets) => {
    const args: (TypedArray | number)[] = [];
    for (const [i, v] of views.entries()) args.push(v.data, offsets[i + 1]!, inner[i + 1]!);
    kernel(out, n, offsets[0]!, ...args);
  });
  return new NDArray(out, shape, { dtype });
}

const scalar = (value: number, dtype: DType) => {
  if (typeof value !== 'number') throw new TypeError(`expected an NDArray or a number, got ${typeof value}`);
  const data = allocate(dtype, 1);
  data[0] = value;
  return new NDArray(data, [], { dtype });
};

function operands(op: string, a: Operand, b: Operand): [NDArray, NDArray] {
  if (typeof a === 'number' && typeof b === 'number') return [scalar(a, 'float64'), scalar(b, 'float64')];
  if (typeof a === 'number') return [scalar(a, (b as NDArray).dtype), b as NDArray];
  if (typeof b === 'number') return [a, scalar(b, a.dtype)];
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `${op}: dtype mismatch (a is ${a.dtype} ${formatShape(a.shape)}, b is ${b.dtype} ${formatShape(b.shape)}); convert one with astype()`,
    );
  }
  return [a, b];
}

interface BinarySpec {
  expression: string;
  /** Result dtype from the operands' dtype. */
  result: (dtype: DType) => DType;
  /** Refuse bool operands (arithmetic on truth values is almost always a mistake). */
  numeric: boolean;
}

function binary(name: string, spec: BinarySpec) {
  const kernel = compile(2, spec.expression);
  return (a: Operand, b: Operand): NDArray => {
    const [x, y] = operands(name, a, b);
    if (spec.numeric && x.dtype === 'bool')
      throw new TypeError(`${name}: bool arrays do not support arithmetic; use astype('int32')`);
    return run(name, kernel, [x, y], spec.result(x.dtype));
  };
}

const same = (d: DType) => d;
const toBool = (): DType => 'bool';

export const add = binary('add', { expression: 'a + b', result: same, numeric: true });
export const sub = binary('sub', { expression: 'a - b', result: same, numeric: true });
export const mul = binary('mul', { expression: 'a * b', result: same, numeric: true });
/** True division: integer operands give float64, as NumPy's `/`. */
export const div = binary('div', { expression: 'a / b', result: floatResult, numeric: true });
export const pow = binary('pow', { expression: 'a ** b', result: same, numeric: true });
/** Element-wise maximum; NaN propagates, as NumPy's maximum. */
export const maximum = binary('maximum', {
  expression: 'a !== a || a > b ? a : b',
  result: same,
  numeric: false,
});
export const minimum = binary('minimum', {
  expression: 'a !== a || a < b ? a : b',
  result: same,
  numeric: false,
});
export const equal = binary('equal', { expression: 'a === b ? 1 : 0', result: toBool, numeric: false });
export const notEqual = binary('notEqual', { expression: 'a !== b ? 1 : 0', result: toBool, numeric: false });
export const less = binary('less', { expression: 'a < b ? 1 : 0', result: toBool, numeric: false });
export const lessEqual = binary('lessEqual', {
  expression: 'a <= b ? 1 : 0',
  result: toBool,
  numeric: false,
});
export const greater = binary('greater', { expression: 'a > b ? 1 : 0', result: toBool, numeric: false });
export const greaterEqual = binary('greaterEqual', {
  expression: 'a >= b ? 1 : 0',
  result: toBool,
  numeric: false,
});

/**
 * The error function, accurate to float64 (stdlib's implementation of FreeBSD's msun erf, a few ulp), so that
 * GELU in float64 is exact to float64 too and the float32 result is the correctly rounded float64 one.
 */
export function erf(x: number): number {
  return stdlibErf(x);
}

// The rational approximation of erf that Eigen and XLA evaluate for float32: x clamped to [−4, 4] (where erf is ±1
// to float32), then x·P(x²)/Q(x²) with P of degree 6 and Q of degree 4 in x².
const ERF32_P = [
  -2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5,
  -7.34990630326855e-4, -2.95459980854025e-3, -1.60960333262415e-2,
] as const;
const ERF32_Q = [
  -1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3,
  -1.42647390514189e-2,
] as const;

/**
 * erf to float32 precision (within 7e-8 of the float64 erf everywhere), about five times faster than `erf`: for
 * float32 arrays, whose own rounding is 6e-8, the extra digits of the float64 erf are not kept anyway.
 */
export function erfFloat32(x: number): number {
  const c = Math.max(-4, Math.min(4, x));
  const x2 = c * c;
  let p = ERF32_P[0];
  for (let i = 1; i < ERF32_P.length; i++) p = p * x2 + ERF32_P[i]!;
  let q = ERF32_Q[0];
  for (let i = 1; i < ERF32_Q.length; i++) q = q * x2 + ERF32_Q[i]!;
  return (c * p) / q;
}

interface UnarySpec {
  expression: string;
  /** Float functions widen integer input to float64; others keep the dtype. */
  float: boolean;
}

function unary(name: string, spec: UnarySpec) {
  const kernel = compile(1, spec.expression, { erf });
  return (a: NDArray): NDArray => {
    if (!(a instanceof NDArray)) throw new TypeError(`${name}: expected an NDArray, got ${typeof a}`);
    if (a.dtype === 'bool' && !spec.float) throw new TypeError(`${name}: not defined for bool arrays`);
    return run(name, kernel, [a], spec.float ? floatResult(a.dtype) : a.dtype);
  };
}

export const neg = unary('neg', { expression: '-a', float: false });
export const abs = unary('abs', { expression: 'Math.abs(a)', float: false });
export const exp = unary('exp', { expression: 'Math.exp(a)', float: true });
/** Natural log; log of a negative number is NaN and of 0 is -Infinity, as in NumPy. */
export const log = unary('log', { expression: 'Math.log(a)', float: true });
export const sqrt = unary('sqrt', { expression: 'Math.sqrt(a)', float: true });
export const tanh = unary('tanh', { expression: 'Math.tanh(a)', float: true });
/** 1 / (1 + e^-x), written so neither branch overflows. */
export const sigmoid = unary('sigmoid', {
  expression: 'a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))',
  float: true,
});
/** max(x, 0); NaN stays NaN. */
export const relu = unary('relu', { expression: 'a > 0 || a !== a ? a : 0', float: false });
const geluExact = unary('gelu', { expression: '0.5 * a * (1 + erf(a * 0.7071067811865476))', float: true });
const geluTanh = unary('gelu', {
  expression: '0.5 * a * (1 + Math.tanh(0.7978845608028654 * (a + 0.044715 * a * a * a)))',
  float: true,
});
/** GELU (Hendrycks & Gimpel, 2016): x·Φ(x) exactly (default) or its tanh approximation, as PyTorch offers both. */
export function gelu(a: NDArray, options: { approximate?: 'none' | 'tanh' } = {}): NDArray {
  return options.approximate === 'tanh' ? geluTanh(a) : geluExact(a);
}

const whereKernel = compile(3, 'a ? b : c');
/** Elements of `a` where `condition` is true, else of `b`; all three broadcast together. */
export function where(condition: NDArray, a: Operand, b: Operand): NDArray {
  if (!(condition instanceof NDArray) || condition.dtype !== 'bool') {
    throw new TypeError(
      `where: condition must be a bool NDArray, got ${condition instanceof NDArray ? condition.dtype : typeof condition}`,
    );
  }
  const [x, y] = operands('where', a, b);
  return run('where', whereKernel, [condition, x, y], x.dtype);
}

/** Throws if any element is NaN or infinite: for inputs where a non-finite value would silently spread. */
export function assertFinite(op: string, a: NDArray): void {
  if (!isFloat(a.dtype)) return;
  const flat = a.toTypedArray();
  for (let i = 0; i < flat.length; i++) {
    if (!Number.isFinite(flat[i]!)) {
      throw new RangeError(
        `${op}: input ${formatShape(a.shape)} holds ${flat[i]} at flat index ${i}; expected finite values`,
      );
    }
  }
}
