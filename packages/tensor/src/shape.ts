/** Shapes, strides and axes: the bookkeeping behind views and broadcasting. */

export type Shape = readonly number[];

export const formatShape = (shape: Shape): string => `[${shape.join(',')}]`;

export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Row-major (C-order) strides in elements: the last axis moves fastest. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

export function checkShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `${op}: invalid shape ${formatShape(shape)} (dimensions must be non-negative integers)`,
      );
    }
  }
}

/**
 * NumPy broadcasting: align shapes at their last axis; two dimensions are compatible when equal or one is 1.
 * The result takes the larger of each pair.
 */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const axis = rank - shape.length + i;
      const d = shape[i]!;
      const current = out[axis]!;
      if (d === current || d === 1) continue;
      if (current === 1) out[axis] = d;
      else {
        throw new RangeError(
          `${op}: shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together (axis ${axis - rank}: ${current} vs ${d})`,
        );
      }
    }
  }
  return out;
}

/** A negative axis counts from the end, as in NumPy; anything outside [-rank, rank) is an error. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(`${op}: axis ${axis} is out of bounds for an array of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Sorted, distinct, non-negative axes; `undefined` means every axis. */
export function normalizeAxes(
  op: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = (typeof axes === 'number' ? [axes] : axes).map((a) => normalizeAxis(op, a, rank));
  if (new Set(list).size !== list.length) throw new RangeError(`${op}: repeated axis in [${axes}]`);
  return list.sort((a, b) => a - b);
}
