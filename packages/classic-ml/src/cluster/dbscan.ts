import type { ModelJson } from '../core/estimator.js';
import { type Features, toMatrix } from '../core/matrix.js';
import { KdTree } from '../neighbors/kd-tree.js';

export interface DBSCANParams {
  /** Neighbourhood radius (Euclidean, inclusive; default 0.5). */
  eps: number;
  /** Rows within eps, itself included, that make a row a core point (default 5). */
  minSamples: number;
}

/**
 * DBSCAN (Ester, Kriegel, Sander & Xu 1996): a core point has at least minSamples rows within eps; clusters are the
 * core points connected through one another's neighbourhoods, plus the border points they reach; the rest is
 * noise (label −1). Clusters are numbered in the order of their first core point, and a border point reachable from
 * two clusters joins the first (the expansion order of scikit-learn's dbscan_inner). Neighbourhoods by k-d tree.
 */
export class DBSCAN {
  readonly params: Readonly<DBSCANParams>;
  labels: Int32Array | undefined;
  /** Indices of the core points. */
  coreSampleIndices: Int32Array | undefined;

  constructor(params: Partial<DBSCANParams> = {}) {
    this.params = { eps: 0.5, minSamples: 5, ...params };
    const { eps, minSamples } = this.params;
    if (!(eps > 0)) throw new RangeError(`DBSCAN: eps must be > 0, got ${eps}`);
    if (!Number.isInteger(minSamples) || minSamples < 1)
      throw new RangeError(`DBSCAN: minSamples must be a whole number ≥ 1, got ${minSamples}`);
  }

  withParams(changes: Partial<DBSCANParams>): DBSCAN {
    return new DBSCAN({ ...this.params, ...changes });
  }

  fit(X: Features): this {
    const m = toMatrix(X, 'DBSCAN.fit');
    const tree = new KdTree(m);
    const neighbourhoods = Array.from({ length: m.rows }, (_, i) =>
      tree.withinRadius(m.row(i), this.params.eps).sort((a, b) => a - b),
    );
    const core = neighbourhoods.map((hood) => hood.length >= this.params.minSamples);
    const labels = new Int32Array(m.rows).fill(-1);
    let next = 0;
    for (let start = 0; start < m.rows; start++) {
      if (labels[start] !== -1 || !core[start]) continue;
      const stack = [start];
      while (stack.length > 0) {
        const i = stack.pop()!;
        if (labels[i] !== -1) continue;
        labels[i] = next;
        if (!core[i]) continue;
        for (const j of neighbourhoods[i]!) if (labels[j] === -1) stack.push(j);
      }
      next++;
    }
    this.labels = labels;
    this.coreSampleIndices = Int32Array.from(core.flatMap((c, i) => (c ? [i] : [])));
    return this;
  }

  fitPredict(X: Features): Int32Array {
    return this.fit(X).labels!;
  }

  toJSON(): ModelJson {
    return {
      type: 'DBSCAN',
      params: { ...this.params },
      state: this.labels
        ? { labels: Array.from(this.labels), core: Array.from(this.coreSampleIndices!) }
        : null,
    };
  }

  static fromJSON(json: ModelJson): DBSCAN {
    const model = new DBSCAN(json.params as Partial<DBSCANParams>);
    if (json.state) {
      model.labels = Int32Array.from(json.state.labels as number[]);
      model.coreSampleIndices = Int32Array.from(json.state.core as number[]);
    }
    return model;
  }
}
