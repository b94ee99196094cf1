import type { NamedTensor, TensorSpec } from './runtime.js';

/** Equal-width bins over [min, max]; a value outside falls into the first or last bin and is counted as clipped. */
export interface BinSpec {
  min: number;
  max: number;
  count: number;
}

export interface MonitorOptions {
  /** Rows the window holds (to within one segment). */
  windowRows: number;
  /** The window is kept as this many segments; the oldest is dropped whole when a new one starts. */
  segments: number;
  bins: BinSpec;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** When set, the first output's argmax is counted per label (the prediction distribution). */
  labels?: string[];
}

/** Counts for one tensor: `counts[feature * bins + bin]`, plus values clipped into the edge bins and non-finite ones. */
export interface TensorCounts {
  name: string;
  features: number;
  counts: number[];
  clipped: number;
  nonFinite: number;
}

export interface HistogramSet {
  rows: number;
  inputs: TensorCounts[];
  outputs: TensorCounts[];
  /** Rows whose first output's argmax is each label; absent without labels. */
  predictions?: number[];
  /** The first output's largest value (the model's confidence), binned; absent without labels. */
  confidence?: number[];
}

/** What GET /v2/models/{name}/stats answers: the recent window and every row since the version was loaded. */
export interface TrafficStats {
  bins: BinSpec;
  labels?: string[];
  window: HistogramSet;
  total: HistogramSet;
}

interface Tally {
  rows: number;
  tensors: { counts: Uint32Array; clipped: number; nonFinite: number }[];
  predictions: Uint32Array;
  confidence: Uint32Array;
}

/**
 * Summary statistics of the traffic a model sees: per-feature histograms of every input and output element, and
 * the count of each predicted class, over a sliding window of rows and since load. Only counts are kept — no
 * request is stored — so a drift job can compare traffic with training data without the server logging inputs.
 */
export class TrafficMonitor {
  private readonly segmentRows: number;
  private readonly features: number[];
  private readonly window: Tally[] = [];
  /** Every segment that has left the window, merged: the total is this plus the window. */
  private readonly retired: Tally;

  constructor(private readonly options: MonitorOptions) {
    const { windowRows, segments, bins } = options;
    if (!Number.isInteger(segments) || segments < 1)
      throw new RangeError(`monitoring: segments must be a positive integer, got ${segments}`);
    if (!Number.isInteger(windowRows) || windowRows < segments)
      throw new RangeError(`monitoring: window_rows must be an integer ≥ segments, got ${windowRows}`);
    if (!Number.isInteger(bins.count) || bins.count < 2 || !(bins.max > bins.min))
      throw new RangeError(`monitoring: bins need count ≥ 2 and max > min, got ${JSON.stringify(bins)}`);
    this.segmentRows = Math.ceil(windowRows / segments);
    this.features = [...options.inputs, ...options.outputs].map((t) =>
      t.shape.slice(1).reduce((a, b) => a * Math.max(b, 1), 1),
    );
    this.retired = this.tally();
    this.window.push(this.tally());
  }

  /** Adds a batch: `inputs` and `outputs` in the signature's order, each with the batch as first dimension. */
  record(inputs: NamedTensor[], outputs: NamedTensor[]): void {
    const tensors = [...this.options.inputs, ...this.options.outputs].map((spec, i) => {
      const list = i < this.options.inputs.length ? inputs : outputs;
      return list.find((t) => t.name === spec.name);
    });
    const rows = (inputs[0] ?? outputs[0])?.shape[0] ?? 0;
    for (let row = 0; row < rows; row++) {
      let current = this.window[this.window.length - 1]!;
      if (current.rows >= this.segmentRows) {
        current = this.tally();
        this.window.push(current);
        if (this.window.length > this.options.segments) this.merge(this.window.shift()!);
      }
      this.add(current, tensors, row);
    }
  }

