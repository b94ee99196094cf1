import { allocate, assertDType, type DType, type TypedArray } from './dtype.js';
import { NDArray, type NestedArray } from './ndarray.js';
import { checkShape, formatShape, type Shape, sizeOf } from './shape.js';

/** An array from nested JavaScript arrays (or a single number for rank 0); float32 unless told otherwise. */
export function array(values: NestedArray, dtype: DType = 'float32'): NDArray {
  assertDType('array', dtype);
  const shape: number[] = [];
  for (let level: NestedArray = values; Array.isArray(level); level = (level as readonly NestedArray[])[0]!) {
    shape.push((level as readonly NestedArray[]).length);
    if ((level as readonly NestedArray[]).length === 0) break;
  }
  const flat: number[] = [];
  const walk = (v: NestedArray, depth: number, path: string) => {
    if (depth === shape.length) {
      if (Array.isArray(v))
        throw new RangeError(`array: ragged nesting at ${path || 'the top'}: expected a number, got a list`);
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new TypeError(
          `array: element at ${path} is ${JSON.stringify(v)}, expected a number or boolean`,
        );
      }
      flat.push(Number(v));
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new RangeError(
        `array: ragged nesting at ${path || 'the top'}: expected a list of ${shape[depth]}, got ${Array.isArray(v) ? `a list of ${v.length}` : JSON.stringify(v)}`,
      );
    }
    for (const [i, item] of (v as readonly NestedArray[]).entries()) walk(item, depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, '');
  return fromArray(flat, shape, dtype);
}

/** An array of `shape` over a flat list of numbers in row-major order. */
export function fromArray(values: ArrayLike<number>, shape: Shape, dtype: DType = 'float32'): NDArray {
  assertDType('fromArray', dtype);
  checkShape('fromArray', shape);
  if (values.length !== sizeOf(shape)) {
    throw new RangeError(
      `fromArray: ${values.length} values cannot fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`,
    );
  }
  const data = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++)
    data[i] = dtype === 'bool' ? Number(Boolean(values[i])) : values[i]!;
  return new NDArray(data, shape, { dtype });
}

/** Wraps a typed array without copying. */
export function fromTypedArray(data: TypedArray, shape: Shape, dtype?: DType): NDArray {
  return new NDArray(data, shape, dtype === undefined ? {} : { dtype });
}

function filled(op: string, shape: Shape, value: number, dtype: DType): NDArray {
  assertDType(op, dtype);
  checkShape(op, shape);
  return new NDArray(allocate(dtype, sizeOf(shape)).fill(value), shape, { dtype });
}

export const full = (shape: Shape, value: number, dtype: DType = 'float32'): NDArray =>
  filled('full', shape, value, dtype);
export const zeros = (shape: Shape, dtype: DType = 'float32'): NDArray => filled('zeros', shape, 0, dtype);
export const ones = (shape: Shape, dtype: DType = 'float32'): NDArray => filled('ones', shape, 1, dtype);

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n, dtype: DType = 'float32'): NDArray {
  const out = zeros([n, m], dtype);
  for (let i = 0; i < Math.min(n, m); i++) out.data[i * m + i] = 1;
  return out;
}

/** start, start+step, … up to but excluding stop (NumPy's arange). */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float32'): NDArray {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  for (const [name, v] of [
    ['start', from],
    ['stop', to],
    ['step', step],
  ] as const) {
    if (!Number.isFinite(v)) throw new RangeError(`arange: ${name} is ${v}, expected a finite number`);
  }
  if (step === 0) throw new RangeError('arange: step must not be 0');
  const length = Math.max(0, Math.ceil((to - from) / step));
  const data = allocate(dtype, length);
  for (let i = 0; i < length; i++) data[i] = from + i * step;
  return new NDArray(data, [length], { dtype });
}

/** `num` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, num = 50, dtype: DType = 'float32'): NDArray {
  if (!Number.isFinite(start) || !Number.isFinite(stop)) {
    throw new RangeError(`linspace: start and stop must be finite, got ${start} and ${stop}`);
  }
  if (!Number.isInteger(num) || num < 0)
    throw new RangeError(`linspace: num must be a non-negative integer, got ${num}`);
  const data = allocate(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return new NDArray(data, [num], { dtype });
}
