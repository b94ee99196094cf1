import { Tensor } from '@mle/autograd';
import * as T from '@mle/tensor';

/**
 * Rotary position embedding (Su et al., 2021, RoFormer, eq. 34): each pair of features (x₂ᵢ, x₂ᵢ₊₁) of a query or
 * key at position m is rotated by the angle m·θᵢ, θᵢ = base^(−2i/d). A rotation keeps lengths, and the dot product
 * of a query rotated by mθ with a key rotated by nθ is that of the unrotated pair rotated by (n − m)θ: attention
 * scores see only the distance between positions. x is [..., T, d] and its T positions start at `offset`.
 */
export function applyRotary(x: Tensor, offset: number, base = 10_000): Tensor {
  const [positions, d] = x.shape.slice(-2) as [number, number];
  if (d % 2 !== 0) throw new RangeError(`applyRotary: the last axis must be even, got [${x.shape}]`);
  const { cos, sin } = rotaryTable(offset, positions, d, base);
  const rotate = (value: T.NDArray, direction: 1 | -1): T.NDArray => {
    const src = value.toReadonlyTypedArray();
    const out = T.zeros(value.shape, value.dtype);
    const o = out.data;
    for (let block = 0; block < src.length; block += d * positions) {
      for (let t = 0; t < positions; t++) {
        const at = block + t * d;
        const angle = t * (d / 2);
        for (let i = 0; i < d / 2; i++) {
          const c = cos[angle + i]!;
          const s = direction * sin[angle + i]!;
          const a = src[at + 2 * i]!;
          const b = src[at + 2 * i + 1]!;
          o[at + 2 * i] = a * c - b * s;
          o[at + 2 * i + 1] = a * s + b * c;
        }
      }
    }
    return out;
  };
  // The backward rule of a rotation is the rotation by the opposite angle (its transpose).
  return Tensor.fromOp('applyRotary', rotate(x.value, 1), [x], (g) => [rotate(g, -1)]);
}

const tables = new Map<string, { cos: Float64Array; sin: Float64Array }>();

/** cos and sin of (offset + t)·θᵢ for t < positions and i < d/2, row by row; cached, since decoding asks often. */
function rotaryTable(offset: number, positions: number, d: number, base: number) {
  const key = `${offset},${positions},${d},${base}`;
  let table = tables.get(key);
  if (!table) {
    const half = d / 2;
    const cos = new Float64Array(positions * half);
    const sin = new Float64Array(positions * half);
    for (let t = 0; t < positions; t++) {
      for (let i = 0; i < half; i++) {
        const angle = (offset + t) * base ** ((-2 * i) / d);
        cos[t * half + i] = Math.cos(angle);
        sin[t * half + i] = Math.sin(angle);
      }
    }
    if (tables.size > 256) tables.clear();
    table = { cos, sin };
    tables.set(key, table);
  }
  return table;
}

/**
 * ALiBi's head slopes (Press et al., 2022, §3): for n heads a power of two, the geometric sequence starting at
 * 2^(−8/n) with that ratio (1/2, 1/4, …, 1/256 for 8 heads). Otherwise the slopes of the nearest power of two below
 * n, followed by every other slope of the sequence for twice that, until there are n (the paper's code does this).
 */
export function alibiSlopes(heads: number): number[] {
  if (!(Number.isInteger(heads) && heads > 0))
    throw new RangeError(`alibiSlopes: heads must be a positive integer, got ${heads}`);
  const geometric = (n: number) => Array.from({ length: n }, (_, i) => 2 ** ((-8 * (i + 1)) / n));
  const lower = 2 ** Math.floor(Math.log2(heads));
  if (lower === heads) return geometric(heads);
  return [
    ...geometric(lower),
    ...geometric(2 * lower)
      .filter((_, i) => i % 2 === 0)
      .slice(0, heads - lower),
  ];
}

/**
 * The bias ALiBi adds to the attention scores, [heads, Tq, Tk]: −slope·(i − j) for a query at position i and a key
 * at j ≤ i, the queries being the last Tq of Tk positions. Future keys are masked by the causal mask, not here.
 */
export function alibiBias(
  slopes: readonly number[],
  queries: number,
  keys: number,
  dtype: 'float32' | 'float64',
): T.NDArray {
  const bias = T.zeros([slopes.length, queries, keys], dtype);
  const b = bias.data;
  for (let h = 0, at = 0; h < slopes.length; h++) {
    for (let i = 0; i < queries; i++) {
      const position = keys - queries + i;
      for (let j = 0; j < keys; j++, at++) b[at] = -slopes[h]! * Math.max(position - j, 0);
    }
  }
  return bias;
}
