import { isGradEnabled, Tensor } from '@mle/autograd';
import * as T from '@mle/tensor';
import type { GptConfig } from './config.js';

/** One layer's view of the cache, as its attention sees it. */
export interface LayerCache {
  /** Positions already cached (the offset of the newest queries). */
  readonly length: number;
  /** Stores the newest keys and values [B, heads, T, d]; returns all cached ones, oldest first. */
  append(keys: Tensor, values: Tensor): [Tensor, Tensor];
}

/**
 * The keys and values of every layer for the positions seen so far, so that decoding one more token costs one
 * position's work instead of the whole prefix's. Buffers of `capacity` positions are allocated once; `reorder`
 * follows beam search as it keeps some hypotheses and copies others.
 */
export class KvCache {
  private keys: T.NDArray[];
  private values: T.NDArray[];
  length = 0;

  constructor(
    readonly config: GptConfig,
    readonly batch: number,
    readonly capacity: number = config.contextLength,
  ) {
    const shape = [batch, config.heads, capacity, config.width / config.heads];
    this.keys = Array.from({ length: config.layers }, () => T.zeros(shape));
    this.values = Array.from({ length: config.layers }, () => T.zeros(shape));
  }

  layer(i: number): LayerCache {
    const cache = this;
    return {
      get length() {
        return cache.length;
      },
      append: (keys, values) => this.append(i, keys, values),
    };
  }

  /** Called once per forward pass, after every layer has appended its T new positions. */
  advance(positions: number): void {
    this.length += positions;
  }

  /** Keeps batch rows `rows` (repeats allowed), in that order: hypothesis r of the next step continues row rows[r]. */
  reorder(rows: readonly number[]): void {
    if (rows.length !== this.batch || rows.some((r) => !(Number.isInteger(r) && r >= 0 && r < this.batch)))
      throw new RangeError(
        `KvCache.reorder: expected ${this.batch} row indices in 0..${this.batch - 1}, got [${rows}]`,
      );
    const index = T.array([...rows], 'int32');
    this.keys = this.keys.map((k) => T.take(k, index, 0));
    this.values = this.values.map((v) => T.take(v, index, 0));
  }

  private append(layer: number, keys: Tensor, values: Tensor): [Tensor, Tensor] {
    if (isGradEnabled() && (keys.requiresGrad || values.requiresGrad))
      throw new Error('KvCache: the cache is for inference; call the model inside noGrad()');
    const added = keys.shape[2]!;
    if (this.length + added > this.capacity)
      throw new RangeError(
        `KvCache: ${this.length} cached positions and ${added} new ones exceed its capacity of ${this.capacity}`,
      );
    const end = this.length + added;
    this.keys[layer]!.slice(null, null, { start: this.length, stop: end }).assign(keys.value);
    this.values[layer]!.slice(null, null, { start: this.length, stop: end }).assign(values.value);
    return [
      new Tensor(this.keys[layer]!.slice(null, null, { stop: end })),
      new Tensor(this.values[layer]!.slice(null, null, { stop: end })),
    ];
  }
}
