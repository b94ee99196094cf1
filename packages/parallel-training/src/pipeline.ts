import { runThreadGroup, siblingModule } from './threads.js';

export type PipelineSchedule = 'gpipe' | '1f1b';

/** One unit of a stage's work: the forward or backward pass of one micro-batch. */
export interface PipeOp {
  kind: 'F' | 'B';
  micro: number;
}

/**
 * The order in which `stage` of `stages` runs its micro-batches. GPipe (Huang et al. 2019): every forward, then every
 * backward. 1F1B (PipeDream-Flush; Narayanan et al. 2021): stage s runs stages − s − 1 warm-up forwards, then
 * alternates one forward and one backward, then drains the backwards — the same bubble as GPipe, but a stage holds
 * at most stages − s micro-batches' activations instead of all m.
 */
export function pipelineSchedule(
  kind: PipelineSchedule,
  stage: number,
  stages: number,
  micro: number,
): PipeOp[] {
  if (!Number.isInteger(micro) || micro < 1) throw new RangeError(`micro-batches must be ≥ 1, got ${micro}`);
  if (!Number.isInteger(stage) || stage < 0 || stage >= stages)
    throw new RangeError(`stage ${stage} is not in [0, ${stages})`);
  const F = (i: number): PipeOp => ({ kind: 'F', micro: i });
  const B = (i: number): PipeOp => ({ kind: 'B', micro: i });
  const all = [...Array(micro).keys()];
  if (kind === 'gpipe') return [...all.map(F), ...all.map(B)];
  const warmup = Math.min(stages - stage - 1, micro);
  const ops = all.slice(0, warmup).map(F);
  for (let i = warmup; i < micro; i++) ops.push(F(i), B(i - warmup));
  for (let i = micro - warmup; i < micro; i++) ops.push(B(i));
  return ops;
}

/** The bubble of a synchronous pipeline with uniform stages and free communication: (p − 1) / (m + p − 1). */
export const bubbleFormula = (stages: number, micro: number): number => (stages - 1) / (micro + stages - 1);

export interface PipelineTimeline {
  /** From the first forward's start to the last backward's end. */
  makespan: number;
  /** Each stage's busy time. */
  busy: number[];
  /** The idle fraction, averaged over the stages: 1 − busy / makespan. */
  bubble: number;
  /** The most micro-batches whose activations a stage held at once (forward done, backward not). */
  peakInFlight: number[];
}

/**
 * Runs the schedules on an idealized machine (each op costs its given time, communication is free, a stage starts
 * an op when the op before it on the stage and the op it depends on are done: F on stage s needs F on s − 1, B on s
 * needs B on s + 1 and its own F).
 */
export function simulatePipeline(
  kind: PipelineSchedule,
  stages: number,
  micro: number,
  cost: { forward: number; backward: number } = { forward: 1, backward: 2 },
): PipelineTimeline {
  const schedules = Array.from({ length: stages }, (_, s) => pipelineSchedule(kind, s, stages, micro));
  const done = new Map<string, number>();
  const next = new Array(stages).fill(0);
  const free = new Array(stages).fill(0);
  const busy = new Array(stages).fill(0);
  const inFlight = new Array(stages).fill(0);
  const peakInFlight = new Array(stages).fill(0);
  let remaining = schedules.reduce((sum, s) => sum + s.length, 0);
  while (remaining > 0) {
    let progressed = false;
    for (let s = 0; s < stages; s++) {
      const op = schedules[s]![next[s]];
      if (!op) continue;
      const needs =
        op.kind === 'F'
          ? s > 0
            ? [`F${s - 1}.${op.micro}`]
            : []
          : [`F${s}.${op.micro}`, ...(s < stages - 1 ? [`B${s + 1}.${op.micro}`] : [])];
      if (!needs.every((k) => done.has(k))) continue;
      const start = Math.max(free[s], ...needs.map((k) => done.get(k)!));
      const took = op.kind === 'F' ? cost.forward : cost.backward;
      free[s] = start + took;
      busy[s] += took;
      done.set(`${op.kind}${s}.${op.micro}`, free[s]);
      inFlight[s] += op.kind === 'F' ? 1 : -1;
      peakInFlight[s] = Math.max(peakInFlight[s], inFlight[s]);
      next[s]++;
      remaining--;
      progressed = true;
    }
    if (!progressed) throw new Error(`the ${kind} schedule deadlocks`);
  }
  const makespan = Math.max(...free);
  return {
    makespan,
    busy,
    bubble: busy.reduce((sum, b) => sum + (1 - b / makespan), 0) / stages,
    peakInFlight,
  };
}

/** What a real two-stage run reports: the stage's timed ops and, for the equality test, its gradients. */
export interface StageReport {
  stage: number;
  /** [start, end] of each op, milliseconds on the shared clock (performance.timeOrigin + now). */
  intervals: [number, number][];
  peakInFlight: number;
  /** The stage's parameter gradients, flattened in order. */
  gradients: number[];
  loss: number;
}

export interface PipelineRunOptions {
  schedule: PipelineSchedule;
  micro: number;
  /** Layer widths, input first; the first half of the Linear layers is stage 0, the rest stage 1 (with the loss). */
  layers: number[];
  batch: number;
  seed: number;
}

/**
 * Trains one step of an MLP split over two stages (two worker threads; activations forward and gradients back over
 * the shared-memory ring of two), and measures it: the bubble is each stage's idle fraction of the span from the
 * first op's start to the last op's end, averaged.
 */
export async function runPipeline(
  options: PipelineRunOptions,
): Promise<{ stages: StageReport[]; bubble: number }> {
  if (options.batch % options.micro !== 0)
    throw new RangeError(
      `the batch (${options.batch}) must divide into ${options.micro} equal micro-batches`,
    );
  const widest = Math.max(...options.layers);
  const stages = await runThreadGroup<StageReport>(siblingModule('pipeline-stage', import.meta.url), 2, {
    capacity: (options.batch / options.micro) * widest,
    timeoutMs: 60_000,
    workerData: { options },
  });
  const start = Math.min(...stages.flatMap((s) => s.intervals.map((i) => i[0])));
  const end = Math.max(...stages.flatMap((s) => s.intervals.map((i) => i[1])));
  const bubble =
    stages.reduce(
      (sum, s) => sum + (1 - s.intervals.reduce((b, [a, z]) => b + (z - a), 0) / (end - start)),
      0,
    ) / stages.length;
  return { stages, bubble };
}
