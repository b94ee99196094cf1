import { bestOf, type Searcher, type TrialOutcome, type TrialRequest } from './searchers.js';
import type { Config } from './space.js';

/**
 * Runs one trial: trains for `request.epochs`, calling `onEpoch` with each epoch's dev score; if it answers false the
 * trial stops there (early stopping). Resolves with the scores and how it ended; a trial that throws or whose worker
 * dies resolves as failed (never rejects).
 */
export interface TrialExecutor {
  run(
    request: TrialRequest,
    onEpoch: (epoch: number, score: number) => boolean,
  ): Promise<Pick<TrialOutcome, 'scores' | 'status' | 'error'>>;
  close?(): Promise<void>;
}

export interface EarlyStopping {
  /** The median stopping rule (Golovin et al. 2017, Google Vizier) needs this many other trials at the same epoch. */
  minTrials: number;
  /** Epochs every trial runs before it may be stopped. */
  grace: number;
}

export interface SearchResult {
  searcher: string;
  /** In the order they finished. */
  outcomes: TrialOutcome[];
  best: { config: Config; score: number; id: number } | null;
  /** Epochs trained by all trials together (the search's compute). */
  totalEpochs: number;
  failed: number;
  stopped: number;
}

/**
 * Asks the searcher for trials and runs up to `concurrency` at once on the executor, telling it each outcome. With
 * `earlyStopping` (and a searcher that allows it), a trial whose best score so far is below the median of what the
 * other trials had reached by the same epoch is stopped. A failed trial is recorded and the search goes on.
 */
export async function runSearch(
  searcher: Searcher,
  executor: TrialExecutor,
  options: { concurrency: number; earlyStopping?: EarlyStopping },
): Promise<SearchResult> {
  const { concurrency, earlyStopping } = options;
  if (!(Number.isInteger(concurrency) && concurrency >= 1))
    throw new RangeError(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  // bestSoFar[epoch] holds each trial's best score by that epoch (1-based), for the median rule.
  const bestSoFar: number[][] = [];
  const outcomes: TrialOutcome[] = [];
  const running = new Map<number, Promise<void>>();
  let exhausted = false;
  const stopRule = (epoch: number, best: number): boolean => {
    if (!earlyStopping || !searcher.earlyStoppable || epoch <= earlyStopping.grace) return true;
    const others = bestSoFar[epoch] ?? [];
    if (others.length < earlyStopping.minTrials) return true;
    const sorted = [...others].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return best >= median;
  };
  const start = (request: TrialRequest) => {
    let best = Number.NEGATIVE_INFINITY;
    const promise = executor
      .run(request, (epoch, score) => {
        best = Math.max(best, score);
        const keep = stopRule(epoch, best);
        bestSoFar[epoch] = [...(bestSoFar[epoch] ?? []), best];
        return keep;
      })
      .then((result) => {
        const outcome: TrialOutcome = { id: request.id, config: request.config, tag: request.tag, ...result };
        outcomes.push(outcome);
        running.delete(request.id);
        searcher.tell(outcome);
      });
    running.set(request.id, promise);
  };
  for (;;) {
    while (!exhausted && running.size < concurrency) {
      const next = searcher.ask();
      if (next === 'done') exhausted = true;
      else if (next === 'wait') break;
      else start(next);
    }
    if (running.size === 0) {
      if (exhausted) break;
      throw new Error(`${searcher.name}: asked to wait with no trial running`);
    }
    await Promise.race(running.values());
  }
  await executor.close?.();
  let best: SearchResult['best'] = null;
  for (const o of outcomes) {
    const score = bestOf(o);
    if (Number.isFinite(score) && (!best || score > best.score || (score === best.score && o.id < best.id)))
      best = { config: o.config, score, id: o.id };
  }
  return {
    searcher: searcher.name,
    outcomes,
    best,
    totalEpochs: outcomes.reduce((sum, o) => sum + o.scores.length, 0),
    failed: outcomes.filter((o) => o.status === 'failed').length,
    stopped: outcomes.filter((o) => o.status === 'stopped').length,
  };
}

/** An executor for objectives computed in this thread (tests, and cheap objectives): `score(config, epoch)`. */
export function inlineExecutor(score: (config: Config, epoch: number) => number): TrialExecutor {
  return {
    async run(request, onEpoch) {
      const scores: number[] = [];
      try {
        for (let epoch = 1; epoch <= request.epochs; epoch++) {
          await Promise.resolve(); // let other trials interleave, as workers would
          const s = score(request.config, epoch);
          scores.push(s);
          if (!onEpoch(epoch, s) && epoch < request.epochs) return { scores, status: 'stopped' };
        }
        return { scores, status: 'completed' };
      } catch (error) {
        return { scores, status: 'failed', error: (error as Error).message };
      }
    },
  };
}
