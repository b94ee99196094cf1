/**
 * Run: pnpm --filter @mle/recommender bench [-- --json] [-- --quick]
 * Approximate nearest neighbours for retrieval: the item vectors the two-tower model learns from the 10k × 5k × 1M
 * log (the vectors the two-stage system indexes; cases ef<efSearch>) and ALS's (a harder set; als-ef<efSearch>),
 * searched with users' vectors (cosine) for their 10 nearest items — our HNSW beside hnswlib-node (C++, the same M and
 * efConstruction) and exact search, for efSearch 16…512: recall@10 against exact search, queries per second and
 * distance computations per query. --quick: the 2k × 1k × 100k log, fewer queries.
 */
import { fileURLToPath } from 'node:url';
import {
  type BenchResult,
  benchFlags,
  benchLog,
  benchRecord,
  commitBenchRun,
  lineChartSvg,
  markdownTable,
  printBenchReport,
  resultValue,
} from '@mle/report';
import {
  exactSearch,
  generateInteractions,
  Hnsw,
  ImplicitAls,
  leaveLastOut,
  TwoTower,
} from '../src/index.js';
import { HNSWLIB_VERSION, loadHnswlib } from './peer.js';

const { json, quick } = benchFlags();
const log = benchLog({ json });
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const size = quick
  ? { users: 2_000, items: 1_000, interactions: 100_000, queries: 300 }
  : { users: 10_000, items: 5_000, interactions: 1_000_000, queries: 2_000 };
const EFS = [16, 32, 64, 128, 256, 512];
const K = 10;
const M = 16;
const EF_CONSTRUCTION = 200;

const split = leaveLastOut(generateInteractions({ ...size, seed: 1 }));
const results: BenchResult[] = [];
const now = () => performance.now();
const testUsers = Array.from(split.testUsers.subarray(0, size.queries));

// The system's embeddings (two-tower, unit vectors, cases ef<efSearch>), and ALS's as a second, harder set
// (cases als-ef<efSearch>): the same search, other geometry.
const twoTower = new TwoTower(split.train);
const als = new ImplicitAls(split.train, { factors: 32, iterations: 6 });
const sets = [
  {
    prefix: '',
    name: 'two-tower',
    dim: twoTower.dim,
    items: twoTower.itemVectors,
    queries: testUsers.map((u) => twoTower.userVector(u)!),
  },
  {
    prefix: 'als-',
    name: 'ALS',
    dim: als.factors,
    items: Float32Array.from(als.itemFactors),
    queries: testUsers.map((u) =>
      Float32Array.from(als.userFactors.subarray(u * als.factors, (u + 1) * als.factors)),
    ),
  },
];
const HierarchicalNSW = loadHnswlib();

for (const { prefix, name, dim: f, items, queries } of sets) {
  log(`${size.items} ${name} item vectors of ${f} dimensions; ${queries.length} user vectors as queries`);
  // Exact search: the truth, and the baseline's speed.
  let start = now();
  const truth = queries.map((q) => new Set(exactSearch(items, f, q, K, 'cosine')));
  const exactQps = queries.length / ((now() - start) / 1000);
  results.push(
    { case: `${prefix}exact`, impl: 'exact', metric: 'queries_per_s', value: exactQps, unit: 'queries/s' },
    {
      case: `${prefix}exact`,
      impl: 'exact',
      metric: 'distance_computations',
      value: size.items,
      unit: 'per query',
    },
  );
  log(`exact: ${exactQps.toFixed(0)} queries/s, ${size.items} distances per query`);
  const recallOf = (found: ArrayLike<number>[]) => {
    let hits = 0;
    found.forEach((ids, j) => {
      for (let r = 0; r < ids.length; r++) if (truth[j]!.has(ids[r]!)) hits++;
    });
    return hits / (K * found.length);
  };

  start = now();
  const ours = new Hnsw(f, size.items, { M, efConstruction: EF_CONSTRUCTION, metric: 'cosine', seed: 1 });
  for (let i = 0; i < size.items; i++) ours.add(items.subarray(i * f, (i + 1) * f));
  results.push({
    case: `${prefix}build`,
    impl: 'hnsw',
    metric: 'seconds',
    value: (now() - start) / 1000,
    unit: 's',
  });

  // hnswlib-node, the same parameters; queries converted to arrays before the clock starts.
  start = now();
  const theirs = new HierarchicalNSW('cosine', f);
  theirs.initIndex({ maxElements: size.items, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 1 });
  for (let i = 0; i < size.items; i++) theirs.addPoint(Array.from(items.subarray(i * f, (i + 1) * f)), i);
  results.push({
    case: `${prefix}build`,
    impl: 'hnswlib-node',
    metric: 'seconds',
    value: (now() - start) / 1000,
    unit: 's',
  });
  const plainQueries = queries.map((q) => Array.from(q));

  // One untimed pass each, so the first timed efSearch does not pay for the JIT compiling our search.
  for (const q of queries) ours.search(q, K, 64);
  theirs.setEf(64);
  for (const q of plainQueries) theirs.searchKnn(q, K);

  for (const ef of EFS) {
    const c = `${prefix}ef${ef}`;
    ours.distanceComputations = 0;
    start = now();
    const mine = queries.map((q) => ours.search(q, K, ef).ids);
    const oursQps = queries.length / ((now() - start) / 1000);
    theirs.setEf(ef);
    start = now();
    const peer = plainQueries.map((q) => theirs.searchKnn(q, K).neighbors);
    const theirQps = queries.length / ((now() - start) / 1000);
    results.push(
      { case: c, impl: 'hnsw', metric: 'recall_at_10', value: recallOf(mine), unit: 'ratio' },
      { case: c, impl: 'hnsw', metric: 'queries_per_s', value: oursQps, unit: 'queries/s' },
      {
        case: c,
        impl: 'hnsw',
        metric: 'distance_computations',
        value: ours.distanceComputations / queries.length,
        unit: 'per query',
      },
      { case: c, impl: 'hnswlib-node', metric: 'recall_at_10', value: recallOf(peer), unit: 'ratio' },
      { case: c, impl: 'hnswlib-node', metric: 'queries_per_s', value: theirQps, unit: 'queries/s' },
    );
    log(
      `${c}: ours recall ${recallOf(mine).toFixed(3)} at ${oursQps.toFixed(0)} q/s (${(ours.distanceComputations / queries.length).toFixed(0)} distances), hnswlib-node recall ${recallOf(peer).toFixed(3)} at ${theirQps.toFixed(0)} q/s`,
    );
  }
}

