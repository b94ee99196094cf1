/**
 * Run: pnpm --filter @mle/classic-ml bench [-- --json] [-- --quick]
 * Every case measures ours beside the peer people would use instead, in the same process.
 */
import { loadIris } from '@mle/datasets';
import { benchFlags, measure, printBenchReport } from '@mle/report';
import { PCA as PeerPCA } from 'ml-pca';
import { PCA } from '../src/index.js';

const { json } = benchFlags();
const iris = loadIris();
const ours = measure(() => new PCA().fit(iris.features));
const peer = measure(() => new PeerPCA(iris.features as number[][]));
printBenchReport(
  {
    package: '@mle/classic-ml',
    results: [
      { case: 'iris-pca', impl: 'ours', metric: 'fit_ms', value: ours.median, unit: 'ms' },
      { case: 'iris-pca', impl: 'ml-pca', metric: 'fit_ms', value: peer.median, unit: 'ms' },
    ],
  },
  { json },
);
