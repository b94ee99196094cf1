/** Run: pnpm --filter @mle/recommender demo [-- --quick] */
import { writeFileSync } from 'node:fs';
import { demoFlags, formatTable, groupedBarChartSvg } from '@mle/report';
import {
  evaluateRecommender,
  evaluateStages,
  exactSearch,
  fitCandidateModels,
  generateInteractions,
  leaveLastOut,
  MatrixFactorization,
  Popularity,
  RANKER_FEATURES,
  rmse,
  TwoStageRecommender,
  topK,
  userMatrix,
} from './index.js';

const { quick } = demoFlags();
const size = quick
  ? { users: 2_000, items: 1_000, interactions: 100_000 }
  : { users: 10_000, items: 5_000, interactions: 1_000_000 };
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(1);

let start = performance.now();
const log = generateInteractions({ ...size, seed: 1 });
const split = leaveLastOut(log);
const counts = new Float64Array(size.items);
for (const i of log.item) counts[i]!++;
const top1 = Array.from(counts)
  .sort((a, b) => b - a)
  .slice(0, size.items / 100)
  .reduce((s, v) => s + v, 0);
console.log(
  `${size.users.toLocaleString('en-US')} users × ${size.items.toLocaleString('en-US')} items × ${size.interactions.toLocaleString('en-US')} interactions (seed 1) in ${seconds(start)} s: the top 1% of items take ${((100 * top1) / size.interactions).toFixed(1)}% of them. Leave-last-out: ${split.testUsers.length.toLocaleString('en-US')} users each hold out their last new item; ${split.train.user.length.toLocaleString('en-US')} interactions train.`,
);

// The system is trained a step behind, as one in production is: every model and the ranker learn from the log
// before each user's last two new items, the ranker's labels are the second-to-last, and the test requests (the
// last) are answered with the models serving the histories up to them, without retraining.
const inner = leaveLastOut(split.train);
console.log(
  `The models train on the ${inner.train.user.length.toLocaleString('en-US')} interactions before each user's last two new items; the ranker learns from the second-to-last (${inner.testUsers.length.toLocaleString('en-US')} requests), and every model is tested on the last, serving the histories up to it.`,
);
const trainTimes: string[] = [];
const models = fitCandidateModels(inner.train, {
  onModel: (name, s) => trainTimes.push(`${name} ${s.toFixed(1)} s`),
});
const system = new TwoStageRecommender(models, inner.train);
const ranker = system.trainRanker(inner);
trainTimes.push(`LambdaMART ${ranker.seconds.toFixed(1)} s`);
console.log(
  `Trained: ${trainTimes.join(', ')} (the ranker on ${ranker.requests.toLocaleString('en-US')} requests whose item was among the candidates, ${ranker.rows.toLocaleString('en-US')} rows).`,
);
start = performance.now();
system.serve(split.train);
const popularity = new Popularity(split.train);
const vectors = { data: models.twoTower.itemVectors, dim: models.twoTower.dim };
const options = { k: 10, deep: 100, vectors };
const single = [popularity, models.knn, models.als, models.twoTower].map((model) => ({
  name: model.name === 'two-tower' ? 'two-tower (exact)' : model.name,
  metrics: evaluateRecommender(model, split, options),
}));
const stages = evaluateStages(system, split, options);
const rowsOf = [
  ...single,
  { name: 'two-tower + HNSW', metrics: stages.retrieved },
  { name: 'LambdaMART over the candidates', metrics: stages.ranked },
  { name: '+ re-ranking (MMR, freshness)', metrics: stages.reranked },
];
const percent = (v: number) => `${(100 * v).toFixed(1)}%`;
console.log(
  `\nEvery model and stage on the ${split.testUsers.length.toLocaleString('en-US')} test requests, k = 10 (seen and unreleased items excluded; ${seconds(start)} s to serve and score). Candidates: two-tower + HNSW and item-kNN, 100 each, ${stages.meanCandidates.toFixed(0)} per request after merging, holding the held-out item for ${percent(stages.candidateRecall)} of users:`,
);
console.log(
  formatTable(
    ['model or stage', 'recall@10', 'NDCG@10', 'recall@100', 'coverage', 'novelty', 'diversity', 'fresh'],
    rowsOf.map(({ name, metrics: m }) => [
      name,
      m.recall.toFixed(4),
      m.ndcg.toFixed(4),
      name.startsWith('+') ? '' : m.recallDeep!.toFixed(4),
      percent(m.coverage),
      m.novelty.toFixed(2),
      m.diversity!.toFixed(3),
      percent(m.freshShare),
    ]),
    { align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] },
  ),
);
const importances = (system.ranker as { model?: { featureImportances: Float64Array } }).model!
  .featureImportances;
