import { OnnxSession, readModel } from '@mle/onnx-runtime';
import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  dequantizeBlockwise4,
  GraphBuilder,
  matmulNBitsReference,
  quantizeBlockwise4,
  quantizeMatMulNBits,
} from '../src/index.js';

/** x [M, K] · W [K, N] as one MatMul node with W a constant. */
function matmulModel(w: T.NDArray): Uint8Array {
  const [K, N] = w.shape as [number, number];
  const g = new GraphBuilder();
  const x = g.addInput('x', 'FLOAT', ['m', K]);
  const y = g.addNode('MatMul', [x, g.addInitializer('w', w)], { outputs: ['y'] })[0]!;
  g.addOutput(y, 'FLOAT', ['m', N]);
  return g.toBytes();
}

const VARIANTS = [
  { blockSize: 32, symmetric: true },
  { blockSize: 32, symmetric: false },
  { blockSize: 128, symmetric: true },
  { blockSize: 128, symmetric: false },
];

describe('4-bit blockwise quantization', () => {
  it('packs two codes a byte, low nibble first, column by column, as MatMulNBits reads them', () => {
    // K = 16 (one block of 16), N = 2; column 0 runs −8..7 steps of 0.5, column 1 is zero.
    const K = 16;
    const w = new Float32Array(K * 2);
    for (let k = 0; k < K; k++) w[k * 2] = (k - 8) * 0.5;
    const q = quantizeBlockwise4(w, K, 2, { blockSize: 16, symmetric: true });
    // The largest magnitude is −4 (k = 0): scale −4 / −8 = 0.5, code = w / 0.5 + 8 = k.
    expect(Array.from(q.scales)).toEqual([0.5, 0]);
    expect(Array.from(q.packed.subarray(0, 8))).toEqual([0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe]);
    expect(Array.from(q.packed.subarray(8))).toEqual(Array(8).fill(0x88)); // zeros: code 8, the zero point
    expect(q.zeroPoints).toBeUndefined();
    expect(Array.from(dequantizeBlockwise4(q))).toEqual(Array.from(w));
  });

  it('asymmetric blocks: zero points two a byte; min and max of each block are kept within half a step', () => {
    const K = 64;
    const w = new T.Rng(3).uniform([K, 3], -0.2, 1).toTypedArray() as Float32Array;
    const q = quantizeBlockwise4(w, K, 3, { blockSize: 32, symmetric: false });
    expect(q.zeroPoints).toHaveLength(3); // 2 blocks per column, one byte
    const back = dequantizeBlockwise4(q);
    for (let n = 0; n < 3; n++)
      for (let b = 0; b < 2; b++) {
        const scale = q.scales[n * 2 + b]!;
        for (let k = b * 32; k < (b + 1) * 32; k++)
          expect(Math.abs(back[k * 3 + n]! - w[k * 3 + n]!)).toBeLessThanOrEqual(scale / 2 + 1e-7);
      }
  });

  it.each(VARIANTS)(
    'round to nearest: every weight within half a step of its value, block $blockSize, symmetric $symmetric',
    (options) => {
      const [K, N] = [256, 24];
      const w = new T.Rng(5).normal([K, N], 0, 0.05).toTypedArray() as Float32Array;
      const q = quantizeBlockwise4(w, K, N, options);
      const back = dequantizeBlockwise4(q);
      const blocks = K / options.blockSize;
      let worstRatio = 0;
      let worstClipped = 0;
      for (let k = 0; k < K; k++)
        for (let n = 0; n < N; n++) {
          const scale = q.scales[n * blocks + Math.floor(k / options.blockSize)]!;
          const ratio = Math.abs(back[k * N + n]! - w[k * N + n]!) / Math.abs(scale);
          // Symmetric codes reach 7 steps on the side opposite the block's largest weight: beyond 7.5 it clips.
          if (options.symmetric && w[k * N + n]! / scale > 7.5) worstClipped = Math.max(worstClipped, ratio);
          else worstRatio = Math.max(worstRatio, ratio);
        }
      expect(worstRatio).toBeLessThanOrEqual(0.5 + 1e-5);
      expect(worstRatio).toBeGreaterThan(0.4); // the codes are rounded, not all exact
      expect(worstClipped).toBeLessThanOrEqual(1 + 1e-5);
    },
  );

  it.each(VARIANTS)(
    "onnxruntime's MatMulNBits equals the TypeScript dequantizing matmul within 1e-4, block $blockSize, symmetric $symmetric",
    async (options) => {
      const [M, K, N] = [5, 256, 48];
      const w = new T.Rng(11).normal([K, N], 0, 0.1);
      const x = new T.Rng(12).normal([M, K]);
      const { bytes, report } = quantizeMatMulNBits(matmulModel(w), options);
      expect(report.quantized).toHaveLength(1);
      expect(readModel(bytes).opCounts).toEqual([['com.microsoft.MatMulNBits', 1]]);
      const session = await OnnxSession.create(bytes);
      try {
        const y = (await session.run({ x })).y!.data as Float32Array;
        const q = quantizeBlockwise4(w.toTypedArray() as Float32Array, K, N, options);
        const reference = matmulNBitsReference(x.toTypedArray() as Float32Array, M, q);
        let worst = 0;
        for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i]! - reference[i]!));
        expect(worst).toBeLessThan(1e-4);
        // And the quantized product is not the float product: the test would see a kernel that ignored the codes.
        const exact = T.matmul(x, w).toTypedArray();
        let drift = 0;
        for (let i = 0; i < y.length; i++) drift = Math.max(drift, Math.abs(y[i]! - exact[i]!));
        expect(drift).toBeGreaterThan(1e-3);
      } finally {
        await session.release();
      }
    },
  );

  it('a 4-bit weight takes under 20% of its float32 bytes at block 32, scales included', () => {
    const w = new T.Rng(1).normal([512, 128]);
    const sym = quantizeMatMulNBits(matmulModel(w), { blockSize: 32, symmetric: true }).report;
    expect(sym.packedWeightBytes).toBe(512 * 128 * 0.5 + (512 / 32) * 128 * 4);
    expect(sym.packedWeightBytes / sym.floatWeightBytes).toBeCloseTo(0.15625, 6);
    const asym = quantizeMatMulNBits(matmulModel(w), { blockSize: 32, symmetric: false }).report;
    expect(asym.packedWeightBytes - sym.packedWeightBytes).toBe(128 * 8); // 16 zero points a column, two a byte
  });

  it('names a block size the operator cannot take', () => {
    const w = new Float32Array(64);
    expect(() => quantizeBlockwise4(w, 64, 1, { blockSize: 24, symmetric: true })).toThrow(
      'blockSize must be a power of two ≥ 16, got 24',
    );
    expect(() => quantizeBlockwise4(w, 32, 1, { blockSize: 32, symmetric: true })).toThrow(
      '64 weights do not make a [32, 1] matrix',
    );
  });
});