/** A set's queries per second at a given recall, interpolated along its curve (undefined off its range). */
function qpsAt(prefix: string, impl: string, recall: number): number | undefined {
  const curve = EFS.map((ef) => [
    resultValue(results, `${prefix}ef${ef}`, impl, 'recall_at_10'),
    resultValue(results, `${prefix}ef${ef}`, impl, 'queries_per_s'),
  ]).sort((a, b) => a[0]! - b[0]! || b[1]! - a[1]!);
  // At a recall several efSearch values reach, the fastest of them.
  for (let p = 0; p + 1 < curve.length; p++) {
    const [r0, q0] = curve[p]!;
    const [r1, q1] = curve[p + 1]!;
    if (recall >= r0! && recall <= r1!) {
      if (r1 === r0) return Math.max(...curve.filter(([r]) => r === recall).map(([, q]) => q!));
      return q0! + ((recall - r0!) / (r1! - r0!)) * (q1! - q0!);
    }
  }
  return undefined;
}

const run = benchRecord({ package: '@mle/recommender', results });
printBenchReport(run, { json });
if (!json && !quick) {
  const tableOf = (prefix: string) =>
    markdownTable(
      [
        'efSearch',
        'ours: recall@10',
        'ours: queries/s',
        'ours: distances/query',
        'fewer than exact',
        'hnswlib-node: recall@10',
        'hnswlib-node: queries/s',
        'ours ÷ hnswlib-node at our recall',
      ],
      EFS.map((ef) => {
        const c = `${prefix}ef${ef}`;
        const recall = resultValue(results, c, 'hnsw', 'recall_at_10');
        const qps = resultValue(results, c, 'hnsw', 'queries_per_s');
        const peer = qpsAt(prefix, 'hnswlib-node', recall);
        // A row another efSearch of ours beats (as much recall, more speed) is off our curve: no ratio.
        const dominated = (qpsAt(prefix, 'hnsw', recall) ?? qps) > qps;
        return [
          String(ef),
          recall.toFixed(3),
          qps.toFixed(0),
          resultValue(results, c, 'hnsw', 'distance_computations').toFixed(0),
          `${(size.items / resultValue(results, c, 'hnsw', 'distance_computations')).toFixed(1)}×`,
          resultValue(results, c, 'hnswlib-node', 'recall_at_10').toFixed(3),
          resultValue(results, c, 'hnswlib-node', 'queries_per_s').toFixed(0),
          dominated
            ? 'a lower efSearch is faster'
            : peer === undefined
              ? 'outside its curve'
              : `${(qps / peer).toFixed(2)}×`,
        ];
      }),
      { align: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] },
    );
  const chart = await lineChartSvg({
    title: `Retrieval: recall@10 against queries per second, ours and hnswlib-node ${HNSWLIB_VERSION} (efSearch 16…512)`,
    x: { label: 'recall@10' },
    y: { label: 'queries per second', log: true },
    series: sets.flatMap(({ prefix, name }) =>
      ['hnsw', 'hnswlib-node'].map((impl) => ({
        name: `${impl === 'hnsw' ? 'ours' : 'hnswlib'} · ${name}`,
        points: EFS.map((ef) => ({
          x: resultValue(results, `${prefix}ef${ef}`, impl, 'recall_at_10'),
          y: resultValue(results, `${prefix}ef${ef}`, impl, 'queries_per_s'),
        })),
      })),
    ),
  });
  const describe = (prefix: string) =>
    `built in ${resultValue(results, `${prefix}build`, 'hnsw', 'seconds').toFixed(2)} s (ours) and ${resultValue(results, `${prefix}build`, 'hnswlib-node', 'seconds').toFixed(2)} s (hnswlib-node); exact search ${resultValue(results, `${prefix}exact`, 'exact', 'queries_per_s').toFixed(0)} queries/s at ${size.items.toLocaleString('en-US')} distances per query.\n\n${tableOf(prefix)}`;
  commitBenchRun(packageDir, run, {
    charts: { 'ann-recall-qps.svg': chart },
    markdown: `The ${size.items.toLocaleString('en-US')} item vectors (32 dimensions) of the ${size.interactions.toLocaleString('en-US')}-interaction log, searched with ${testUsers.length.toLocaleString('en-US')} test users' vectors for their ${K} nearest items by cosine; both indexes built with M ${M} and efConstruction ${EF_CONSTRUCTION}, hnswlib-node ${HNSWLIB_VERSION}.\n\nThe two-tower model's vectors, the ones the two-stage system searches: ${describe('')}\n\nALS's vectors, a harder set for the same search: ${describe('als-')}`,
  });
  console.log(
    `\nrun ${run.run}: wrote bench/results.json, charts/ann-recall-qps.svg and the README's results`,
  );
}
