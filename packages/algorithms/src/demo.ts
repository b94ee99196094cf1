/**
 * A short tour: every sort on one small array, stability made visible, a shortest path, a build order.
 * Run: pnpm --filter @mle/algorithms demo   (the measured comparison is `pnpm --filter @mle/algorithms bench`)
 */
import { demoFlags, formatTable } from '@mle/report';
import {
  dijkstra,
  graphFromEdges,
  heapSort,
  insertionSort,
  LRUCache,
  mergeSort,
  quickSort,
  quickselect,
  radixSort,
  timSort,
  topK,
  topologicalSort,
} from './index.js';

// The whole demo takes seconds: --quick is accepted (CI passes it to every demo) and changes nothing.
demoFlags();

const xs = [3.5, -0, 0, Number.NaN, -7, Number.POSITIVE_INFINITY, 2, 2, -1e9];
console.log(
  "== Sorting [3.5, -0, 0, NaN, -7, Infinity, 2, 2, -1e9] in the typed arrays' order (NaN last, -0 before +0)",
);
console.log(
  formatTable(
    ['algorithm', 'result'],
    [
      ['insertionSort', insertionSort(xs.slice())],
      ['mergeSort', mergeSort(xs.slice())],
      ['quickSort', quickSort(xs.slice())],
      ['heapSort', heapSort(xs.slice())],
      ['timSort', timSort(xs.slice())],
      ['radixSort (Float32Array)', Array.from(radixSort(Float32Array.from(xs)))],
      ['Float64Array.prototype.sort', Array.from(Float64Array.from(xs).sort())],
    ].map(([name, r]) => [
      name as string,
      (r as number[]).map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(', '),
    ]),
  ),
);

const people = [
  { name: 'Ada', team: 'b' },
  { name: 'Grace', team: 'a' },
  { name: 'Alan', team: 'b' },
  { name: 'Edsger', team: 'a' },
];
const byTeam = (p: { team: string }, q: { team: string }) => p.team.localeCompare(q.team);
console.log(
  '\n== Stability: sorting by team keeps each team in input order (timSort, stable) — heapSort need not',
);
console.log(
  `timSort:  ${timSort(people.slice(), byTeam)
    .map((p) => `${p.team}:${p.name}`)
    .join(' ')}`,
);
console.log(
  `heapSort: ${heapSort(people.slice(), byTeam)
    .map((p) => `${p.team}:${p.name}`)
    .join(' ')}`,
);

console.log('\n== Selection');
const values = [9, 1, 8, 2, 7, 3, 6, 4, 5];
console.log(
  `median of ${JSON.stringify(values)} by quickselect: ${quickselect(values, 4)}; top 3: ${topK(values, 3)}`,
);

console.log('\n== Dijkstra on a small road map (km)');
const towns = ['Ames', 'Boone', 'Cedar', 'Dover', 'Elk'];
const roads = [
  { from: 0, to: 1, weight: 7 },
  { from: 0, to: 2, weight: 9 },
  { from: 0, to: 4, weight: 14 },
  { from: 1, to: 2, weight: 10 },
  { from: 1, to: 3, weight: 15 },
  { from: 2, to: 3, weight: 11 },
  { from: 2, to: 4, weight: 2 },
  { from: 3, to: 4, weight: 6 },
];
const { distance, previous } = dijkstra(graphFromEdges(5, roads, false), 0);
const route = (to: number): string =>
  previous[to] === -1 ? towns[to]! : `${route(previous[to]!)} → ${towns[to]}`;
console.log(
  formatTable(
    ['to', 'km', 'route'],
    towns.map((t, i) => [t, distance[i]!, route(i)]),
  ),
);

console.log('\n== Build order (topological sort), then the same graph with a cycle');
const steps = ['fetch', 'install', 'generate', 'compile', 'test', 'package'];
const deps = [
  { from: 0, to: 1 },
  { from: 1, to: 2 },
  { from: 1, to: 3 },
  { from: 2, to: 3 },
  { from: 3, to: 4 },
  { from: 3, to: 5 },
];
const order = topologicalSort(graphFromEdges(6, deps));
console.log('order' in order ? order.order.map((i) => steps[i]).join(' → ') : 'cycle');
const cyclic = topologicalSort(graphFromEdges(6, [...deps, { from: 4, to: 1 }]));
console.log(
  'cycle' in cyclic ? `cycle found: ${cyclic.cycle.map((i) => steps[i]).join(' → ')} → …` : 'no cycle',
);

console.log('\n== LRU cache of 2: get(a) makes b the least recently used');
const cache = new LRUCache<string, number>(2);
cache.set('a', 1);
cache.set('b', 2);
cache.get('a');
console.log(`set(c) evicts ${JSON.stringify(cache.set('c', 3))}; keys now ${JSON.stringify(cache.keys())}`);
