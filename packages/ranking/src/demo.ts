/** Run: pnpm --filter @mle/ranking demo [-- --quick] */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadFlightsAirport, loadKarateClub } from '@mle/datasets';
import { demoFlags, formatTable, lineChartSvg } from '@mle/report';
import {
  buildGraph,
  evaluateRanking,
  letorDataset,
  pageRank,
  type Ranker,
  randomGraph,
  sliceQueries,
  trainLambdaMart,
  trainNeuralRanker,
  trainPointwise,
} from './index.js';

const { quick } = demoFlags();
const charts = fileURLToPath(new URL('../charts/', import.meta.url));
mkdirSync(charts, { recursive: true });
const top = (scores: Float64Array, k: number) =>
  [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, k);

// 1. The karate club: friendships both ways; the two leaders rank first.
const karate = loadKarateClub();
const karateScores = pageRank(
  buildGraph({
    nodes: karate.nodeNames.length,
    sources: karate.edges.flatMap((e) => [e.source, e.target]),
    targets: karate.edges.flatMap((e) => [e.target, e.source]),
  }),
).scores;
console.log("Zachary's karate club, PageRank (damping 0.85):");
console.log(
  formatTable(
    ['member', 'PageRank', 'faction'],
    top(karateScores, 5).map((v) => [karate.nodeNames[v]!, karateScores[v]!.toFixed(4), karate.club[v]!]),
    { align: ['right', 'right', 'left'] },
  ),
);

// 2. US flights: weighted by flights per route, then personalised to one airport.
const flights = loadFlightsAirport();
const list = {
  nodes: flights.nodeNames.length,
  sources: flights.edges.map((e) => e.source),
  targets: flights.edges.map((e) => e.target),
  weights: flights.edges.map((e) => e.weight),
};
const airports = buildGraph(list);
const power = pageRank(airports, { tolerance: 1e-12, maxIterations: 1000 });
const seidel = pageRank(airports, { tolerance: 1e-12, maxIterations: 1000, method: 'gauss-seidel' });
const inFlights = new Float64Array(list.nodes);
for (const e of flights.edges) inFlights[e.target]! += e.weight;
const totalFlights = inFlights.reduce((s, v) => s + v, 0);
const sea = flights.nodeNames.indexOf('SEA');
const fromSeattle = pageRank(airports, {
  personalization: flights.nodeNames.map((_, v) => (v === sea ? 1 : 0)),
}).scores;
console.log(
  `\nUS flights (${list.nodes} airports, ${flights.edges.length.toLocaleString('en-US')} routes weighted by flights): PageRank beside the share of arriving flights, and personalised to Seattle (every jump lands at SEA):`,
);
const seattleTop = top(fromSeattle, 6).filter((v) => v !== sea);
console.log(
  formatTable(
    ['rank', 'airport', 'PageRank', 'share of arrivals', 'from SEA: airport', 'personalised PageRank'],
    top(power.scores, 5).map((v, i) => [
      String(i + 1),
      flights.nodeNames[v]!,
      power.scores[v]!.toFixed(4),
      (inFlights[v]! / totalFlights).toFixed(4),
      flights.nodeNames[seattleTop[i]!]!,
      fromSeattle[seattleTop[i]!]!.toFixed(4),
    ]),
    { align: ['right', 'left', 'right', 'right', 'left', 'right'] },
  ),
);
console.log(
  `to an L1 change below 1e-12 per airport: power iteration ${power.iterations} iterations, Gauss–Seidel ${seidel.iterations} sweeps`,
);

