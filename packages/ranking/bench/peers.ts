/** The peers' PageRank, fed the same edge list: graphology-metrics (networkx's algorithm) and ngraph.pagerank. */
import { MultiDirectedGraph } from 'graphology';
import * as pagerankModule from 'graphology-metrics/centrality/pagerank.js';
import createGraph from 'ngraph.graph';
import ngraphPageRank from 'ngraph.pagerank';
import type { EdgeList } from '../src/index.js';

// A CommonJS module: Node hands its exports to ESM as the default, which its types do not describe.
const pagerank = pagerankModule.default as unknown as (
  graph: MultiDirectedGraph,
  options: { alpha: number; tolerance: number; maxIterations: number; getEdgeWeight: string | null },
) => Record<string, number>;

/**
 * A graphology directed multigraph of the edge list (nodes named by their index; weights as `weight`): a repeated
 * edge stays two edges, which its PageRank counts twice, as ours does.
 */
export function toGraphology(list: EdgeList): MultiDirectedGraph {
  const graph = new MultiDirectedGraph();
  for (let v = 0; v < list.nodes; v++) graph.addNode(v);
  for (let e = 0; e < list.sources.length; e++)
    graph.addEdge(list.sources[e]!, list.targets[e]!, { weight: list.weights ? list.weights[e]! : 1 });
  return graph;
}

export function graphologyPageRank(
  graph: MultiDirectedGraph,
  nodes: number,
  options: { damping?: number; tolerance?: number; maxIterations?: number; weighted?: boolean } = {},
): Float64Array {
  const scores = pagerank(graph, {
    alpha: options.damping ?? 0.85,
    tolerance: options.tolerance ?? 1e-6,
    maxIterations: options.maxIterations ?? 100,
    getEdgeWeight: options.weighted === false ? null : 'weight',
  });
  return Float64Array.from({ length: nodes }, (_, v) => scores[String(v)]!);
}

/** An ngraph multigraph of the edge list (unweighted: ngraph.pagerank reads no weights; repeated edges count). */
export function toNgraph(list: EdgeList): ReturnType<typeof createGraph> {
  const graph = createGraph({ multigraph: true });
  for (let v = 0; v < list.nodes; v++) graph.addNode(v);
  for (let e = 0; e < list.sources.length; e++) graph.addLink(list.sources[e]!, list.targets[e]!);
  return graph;
}

export function ngraphScores(
  graph: ReturnType<typeof createGraph>,
  nodes: number,
  damping = 0.85,
  epsilon = 0.005,
): Float64Array {
  const scores = ngraphPageRank(graph, damping, epsilon);
  return Float64Array.from({ length: nodes }, (_, v) => scores[String(v)]!);
}
