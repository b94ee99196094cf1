import type { OnnxSession } from '@mle/onnx-runtime';
import { toNDArray } from '@mle/onnx-runtime';
import { fromTypedArray, Rng } from '@mle/tensor';

/** Class probabilities for a batch of raw MNIST images (rows of 784 pixels in [0, 1]), e.g. an onnxruntime session. */
export type Classifier = (images: Float32Array, count: number) => Promise<Float32Array>;

/** A Classifier over an onnxruntime session of an exported MNIST model (input "input", output "output"). */
export const sessionClassifier =
  (session: OnnxSession): Classifier =>
  async (images, count) =>
    toNDArray(
      (await session.run({ input: fromTypedArray(images, [count, 784]) })).output!,
    ).toTypedArray() as Float32Array;

export interface EvalSet {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

export interface GateConfig {
  /** The candidate's accuracy must beat production's by at least this much (0.002 = 0.2 points). */
  margin: number;
  /** Invariance: at most this share of predictions may change under pixel noise… */
  maxNoiseFlipRate: number;
  /** …or under a 1-pixel shift (an MLP sees pixels, not strokes: it is not shift-invariant by construction). */
  maxShiftFlipRate: number;
  /** The noise for the invariance check (Gaussian σ, clipped to [0, 1]). */
  noiseSigma: number;
  /** Every digit's accuracy must reach this floor. */
  classFloor: number;
  seed: number;
}

export const DEFAULT_GATE: GateConfig = {
  margin: 0.002,
  maxNoiseFlipRate: 0.05,
  maxShiftFlipRate: 0.2,
  noiseSigma: 0.05,
  classFloor: 0.8,
  seed: 0,
};

export interface Check {
  name: string;
  passed: boolean;
  /** What was measured, and the bound it was held to. */
  value: number;
  bound: number;
  detail: string;
}

export interface GateReport {
  passed: boolean;
  checks: Check[];
  candidateAccuracy: number;
  productionAccuracy: number | null;
}

const argmaxRows = (probs: Float32Array, count: number) =>
  Array.from({ length: count }, (_, r) => {
    let best = 0;
    for (let c = 1; c < 10; c++) if (probs[r * 10 + c]! > probs[r * 10 + best]!) best = c;
    return best;
  });

/** Each image moved by (dx, dy) pixels, the uncovered edge filled with 0 (background). */
export function shiftImages(images: Float32Array, count: number, dx: number, dy: number): Float32Array {
  const out = new Float32Array(images.length);
  for (let n = 0; n < count; n++)
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) {
        const sx = x - dx;
        const sy = y - dy;
        if (sx >= 0 && sx < 28 && sy >= 0 && sy < 28)
          out[n * 784 + y * 28 + x] = images[n * 784 + sy * 28 + sx]!;
      }
  return out;
}

/**
 * The promotion gate: a candidate goes to production only if it beats production's accuracy on the evaluation set
 * by `margin` and passes behavioural tests as Made-With-ML writes them (Ribeiro et al.'s CheckList): invariance
 * (pixel noise and 1-pixel shifts change few predictions), a directional expectation (erasing the digit lowers the
 * model's confidence), and a per-class accuracy floor. The report says which check failed and by how much.
 */
export async function runGate(
  candidate: Classifier,
  production: Classifier | null,
  data: EvalSet,
  config: GateConfig = DEFAULT_GATE,
): Promise<GateReport> {
  const { images, labels, count } = data;
  const probs = await candidate(images, count);
  const predicted = argmaxRows(probs, count);
  const accuracy = predicted.filter((p, i) => p === labels[i]).length / count;
  const checks: Check[] = [];

  let productionAccuracy: number | null = null;
  if (production) {
    const theirs = argmaxRows(await production(images, count), count);
    productionAccuracy = theirs.filter((p, i) => p === labels[i]).length / count;
    const gain = accuracy - productionAccuracy;
    checks.push({
      name: 'beats production',
      passed: gain >= config.margin,
      value: gain,
      bound: config.margin,
      detail: `accuracy ${(100 * accuracy).toFixed(2)}% vs production ${(100 * productionAccuracy).toFixed(2)}%: ${gain >= 0 ? '+' : ''}${(100 * gain).toFixed(2)} points, needs +${(100 * config.margin).toFixed(2)}`,
    });
  }

  const rng = new Rng(config.seed);
  const noisy = Float32Array.from(images, (v) =>
    Math.min(1, Math.max(0, v + config.noiseSigma * rng.nextNormal())),
  );
  for (const [name, variant, bound] of [
    [`invariance: Gaussian pixel noise σ = ${config.noiseSigma}`, noisy, config.maxNoiseFlipRate],
    ['invariance: 1-pixel shift right', shiftImages(images, count, 1, 0), config.maxShiftFlipRate],
    ['invariance: 1-pixel shift down', shiftImages(images, count, 0, 1), config.maxShiftFlipRate],
  ] as const) {
    const changed = argmaxRows(await candidate(variant, count), count).filter(
      (p, i) => p !== predicted[i],
    ).length;
    const rate = changed / count;
    checks.push({
      name,
      passed: rate <= bound,
      value: rate,
      bound,
      detail: `${changed} of ${count} predictions changed (${(100 * rate).toFixed(1)}%), at most ${(100 * bound).toFixed(1)}% allowed`,
    });
  }

  // Directional: an erased (blank) image should leave the model less sure than the digit did.
  const blankConfidence = Math.max(...(await candidate(new Float32Array(784), 1)));
  const meanConfidence = predicted.reduce((s, p, r) => s + probs[r * 10 + p]!, 0) / count;
  checks.push({
    name: 'directional: erasing the digit lowers confidence',
    passed: blankConfidence < meanConfidence,
    value: blankConfidence,
    bound: meanConfidence,
    detail: `top probability on a blank image ${blankConfidence.toFixed(3)}, mean on the digits ${meanConfidence.toFixed(3)}`,
  });

  for (let digit = 0; digit < 10; digit++) {
    const rows = [...labels.keys()].filter((i) => labels[i] === digit);
    const classAccuracy = rows.filter((i) => predicted[i] === digit).length / Math.max(1, rows.length);
    checks.push({
      name: `class floor: digit ${digit}`,
      passed: classAccuracy >= config.classFloor,
      value: classAccuracy,
      bound: config.classFloor,
      detail: `${(100 * classAccuracy).toFixed(1)}% of ${rows.length} (floor ${(100 * config.classFloor).toFixed(0)}%)`,
    });
  }
  return { passed: checks.every((c) => c.passed), checks, candidateAccuracy: accuracy, productionAccuracy };
}
