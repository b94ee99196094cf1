import { allocate, type DType, isFloat } from './dtype.js';
import { NDArray } from './ndarray.js';
import { checkShape, type Shape, sizeOf } from './shape.js';

/**
 * xoshiro128** (Blackman & Vigna, 2018): 128 bits of state, period 2^128 − 1, exact in 32-bit integer
 * arithmetic. The state is seeded from one integer through splitmix32 so that nearby seeds give unrelated
 * streams. Every random function in the package takes one of these, so results are reproducible.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Rng: seed must be a safe integer, got ${seed}`);
    let x = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
    const next = () => {
      // splitmix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A generator with the state given directly (for checking against the reference implementation). */
  static fromState(state: readonly [number, number, number, number]): Rng {
    const rng = new Rng(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.map((v) => v >>> 0) as [number, number, number, number];
    return rng;
  }

  /** The next 32-bit output as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal by the Box–Muller transform (both outputs used). */
  nextNormal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    const u = 1 - this.nextFloat(); // (0, 1]: log(u) is finite
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer uniform in [0, n), without modulo bias (rejection sampling). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32)
      throw new RangeError(`nextInt: n must be an integer in [1, 2^32], got ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  uniform(shape: Shape, low = 0, high = 1, dtype: DType = 'float32'): NDArray {
    checkFloat('uniform', dtype, { low, high });
    if (!(high > low)) throw new RangeError(`uniform: high (${high}) must be greater than low (${low})`);
    return this.fill('uniform', shape, dtype, () => low + (high - low) * this.nextFloat());
  }

  normal(shape: Shape, mean = 0, std = 1, dtype: DType = 'float32'): NDArray {
    checkFloat('normal', dtype, { mean, std });
    if (std < 0) throw new RangeError(`normal: std must be non-negative, got ${std}`);
    return this.fill('normal', shape, dtype, () => mean + std * this.nextNormal());
  }

  /** A random permutation of 0..n-1 (Fisher–Yates), as int32. */
  permutation(n: number): NDArray {
    const data = allocate('int32', n);
    for (let i = 0; i < n; i++) data[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = data[i]!;
      data[i] = data[j]!;
      data[j] = t;
    }
    return new NDArray(data, [n]);
  }

  private fill(op: string, shape: Shape, dtype: DType, draw: () => number): NDArray {
    checkShape(op, shape);
    const data = allocate(dtype, sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = draw();
    return new NDArray(data, shape, { dtype });
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function checkFloat(op: string, dtype: DType, params: Record<string, number>): void {
  if (!isFloat(dtype)) throw new TypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  for (const [name, v] of Object.entries(params)) {
    if (!Number.isFinite(v)) throw new RangeError(`${op}: ${name} is ${v}, expected a finite number`);
  }
}
