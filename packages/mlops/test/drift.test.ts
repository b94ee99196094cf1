import { readFileSync } from 'node:fs';
import { loadMnist } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import {
  brightness,
  type Classifier,
  driftReport,
  kolmogorovSurvival,
  ksFromCounts,
  ksTwoSample,
  noise,
  psi,
  psiFromCounts,
  referenceHistograms,
  rotate,
  servingConfig,
  subtractHistograms,
} from '../src/index.js';

const scipy = JSON.parse(readFileSync(new URL('./fixtures/scipy-ks.json', import.meta.url), 'utf8')) as {
  cases: {
    a: number[];
    b: number[];
    statistic: number;
    kstwobign_sf: number;
    ks_2samp_asymp_pvalue: number;
  }[];
};

describe('the two-sample Kolmogorov–Smirnov test, against SciPy 1.10 (reference/ks_fixture.py)', () => {
  it.each(scipy.cases.map((c, i) => [i, c] as const))(
    'case %i: D equals ks_2samp’s; p equals kstwobign.sf(√(nm/(n+m))·D)',
    (_, c) => {
      const { statistic, pValue } = ksTwoSample(c.a, c.b);
      expect(statistic).toBeCloseTo(c.statistic, 12);
      expect(Math.abs(pValue - c.kstwobign_sf)).toBeLessThan(1e-9);
    },
  );

  it('the Kolmogorov survival function at known points (both series, where they meet)', () => {
    expect(kolmogorovSurvival(0)).toBe(1);
    // 1.3580986 is the 5% critical value of the Kolmogorov distribution.
    expect(kolmogorovSurvival(1.3580986393225507)).toBeCloseTo(0.05, 9);
    expect(Math.abs(kolmogorovSurvival(0.999999) - kolmogorovSurvival(1.000001))).toBeLessThan(1e-5);
  });

  it('names an empty or non-finite sample', () => {
    expect(() => ksTwoSample([], [1])).toThrow('ksTwoSample: the reference sample is empty');
    expect(() => ksTwoSample([1, Number.NaN], [1])).toThrow(
      'ksTwoSample: the reference sample has NaN at index 1',
    );
  });
});

describe('the population stability index', () => {
  it('equals the hand computation: reference 1…10 in two bins, recent 80% / 20%', () => {
    const reference = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const recent = [1, 1, 1, 1, 1, 1, 1, 1, 7, 7];
    const { value, bins } = psi(reference, recent, { bins: 2 });
    expect(bins.map((b) => [b.expected, b.actual])).toEqual([
      [0.5, 0.8],
      [0.5, 0.2],
    ]);
    expect(value).toBeCloseTo((0.8 - 0.5) * Math.log(0.8 / 0.5) + (0.2 - 0.5) * Math.log(0.2 / 0.5), 12);
  });

  it('is 0 for the same sample; an empty bin is floored, not infinite', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
    expect(psi(xs, xs).value).toBe(0);
    const shifted = psi(
      xs,
      xs.map((x) => x + 100),
    );
    expect(Number.isFinite(shifted.value)).toBe(true);
    expect(shifted.value).toBeGreaterThan(0.25);
  });
});

/** Histograms of two samples over a bin per distinct value either takes. */
function countsPerValue(a: number[], b: number[]) {
  const values = [...new Set([...a, ...b])].sort((x, y) => x - y);
  const count = (xs: number[]) => values.map((v) => xs.filter((x) => x === v).length);
  return [count(a), count(b)] as const;
}

describe('drift statistics on histograms (what the model server keeps)', () => {
  it.each(scipy.cases.slice(0, 12).map((c, i) => [i, c] as const))(
    'case %i: with a bin per distinct value, KS on counts gives SciPy’s D and p',
    (_, c) => {
      const [a, b] = countsPerValue(c.a, c.b);
      const { statistic, pValue } = ksFromCounts(a, b);
      expect(statistic).toBeCloseTo(c.statistic, 12);
      expect(Math.abs(pValue - c.kstwobign_sf)).toBeLessThan(1e-9);
    },
  );

  it('coarser bins can only lower D (the test on a server’s histograms is conservative)', () => {
    for (const c of scipy.cases.slice(0, 12)) {
      const lo = Math.min(...c.a, ...c.b);
      const hi = Math.max(...c.a, ...c.b);
      const bin = (x: number) => Math.min(7, Math.floor(((x - lo) / (hi - lo)) * 8));
      const counts = (xs: number[]) => {
        const h = new Array<number>(8).fill(0);
        for (const x of xs) h[bin(x)]! += 1;
        return h;
      };
      expect(ksFromCounts(counts(c.a), counts(c.b)).statistic).toBeLessThanOrEqual(c.statistic + 1e-12);
    }
  });

  it('PSI on counts equals the hand computation, with empty bins floored', () => {
    // shares 0.5 0.3 0.2 against 0.3 0.3 0.4: (0.3 − 0.5)·ln(0.3/0.5) + 0 + (0.4 − 0.2)·ln(0.4/0.2)
    expect(psiFromCounts([50, 30, 20], [30, 30, 40])).toBeCloseTo(
      0.2 * Math.log(5 / 3) + 0.2 * Math.log(2),
      12,
    );
    expect(psiFromCounts([10, 10], [10, 10])).toBe(0);
    // an empty recent bin counts as 1e-4: (1e-4 − 0.5)·ln(1e-4/0.5) + (1 − 0.5)·ln(1/0.5)
    expect(psiFromCounts([5, 5], [0, 8])).toBeCloseTo(
      (1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2),
      12,
    );
    expect(() => psiFromCounts([1, 2], [1, 2, 3])).toThrow(
      'the histograms have 2 and 3 bins; they must share bins',
    );
    expect(() => ksFromCounts([0, 0], [1, 2])).toThrow('ksFromCounts: the reference histogram is empty');
    expect(() => psiFromCounts([1, -1], [1, 2])).toThrow('the reference histogram has count -1 in bin 1');
  });
});

