/** Element types an NDArray can hold. `bool` is stored as 0/1 bytes. */
export type DType = 'float32' | 'float64' | 'int32' | 'uint8' | 'bool';

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'uint8', 'bool'];

const constructors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
  bool: Uint8Array,
} as const;

export function allocate(dtype: DType, length: number): TypedArray {
  return new constructors[dtype](length);
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** The dtype of a float result computed from `dtype`: floats keep theirs, integers and bools widen to float64 (as NumPy). */
export function floatResult(dtype: DType): DType {
  return dtype === 'float32' ? 'float32' : 'float64';
}

export function assertDType(op: string, dtype: unknown): asserts dtype is DType {
  if (!DTYPES.includes(dtype as DType)) {
    throw new TypeError(
      `${op}: unknown dtype ${JSON.stringify(dtype)} (expected one of ${DTYPES.join(', ')})`,
    );
  }
}

/** The dtype a plain typed array maps to. */
export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'uint8';
}
