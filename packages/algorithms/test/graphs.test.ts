import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bfs,
  connectedComponents,
  dfs,
  dijkstra,
  FenwickTree,
  graphFromEdges,
  Trie,
  topologicalSort,
} from '../src/index.js';

const edgesArb = (nodes: number, maxWeight = 1) =>
  fc.array(
    fc.record({
      from: fc.integer({ min: 0, max: nodes - 1 }),
      to: fc.integer({ min: 0, max: nodes - 1 }),
      weight: fc.integer({ min: 0, max: maxWeight }),
    }),
    {
      maxLength: 40,
    },
  );

/** All-pairs shortest paths by Floyd–Warshall: the O(V³) reference. */
function floydWarshall(nodes: number, edges: { from: number; to: number; weight: number }[]): number[][] {
  const d = Array.from({ length: nodes }, (_, i) =>
    Array.from({ length: nodes }, (_, j) => (i === j ? 0 : Number.POSITIVE_INFINITY)),
  );
  for (const e of edges) d[e.from]![e.to] = Math.min(d[e.from]![e.to]!, e.weight);
  for (let k = 0; k < nodes; k++)
    for (let i = 0; i < nodes; i++)
      for (let j = 0; j < nodes; j++) d[i]![j] = Math.min(d[i]![j]!, d[i]![k]! + d[k]![j]!);
  return d;
}

describe('graphs against Floyd–Warshall', () => {
  it('Dijkstra distances equal all-pairs shortest paths; BFS equals them with unit weights', () => {
    fc.assert(
      fc.property(edgesArb(8, 9), (edges) => {
        const g = graphFromEdges(8, edges);
        const reference = floydWarshall(8, edges);
        for (let s = 0; s < 8; s++) expect(Array.from(dijkstra(g, s).distance)).toEqual(reference[s]);
        const unit = edges.map((e) => ({ ...e, weight: 1 }));
        const hops = floydWarshall(8, unit);
        const dist = bfs(graphFromEdges(8, unit), 0);
        expect(Array.from(dist)).toEqual(hops[0]!.map((h) => (Number.isFinite(h) ? h : -1)));
      }),
      { numRuns: 200, seed: 21 },
    );
  });

  it('DFS visits each reachable node once, source first; a 200,000-node path does not overflow the stack', () => {
    fc.assert(
      fc.property(edgesArb(10), (edges) => {
        const g = graphFromEdges(10, edges);
        const order = dfs(g, 3);
        const reachable = Array.from(bfs(g, 3)).flatMap((d, u) => (d >= 0 ? [u] : []));
        expect(order[0]).toBe(3);
        expect([...order].sort((a, b) => a - b)).toEqual(reachable);
      }),
      { numRuns: 200, seed: 22 },
    );
    const n = 200_000;
    const path = graphFromEdges(
      n,
      Array.from({ length: n - 1 }, (_, i) => ({ from: i, to: i + 1 })),
    );
    expect(dfs(path, 0).length).toBe(n);
  });

  it('topological order respects every edge of a DAG; a cyclic graph yields a real cycle', () => {
    fc.assert(
      fc.property(edgesArb(9), (edges) => {
        const dag = edges.filter((e) => e.from < e.to);
        const result = topologicalSort(graphFromEdges(9, dag));
        expect('order' in result).toBe(true);
        const position = new Map((result as { order: number[] }).order.map((u, i) => [u, i]));
        for (const e of dag) expect(position.get(e.from)!).toBeLessThan(position.get(e.to)!);
        const cyclic = [...dag, { from: 8, to: 0, weight: 1 }, { from: 0, to: 8, weight: 1 }];
        const bad = topologicalSort(graphFromEdges(9, cyclic));
        expect('cycle' in bad).toBe(true);
        const cycle = (bad as { cycle: number[] }).cycle;
        cycle.forEach((u, i) => {
          const v = cycle[(i + 1) % cycle.length]!;
          expect(cyclic.some((e) => e.from === u && e.to === v)).toBe(true);
        });
      }),
      { numRuns: 200, seed: 23 },
    );
  });

  it('finds the cycle even when the first node left is a sink downstream of it', () => {
    // 1 → 3 → 4 → 1 is the cycle; 5 hangs off 3 and is left over too.
    const g = graphFromEdges(6, [
      { from: 0, to: 1 },
      { from: 1, to: 3 },
      { from: 3, to: 4 },
      { from: 3, to: 5 },
      { from: 4, to: 1 },
    ]);
    const result = topologicalSort(g);
    expect(result).toEqual({ cycle: expect.any(Array) });
    const cycle = (result as { cycle: number[] }).cycle;
    expect([...cycle].sort()).toEqual([1, 3, 4]);
  });

  it('connected components equal reachability in the undirected graph', () => {
    fc.assert(
      fc.property(edgesArb(12), (edges) => {
        const g = graphFromEdges(12, edges, false);
        const label = connectedComponents(g);
        for (let u = 0; u < 12; u++) {
          const reach = bfs(g, u);
          for (let v = 0; v < 12; v++) expect(label[u] === label[v]).toBe(reach[v]! >= 0);
        }
      }),
      { numRuns: 100, seed: 24 },
    );
    expect(() => graphFromEdges(2, [{ from: 0, to: 5 }])).toThrow(
      'graphFromEdges: edge 0 names node 5, outside [0, 1]',
    );
    expect(() => graphFromEdges(2, [{ from: 0, to: 1, weight: -1 }])).toThrow(
      'edge 0 has weight -1; these algorithms need weights ≥ 0',
    );
  });
});

describe('trie and Fenwick tree against simple models', () => {
  it('Trie answers like a Set with a prefix filter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 5 }), { maxLength: 50 }),
        fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 2 }),
        (words, prefix) => {
          const trie = new Trie();
          const set = new Set<string>();
          for (const w of words) expect(trie.insert(w)).toBe(!set.has(w) && set.add(w) !== undefined);
          expect(trie.size).toBe(set.size);
          expect(trie.withPrefix(prefix)).toEqual([...set].filter((w) => w.startsWith(prefix)).sort());
          for (const w of ['a', 'ab', 'cab']) expect(trie.has(w)).toBe(set.has(w));
        },
      ),
      { numRuns: 200, seed: 25 },
    );
  });

  it('FenwickTree prefix and range sums equal naive sums after random updates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 19 }), fc.integer({ min: -100, max: 100 })), {
          maxLength: 100,
        }),
        (updates) => {
          const tree = new FenwickTree(20);
          const values = new Array<number>(20).fill(0);
          for (const [i, d] of updates) {
            tree.add(i, d);
            values[i]! += d;
          }
          for (let end = 0; end <= 20; end++)
            expect(tree.prefixSum(end)).toBe(values.slice(0, end).reduce((a, b) => a + b, 0));
          expect(tree.rangeSum(5, 15)).toBe(values.slice(5, 15).reduce((a, b) => a + b, 0));
        },
      ),
      { numRuns: 200, seed: 26 },
    );
    expect(() => new FenwickTree(3).add(3, 1)).toThrow('FenwickTree: index 3 is outside [0, 2]');
  });
});
