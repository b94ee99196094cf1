import { createProgress, lineChartSvg } from '@mle/report';
import type { NDArray } from '@mle/tensor';
import * as T from '@mle/tensor';
import type { DataLoader } from './data.js';
import type { Module } from './nn/module.js';
import { clipGradNorm, type Optimizer } from './optim/optimizer.js';
import type { LRScheduler } from './optim/schedules.js';
import { noGrad, Tensor } from './tensor.js';

export type LossFn = (output: Tensor, targets: NDArray) => Tensor;

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  /** Accuracy over the epoch's batches as they were trained (a running figure, as Keras reports). */
  trainAccuracy: number;
  devLoss?: number;
  devAccuracy?: number;
  lr: number;
  seconds: number;
}

export interface FitOptions {
  model: Module;
  optimizer: Optimizer;
  loss: LossFn;
  train: DataLoader;
  /** Held-out data for per-epoch validation and early stopping. */
  dev?: { x: NDArray; y: NDArray };
  epochs: number;
  scheduler?: LRScheduler;
  /** Clip the global gradient norm to this before every step. */
  clipNorm?: number;
  /** Stop when dev loss has not improved by minDelta for `patience` epochs, and restore the best weights. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Progress bar label (the bar shows on a terminal only). */
  label?: string;
  onEpoch?: (record: EpochRecord) => void;
}

export interface FitResult {
  history: EpochRecord[];
  stoppedEarly: boolean;
  /** The epoch whose weights the model holds at the end. */
  bestEpoch: number;
}

export class TrainingError extends Error {
  override name = 'TrainingError';
}

/**
 * The training loop of every PyTorch tutorial, once: per batch forward, loss, backward, clip, step; per
 * epoch a dev evaluation, the schedule, and early stopping. A non-finite loss stops training at once,
 * before the optimizer applies it, with the epoch and step in the message.
 */
export function fit(options: FitOptions): FitResult {
  const { model, optimizer, loss, train, dev, epochs } = options;
  const history: EpochRecord[] = [];
  const progress = createProgress({ total: epochs * train.length, label: options.label ?? 'train' });
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, state: null as Map<string, NDArray> | null };
  let stale = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      model.train();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let step = 0;
      for (const batch of train) {
        step++;
        const output = model.forward(new Tensor(batch.x));
        const value = loss(output, batch.y);
        const l = value.item();
        if (!Number.isFinite(l)) {
          throw new TrainingError(
            `fit: loss is ${l} at epoch ${epoch}, step ${step}; training stopped before the update`,
          );
        }
        optimizer.zeroGrad();
        value.backward();
        if (options.clipNorm !== undefined) clipGradNorm(model.parameters(), options.clipNorm);
        optimizer.step();
        const n = batch.x.shape[0]!;
        lossSum += l * n;
        seen += n;
        correct += countCorrect(output.value, batch.y);
        progress.increment(1, { epoch, loss: (lossSum / seen).toFixed(4) });
      }
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / seen,
        trainAccuracy: correct / seen,
        lr: optimizer.lr,
        seconds: 0,
      };
      if (dev) {
        const result = evaluate(model, dev.x, dev.y, loss);
        record.devLoss = result.loss;
        record.devAccuracy = result.accuracy;
      }
      options.scheduler?.step();
      record.seconds = (performance.now() - started) / 1000;
      history.push(record);
      options.onEpoch?.(record);
      if (options.earlyStopping && record.devLoss !== undefined) {
        if (record.devLoss < best.loss - (options.earlyStopping.minDelta ?? 0)) {
          best = { loss: record.devLoss, epoch, state: snapshot(model) };
          stale = 0;
        } else if (++stale >= options.earlyStopping.patience) {
          stoppedEarly = true;
          break;
        }
      }
    }
  } finally {
    progress.stop();
  }
  if (best.state) model.loadStateDict(best.state);
  return { history, stoppedEarly, bestEpoch: best.state ? best.epoch : history.length };
}

export interface Evaluation {
  loss: number;
  accuracy: number;
  /** Model outputs for every row, [N, classes]. */
  logits: NDArray;
}

/** Loss, accuracy and outputs over a whole set, in eval mode without a graph, in batches. */
export function evaluate(model: Module, x: NDArray, y: NDArray, loss: LossFn, batchSize = 500): Evaluation {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const n = x.shape[0]!;
      const parts: NDArray[] = [];
      let lossSum = 0;
      for (let start = 0; start < n; start += batchSize) {
        const stop = Math.min(start + batchSize, n);
        const out = model.forward(new Tensor(x.slice({ start, stop })));
        lossSum += loss(out, y.slice({ start, stop })).item() * (stop - start);
        parts.push(out.value);
      }
      const logits = T.concat(parts, 0);
      return { loss: lossSum / n, accuracy: countCorrect(logits, y) / n, logits };
    });
  } finally {
    model.train(wasTraining);
  }
}

function countCorrect(logits: NDArray, labels: NDArray): number {
  const predicted = T.argmax(logits, 1).data;
  const actual = labels.toTypedArray();
  let correct = 0;
  for (let i = 0; i < actual.length; i++) if (predicted[i] === actual[i]) correct++;
  return correct;
}

function snapshot(model: Module): Map<string, NDArray> {
  return new Map([...model.stateDict()].map(([k, v]) => [k, v.clone()]));
}

/** Loss and accuracy per epoch, train against dev, as an SVG document. */
export async function learningCurveSvg(history: readonly EpochRecord[], title: string): Promise<string> {
  const series = (name: string, pick: (r: EpochRecord) => number | undefined) => ({
    name,
    points: history.flatMap((r) => (pick(r) === undefined ? [] : [{ x: r.epoch, y: pick(r)! }])),
  });
  const lines = [
    series('train error %', (r) => 100 * (1 - r.trainAccuracy)),
    series('dev error %', (r) => (r.devAccuracy === undefined ? undefined : 100 * (1 - r.devAccuracy))),
  ].filter((s) => s.points.length > 0);
  return lineChartSvg({
    title,
    x: { label: 'epoch', format: 'd' },
    y: { label: 'error (%)', log: true },
    series: lines,
  });
}
