import { loadFlightsAirport, loadKarateClub, mulberry32 } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import { graphologyPageRank, ngraphScores, toGraphology, toNgraph } from '../bench/peers.js';
import { buildGraph, type EdgeList, pageRank } from '../src/index.js';

/** The PageRank vector by a direct solve of (I − d·M) x = (1 − d)·p, M the walk's column-stochastic matrix. */
function closedForm(list: EdgeList, damping: number, jump: number[], dangling: number[]): number[] {
  const n = list.nodes;
  const out = new Array<number>(n).fill(0);
  for (let e = 0; e < list.sources.length; e++) out[list.sources[e]!]! += list.weights ? list.weights[e]! : 1;
  const a: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n + 1 }, (_, j) => (i === j ? 1 : 0)),
  );
  for (let e = 0; e < list.sources.length; e++) {
    const [u, v] = [list.sources[e]!, list.targets[e]!];
    a[v]![u]! -= (damping * (list.weights ? list.weights[e]! : 1)) / out[u]!;
  }
  for (let u = 0; u < n; u++)
    if (out[u] === 0) for (let v = 0; v < n; v++) a[v]![u]! -= damping * dangling[v]!;
  for (let v = 0; v < n; v++) a[v]![n] = (1 - damping) * jump[v]!;
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}

