import type { HistogramSet, TrafficStats } from '@mle/serving-core';
import { type DriftReport, type DriftThresholds, driftReport, subtractHistograms } from './drift-job.js';

/** The model server's traffic statistics for a model (GET /v2/models/{name}/stats). */
export async function fetchStats(base: string, model: string): Promise<TrafficStats & { version: string }> {
  const res = await fetch(`${base}/v2/models/${model}/stats`);
  const json = (await res.json()) as TrafficStats & { version: string; error?: string };
  if (res.status !== 200) throw new Error(`GET /v2/models/${model}/stats: ${res.status} ${json.error}`);
  return json;
}

/** Sends rows [from, to) of `images` (rows of 784 pixels) to the server's infer route, `batch` rows a request. */
export async function sendImages(
  base: string,
  model: string,
  images: Float32Array,
  from: number,
  to: number,
  batch: number,
) {
  for (let start = from; start < to; start += batch) {
    const rows = Math.min(batch, to - start);
    const res = await fetch(`${base}/v2/models/${model}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [
          {
            name: 'input',
            shape: [rows, 784],
            datatype: 'FP32',
            data: Array.from(images.subarray(start * 784, (start + rows) * 784)),
          },
        ],
      }),
    });
    if (res.status !== 200) throw new Error(`infer: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }
}

export interface Checkpoint {
  rows: number;
  report: DriftReport;
}

/**
 * Replays images through a running server and, after each checkpoint's number of rows, compares the traffic since
 * the replay began (the difference of the server's running totals) with the reference. Returns every checkpoint's
 * report; the first that alerts is where the drift was caught.
 */
export async function replayThroughServer(options: {
  base: string;
  model: string;
  images: Float32Array;
  reference: HistogramSet;
  checkpoints: readonly number[];
  batch?: number;
  thresholds?: DriftThresholds;
}): Promise<Checkpoint[]> {
  const { base, model, images, reference, checkpoints } = options;
  const before = (await fetchStats(base, model)).total;
  const out: Checkpoint[] = [];
  let sent = 0;
  for (const rows of checkpoints) {
    if (rows * 784 > images.length)
      throw new RangeError(`replay: checkpoint ${rows} is past the ${images.length / 784} images given`);
    await sendImages(base, model, images, sent, rows, options.batch ?? 25);
    sent = rows;
    const now = (await fetchStats(base, model)).total;
    out.push({ rows, report: driftReport(reference, subtractHistograms(now, before), options.thresholds) });
  }
  return out;
}

/** The drift over the server's sliding window at each step of a stream (for a PSI-over-time chart). */
export async function windowDriftOverStream(options: {
  base: string;
  model: string;
  images: Float32Array;
  reference: HistogramSet;
  every: number;
  batch?: number;
  thresholds?: DriftThresholds;
}): Promise<Checkpoint[]> {
  const { base, model, images, reference, every } = options;
  const count = images.length / 784;
  const out: Checkpoint[] = [];
  for (let sent = 0; sent < count; sent += every) {
    const to = Math.min(count, sent + every);
    await sendImages(base, model, images, sent, to, options.batch ?? 25);
    const { window } = await fetchStats(base, model);
    out.push({ rows: to, report: driftReport(reference, window, options.thresholds) });
  }
  return out;
}
