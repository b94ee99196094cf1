/**
 * Run: pnpm --filter @mle/parallel-training bench [-- --json] [-- --quick]
 * Data-parallel training on this machine: one replica against two (each single-threaded), on the MNIST MLP and on a
 * wide MLP where compute dominates, for the shared-memory ring, the TCP ring (each with and without the bucketed
 * overlap) and the parameter server; step time split into compute, exposed synchronization and update (medians of
 * the steps of each run, median of 3 runs). Then the cost model, fed only by microbenchmarks (the matmul kernel's
 * FLOP/s on one core, the update's ns per parameter, each transport's α–β fit), predicts the measured steps; and,
 * with published interconnect bandwidths, the scaling of a 1.3 B-parameter model to 1,024 GPUs. Then the two-stage
 * pipeline's bubble for m = 1…16 micro-batches, and the hyperparameter searches (bench/search.ts).
 * --quick: a few steps, one run, no committed output.
 */
import { fileURLToPath } from 'node:url';
import { benchFlags, benchLog, benchRecord, commitBenchRun, printBenchReport } from '@mle/report';
import { benchDataParallel } from './data-parallel.js';
import { benchPipeline } from './pipeline.js';
import { benchSearch } from './search.js';

const { json, quick } = benchFlags();
const log = benchLog({ json });
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const runs = quick ? 1 : 3;

const dataParallel = await benchDataParallel({ quick, runs, log });
const pipeline = await benchPipeline({ quick, runs, log });
const search = await benchSearch({ quick, log });

const run = benchRecord({
  package: '@mle/parallel-training',
  results: [...dataParallel.results, ...pipeline.results, ...search.results],
});
printBenchReport(run, { json });
if (!json && !quick) {
  const parts = [await dataParallel.render(), await pipeline.render()];
  commitBenchRun(packageDir, run, {
    charts: Object.assign({}, ...parts.map((p) => p.charts), search.charts),
    markdown: [...parts.flatMap((p) => p.markdown), search.markdown].join('\n\n'),
  });
}