console.log(
  `The ranker's features by importance: ${Array.from(importances.keys())
    .sort((a, b) => importances[b]! - importances[a]!)
    .slice(0, 5)
    .map((f) => `${RANKER_FEATURES[f]} ${percent(importances[f]!)}`)
    .join(', ')}.`,
);
const heldOutFresh = split.testItems.reduce(
  (n, i, t) => n + (log.released![i]! > 0 && split.testTimes[t]! - log.released![i]! < 14 * 86_400 ? 1 : 0),
  0,
);
console.log(
  `(fresh: released in the 14 days before the request; ${percent(heldOutFresh / split.testUsers.length)} of the held-out items are. Diversity: mean pairwise cosine distance of the top 10 by the two-tower item vectors.)`,
);
// The chart's legend has room for short names.
const short = (name: string) => name.replace(' over the candidates', '').replace(' (MMR, freshness)', '');
const bars = rowsOf.flatMap(({ name, metrics: m }) => [
  { category: 'recall@10', series: short(name), value: m.recall },
  { category: 'NDCG@10', series: short(name), value: m.ndcg },
]);

// Explicit ratings: the held-out interactions' stars, predicted by matrix factorisation and its baselines.
const stars = split.testRatings!;
const trainStars = split.train.rating!;
const meanStar = trainStars.reduce((sum, r) => sum + r, 0) / trainStars.length;
const ratingRows: string[][] = [
  ['global mean', rmse(() => meanStar, split.testUsers, split.testItems, stars).toFixed(4), '0.0'],
];
for (const options of [
  { biasesOnly: true, epochs: 12 },
  { factors: 32, epochs: 12 },
]) {
  start = performance.now();
  const mf = new MatrixFactorization(split.train, options);
  ratingRows.push([
    mf.name,
    rmse((u, i) => mf.predict(u, i), split.testUsers, split.testItems, stars).toFixed(4),
    seconds(start),
  ]);
}
console.log('\nThe held-out items’ ratings (1–5 stars), RMSE:');
console.log(formatTable(['model', 'RMSE', 'training s'], ratingRows, { align: ['left', 'right', 'right'] }));

// The committed chart comes from the full run only.
if (!quick) {
  writeFileSync(
    new URL('../charts/offline-metrics.svg', import.meta.url),
    await groupedBarChartSvg({
      title: 'Recall@10 and NDCG@10 per model and stage (10k users × 5k items × 1M interactions)',
      category: 'metric',
      value: { label: 'value' },
      bars,
    }),
  );
  console.log('wrote charts/offline-metrics.svg');
}

const t0 = 0;
const user = split.testUsers[t0]!;
const time = split.testTimes[t0]!;
const byUser = userMatrix(split.train);
const seen = byUser.indices.subarray(byUser.offsets[user], byUser.offsets[user + 1]);
console.log(
  `\nUser ${user}'s top 5 (held-out item ${split.testItems[t0]}; ${seen.length} items seen before it):`,
);
for (const model of [popularity, models.knn, models.als, models.twoTower])
  console.log(`  ${model.name.padEnd(16)} ${Array.from(topK(model.scores(user), 5, seen)).join(', ')}`);
console.log(`  ${'the system'.padEnd(16)} ${Array.from(system.recommend(user, time, 5)).join(', ')}`);
console.log(
  `A user with no history (id ${size.users}) gets the last week's most popular items: ${Array.from(system.recommend(size.users, time, 5)).join(', ')}`,
);

// The system's HNSW index over the two-tower item vectors, queried with users' vectors, against exact search.
const { twoTower, index } = models;
const d = twoTower.dim;
const queries = Array.from(split.testUsers.subarray(0, 500), (u) => twoTower.userVector(u)!);
const truth = queries.map((q) => new Set(exactSearch(twoTower.itemVectors, d, q, 10, 'cosine')));
const annRows = [16, 32, 64, 128, 256].map((ef) => {
  index.distanceComputations = 0;
  let hits = 0;
  start = performance.now();
  queries.forEach((q, p) => {
    for (const id of index.search(q, 10, ef).ids) if (truth[p]!.has(id)) hits++;
  });
  const elapsed = (performance.now() - start) / 1000;
  const perQuery = index.distanceComputations / queries.length;
  return [
    String(ef),
    (hits / (10 * queries.length)).toFixed(3),
    perQuery.toFixed(0),
    `${(size.items / perQuery).toFixed(1)}×`,
    (queries.length / elapsed).toFixed(0),
  ];
});
console.log(
  `\nThe system's HNSW index (M 16, efConstruction 200) over the ${size.items.toLocaleString('en-US')} two-tower item vectors: 500 users' 10 nearest items (cosine) against exact search (the bench compares it with hnswlib-node):`,
);
console.log(
  formatTable(['efSearch', 'recall@10', 'distances per query', 'fewer than exact', 'queries/s'], annRows, {
    align: ['right', 'right', 'right', 'right', 'right'],
  }),
);
