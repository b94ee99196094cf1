/** Run: pnpm --filter @mle/recommender demo [-- --quick] */
import { writeFileSync } from 'node:fs';
import { demoFlags, formatTable, groupedBarChartSvg } from '@mle/report';
import {
  evaluateRecommender,
  exactSearch,
  generateInteractions,
  Hnsw,
  ImplicitAls,
  ItemKnn,
  interactionMatrices,
  leaveLastOut,
  MatrixFactorization,
  Popularity,
  type Recommender,
  rmse,
  topK,
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

const rows: string[][] = [];
const models: Recommender[] = [];
const bars: { category: string; series: string; value: number }[] = [];
for (const make of [
  () => new Popularity(split.train),
  () => new ItemKnn(split.train),
  () => new ImplicitAls(split.train, { factors: 32, iterations: 10 }),
]) {
  start = performance.now();
  const model = make();
  const trained = seconds(start);
  start = performance.now();
  const m = evaluateRecommender(model, split, 10);
  models.push(model);
  bars.push(
    { category: 'recall@10', series: model.name, value: m.recall },
    { category: 'NDCG@10', series: model.name, value: m.ndcg },
    { category: 'coverage', series: model.name, value: m.coverage },
  );
  rows.push([
    model.name,
    m.recall.toFixed(4),
    m.ndcg.toFixed(4),
    `${(100 * m.coverage).toFixed(1)}%`,
    m.novelty.toFixed(2),
    trained,
    seconds(start),
  ]);
}
console.log('\nOffline metrics at k = 10 on the held-out items (the seen items excluded from every list):');
console.log(
  formatTable(
    ['model', 'recall@10', 'NDCG@10', 'coverage', 'novelty (bits)', 'training s', 'scoring s'],
    rows,
    {
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    },
  ),
);

// Explicit ratings: the held-out interactions' stars, predicted by matrix factorisation and its baselines.
const stars = split.testRatings!;
const trainStars = split.train.rating!;
const meanStar = trainStars.reduce((sum, r) => sum + r, 0) / trainStars.length;
const ratingRows: string[][] = [
  ['global mean', rmse(() => meanStar, split.testUsers, split.testItems, stars).toFixed(4), '0.0'],
];
for (const options of [{ biasesOnly: true }, { factors: 32 }]) {
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
      title: 'Offline metrics at k = 10, leave-last-out (10k users × 5k items × 1M interactions)',
      category: 'metric',
      value: { label: 'value' },
      bars,
    }),
  );
  console.log('wrote charts/offline-metrics.svg');
}

const user = split.testUsers[0]!;
const { byUser } = interactionMatrices(split.train);
const seen = byUser.indices.subarray(byUser.offsets[user], byUser.offsets[user + 1]);
console.log(
  `\nUser ${user}'s top 5 unseen items (held-out item ${split.testItems[0]}; ${seen.length} items seen in training):`,
);
for (const model of models)
  console.log(`  ${model.name.padEnd(15)} ${Array.from(topK(model.scores(user), 5, seen)).join(', ')}`);
console.log(
  `A user the models never saw (id ${size.users}) gets the popularity fallback: ${Array.from(topK(models[2]!.scores(size.users), 5)).join(', ')}`,
);

// HNSW over the ALS item embeddings: the items most like an item (cosine), against exact search.
const als = models[2] as ImplicitAls;
const f = als.factors;
start = performance.now();
const index = new Hnsw(f, size.items, { M: 16, efConstruction: 200, metric: 'cosine' });
for (let i = 0; i < size.items; i++) index.add(als.itemFactors.subarray(i * f, (i + 1) * f));
const built = seconds(start);
const vectors = Float32Array.from(als.itemFactors);
const probes = Array.from({ length: 200 }, (_, p) => (p * 7919) % size.items);
const truth = probes.map(
  (i) => new Set(exactSearch(vectors, f, vectors.subarray(i * f, (i + 1) * f), 10, 'cosine')),
);
const annRows = [16, 32, 64, 128, 256].map((ef) => {
  index.distanceComputations = 0;
  let hits = 0;
  probes.forEach((i, p) => {
    for (const id of index.search(vectors.subarray(i * f, (i + 1) * f), 10, ef).ids)
      if (truth[p]!.has(id)) hits++;
  });
  const perQuery = index.distanceComputations / probes.length;
  return [
    String(ef),
    (hits / (10 * probes.length)).toFixed(3),
    perQuery.toFixed(0),
    `${(size.items / perQuery).toFixed(1)}×`,
  ];
});
console.log(
  `\nHNSW (M 16, efConstruction 200) over the ${size.items.toLocaleString('en-US')} ALS item vectors, built in ${built} s; the 10 most similar items (cosine) of 200 items, against exact search:`,
);
console.log(
  formatTable(['efSearch', 'recall@10', 'distances per query', 'fewer than exact'], annRows, {
    align: ['right', 'right', 'right', 'right'],
  }),
);
