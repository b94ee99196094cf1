import { quantizeDynamicInt8, quantizeMatMulNBits } from '@mle/onnx';
import { type CausalLm, readModel } from '@mle/onnx-runtime';
import type { GPT } from '../model/gpt.js';
import { exportGptOnnx, type GptOnnxOptions } from './export-onnx.js';

/** The deployable forms of one trained GPT: the float32 graph and its quantized weights. */
export const DEPLOY_VARIANTS = [
  'float32',
  'int8',
  'int4-g32',
  'int4-g128',
  'int4-g32-asym',
  'int4-g128-asym',
] as const;
export type DeployVariant = (typeof DEPLOY_VARIANTS)[number];

export interface DeployedGpt {
  variant: DeployVariant;
  bytes: Uint8Array;
  /** Bytes of every initializer: weights, norms, embeddings and the rotary tables. */
  weightBytes: number;
  /** Bytes of the MatMul weights alone, as stored (codes, scales and zero points for the quantized ones). */
  matmulWeightBytes: number;
  /** What the quantization describes of itself: "per-column symmetric int8", "4-bit, blocks of 32, …". */
  description: string;
}

/**
 * The model as each variant: float32 (the exported graph), int8 (dynamic quantization of every MatMul weight, the
 * activations quantized at run time), and weight-only 4-bit in blocks of 32 or 128 along the inner dimension,
 * symmetric (ids `int4-g32`, `int4-g128`) or with zero points (`-asym`).
 */
export function deployVariants(model: GPT, options: GptOnnxOptions = {}): DeployedGpt[] {
  const float32 = exportGptOnnx(model, options);
  const matmulFloatBytes = quantizeMatMulNBits(float32, { blockSize: 32, symmetric: true }).report
    .floatWeightBytes;
  const weightBytes = (bytes: Uint8Array) => readModel(bytes).initializerBytes;
  return DEPLOY_VARIANTS.map((variant): DeployedGpt => {
    if (variant === 'float32')
      return {
        variant,
        bytes: float32,
        weightBytes: weightBytes(float32),
        matmulWeightBytes: matmulFloatBytes,
        description: 'float32',
      };
    if (variant === 'int8') {
      const { bytes, report } = quantizeDynamicInt8(float32);
      return {
        variant,
        bytes,
        weightBytes: weightBytes(bytes),
        matmulWeightBytes: report.int8WeightBytes,
        description: 'int8 weights, one scale a column; activations quantized to uint8 at run time',
      };
    }
    const [, group, asym] = /^int4-g(\d+)(-asym)?$/.exec(variant)!;
    const blockSize = Number(group);
    const { bytes, report } = quantizeMatMulNBits(float32, { blockSize, symmetric: !asym });
    return {
      variant,
      bytes,
      weightBytes: weightBytes(bytes),
      matmulWeightBytes: report.packedWeightBytes,
      description: `4-bit weights in blocks of ${blockSize}, ${asym ? 'a scale and a zero point' : 'one scale'} a block (MatMulNBits)`,
    };
  });
}

/**
 * Mean cross-entropy in nats per token over `windows` windows of `context` tokens spread evenly over `tokens` (the
 * windows evaluateLoss takes), each run as a prefill through onnxruntime.
 */
export async function onnxValidationLoss(
  lm: CausalLm,
  tokens: Int32Array,
  context: number,
  windows: number,
  batch = 16,
): Promise<number> {
  const span = tokens.length - context - 1;
  if (span < 0)
    throw new RangeError(
      `onnxValidationLoss: ${tokens.length} tokens cannot fill a window of ${context} + 1`,
    );
  const starts = Array.from({ length: windows }, (_, i) => Math.floor((i * span) / Math.max(1, windows - 1)));
  const vocab = lm.shape.vocabSize;
  let total = 0;
  for (let i = 0; i < starts.length; i += batch) {
    const group = starts.slice(i, i + batch);
    const rows = group.map((start) => ({ tokens: Array.from(tokens.subarray(start, start + context)) }));
    const step = await lm.step(rows, { keepCaches: false });
    group.forEach((start, b) => {
      const logits = step.logits[b]!;
      for (let t = 0; t < context; t++) {
        const row = logits.subarray(t * vocab, (t + 1) * vocab);
        let max = Number.NEGATIVE_INFINITY;
        for (const v of row) max = Math.max(max, v);
        let sum = 0;
        for (const v of row) sum += Math.exp(v - max);
        total += Math.log(sum) + max - row[tokens[start + t + 1]!]!;
      }
    });
  }
  return total / (starts.length * context);
}
