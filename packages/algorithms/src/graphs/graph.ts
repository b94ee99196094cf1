import { PriorityQueue } from '../structures/heap.js';
import { UnionFind } from '../structures/union-find.js';

/** Adjacency lists over nodes 0..n-1; `weight` defaults to 1. */
export interface Graph {
  nodes: number;
  adjacency: readonly (readonly { to: number; weight: number }[])[];
}

/** A graph from an edge list; undirected graphs store each edge both ways. Negative weights are refused. */
export function graphFromEdges(
  nodes: number,
  edges: readonly { from: number; to: number; weight?: number }[],
  directed = true,
): Graph {
  const adjacency = Array.from({ length: nodes }, () => [] as { to: number; weight: number }[]);
  for (const [i, e] of edges.entries()) {
    for (const end of [e.from, e.to]) {
      if (!Number.isInteger(end) || end < 0 || end >= nodes)
        throw new RangeError(`graphFromEdges: edge ${i} names node ${end}, outside [0, ${nodes - 1}]`);
    }
    const weight = e.weight ?? 1;
    if (!(weight >= 0))
      throw new RangeError(
        `graphFromEdges: edge ${i} has weight ${weight}; these algorithms need weights ≥ 0`,
      );
    adjacency[e.from]!.push({ to: e.to, weight });
    if (!directed) adjacency[e.to]!.push({ to: e.from, weight });
  }
  return { nodes, adjacency };
}

/** Breadth-first search from `source`: hop distances (-1 if unreachable), O(V + E). */
export function bfs(graph: Graph, source: number): Int32Array {
  const dist = new Int32Array(graph.nodes).fill(-1);
  const queue = new Int32Array(graph.nodes);
  let head = 0;
  let tail = 0;
  dist[source] = 0;
  queue[tail++] = source;
  while (head < tail) {
    const u = queue[head++]!;
    for (const { to } of graph.adjacency[u]!) {
      if (dist[to] === -1) {
        dist[to] = dist[u]! + 1;
        queue[tail++] = to;
      }
    }
  }
  return dist;
}

/** Depth-first preorder from `source` with an explicit stack (no recursion limit on long paths), O(V + E). */
export function dfs(graph: Graph, source: number): number[] {
  const seen = new Uint8Array(graph.nodes);
  const order: number[] = [];
  const stack = [source];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen[u]) continue;
    seen[u] = 1;
    order.push(u);
    const next = graph.adjacency[u]!;
    for (let i = next.length - 1; i >= 0; i--) if (!seen[next[i]!.to]) stack.push(next[i]!.to);
  }
  return order;
}

/** Kahn's topological order, or the nodes of a cycle when there is one (so the error can name it). */
export function topologicalSort(graph: Graph): { order: number[] } | { cycle: number[] } {
  const indegree = new Int32Array(graph.nodes);
  for (const edges of graph.adjacency) for (const { to } of edges) indegree[to]!++;
  const ready: number[] = [];
  for (let u = 0; u < graph.nodes; u++) if (indegree[u] === 0) ready.push(u);
  const order: number[] = [];
  while (ready.length > 0) {
    const u = ready.pop()!;
    order.push(u);
    for (const { to } of graph.adjacency[u]!) if (--indegree[to]! === 0) ready.push(to);
  }
  if (order.length === graph.nodes) return { order };
  // Every node left has an incoming edge from another node left (its indegree counts only those), so walking
  // backwards along such edges never stops and must repeat a node: the repeated stretch is a cycle. (Walking
  // forwards could end at a sink downstream of the cycle.)
  const left = new Set(Array.from({ length: graph.nodes }, (_, u) => u).filter((u) => indegree[u]! > 0));
  const previous = new Map<number, number>();
  for (const u of left) for (const { to } of graph.adjacency[u]!) if (left.has(to)) previous.set(to, u);
  const path: number[] = [];
  const at = new Map<number, number>();
  let u = left.values().next().value as number;
  while (!at.has(u)) {
    at.set(u, path.length);
    path.push(u);
    u = previous.get(u)!;
  }
  return { cycle: path.slice(at.get(u)!).reverse() };
}

/** Dijkstra's shortest paths with the decrease-key priority queue: O((V + E) log V). Infinity if unreachable. */
export function dijkstra(graph: Graph, source: number): { distance: Float64Array; previous: Int32Array } {
  const distance = new Float64Array(graph.nodes).fill(Number.POSITIVE_INFINITY);
  const previous = new Int32Array(graph.nodes).fill(-1);
  const queue = new PriorityQueue<number>();
  distance[source] = 0;
  queue.set(source, 0);
  for (let top = queue.pop(); top; top = queue.pop()) {
    const [u, d] = top;
    for (const { to, weight } of graph.adjacency[u]!) {
      const candidate = d + weight;
      if (candidate < distance[to]!) {
        distance[to] = candidate;
        previous[to] = u;
        queue.set(to, candidate);
      }
    }
  }
  return { distance, previous };
}

/** Connected components of an undirected graph (union-find), labelled 0, 1, … in order of first node. */
export function connectedComponents(graph: Graph): Int32Array {
  const sets = new UnionFind(graph.nodes);
  graph.adjacency.forEach((edges, u) => {
    for (const { to } of edges) sets.union(u, to);
  });
  const label = new Int32Array(graph.nodes);
  const ids = new Map<number, number>();
  for (let u = 0; u < graph.nodes; u++) {
    const root = sets.find(u);
    if (!ids.has(root)) ids.set(root, ids.size);
    label[u] = ids.get(root)!;
  }
  return label;
}
