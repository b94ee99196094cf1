import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  defaultKernel,
  fromArray,
  MATMUL_KERNELS,
  type MatmulKernelName,
  MatmulPool,
  matmul,
  matmulPool,
  Rng,
  setMatmulThreads,
} from '../src/index.js';
import { float32DotBound, matmulReference } from './reference.js';

const rungs = Object.keys(MATMUL_KERNELS) as MatmulKernelName[];
afterAll(() => matmulPool().close());

function operands(m: number, k: number, n: number, seed: number) {
  const rng = new Rng(seed);
  return { a: rng.normal([m, k]).data as Float32Array, b: rng.normal([k, n]).data as Float32Array };
}

/** Every entry within the float32 error bound of the float64 product. */
function expectWithinBound(
  c: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  label: string,
) {
  const ref = matmulReference(a, b, m, k, n);
  for (let i = 0; i < m * n; i++) {
    const error = Math.abs(c[i]! - ref.c[i]!);
    const bound = float32DotBound(k, ref.magnitude[i]!, ref.c[i]!);
    if (!(error <= bound)) {
      throw new Error(
        `${label}: entry ${i} (row ${Math.floor(i / n)}) is ${c[i]}, float64 gives ${ref.c[i]}; error ${error} > bound ${bound}`,
      );
    }
  }
}

describe('the float32 matmul ladder', () => {
  it.each(rungs)('%s agrees with the float64 product within the float32 error bound, any shape', (rung) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        (m, k, n, seed) => {
          const { a, b } = operands(m, k, n, seed);
          expectWithinBound(
            MATMUL_KERNELS[rung](a, b, m, k, n),
            a,
            b,
            m,
            k,
            n,
            `${rung} ${m}×${k}·${k}×${n}`,
          );
        },
      ),
      { numRuns: 40, seed: 42 },
    );
  });

  // Shapes that cross the kernels' block edges: k past the 256-deep packing block, n not a multiple of the
  // 8-wide panel, m not a multiple of the 4-row tile, and fewer rows than threads × tile for the pool.
  it.each(rungs)('%s handles block edges: k > 256, ragged m and n', (rung) => {
    for (const [m, k, n] of [
      [33, 300, 21],
      [5, 513, 9],
      [1, 600, 1],
      [130, 257, 67],
      [6, 7, 8],
    ] as const) {
      const { a, b } = operands(m, k, n, m * k + n);
      expectWithinBound(MATMUL_KERNELS[rung](a, b, m, k, n), a, b, m, k, n, `${rung} ${m}×${k}·${k}×${n}`);
    }
  });

  it('every rung stays close to the naive kernel (same products, different summation order)', () => {
    const [m, k, n] = [64, 200, 48];
    const { a, b } = operands(m, k, n, 5);
    const naive = MATMUL_KERNELS.naive(a, b, m, k, n);
    const ref = matmulReference(a, b, m, k, n);
    for (const rung of rungs) {
      const c = MATMUL_KERNELS[rung](a, b, m, k, n);
      for (let i = 0; i < c.length; i++) {
        expect(Math.abs(c[i]! - naive[i]!)).toBeLessThanOrEqual(
          2 * float32DotBound(k, ref.magnitude[i]!, ref.c[i]!),
        );
      }
    }
  });

  it('the NDArray matmul picks a rung by size and gives the same answer as forcing each one', () => {
    const rng = new Rng(3);
    const x = rng.normal([2, 50, 30]);
    const y = rng.normal([30, 40]);
    const auto = matmul(x, y);
    for (const rung of rungs) {
      const forced = matmul(x, y, { kernel: rung });
      const diff = Array.from(forced.data).map((v, i) => Math.abs(v - auto.data[i]!));
      expect(Math.max(...diff)).toBeLessThan(1e-4);
    }
  });

  it('float64 and int32 products are exact where the values allow', () => {
    const a = fromArray([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const b = fromArray([7, 8, 9, 10, 11, 12], [3, 2], 'int32');
    expect(matmul(a, b).toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(matmul(a.astype('float64'), b.astype('float64')).dtype).toBe('float64');
  });

  it('names the problem on bad operands', () => {
    const a = fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => matmul(a, a)).toThrow('matmul: inner dimensions differ (a is [2,3], b is [2,3])');
    expect(() => matmul(a, a.T.astype('float64'))).toThrow(
      'matmul: dtype mismatch (a is float32, b is float64)',
    );
    expect(() => matmul(a, fromArray([1], []))).toThrow('operands must have at least one axis');
  });
});

describe('the worker pool', () => {
  it('terminates its workers when closed, and after being idle', async () => {
    const pool = new MatmulPool(2, 50);
    const { a, b } = operands(64, 64, 64, 1);
    pool.multiply(a, b, 64, 64, 64);
    expect(pool.liveWorkers).toBe(1);
    pool.close();
    expect(pool.liveWorkers).toBe(0);
    pool.multiply(a, b, 64, 64, 64);
    expect(pool.liveWorkers).toBe(1);
    // The idle timer (50 ms) ends the workers; on a loaded machine it may fire late, so wait for it, not for a time.
    await vi.waitFor(() => expect(pool.liveWorkers).toBe(0), { timeout: 20_000, interval: 20 });
  });

  it('can be made single-threaded for the whole process (a replica that owns one core)', () => {
    const threads = matmulPool().threads;
    try {
      setMatmulThreads(1);
      expect(matmulPool().threads).toBe(1);
      expect(defaultKernel(256, 256, 256)).toBe('wasm-simd');
      setMatmulThreads(2);
      expect(defaultKernel(256, 256, 256)).toBe('wasm-simd-parallel');
    } finally {
      setMatmulThreads(threads);
    }
  });

  it('uses every thread it is given and stays correct', () => {
    const pool = new MatmulPool(3, 50);
    const [m, k, n] = [37, 45, 29];
    const { a, b } = operands(m, k, n, 9);
    expectWithinBound(pool.multiply(a, b, m, k, n), a, b, m, k, n, 'three threads');
    expect(pool.liveWorkers).toBe(2);
    pool.close();
  });

  it('lets a process that used it (and never closed it) exit on its own, cleanly', () => {
    // Workers and the idle timer are unref'd: the child exits when its script ends, not when the 2 s idle timer
    // fires. A child that hangs is killed at the spawn timeout and fails on its status.
    const child = spawnSync(tsx, ['--conditions=@mle/source', 'test/fixtures/exit-after-matmul.ts'], {
      cwd: packageRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe(`done 256x256 workers ${matmulPool().threads - 1}`);
    expect(child.status).toBe(0);
  });
});

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
