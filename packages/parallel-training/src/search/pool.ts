import { parentPort, type Worker } from 'node:worker_threads';
import { workerFor } from '../threads.js';
import type { TrialExecutor } from './run.js';
import type { TrialOutcome, TrialRequest } from './searchers.js';
import type { Config } from './space.js';

type ToWorker = { type: 'run'; request: TrialRequest } | { type: 'continue'; keep: boolean };
type FromWorker =
  | { type: 'epoch'; epoch: number; score: number }
  | ({ type: 'done' } & Pick<TrialOutcome, 'scores' | 'status' | 'error'>);

/** What a trial worker runs: trains `config` for `epochs`, awaiting onEpoch's verdict after each epoch. */
export type TrialFunction = (
  config: Config,
  epochs: number,
  onEpoch: (epoch: number, score: number) => Promise<boolean>,
) => Promise<number[]>;

/**
 * The worker side: serves trials one at a time. After each epoch it reports the score and waits for the runner's
 * verdict; a trial that throws is reported as failed (the worker lives on for the next).
 */
export function serveTrials(train: TrialFunction): void {
  const port = parentPort!;
  let verdict: ((keep: boolean) => void) | undefined;
  port.on('message', async (message: ToWorker) => {
    if (message.type === 'continue') return verdict?.(message.keep);
    const { config, epochs } = message.request;
    let stopped = false;
    let scores: number[] = [];
    try {
      scores = await train(config, epochs, (epoch, score) => {
        scores.push(score);
        port.postMessage({ type: 'epoch', epoch, score } satisfies FromWorker);
        return new Promise<boolean>((resolve) => {
          verdict = (keep) => {
            if (!keep) stopped = true;
            resolve(keep);
          };
        });
      });
      port.postMessage({
        type: 'done',
        scores,
        status: stopped && scores.length < epochs ? 'stopped' : 'completed',
      } satisfies FromWorker);
    } catch (error) {
      port.postMessage({
        type: 'done',
        scores,
        status: 'failed',
        error: (error as Error).message,
      } satisfies FromWorker);
    }
  });
}

/**
 * Runs trials on up to `size` worker threads (each running `script`, which calls serveTrials), one trial per worker
 * at a time. A worker that dies or exceeds `trialTimeoutMs` fails its trial and is replaced; close() stops them all.
 */
export function workerExecutor(
  script: URL,
  size: number,
  options: { trialTimeoutMs?: number; workerData?: unknown } = {},
): TrialExecutor & { liveWorkers(): number } {
  const { trialTimeoutMs = 600_000 } = options;
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const spawn = () => {
    const worker = workerFor(script, { workerData: options.workerData });
    all.add(worker);
    return worker;
  };
  return {
    run(request, onEpoch) {
      if (all.size - idle.length >= size) throw new Error(`workerExecutor: more than ${size} trials at once`);
      const worker = idle.pop() ?? spawn();
      return new Promise((resolve) => {
        const scores: number[] = [];
        let settled = false;
        const finish = (result: Pick<TrialOutcome, 'scores' | 'status' | 'error'>, reuse: boolean) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          worker.off('error', onError);
          if (reuse) idle.push(worker);
          else {
            all.delete(worker);
            void worker.terminate();
          }
          resolve(result);
        };
        const onMessage = (message: FromWorker) => {
          if (message.type === 'epoch') {
            scores.push(message.score);
            worker.postMessage({
              type: 'continue',
              keep: onEpoch(message.epoch, message.score),
            } satisfies ToWorker);
          } else finish({ scores: message.scores, status: message.status, error: message.error }, true);
        };
        let lastError = '';
        const onError = (error: Error) => {
          lastError = error.message;
        };
        const onExit = (code: number) =>
          finish(
            { scores, status: 'failed', error: lastError || `its worker exited with code ${code}` },
            false,
          );
        const timer = setTimeout(
          () => finish({ scores, status: 'failed', error: `timed out after ${trialTimeoutMs} ms` }, false),
          trialTimeoutMs,
        );
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage({ type: 'run', request } satisfies ToWorker);
      });
    },
    liveWorkers: () => all.size,
    async close() {
      await Promise.all([...all].map((w) => w.terminate()));
      all.clear();
      idle.length = 0;
    },
  };
}
