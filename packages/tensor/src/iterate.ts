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
  const rank = walk.shape.length;
  const cols = walk.shape[rank - 1]!;
  const colStep = walk.strides[0]![rank - 1]!;
  if (colStep === 1 && data.constructor === out.constructor) {
    let o = 0;
    forEachRow(walk, [offset], ([start]) => {
      out.set(data.subarray(start!, start! + cols), o);
      o += cols;
    });
    return;
  }
  // The last two axes go to one compiled loop nest; the axes before them (if any) are walked here.
  const rows = rank >= 2 ? walk.shape[rank - 2]! : 1;
  const rowStep = rank >= 2 ? walk.strides[0]![rank - 2]! : 0;
  const outer: Walk = {
    shape: rank > 2 ? [...walk.shape.slice(0, -2), 1] : [1],
    strides: [rank > 2 ? [...walk.strides[0]!.slice(0, -2), 0] : [0]],
  };
  const copy = blockCopier(data, out);
  let o = 0;
  forEachRow(outer, [offset], ([start]) => {
    copy(data, start!, rows, rowStep, cols, colStep, out, o);
    o += rows * cols;
  });
}

type BlockCopy = (
  data: TypedArray,
  start: number,
  rows: number,
  rowStep: number,
  cols: number,
  colStep: number,
  out: TypedArray,
  o: number,
) => void;

const blockCopiers = new Map<string, BlockCopy>();

/**
 * The strided copy of a rows × cols block, compiled once per (source type, destination type) pair. One loop shared
 * by every typed-array type sees them all (megamorphic element access) and copied a transposed 128×784 float32
 * weight 2.8× slower.
 */
function blockCopier(data: TypedArray, out: TypedArray): BlockCopy {
  const key = `${data.constructor.name}>${out.constructor.name}`;
  let copy = blockCopiers.get(key);
  if (copy === undefined) {
    copy = new Function(
      `return function copyBlock(data, start, rows, rowStep, cols, colStep, out, o) {
        for (let r = 0; r < rows; r++) {
          for (let c = 0, i = start + r * rowStep; c < cols; c++, i += colStep) out[o++] = data[i];
        }
      };`,
    )() as BlockCopy;
    blockCopiers.set(key, copy);
  }
  return copy;
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