  snapshot(): TrafficStats {
    const { bins, labels } = this.options;
    return {
      bins,
      ...(labels ? { labels } : {}),
      window: this.json(this.window),
      total: this.json([this.retired, ...this.window]),
    };
  }

  private tally(): Tally {
    const { bins, labels } = this.options;
    return {
      rows: 0,
      tensors: this.features.map((f) => ({
        counts: new Uint32Array(f * bins.count),
        clipped: 0,
        nonFinite: 0,
      })),
      predictions: new Uint32Array(labels?.length ?? 0),
      confidence: new Uint32Array(labels ? bins.count : 0),
    };
  }

  /** Adds a segment leaving the window into the retired counts (once per segment, not per row). */
  private merge(segment: Tally): void {
    const into = this.retired;
    into.rows += segment.rows;
    segment.tensors.forEach((t, i) => {
      const target = into.tensors[i]!;
      for (let k = 0; k < t.counts.length; k++) target.counts[k]! += t.counts[k]!;
      target.clipped += t.clipped;
      target.nonFinite += t.nonFinite;
    });
    for (let k = 0; k < segment.predictions.length; k++) into.predictions[k]! += segment.predictions[k]!;
    for (let k = 0; k < segment.confidence.length; k++) into.confidence[k]! += segment.confidence[k]!;
  }

  private add(tally: Tally, tensors: (NamedTensor | undefined)[], row: number): void {
    const { min, max, count } = this.options.bins;
    const scale = count / (max - min);
    const binOf = (v: number) => Math.min(count - 1, Math.max(0, Math.floor((v - min) * scale)));
    tally.rows++;
    tensors.forEach((tensor, t) => {
      if (!tensor || tensor.datatype === 'INT64') return;
      const features = this.features[t]!;
      const into = tally.tensors[t]!;
      const data = tensor.data as Float32Array | Int32Array;
      const offset = row * features;
      for (let f = 0; f < features; f++) {
        const v = data[offset + f]!;
        if (!Number.isFinite(v)) {
          into.nonFinite++;
          continue;
        }
        let bin = Math.floor((v - min) * scale);
        if (bin < 0 || bin >= count) {
          // max itself belongs to the last bin; anything past it is clipped.
          if (v !== max) into.clipped++;
          bin = bin < 0 ? 0 : count - 1;
        }
        into.counts[f * count + bin]!++;
      }
    });
    const labels = this.options.labels;
    const first = tensors[this.options.inputs.length];
    if (labels && first && first.datatype !== 'INT64') {
      const data = first.data as Float32Array | Int32Array;
      const width = labels.length;
      let best = 0;
      for (let k = 1; k < width; k++) if (data[row * width + k]! > data[row * width + best]!) best = k;
      tally.predictions[best]!++;
      tally.confidence[binOf(data[row * width + best]!)]!++;
    }
  }

  private json(tallies: Tally[]): HistogramSet {
    const specs = [...this.options.inputs, ...this.options.outputs];
    const summed = specs.map((spec, t) => {
      const counts = new Array<number>(tallies[0]!.tensors[t]!.counts.length).fill(0);
      let clipped = 0;
      let nonFinite = 0;
      for (const tally of tallies) {
        const into = tally.tensors[t]!;
        into.counts.forEach((c, i) => {
          counts[i]! += c;
        });
        clipped += into.clipped;
        nonFinite += into.nonFinite;
      }
      return { name: spec.name, features: this.features[t]!, counts, clipped, nonFinite };
    });
    const n = this.options.inputs.length;
    const sum = (pick: (t: Tally) => Uint32Array) =>
      Array.from(pick(tallies[0]!), (_, k) => tallies.reduce((s, t) => s + pick(t)[k]!, 0));
    return {
      rows: tallies.reduce((s, t) => s + t.rows, 0),
      inputs: summed.slice(0, n),
      outputs: summed.slice(n),
      ...(this.options.labels
        ? { predictions: sum((t) => t.predictions), confidence: sum((t) => t.confidence) }
        : {}),
    };
  }
}
