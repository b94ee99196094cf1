export {
  bfs,
  connectedComponents,
  dfs,
  dijkstra,
  type Graph,
  graphFromEdges,
  topologicalSort,
} from './graphs/graph.js';
export { binarySearch, lowerBound, quickselect, upperBound } from './searching/search.js';
export { type Comparator, numericOrder } from './sorting/compare.js';
export { quickSort } from './sorting/quick.js';
export { countingSort, type RadixKeys, radixSort } from './sorting/radix.js';
export { heapSort, insertionSort, mergeSort, mergeSortBottomUp } from './sorting/simple.js';
export { timSort } from './sorting/timsort.js';
export { FenwickTree } from './structures/fenwick.js';
export { PriorityQueue, topK } from './structures/heap.js';
export { LRUCache } from './structures/lru.js';
export { Trie } from './structures/trie.js';
export { UnionFind } from './structures/union-find.js';