describe('shifted MNIST', () => {
  const image = new Float32Array(784);
  image[13 * 28 + 20] = 1; // a dot right of centre
  it('rotates about the centre: 0° is the identity, 90° moves a dot right of centre below it, four turns return it', () => {
    expect(rotate(image, 0)).toEqual(image);
    const turned = rotate(image, 90);
    expect(turned[20 * 28 + 14]).toBeCloseTo(1, 5); // the centre is (13.5, 13.5): (20, 13) → (14, 20)
    const back = rotate(rotate(rotate(turned, 90), 90), 90);
    expect(back[13 * 28 + 20]).toBeCloseTo(1, 5);
  });
  it('scales brightness and adds seeded noise, clipped to [0, 1]', () => {
    expect(brightness(Float32Array.from([0.5, 1, 0]), 1.5)).toEqual(Float32Array.from([0.75, 1, 0]));
    const a = noise(image, 0.1, 7);
    expect(a).toEqual(noise(image, 0.1, 7));
    expect(a.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(a.some((v) => v > 0 && v < 1)).toBe(true);
  });
});

describe('the drift job on MNIST', () => {
  const { train, test } = loadMnist({ seed: 0 });
  const labels = Array.from({ length: 10 }, (_, i) => String(i));
  // Any fixed classifier will do here: a softmax over the ink in ten horizontal bands of the image.
  const classify: Classifier = async (images, count) => {
    const out = new Float32Array(count * 10);
    for (let r = 0; r < count; r++) {
      const logits = Array.from({ length: 10 }, (_, k) => {
        let ink = 0;
        for (let p = k * 78; p < (k + 1) * 78; p++) ink += images[r * 784 + p]!;
        return ink / 8;
      });
      const z = logits.reduce((s, l) => s + Math.exp(l), 0);
      logits.forEach((l, k) => {
        out[r * 10 + k] = Math.exp(l) / z;
      });
    }
    return out;
  };
  const { monitoring } = servingConfig();
  const sample = (images: Float32Array, n: number) => images.subarray(0, n * 784);

  it('stays quiet on fresh images from the same distribution and alerts on noise, rotation and a fainter pen', async () => {
    const reference = await referenceHistograms(monitoring, train.images, train.count, classify, labels);
    const report = async (images: Float32Array) =>
      driftReport(reference, await referenceHistograms(monitoring, images, 400, classify, labels));
    const clean = await report(sample(test.images, 400));
    expect(clean.alert).toBe(false);
    expect(clean.inputs.drifted).toBe(0);
    for (const shifted of [
      noise(sample(test.images, 400), 0.2),
      rotate(sample(test.images, 400), 30),
      brightness(sample(test.images, 400), 0.5),
    ]) {
      const r = await report(shifted);
      expect(r.alert).toBe(true);
      expect(r.reasons[0]).toMatch(/input features drifted/);
    }
  });

  it('subtracts two snapshots of running totals into the traffic between them', async () => {
    const a = await referenceHistograms(monitoring, sample(test.images, 30), 30, classify, labels);
    const b = await referenceHistograms(monitoring, sample(test.images, 10), 10, classify, labels);
    const d = subtractHistograms(a, b);
    expect(d.rows).toBe(20);
    expect(d.inputs[0]!.counts.reduce((s, c) => s + c, 0)).toBe(20 * 784);
    expect(d.predictions!.reduce((s, c) => s + c, 0)).toBe(20);
    expect(() => driftReport(a, subtractHistograms(a, a))).toThrow('the recent traffic has no rows');
  });
});