/** A small random graph with everything at once: weights, dangling nodes, self-loops and a repeated edge. */
function awkwardGraph(n: number, m: number, seed: number): EdgeList & { weights: number[] } {
  const random = mulberry32(seed);
  const sources: number[] = [];
  const targets: number[] = [];
  const weights: number[] = [];
  for (let e = 0; e < m; e++) {
    sources.push(Math.floor(random() * (n - 3))); // the last three nodes have no out-edge
    targets.push(Math.floor(random() * n));
    weights.push(0.5 + random() * 3);
  }
  sources.push(2, 4, 4);
  targets.push(2, 7, 7); // a self-loop and a repeated edge
  weights.push(1.5, 1, 2);
  return { nodes: n, sources, targets, weights };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('PageRank equals the closed-form solve', () => {
  it.each(['power', 'gauss-seidel'] as const)(
    '%s: weighted, dangling, self-loops, repeated edges, personalised',
    (method) => {
      const list = awkwardGraph(30, 90, 4);
      const graph = buildGraph(list);
      const uniform = new Array(30).fill(1 / 30);
      const plain = pageRank(graph, { method, tolerance: 1e-15, maxIterations: 1000 });
      expect(plain.converged).toBe(true);
      expect(maxDiff(plain.scores, closedForm(list, 0.85, uniform, uniform))).toBeLessThan(1e-9);
      const jump = Array.from({ length: 30 }, (_, i): number => (i % 5 === 0 ? 3 : i % 7 === 0 ? 1 : 0));
      const total = jump.reduce((s, v) => s + v, 0);
      const personalised = pageRank(graph, {
        method,
        personalization: jump,
        damping: 0.7,
        tolerance: 1e-15,
        maxIterations: 1000,
      });
      const p = jump.map((v) => v / total);
      expect(maxDiff(personalised.scores, closedForm(list, 0.7, p, p))).toBeLessThan(1e-9);
      const dangling = Array.from({ length: 30 }, (_, i) => (i === 0 ? 1 : 0));
      const elsewhere = pageRank(graph, { method, dangling, tolerance: 1e-15, maxIterations: 1000 });
      expect(maxDiff(elsewhere.scores, closedForm(list, 0.85, uniform, dangling))).toBeLessThan(1e-9);
      expect(plain.scores.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    },
  );

  it('Gauss–Seidel needs fewer sweeps than power iteration to the same tolerance', () => {
    const graph = buildGraph(loadFlightsAsList());
    const power = pageRank(graph, { tolerance: 1e-10, maxIterations: 1000 });
    const seidel = pageRank(graph, { tolerance: 1e-10, maxIterations: 1000, method: 'gauss-seidel' });
    expect(seidel.iterations).toBeLessThan(power.iterations);
    expect(maxDiff(seidel.scores, power.scores)).toBeLessThan(1e-8);
    // The residuals fall geometrically, at about the damping factor per power iteration.
    const r = power.residuals;
    expect(r[20]! / r[19]!).toBeLessThan(0.86);
  });
});

function loadFlightsAsList(weighted = true): EdgeList {
  const flights = loadFlightsAirport();
  return {
    nodes: flights.nodeNames.length,
    sources: flights.edges.map((e) => e.source),
    targets: flights.edges.map((e) => e.target),
    weights: weighted ? flights.edges.map((e) => e.weight) : undefined,
  };
}

function loadKarateAsList(): EdgeList {
  const karate = loadKarateClub(); // undirected: each friendship is an edge both ways
  return {
    nodes: karate.nodeNames.length,
    sources: karate.edges.flatMap((e) => [e.source, e.target]),
    targets: karate.edges.flatMap((e) => [e.target, e.source]),
  };
}

describe('PageRank equals the peers’', () => {
  const tight = { tolerance: 1e-13, maxIterations: 1000 };
  it('graphology-metrics on the karate club and the weighted US flights graph', () => {
    for (const list of [loadKarateAsList(), loadFlightsAsList()]) {
      const ours = pageRank(buildGraph(list), tight).scores;
      const theirs = graphologyPageRank(toGraphology(list), list.nodes, tight);
      expect(maxDiff(ours, theirs)).toBeLessThan(1e-9);
    }
  });

  it('ngraph.pagerank on the karate club and the unweighted flights graph', () => {
    for (const list of [loadKarateAsList(), loadFlightsAsList(false)]) {
      const ours = pageRank(buildGraph(list), tight).scores;
      const theirs = ngraphScores(toNgraph(list), list.nodes, 0.85, 1e-12);
      expect(maxDiff(ours, theirs)).toBeLessThan(1e-9);
    }
  });

  it('the karate club’s two leaders rank first', () => {
    const karate = loadKarateClub();
    const scores = pageRank(buildGraph(loadKarateAsList())).scores;
    const top = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, 2);
    expect(top.map((v) => karate.nodeNames[v]).sort()).toEqual(['0', '33']);
  });
});

describe('edge cases and bad input', () => {
  it('a graph without edges ranks every node equally; a single node scores 1', () => {
    const empty = pageRank(buildGraph({ nodes: 4, sources: [], targets: [] }));
    expect(Array.from(empty.scores)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(pageRank(buildGraph({ nodes: 1, sources: [0], targets: [0] })).scores)).toEqual([1]);
  });

  it('a run that hits maxIterations says it did not converge', () => {
    const result = pageRank(buildGraph(loadFlightsAsList()), { maxIterations: 3, tolerance: 1e-12 });
    expect(result).toMatchObject({ iterations: 3, converged: false });
  });

  it('refuses bad graphs and options, naming the offender', () => {
    expect(() => buildGraph({ nodes: 0, sources: [], targets: [] })).toThrow(
      'nodes must be a whole number ≥ 1, got 0',
    );
    expect(() => buildGraph({ nodes: 3, sources: [0, 3], targets: [1, 1] })).toThrow(
      'edge 1 has source 3, expected a node id in [0, 3)',
    );
    expect(() => buildGraph({ nodes: 3, sources: [0], targets: [-1] })).toThrow('edge 0 has target -1');
    expect(() => buildGraph({ nodes: 3, sources: [0], targets: [1.5] })).toThrow('edge 0 has target 1.5');
    expect(() =>
      buildGraph({ nodes: 3, sources: [0, 1], targets: [1, 2], weights: [1, Number.NaN] }),
    ).toThrow('edge 1 has weight NaN, expected a positive finite number');
    expect(() => buildGraph({ nodes: 3, sources: [0, 1], targets: [1] })).toThrow('2 sources but 1 targets');
    const graph = buildGraph({ nodes: 3, sources: [0], targets: [1] });
    expect(() => pageRank(graph, { damping: 1 })).toThrow('damping must be in [0, 1), got 1');
    expect(() => pageRank(graph, { personalization: [1, 0] })).toThrow(
      'personalization has 2 entries, expected one per node (3)',
    );
    expect(() => pageRank(graph, { personalization: [0, 0, 0] })).toThrow('personalization is all zeros');
    expect(() => pageRank(graph, { dangling: [1, -1, 0] })).toThrow('dangling[1] is -1');
  });
});

describe('repeated edges count twice in every implementation', () => {
  it('a random graph with repeated edges ranks the same in ours, graphology and ngraph', async () => {
    const { randomGraph } = await import('../src/index.js');
    const list = randomGraph(300, 3000, 5);
    const keys = new Set(Array.from(list.sources, (s, e) => s * 300 + list.targets[e]!));
    expect(keys.size).toBeLessThan(3000); // the power law repeats some edges
    const ours = pageRank(buildGraph(list), { tolerance: 1e-13, maxIterations: 1000 }).scores;
    expect(
      maxDiff(ours, graphologyPageRank(toGraphology(list), 300, { tolerance: 1e-13, maxIterations: 1000 })),
    ).toBeLessThan(1e-9);
    expect(maxDiff(ours, ngraphScores(toNgraph(list), 300, 0.85, 1e-12))).toBeLessThan(1e-9);
  });
});
