/**
 * One PageRank run in its own process, so its memory is its own: builds the implementation's graph from a seeded
 * random edge list, ranks it, writes the scores to a file and prints { build_ms, rank_ms, peak_rss_mb, iterations }.
 * Usage: tsx bench/run-pagerank.ts <ours|ours-gauss-seidel|graphology|ngraph|none> <nodes> <edges> <scores file>
 * Every implementation stops on the same rule: the L1 change of an iteration below 1e-10 per node.
 */
import { writeFileSync } from 'node:fs';
import { peakRssMb } from '@mle/report';
// The graph and PageRank modules alone: the package index would also load the learners' libraries into every child.
import { buildGraph, randomGraph } from '../src/graph.js';
import { pageRank } from '../src/pagerank.js';

const [impl, nodesArg, edgesArg, out] = process.argv.slice(2);
if (!impl || !nodesArg || !edgesArg || !out)
  throw new Error('usage: run-pagerank.ts <impl> <nodes> <edges> <scores file>');
const nodes = Number(nodesArg);
const list = randomGraph(nodes, Number(edgesArg), 1);
const TOLERANCE = 1e-10;

let scores: Float64Array<ArrayBufferLike> = new Float64Array(0);
let iterations = 0;
let buildMs = 0;
let rankMs = 0;
let start = performance.now();
switch (impl) {
  case 'ours':
  case 'ours-gauss-seidel': {
    const graph = buildGraph(list);
    buildMs = performance.now() - start;
    start = performance.now();
    const result = pageRank(graph, {
      tolerance: TOLERANCE,
      maxIterations: 1000,
      method: impl === 'ours' ? 'power' : 'gauss-seidel',
    });
    rankMs = performance.now() - start;
    scores = result.scores;
    iterations = result.iterations;
    break;
  }
  case 'graphology': {
    const { graphologyPageRank, toGraphology } = await import('./peers.js');
    const graph = toGraphology(list);
    buildMs = performance.now() - start;
    start = performance.now();
    scores = graphologyPageRank(graph, nodes, { tolerance: TOLERANCE, maxIterations: 1000, weighted: false });
    rankMs = performance.now() - start;
    break;
  }
  case 'ngraph': {
    const { ngraphScores, toNgraph } = await import('./peers.js');
    const graph = toNgraph(list);
    buildMs = performance.now() - start;
    start = performance.now();
    scores = ngraphScores(graph, nodes, 0.85, nodes * TOLERANCE);
    rankMs = performance.now() - start;
    break;
  }
  case 'none':
    break;
  default:
    throw new Error(
      `run-pagerank: unknown implementation ${impl}; expected ours, ours-gauss-seidel, graphology, ngraph or none`,
    );
}
writeFileSync(out, scores);
process.stdout.write(
  `${JSON.stringify({ build_ms: buildMs, rank_ms: rankMs, peak_rss_mb: peakRssMb(), iterations })}\n`,
);