// 3. A large seeded graph: built in O(E) and ranked, both methods.
const size = quick ? { nodes: 100_000, edges: 1_000_000 } : { nodes: 1_000_000, edges: 10_000_000 };
const edges = randomGraph(size.nodes, size.edges, 1);
let start = performance.now();
const graph = buildGraph(edges);
const buildMs = performance.now() - start;
const large: Record<string, ReturnType<typeof pageRank> & { ms: number }> = {};
for (const method of ['power', 'gauss-seidel'] as const) {
  start = performance.now();
  const result = pageRank(graph, { method, tolerance: 1e-10, maxIterations: 1000 });
  large[method] = { ...result, ms: performance.now() - start };
}
console.log(
  `\nA seeded random graph of ${size.nodes.toLocaleString('en-US')} nodes and ${size.edges.toLocaleString('en-US')} edges (power-law in-degree, ${graph.outWeight.filter((w) => w === 0).length.toLocaleString('en-US')} dangling nodes): CSR built in ${(buildMs / 1000).toFixed(2)} s; ranked to 1e-10 per node by power iteration in ${(large.power!.ms / 1000).toFixed(2)} s (${large.power!.iterations} iterations) and by Gauss–Seidel in ${(large['gauss-seidel']!.ms / 1000).toFixed(2)} s (${large['gauss-seidel']!.iterations} sweeps).`,
);

const trace = (residuals: number[], nodes: number) => residuals.map((r, i) => ({ x: i + 1, y: r / nodes }));
writeFileSync(
  `${charts}pagerank-convergence.svg`,
  await lineChartSvg({
    title: 'PageRank convergence: L1 change per node at each iteration',
    x: { label: 'iteration', format: 'd' },
    y: { label: 'L1 change per node', log: true },
    series: [
      { name: 'flights: power', points: trace(power.residuals, list.nodes) },
      { name: 'flights: G–S', points: trace(seidel.residuals, list.nodes) },
      {
        name: `${quick ? '100k' : '1M'} nodes: power`,
        points: trace(large.power!.residuals, size.nodes),
      },
      {
        name: `${quick ? '100k' : '1M'} nodes: G–S`,
        points: trace(large['gauss-seidel']!.residuals, size.nodes),
      },
    ],
  }),
);
console.log('wrote charts/pagerank-convergence.svg');

// 4. Learning to rank: four learners on one split of a seeded graded dataset.
const letorSize = quick ? { queries: 120, train: 80 } : { queries: 400, train: 240 };
const letor = letorDataset({ queries: letorSize.queries, seed: 2 });
const letorTrain = sliceQueries(letor, 0, letorSize.train);
const letorTest = sliceQueries(letor, letorSize.train, letorSize.queries);
const trees = quick ? { nEstimators: 30 } : {};
const epochs = quick ? 5 : 30;
const grades = [0, 0, 0, 0, 0];
for (const r of letor.relevance) grades[r]!++;
console.log(
  `\nLearning to rank: ${letorSize.queries} queries, ${letor.relevance.length.toLocaleString('en-US')} documents graded 0–4 (${grades.join(' / ')}); trained on ${letorSize.train} queries, scored on ${letorSize.queries - letorSize.train}:`,
);
const rows: string[][] = [];
for (const [name, train] of [
  ['pointwise (GBRT on grades)', () => trainPointwise(letorTrain, trees)],
  ['RankNet', () => trainNeuralRanker(letorTrain, { weighting: 'ranknet', epochs })],
  ['LambdaRank', () => trainNeuralRanker(letorTrain, { weighting: 'lambdarank', epochs })],
  ['LambdaMART', () => trainLambdaMart(letorTrain, trees)],
] as [string, () => Ranker][]) {
  const start = performance.now();
  const ranker = train();
  const seconds = (performance.now() - start) / 1000;
  const m = evaluateRanking(letorTest, ranker.score(letorTest));
  rows.push([
    name,
    m.ndcgAt10.toFixed(4),
    m.map.toFixed(4),
    m.mrr.toFixed(4),
    m.precisionAt10.toFixed(4),
    seconds.toFixed(1),
  ]);
}
console.log(
  formatTable(['learner', 'NDCG@10', 'MAP', 'MRR', 'precision@10', 'training s'], rows, {
    align: ['left', 'right', 'right', 'right', 'right', 'right'],
  }),
);
