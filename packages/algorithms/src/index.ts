export { type Comparator, numericOrder } from './sorting/compare.js';
export { quickSort } from './sorting/quick.js';
export { countingSort, type RadixKeys, radixSort } from './sorting/radix.js';
export { heapSort, insertionSort, mergeSort, mergeSortBottomUp } from './sorting/simple.js';
export { timSort } from './sorting/timsort.js';
