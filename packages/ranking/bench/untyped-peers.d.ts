/** ngraph.pagerank ships no types: the one call the tests and the bench make. */
declare module 'ngraph.pagerank' {
  import type { Graph } from 'ngraph.graph';
  /** Scores by node id; `epsilon` is the L1 change at which it stops (default 0.005). */
  export default function pageRank(graph: Graph, damping?: number, epsilon?: number): Record<string, number>;
}
