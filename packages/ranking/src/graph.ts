import { mulberry32 } from '@mle/datasets';

/**
 * A directed graph in compressed sparse row form, stored by target: node v's in-edges are
 * `sources[offsets[v] … offsets[v + 1])`, with their weights. PageRank pulls each node's score from its in-edges,
 * so this is the layout its inner loop reads in order. Built from an edge list by a counting sort: O(nodes + edges).
 */
export interface CsrGraph {
  readonly nodes: number;
  readonly edges: number;
  /** nodes + 1 offsets into `sources`/`weights`: the in-edges of v are [offsets[v], offsets[v + 1]). */
  readonly offsets: Uint32Array;
  /** The source of each in-edge, grouped by target. */
  readonly sources: Uint32Array;
  /** The weight of each in-edge, or undefined when every edge weighs 1. */
  readonly weights: Float64Array | undefined;
  /** Each node's total out-weight (its out-degree when unweighted); 0 marks a dangling node. */
  readonly outWeight: Float64Array;
}

export interface EdgeList {
  nodes: number;
  sources: ArrayLike<number>;
  targets: ArrayLike<number>;
  /** Positive finite weights, one per edge; omitted, every edge weighs 1. */
  weights?: ArrayLike<number>;
}

/**
 * Builds the CSR graph. Self-loops are kept (an edge like any other, as networkx and graphology count them) and
 * duplicate edges are kept as separate entries, so a repeated edge counts with its summed weight, as a sparse matrix
 * built from coordinates sums them. Refused with the index of the first offender: a graph without nodes, a node id
 * that is not a whole number in [0, nodes), a weight that is not a positive finite number, arrays of unequal length.
 */
export function buildGraph(list: EdgeList): CsrGraph {
  const { nodes, sources, targets, weights } = list;
  if (!Number.isSafeInteger(nodes) || nodes < 1)
    throw new RangeError(`buildGraph: nodes must be a whole number ≥ 1, got ${nodes}`);
  if (nodes > 2 ** 32 - 1) throw new RangeError(`buildGraph: at most 2^32 − 1 nodes, got ${nodes}`);
  const edges = sources.length;
  if (targets.length !== edges)
    throw new RangeError(
      `buildGraph: ${edges} sources but ${targets.length} targets; expected one of each per edge`,
    );
  if (weights && weights.length !== edges)
    throw new RangeError(`buildGraph: ${weights.length} weights for ${edges} edges; expected one per edge`);
  if (edges > 2 ** 32 - 1) throw new RangeError(`buildGraph: at most 2^32 − 1 edges, got ${edges}`);

  const offsets = new Uint32Array(nodes + 1);
  const outWeight = new Float64Array(nodes);
  for (let e = 0; e < edges; e++) {
    const s = sources[e]!;
    const t = targets[e]!;
    // One comparison per id catches NaN, fractions, negatives and ids too large: (x >>> 0) === x only for uint32.
    if (s >>> 0 !== s || s >= nodes)
      throw new RangeError(`buildGraph: edge ${e} has source ${s}, expected a node id in [0, ${nodes})`);
    if (t >>> 0 !== t || t >= nodes)
      throw new RangeError(`buildGraph: edge ${e} has target ${t}, expected a node id in [0, ${nodes})`);
    const w = weights ? weights[e]! : 1;
    if (!(w > 0 && w < Number.POSITIVE_INFINITY))
      throw new RangeError(`buildGraph: edge ${e} has weight ${w}, expected a positive finite number`);
    offsets[t + 1]!++;
    outWeight[s]! += w;
  }
  for (let v = 0; v < nodes; v++) offsets[v + 1]! += offsets[v]!;
  const next = offsets.slice(0, nodes);
  const sorted = new Uint32Array(edges);
  const sortedWeights = weights ? new Float64Array(edges) : undefined;
  for (let e = 0; e < edges; e++) {
    const at = next[targets[e]!]!++;
    sorted[at] = sources[e]!;
    if (sortedWeights) sortedWeights[at] = weights![e]!;
  }
  return { nodes, edges, offsets, sources: sorted, weights: sortedWeights, outWeight };
}

/**
 * A seeded random directed graph with a skewed in-degree, as link graphs have: each edge's source is uniform and its
 * target drawn from a power law (a few nodes are linked to by many), so some nodes have no out-edge (dangling).
 * Returns the edge list as typed arrays; the same seed gives the same graph on any machine.
 */
export function randomGraph(
  nodes: number,
  edges: number,
  seed = 1,
): EdgeList & { sources: Uint32Array; targets: Uint32Array } {
  if (!Number.isSafeInteger(edges) || edges < 0)
    throw new RangeError(`randomGraph: edges must be a whole number ≥ 0, got ${edges}`);
  const uniform = mulberry32(seed);
  const sources = new Uint32Array(edges);
  const targets = new Uint32Array(edges);
  // Sources: node ids from 0 to 0.9·n, so the last tenth is dangling; targets: n·u³, heavy at the low ids.
  const sourceRange = Math.max(1, Math.floor(nodes * 0.9));
  for (let e = 0; e < edges; e++) {
    sources[e] = Math.floor(uniform() * sourceRange);
    targets[e] = Math.floor(nodes * uniform() ** 3);
  }
  return { nodes, sources, targets };
}
