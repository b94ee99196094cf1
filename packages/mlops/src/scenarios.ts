import type { HistogramSet } from '@mle/serving-core';
import type { Classifier } from './gate.js';
import { type Checkpoint, replayThroughServer } from './replay.js';
import { brightness, noise, rotate } from './shifts.js';

export interface Shift {
  name: string;
  apply: (images: Float32Array) => Float32Array;
}

/** The shifts the drift job is shown against, and a control of fresh, unshifted test images (first). */
export const SHIFTS: readonly Shift[] = [
  { name: 'none (fresh test images)', apply: (x) => x },
  { name: 'brightness × 0.6', apply: (x) => brightness(x, 0.6) },
  { name: 'rotation 15°', apply: (x) => rotate(x, 15) },
  { name: 'noise σ 0.1', apply: (x) => noise(x, 0.1, 1) },
];

export interface Detection {
  shift: string;
  /** Rows of traffic when the drift job first alerted, or null if it never did. */
  caughtAt: number | null;
  /** The report at that checkpoint (the last one if never caught). */
  at: Checkpoint;
  /** The served model's accuracy on the shifted images: what the drift costs. */
  accuracy: number;
}

/**
 * Replays each shift of `images` through a running server and reports the sample size at which the drift job first
 * alerted, beside the model's accuracy under that shift.
 */
export async function detectShifts(options: {
  base: string;
  reference: HistogramSet;
  images: Float32Array;
  labels: Uint8Array;
  checkpoints: readonly number[];
  classify: Classifier;
  shifts?: readonly Shift[];
}): Promise<Detection[]> {
  const { checkpoints } = options;
  const n = checkpoints.at(-1)!;
  const images = options.images.subarray(0, n * 784);
  const out: Detection[] = [];
  for (const shift of options.shifts ?? SHIFTS) {
    const shifted = shift.apply(images);
    const reports = await replayThroughServer({
      base: options.base,
      model: 'mnist',
      images: shifted,
      reference: options.reference,
      checkpoints,
    });
    const caught = reports.find((r) => r.report.alert);
    const probabilities = await options.classify(shifted, n);
    let correct = 0;
    for (let r = 0; r < n; r++) {
      const row = probabilities.subarray(r * 10, r * 10 + 10);
      if (row.indexOf(Math.max(...row)) === options.labels[r]) correct++;
    }
    out.push({
      shift: shift.name,
      caughtAt: caught?.rows ?? null,
      at: caught ?? reports.at(-1)!,
      accuracy: correct / n,
    });
  }
  return out;
}
