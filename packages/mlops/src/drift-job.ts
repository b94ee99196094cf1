import { type HistogramSet, TrafficMonitor } from '@mle/serving-core';
import { ksFromCounts, psiFromCounts } from './drift.js';
import type { Classifier } from './gate.js';

export interface DriftThresholds {
  /** A feature drifts when its PSI exceeds this (the rule of thumb's "significant shift" starts at 0.2–0.25)… */
  psi: number;
  /** …and its KS test rejects at `alpha`, Bonferroni-corrected over the features tested. */
  alpha: number;
  /** The inputs alert when at least this share of the features drifts. */
  featureShare: number;
}

export const DEFAULT_THRESHOLDS: DriftThresholds = { psi: 0.2, alpha: 0.01, featureShare: 0.05 };

export interface FeatureDrift {
  feature: number;
  psi: number;
  ks: number;
  pValue: number;
  drifted: boolean;
}

export interface DriftReport {
  /** Rows of recent traffic compared. */
  rows: number;
  inputs: {
    features: number;
    drifted: number;
    meanPsi: number;
    maxPsi: number;
    /** The features with the largest PSI, most drifted first. */
    top: FeatureDrift[];
  };
  /** The prediction distribution: predicted classes (PSI) and the model's confidence (PSI and KS). */
  prediction: { classPsi: number; confidencePsi: number; ks: number; pValue: number; drifted: boolean };
  alert: boolean;
  reasons: string[];
}

/** The counts of `a` less those of `b`: the traffic between two snapshots of a server's running totals. */
export function subtractHistograms(a: HistogramSet, b: HistogramSet): HistogramSet {
  const minus = (x: number[], y: number[]) => x.map((v, i) => v - y[i]!);
  const tensors = (xs: HistogramSet['inputs'], ys: HistogramSet['inputs']) =>
    xs.map((t, i) => ({
      ...t,
      counts: minus(t.counts, ys[i]!.counts),
      clipped: t.clipped - ys[i]!.clipped,
      nonFinite: t.nonFinite - ys[i]!.nonFinite,
    }));
  return {
    rows: a.rows - b.rows,
    inputs: tensors(a.inputs, b.inputs),
    outputs: tensors(a.outputs, b.outputs),
    ...(a.predictions && b.predictions ? { predictions: minus(a.predictions, b.predictions) } : {}),
    ...(a.confidence && b.confidence ? { confidence: minus(a.confidence, b.confidence) } : {}),
  };
}

/**
 * The reference histograms: the training images, and the model's outputs on them, counted by the same
 * TrafficMonitor the server runs (same bins, same rules), so reference and traffic are comparable bin for bin.
 */
export async function referenceHistograms(
  monitoring: { bins: { min: number; max: number; count: number } },
  images: Float32Array,
  count: number,
  classify: Classifier,
  labels: string[],
): Promise<HistogramSet> {
  const pixels = images.length / count;
  const monitor = new TrafficMonitor({
    windowRows: count,
    segments: 1,
    bins: monitoring.bins,
    inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, pixels] }],
    outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, labels.length] }],
    labels,
  });
  const probabilities = await classify(images, count);
  monitor.record(
    [{ name: 'input', datatype: 'FP32', shape: [count, pixels], data: images }],
    [{ name: 'output', datatype: 'FP32', shape: [count, labels.length], data: probabilities }],
  );
  return monitor.snapshot().total;
}

/**
 * Compares recent traffic with the reference, per input feature (PSI and KS on each pixel's histogram) and for the
 * prediction distribution, and alerts when enough features drift or the predictions do. A feature counts as drifted
 * only when the shift is both large (PSI) and significant (KS, corrected for testing every feature), so a small
 * sample's noise does not raise an alert.
 */
export function driftReport(
  reference: HistogramSet,
  recent: HistogramSet,
  thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
): DriftReport {
  if (recent.rows === 0) throw new RangeError('driftReport: the recent traffic has no rows');
  const ref = reference.inputs[0]!;
  const now = recent.inputs[0]!;
  const bins = ref.counts.length / ref.features;
  const alpha = thresholds.alpha / ref.features;
  const features: FeatureDrift[] = [];
  for (let f = 0; f < ref.features; f++) {
    const a = ref.counts.slice(f * bins, (f + 1) * bins);
    const b = now.counts.slice(f * bins, (f + 1) * bins);
    const p = psiFromCounts(a, b);
    const ks = ksFromCounts(a, b);
    features.push({
      feature: f,
      psi: p,
      ks: ks.statistic,
      pValue: ks.pValue,
      drifted: p > thresholds.psi && ks.pValue < alpha,
    });
  }
  const drifted = features.filter((f) => f.drifted).length;
  const classPsi = psiFromCounts(reference.predictions!, recent.predictions!);
  const confidencePsi = psiFromCounts(reference.confidence!, recent.confidence!);
  const confidence = ksFromCounts(reference.confidence!, recent.confidence!);
  const prediction = {
    classPsi,
    confidencePsi,
    ks: confidence.statistic,
    pValue: confidence.pValue,
    drifted: confidencePsi > thresholds.psi && confidence.pValue < thresholds.alpha,
  };
  const reasons: string[] = [];
  const share = drifted / ref.features;
  if (share >= thresholds.featureShare)
    reasons.push(
      `${drifted} of ${ref.features} input features drifted (${(100 * share).toFixed(1)}% ≥ ${(100 * thresholds.featureShare).toFixed(0)}%)`,
    );
  if (prediction.drifted)
    reasons.push(
      `the model's confidence drifted (PSI ${confidencePsi.toFixed(2)} > ${thresholds.psi}, KS p ${prediction.pValue.toExponential(1)} < ${thresholds.alpha})`,
    );
  return {
    rows: recent.rows,
    inputs: {
      features: ref.features,
      drifted,
      meanPsi: features.reduce((s, f) => s + f.psi, 0) / features.length,
      maxPsi: Math.max(...features.map((f) => f.psi)),
      top: [...features].sort((a, b) => b.psi - a.psi).slice(0, 5),
    },
    prediction,
    alert: reasons.length > 0,
    reasons,
  };
}
