import type { TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

/**
 * A strided walk over a shape, prepared for tight inner loops: adjacent axes that are laid out as one
 * (stride[i] = stride[i+1] * shape[i+1] for every operand) are merged, so a contiguous or row-broadcast
 * operand becomes a single long inner loop.
 */
export interface Walk {
  /** Merged shape; the last entry is the inner loop length. */
  shape: number[];
  /** strides[operand][axis] in elements, 0 on broadcast axes. */
  strides: number[][];
}

export function planWalk(shape: Shape, operandStrides: readonly (readonly number[])[]): Walk {
  const outShape: number[] = [];
  const outStrides: number[][] = operandStrides.map(() => []);
  for (let axis = 0; axis < shape.length; axis++) {
    const d = shape[axis]!;
    if (d === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && operandStrides.every((s, o) => outStrides[o]![last] === s[axis]! * d);
    if (mergeable) {
      outShape[last] = outShape[last]! * d;
      operandStrides.forEach((s, o) => {
        outStrides[o]![last] = s[axis]!;
      });
    } else {
      outShape.push(d);
      for (const [o, s] of operandStrides.entries()) outStrides[o]!.push(s[axis]!);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `inner(offsets)` once per inner row of the walk with each operand's starting offset; the callee
 * runs the innermost loop of length walk.shape.at(-1) itself.
 */
export function forEachRow(walk: Walk, starts: readonly number[], inner: (offsets: number[]) => void): void {
  if (walk.shape.includes(0)) return;
  const rank = walk.shape.length;
  const offsets = [...starts];
  if (rank === 1) {
    inner(offsets);
    return;
  }
  const counter = new Array<number>(rank - 1).fill(0);
  for (;;) {
    inner(offsets);
    let axis = rank - 2;
    for (; axis >= 0; axis--) {
      counter[axis]!++;
      for (let o = 0; o < offsets.length; o++) offsets[o]! += walk.strides[o]![axis]!;
      if (counter[axis]! < walk.shape[axis]!) break;
      for (let o = 0; o < offsets.length; o++) offsets[o]! -= walk.strides[o]![axis]! * walk.shape[axis]!;
      counter[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/** Copies a strided view into `out` (C order), converting element type through the typed arrays. */
export function copyStrided(
  data: TypedArray,
  shape: Shape,
  strides: readonly number[],
  offset: number,
  out: TypedArray,
): void {
  if (out.length === 0) return;
  const walk = planWalk(shape, [strides]);
  const n = walk.shape.at(-1)!;
  const step = walk.strides[0]!.at(-1)!;
  let o = 0;
  forEachRow(walk, [offset], ([start]) => {
    let i = start!;
    if (step === 1 && data.constructor === out.constructor) {
      out.set(data.subarray(i, i + n), o);
      o += n;
      return;
    }
    for (let t = 0; t < n; t++, i += step) out[o++] = data[i]!;
  });
}

/** The inverse of copyStrided: writes row-major `values` into a strided view of `data`. */
export function scatterStrided(
  values: TypedArray,
  data: TypedArray,
  shape: Shape,
  strides: readonly number[],
  offset: number,
): void {
  if (values.length === 0) return;
  const walk = planWalk(shape, [strides]);
  const n = walk.shape.at(-1)!;
  const step = walk.strides[0]!.at(-1)!;
  let v = 0;
  forEachRow(walk, [offset], ([start]) => {
    for (let t = 0, i = start!; t < n; t++, i += step) data[i] = values[v++]!;
  });
}
