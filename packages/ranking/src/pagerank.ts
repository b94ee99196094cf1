import type { CsrGraph } from './graph.js';

export interface PageRankOptions {
  /** The chance of following a link rather than jumping: 0.85 by default, as Brin and Page used. */
  damping?: number;
  /** Where a jump lands (non-negative, normalised here); uniform by default. A personalised PageRank sets it. */
  personalization?: ArrayLike<number>;
  /** Where a dangling node's score goes; the personalization vector by default, as networkx does. */
  dangling?: ArrayLike<number>;
  /** Stop when the L1 change of an iteration is below nodes × tolerance (networkx's rule); default 1e-6. */
  tolerance?: number;
  maxIterations?: number;
  /**
   * 'power': x ← d·(Pᵀx + dangling mass) + (1 − d)·p, every node from the previous iterate (Jacobi).
   * 'gauss-seidel': the same equations solved in place, each node reading the scores already updated this sweep,
   * the vector rescaled to total 1 after each sweep (without that, an error in the total decays slowest and
   * Gauss–Seidel took more sweeps than power iteration on the flights graph).
   */
  method?: 'power' | 'gauss-seidel';
}

export interface PageRankResult {
  /** One score per node, summing to 1. */
  scores: Float64Array;
  iterations: number;
  converged: boolean;
  /** The L1 change of each iteration, the convergence trace. */
  residuals: number[];
}

function distribution(name: string, values: ArrayLike<number> | undefined, nodes: number): Float64Array {
  const out = new Float64Array(nodes);
  if (values === undefined) return out.fill(1 / nodes);
  if (values.length !== nodes)
    throw new RangeError(`pageRank: ${name} has ${values.length} entries, expected one per node (${nodes})`);
  let total = 0;
  for (let i = 0; i < nodes; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v < Number.POSITIVE_INFINITY))
      throw new RangeError(`pageRank: ${name}[${i}] is ${v}, expected a non-negative finite number`);
    total += v;
  }
  if (total === 0) throw new RangeError(`pageRank: ${name} is all zeros, expected some positive weight`);
  for (let i = 0; i < nodes; i++) out[i] = values[i]! / total;
  return out;
}

/**
 * PageRank by iterating on the CSR graph: the stationary distribution of a walk that follows an out-edge with
 * probability `damping` (in proportion to its weight) and otherwise jumps to a node drawn from the personalization
 * vector; a dangling node's walk always jumps, by the dangling vector. Returns the scores, the iterations taken and
 * the residual of each; `converged` is false if `maxIterations` ran out first (the scores are then the last iterate).
 */
export function pageRank(graph: CsrGraph, options: PageRankOptions = {}): PageRankResult {
  const { damping = 0.85, tolerance = 1e-6, maxIterations = 100, method = 'power' } = options;
  if (!(damping >= 0 && damping < 1))
    throw new RangeError(`pageRank: damping must be in [0, 1), got ${damping}`);
  if (!(tolerance > 0)) throw new RangeError(`pageRank: tolerance must be positive, got ${tolerance}`);
  if (!Number.isSafeInteger(maxIterations) || maxIterations < 1)
    throw new RangeError(`pageRank: maxIterations must be a whole number ≥ 1, got ${maxIterations}`);
  const { nodes, offsets, sources, weights, outWeight } = graph;
  const jump = distribution('personalization', options.personalization, nodes);
  const dangling = options.dangling === undefined ? jump : distribution('dangling', options.dangling, nodes);
  const inverseOut = new Float64Array(nodes);
  const danglingNodes: number[] = [];
  for (let u = 0; u < nodes; u++) {
    if (outWeight[u]! > 0) inverseOut[u] = 1 / outWeight[u]!;
    else danglingNodes.push(u);
  }
  const x = jump.slice();
  const residuals: number[] = [];
  const done = () => residuals.at(-1)! < nodes * tolerance;
  if (method === 'power') {
    const share = new Float64Array(nodes); // x[u] / outWeight[u]: what u sends along each unit of weight
    const next = new Float64Array(nodes);
    while (residuals.length < maxIterations) {
      let danglingMass = 0;
      for (const u of danglingNodes) danglingMass += x[u]!;
      for (let u = 0; u < nodes; u++) share[u] = x[u]! * inverseOut[u]!;
      let change = 0;
      for (let v = 0; v < nodes; v++) {
        let pulled = 0;
        const end = offsets[v + 1]!;
        if (weights) for (let e = offsets[v]!; e < end; e++) pulled += share[sources[e]!]! * weights[e]!;
        else for (let e = offsets[v]!; e < end; e++) pulled += share[sources[e]!]!;
        const value = damping * (pulled + danglingMass * dangling[v]!) + (1 - damping) * jump[v]!;
        change += Math.abs(value - x[v]!);
        next[v] = value;
      }
      x.set(next);
      residuals.push(change);
      if (done()) break;
    }
  } else {
    const isDangling = new Uint8Array(nodes);
    for (const u of danglingNodes) isDangling[u] = 1;
    let danglingMass = 0;
    for (const u of danglingNodes) danglingMass += x[u]!;
    // The weight of each node's own loops: x[v] is on both sides of its equation, so it is solved for.
    const selfWeight = new Float64Array(nodes);
    for (let v = 0; v < nodes; v++)
      for (let e = offsets[v]!; e < offsets[v + 1]!; e++)
        if (sources[e] === v) selfWeight[v]! += weights ? weights[e]! : 1;
    const share = new Float64Array(nodes); // x[u] / outWeight[u], kept current as x changes within the sweep
    for (let u = 0; u < nodes; u++) share[u] = x[u]! * inverseOut[u]!;
    const previous = new Float64Array(nodes);
    while (residuals.length < maxIterations) {
      previous.set(x);
      for (let v = 0; v < nodes; v++) {
        let pulled = 0;
        const end = offsets[v + 1]!;
        if (weights) for (let e = offsets[v]!; e < end; e++) pulled += share[sources[e]!]! * weights[e]!;
        else for (let e = offsets[v]!; e < end; e++) pulled += share[sources[e]!]!;
        pulled -= selfWeight[v]! * share[v]!;
        const own = isDangling[v]! ? x[v]! : 0;
        const coefficient = damping * (selfWeight[v]! * inverseOut[v]! + (isDangling[v]! ? dangling[v]! : 0));
        const value =
          (damping * (pulled + (danglingMass - own) * dangling[v]!) + (1 - damping) * jump[v]!) /
          (1 - coefficient);
        if (isDangling[v]) danglingMass += value - x[v]!;
        x[v] = value;
        share[v] = value * inverseOut[v]!;
      }
      // Rescale to total 1 after each sweep: the solution sums to 1, and an error in the total is GS's slowest mode.
      let total = 0;
      for (let v = 0; v < nodes; v++) total += x[v]!;
      for (let v = 0; v < nodes; v++) {
        x[v]! /= total;
        share[v]! /= total;
      }
      danglingMass /= total;
      let change = 0;
      for (let v = 0; v < nodes; v++) change += Math.abs(x[v]! - previous[v]!);
      residuals.push(change);
      if (done()) break;
    }
  }
  return { scores: x, iterations: residuals.length, converged: done(), residuals };
}
