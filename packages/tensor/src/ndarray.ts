import { allocate, assertDType, type DType, dtypeOf, type TypedArray } from './dtype.js';
import { formatArray } from './format.js';
import { copyStrided, scatterStrided } from './iterate.js';
import {
  broadcastShapes,
  checkShape,
  contiguousStrides,
  formatShape,
  normalizeAxis,
  type Shape,
  sizeOf,
} from './shape.js';

/** One entry of `slice`: an index (drops the axis), `null` (the whole axis), or a start/stop/step range. */
export type SliceSpec = number | null | { start?: number; stop?: number; step?: number };

export type NestedArray = number | boolean | readonly NestedArray[];

export interface NDArrayOptions {
  dtype?: DType;
  strides?: readonly number[];
  offset?: number;
}

/**
 * An n-dimensional array: a typed-array buffer read through a shape, strides (in elements) and an offset.
 * Views (reshape, transpose, slice, expandDims, squeeze, broadcastTo) share the buffer and copy nothing;
 * `contiguous()` copies only when the view is not already laid out in row-major order.
 */
export class NDArray {
  readonly dtype: DType;
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;

  constructor(data: TypedArray, shape: Shape, options: NDArrayOptions = {}) {
    checkShape('NDArray', shape);
    const dtype = options.dtype ?? dtypeOf(data);
    assertDType('NDArray', dtype);
    if (allocate(dtype, 0).constructor !== data.constructor) {
      throw new TypeError(`NDArray: dtype ${dtype} cannot be stored in a ${data.constructor.name}`);
    }
    const strides = options.strides ?? contiguousStrides(shape);
    const offset = options.offset ?? 0;
    if (strides.length !== shape.length) {
      throw new RangeError(`NDArray: ${strides.length} strides for shape ${formatShape(shape)}`);
    }
    if (sizeOf(shape) > 0) {
      let lo = offset;
      let hi = offset;
      shape.forEach((d, i) => {
        const reach = (d - 1) * strides[i]!;
        if (reach < 0) lo += reach;
        else hi += reach;
      });
      if (lo < 0 || hi >= data.length) {
        throw new RangeError(
          `NDArray: shape ${formatShape(shape)} with strides [${strides}] and offset ${offset} reaches outside a buffer of ${data.length}`,
        );
      }
    }
    this.dtype = dtype;
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze([...strides]);
    this.offset = offset;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** True when the elements sit in row-major order without gaps (offset may be anything). */
  get isContiguous(): boolean {
    const expected = contiguousStrides(this.shape);
    return this.shape.every((d, i) => d === 1 || this.strides[i] === expected[i]);
  }

  /** The same elements in a new shape; one dimension may be -1. A view when contiguous, else a copy. */
  reshape(...shape: number[] | [Shape]): NDArray {
    const requested = (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
    const unknown = requested.filter((d) => d === -1).length;
    if (unknown > 1)
      throw new RangeError(`reshape: only one dimension may be -1, got ${formatShape(requested)}`);
    const known = sizeOf(requested.filter((d) => d !== -1));
    const target = requested.map((d) => (d === -1 ? (known === 0 ? 0 : this.size / known) : d));
    checkShape('reshape', target);
    if (sizeOf(target) !== this.size || (unknown === 1 && !Number.isInteger(this.size / known))) {
      throw new RangeError(
        `reshape: cannot reshape array of size ${this.size} (shape ${formatShape(this.shape)}) into ${formatShape(requested)}`,
      );
    }
    const source = this.contiguous();
    return new NDArray(source.data, target, { dtype: this.dtype, offset: source.offset });
  }

  /** Axes permuted; no axes reverses them (matrix transpose for rank 2). */
  transpose(...axes: number[]): NDArray {
    const order =
      axes.length === 0
        ? this.shape.map((_, i) => this.rank - 1 - i)
        : axes.map((a) => normalizeAxis('transpose', a, this.rank));
    if (order.length !== this.rank || new Set(order).size !== this.rank) {
      throw new RangeError(
        `transpose: axes [${axes}] are not a permutation of the ${this.rank} axes of ${formatShape(this.shape)}`,
      );
    }
    return this.view(
      order.map((a) => this.shape[a]!),
      order.map((a) => this.strides[a]!),
      this.offset,
    );
  }

  get T(): NDArray {
    return this.transpose();
  }

  /** NumPy basic slicing: one spec per leading axis; missing trailing specs take the whole axis. */
  slice(...specs: SliceSpec[]): NDArray {
    if (specs.length > this.rank) {
      throw new RangeError(`slice: ${specs.length} indices for an array of rank ${this.rank}`);
    }
    const shape: number[] = [];
    const strides: number[] = [];
    let offset = this.offset;
    this.shape.forEach((d, axis) => {
      const spec = specs[axis] ?? null;
      const stride = this.strides[axis]!;
      if (typeof spec === 'number') {
        offset += indexIn('slice', spec, d, axis) * stride;
        return;
      }
      const { start, length, step } = resolveRange(spec ?? {}, d, axis);
      offset += length > 0 ? start * stride : 0;
      shape.push(length);
      strides.push(step * stride);
    });
    return this.view(shape, strides, offset);
  }

  /** A new axis of length 1 at `axis` (which may be `rank`, to append). */
  expandDims(axis: number): NDArray {
    const at = normalizeAxis('expandDims', axis, this.rank + 1);
    const shape = [...this.shape];
    const strides = [...this.strides];
    shape.splice(at, 0, 1);
    strides.splice(at, 0, 0);
    return this.view(shape, strides, this.offset);
  }

  /** Drops axes of length 1: the given ones (each must be 1), or all of them. */
  squeeze(axis?: number | readonly number[]): NDArray {
    const drop =
      axis === undefined
        ? this.shape.flatMap((d, i) => (d === 1 ? [i] : []))
        : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis('squeeze', a, this.rank));
    for (const a of drop) {
      if (this.shape[a] !== 1)
        throw new RangeError(
          `squeeze: axis ${a} of ${formatShape(this.shape)} has length ${this.shape[a]}, not 1`,
        );
    }
    const keep = this.shape.map((_, i) => i).filter((i) => !drop.includes(i));
    return this.view(
      keep.map((i) => this.shape[i]!),
      keep.map((i) => this.strides[i]!),
      this.offset,
    );
  }

  /** A read view repeating this array along new or length-1 axes (stride 0), as NumPy's broadcast_to. */
  broadcastTo(shape: Shape): NDArray {
    checkShape('broadcastTo', shape);
    const result = broadcastShapes('broadcastTo', this.shape, shape);
    if (formatShape(result) !== formatShape(shape)) {
      throw new RangeError(
        `broadcastTo: cannot broadcast ${formatShape(this.shape)} to ${formatShape(shape)}`,
      );
    }
    const lead = shape.length - this.rank;
    const strides = shape.map((d, i) =>
      i < lead || this.shape[i - lead] !== d ? 0 : this.strides[i - lead]!,
    );
    return this.view(shape, strides, this.offset);
  }

  /** This array if already row-major and gap-free, else a compact copy. */
  contiguous(): NDArray {
    if (this.isContiguous) return this;
    return new NDArray(this.toTypedArray(), this.shape, { dtype: this.dtype });
  }

  /** A fresh row-major copy of the elements, in the array's own element type. */
  toTypedArray(): TypedArray {
    const out = allocate(this.dtype, this.size);
    copyStrided(this.data, this.shape, this.strides, this.offset, out);
    return out;
  }

  /**
   * The elements in row-major order without copying when the view is contiguous (a subarray of the
   * buffer, shared: do not write to it), else a fresh copy. For kernels that only read.
   */
  toReadonlyTypedArray(): TypedArray {
    return this.isContiguous ? this.data.subarray(this.offset, this.offset + this.size) : this.toTypedArray();
  }

  clone(): NDArray {
    return new NDArray(this.toTypedArray(), this.shape, { dtype: this.dtype });
  }

  /** A copy converted to `dtype`; to bool, every non-zero becomes 1. */
  astype(dtype: DType): NDArray {
    assertDType('astype', dtype);
    const out = allocate(dtype, this.size);
    copyStrided(this.data, this.shape, this.strides, this.offset, out);
    if (dtype === 'bool' && this.dtype !== 'bool') {
      const source = this.toTypedArray();
      for (let i = 0; i < out.length; i++) out[i] = source[i] ? 1 : 0;
    }
    return new NDArray(out, this.shape, { dtype });
  }

  /** The element at the given indices (negative counts from the end). */
  get(...indices: number[]): number {
    return this.data[this.position('get', indices)]!;
  }

  /** Writes one element (through a view, the base array changes too, as in NumPy). */
  set(indices: readonly number[], value: number): void {
    this.data[this.position('set', indices)] = this.dtype === 'bool' ? Number(Boolean(value)) : value;
  }

  /**
   * Writes `source` (broadcast to this shape) into this array's elements in place; through a view, the
   * base array changes. Returns this array.
   */
  assign(source: NDArray | number): this {
    const values =
      typeof source === 'number'
        ? allocate(this.dtype, this.size).fill(source)
        : (() => {
            if (source.dtype !== this.dtype) {
              throw new TypeError(
                `assign: dtype mismatch (target is ${this.dtype}, source is ${source.dtype})`,
              );
            }
            return source.broadcastTo(this.shape).toTypedArray();
          })();
    scatterStrided(values, this.data, this.shape, this.strides, this.offset);
    return this;
  }

  /** The single element of a size-1 array. */
  item(): number {
    if (this.size !== 1)
      throw new RangeError(
        `item: array of shape ${formatShape(this.shape)} has ${this.size} elements, not 1`,
      );
    return this.data[this.offset]!;
  }

  /** Nested JavaScript arrays (booleans for bool arrays). */
  toArray(): NestedArray {
    const flat = this.toTypedArray();
    const asValue = (v: number) => (this.dtype === 'bool' ? v !== 0 : v);
    if (this.rank === 0) return asValue(flat[0]!);
    let at = 0;
    const build = (axis: number): NestedArray[] =>
      Array.from({ length: this.shape[axis]! }, () =>
        axis === this.rank - 1 ? asValue(flat[at++]!) : build(axis + 1),
      );
    return build(0);
  }

  toString(): string {
    return formatArray(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  private view(shape: Shape, strides: readonly number[], offset: number): NDArray {
    return new NDArray(this.data, shape, { dtype: this.dtype, strides, offset });
  }

  private position(op: string, indices: readonly number[]): number {
    if (indices.length !== this.rank) {
      throw new RangeError(
        `${op}: ${indices.length} indices for an array of shape ${formatShape(this.shape)}`,
      );
    }
    let at = this.offset;
    indices.forEach((index, axis) => {
      at += indexIn(op, index, this.shape[axis]!, axis) * this.strides[axis]!;
    });
    return at;
  }
}

function indexIn(op: string, index: number, length: number, axis: number): number {
  if (!Number.isInteger(index) || index < -length || index >= length) {
    throw new RangeError(`${op}: index ${index} is out of bounds for axis ${axis} with size ${length}`);
  }
  return index < 0 ? index + length : index;
}

/** Python's slice.indices(): clamps start/stop to the axis and counts the elements taken. */
function resolveRange(spec: { start?: number; stop?: number; step?: number }, d: number, axis: number) {
  const step = spec.step ?? 1;
  if (!Number.isInteger(step) || step === 0)
    throw new RangeError(`slice: step ${step} on axis ${axis} must be a non-zero integer`);
  for (const [name, v] of [
    ['start', spec.start],
    ['stop', spec.stop],
  ] as const) {
    if (v !== undefined && !Number.isInteger(v))
      throw new RangeError(`slice: ${name} ${v} on axis ${axis} must be an integer`);
  }
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const fix = (v: number | undefined, fallback: number, lo: number, hi: number) =>
    v === undefined ? fallback : clamp(v < 0 ? v + d : v, lo, hi);
  const start = step > 0 ? fix(spec.start, 0, 0, d) : fix(spec.start, d - 1, -1, d - 1);
  const stop = step > 0 ? fix(spec.stop, d, 0, d) : fix(spec.stop, -1, -1, d - 1);
  const length =
    step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return { start, length, step };
}
