import { allocate, type TypedArray } from '../dtype.js';
import { NDArray } from '../ndarray.js';
import { broadcastShapes, formatShape, sizeOf } from '../shape.js';
import { matmulBlocked, matmulNaive, matmulReordered } from './kernels-js.js';
import { matmulPool, matmulWasmParallel } from './pool.js';
import { matmulWasmSimd } from './wasm.js';

export type Float32Kernel = (
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
) => Float32Array;

/** The float32 ladder, slowest first; every rung computes the same product. */
export const MATMUL_KERNELS = {
  naive: matmulNaive,
  reordered: matmulReordered,
  blocked: matmulBlocked,
  'wasm-simd': matmulWasmSimd,
  'wasm-simd-parallel': matmulWasmParallel,
} as const satisfies Record<string, Float32Kernel>;

export type MatmulKernelName = keyof typeof MATMUL_KERNELS;

/**
 * Below this many multiply-adds the copy into WebAssembly memory costs more than it saves; below the
 * second, waking a worker costs more than the second thread saves. Both measured by the bench
 * (`pnpm --filter @mle/tensor bench`, the crossover rows).
 */
export const WASM_MIN_MACS = 8 * 8 * 8;
export const PARALLEL_MIN_MACS = 160 * 160 * 160;

/** The rung `matmul` uses by default for one float32 product of m×k by k×n. */
export function defaultKernel(m: number, k: number, n: number): MatmulKernelName {
  const macs = m * k * n;
  if (macs < WASM_MIN_MACS) return 'blocked';
  if (macs < PARALLEL_MIN_MACS || matmulPool().threads < 2 || m < 8) return 'wasm-simd';
  return 'wasm-simd-parallel';
}

export interface MatmulOptions {
  /** Force one rung of the float32 ladder (for benchmarks and tests); other dtypes ignore it. */
  kernel?: MatmulKernelName;
}

/**
 * NumPy's matmul: a (..., m, k) · b (..., k, n) → (..., m, n), batch axes broadcast; a 1-D a is a row
 * vector and a 1-D b a column vector, and the added axis is removed from the result.
 */
export function matmul(a: NDArray, b: NDArray, options: MatmulOptions = {}): NDArray {
  if (!(a instanceof NDArray) || !(b instanceof NDArray))
    throw new TypeError('matmul: both operands must be NDArrays');
  if (a.rank === 0 || b.rank === 0) {
    throw new RangeError(
      `matmul: operands must have at least one axis (a is ${formatShape(a.shape)}, b is ${formatShape(b.shape)})`,
    );
  }
  if (a.dtype !== b.dtype)
    throw new TypeError(
      `matmul: dtype mismatch (a is ${a.dtype}, b is ${b.dtype}); convert one with astype()`,
    );
  if (a.dtype === 'bool')
    throw new TypeError("matmul: bool arrays do not support arithmetic; use astype('int32')");
  const a2 = a.rank === 1 ? a.expandDims(0) : a;
  const b2 = b.rank === 1 ? b.expandDims(1) : b;
  const [m, k] = a2.shape.slice(-2) as [number, number];
  const [k2, n] = b2.shape.slice(-2) as [number, number];
  if (k !== k2) {
    throw new RangeError(
      `matmul: inner dimensions differ (a is ${formatShape(a.shape)}, b is ${formatShape(b.shape)})`,
    );
  }
  const batch = broadcastShapes('matmul', a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const av = a2.broadcastTo([...batch, m, k]);
  const bv = b2.broadcastTo([...batch, k, n]);
  const count = sizeOf(batch);
  const out = allocate(a.dtype, count * m * n);
  const kernel = a.dtype === 'float32' ? MATMUL_KERNELS[options.kernel ?? defaultKernel(m, k, n)] : undefined;
  for (let t = 0; t < count; t++) {
    const index = unravel(t, batch);
    const x = av.slice(...index).toReadonlyTypedArray();
    const y = bv.slice(...index).toReadonlyTypedArray();
    out.set(
      kernel ? kernel(x as Float32Array, y as Float32Array, m, k, n) : matmulGeneric(x, y, m, k, n, a.dtype),
      t * m * n,
    );
  }
  const shape = [...batch, ...(a.rank === 1 ? [] : [m]), ...(b.rank === 1 ? [] : [n])];
  return new NDArray(out, shape, { dtype: a.dtype });
}

/** i-k-j in the operands' own type, for float64 and integer arrays. */
function matmulGeneric(
  a: TypedArray,
  b: TypedArray,
  m: number,
  k: number,
  n: number,
  dtype: NDArray['dtype'],
): TypedArray {
  const c = allocate(dtype, m * n);
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      for (let j = 0; j < n; j++) row[j]! += aip * b[p * n + j]!;
    }
    c.set(row, i * n);
  }
  return c;
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    index[i] = flat % shape[i]!;
    flat = Math.floor(flat / shape[i]!);
  }
  return index;
}
