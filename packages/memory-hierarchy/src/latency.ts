import { median } from '@mle/report';
import { type Chain, PAGE_BYTES, pageLocalChain, pagePerLineChain, randomLineChain } from './chains.js';
import { nsPerUnit, type TimingOptions } from './timing.js';
import type { WasmProbe } from './wasm.js';

export interface LatencyPoint {
  /** Working set in bytes (for the TLB probe: the bytes its pages span). */
  bytes: number;
  /** Median nanoseconds per dependent load. */
  ns: number;
}

/** The dependent-load loop: each load's value is the index of the next. */
export function chase(next: Uint32Array, start: number, steps: number): number {
  let i = start;
  for (let k = 0; k < steps; k++) i = next[i]!;
  return i;
}

/**
 * Working sets from `minBytes` to `maxBytes`: every power of two and the point halfway between (×1.5), kept when
 * it is a whole number of pages, so knees are located to within half an octave.
 */
export function workingSetSizes(minBytes: number, maxBytes: number): number[] {
  if (!(minBytes >= PAGE_BYTES && maxBytes >= minBytes))
    throw new RangeError(
      `workingSetSizes: need ${PAGE_BYTES} <= minBytes <= maxBytes, got ${minBytes}, ${maxBytes}`,
    );
  const sizes: number[] = [];
  for (let p = 2 ** Math.floor(Math.log2(minBytes)); p <= maxBytes; p *= 2) {
    for (const size of [p, 1.5 * p]) {
      if (size >= minBytes && size <= maxBytes && size % PAGE_BYTES === 0) sizes.push(size);
    }
  }
  return sizes;
}

export type ChainLayout = 'random' | 'page-local';

export interface LatencyOptions extends TimingOptions {
  seed?: number;
  /** Also time the same chain in WebAssembly (one probe instance, reused). */
  wasm?: WasmProbe;
}

export interface LatencyCurves {
  js: LatencyPoint[];
  wasm: LatencyPoint[];
}

const BUILDERS: Record<ChainLayout, (bytes: number, seed: number) => Chain> = {
  random: randomLineChain,
  'page-local': pageLocalChain,
};

/** Nanoseconds per dependent load over each working set, in JavaScript and (when given a probe) WebAssembly. */
export function latencyCurve(
  sizes: readonly number[],
  layout: ChainLayout,
  options: LatencyOptions = {},
): LatencyCurves {
  const { seed = 1, wasm } = options;
  const curves: LatencyCurves = { js: [], wasm: [] };
  // A throwaway run first: the first chain measured in a fresh process has come out up to 15× slow now and then
  // (the loop not yet compiled, or the process still settling), and it is the one that sets L1's latency.
  const first = sizes[0];
  if (first !== undefined) {
    const warmup = { targetMs: 100, repeats: 1 };
    const chain = BUILDERS[layout](first, seed);
    timeChain(chain, warmup);
    if (wasm !== undefined) {
      wasm.load(chain);
      nsPerUnit((steps) => wasm.chase(steps), warmup);
    }
  }
  for (const bytes of sizes) {
    const chain = BUILDERS[layout](bytes, seed);
    curves.js.push({ bytes, ns: timeChain(chain, options) });
    if (wasm !== undefined) {
      wasm.load(chain);
      curves.wasm.push({ bytes, ns: nsPerUnit((steps) => wasm.chase(steps), options) });
    }
  }
  return curves;
}

/**
 * Nanoseconds per load following `chain` in JavaScript. Each timed run continues where the last one stopped: a
 * run that restarted from `start` would walk the same prefix of a long chain again, already cached by the run before.
 */
export function timeChain(chain: Chain, options: TimingOptions = {}): number {
  const { next } = chain;
  let position = chain.start;
  return nsPerUnit((steps) => {
    position = chase(next, position, steps);
    return position;
  }, options);
}

/** The TLB probe: one line per page over `pageCounts` pages; the point's bytes are the span of the pages. */
export function tlbCurve(pageCounts: readonly number[], options: LatencyOptions = {}): LatencyPoint[] {
  const { seed = 1 } = options;
  return pageCounts.map((pages) => {
    return { bytes: pages * PAGE_BYTES, ns: timeChain(pagePerLineChain(pages, seed), options) };
  });
}

/** Median ns per load over the points of `curve` with working sets in [fromBytes, toBytes]. */
export function medianLatency(curve: readonly LatencyPoint[], fromBytes: number, toBytes: number): number {
  const inside = curve.filter((p) => p.bytes >= fromBytes && p.bytes <= toBytes);
  if (inside.length === 0)
    throw new RangeError(`medianLatency: no working set measured between ${fromBytes} and ${toBytes} bytes`);
  return median(inside.map((p) => p.ns));
}
