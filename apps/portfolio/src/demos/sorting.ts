/// <reference lib="dom" />
// Sorting and searching by @mle/algorithms, seen through their comparisons: every comparison (a, b) of a sort of
// a shuffled permutation is a dot at (a, b), drawn in the order the sort made them, so each algorithm's shape shows
// (quicksort's partitions, merge sort's nested merges, insertion sort's triangle). The counts come from the same
// comparator, and the sorted result is checked against the built-in sort.
import { binarySearch, heapSort, insertionSort, mergeSort, quickSort, timSort } from '@mle/algorithms';

const SORTS = { quickSort, mergeSort, heapSort, timSort, insertionSort } as const;
type SortName = keyof typeof SORTS;

const canvas = document.querySelector<HTMLCanvasElement>('#map')!;
const ctx = canvas.getContext('2d')!;
const select = document.querySelector<HTMLSelectElement>('#algorithm')!;
const sizeInput = document.querySelector<HTMLInputElement>('#size')!;
const summary = document.querySelector<HTMLElement>('#summary')!;
const table = document.querySelector<HTMLTableSectionElement>('#counts tbody')!;

/** A seeded shuffle of 1…n (xorshift32), so the same size gives the same input every time. */
export function shuffled(n: number, seed = 1): number[] {
  const a = Array.from({ length: n }, (_, i) => i + 1);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function run(name: SortName, input: number[]) {
  const pairs: [number, number][] = [];
  const sorted = SORTS[name](input.slice(), (a, b) => {
    pairs.push([a, b]);
    return a - b;
  });
  return { sorted, pairs };
}

let frame = 0;
function draw() {
  cancelAnimationFrame(frame);
  const n = Math.max(2, Math.min(1000, Number(sizeInput.value) || 200));
  const input = shuffled(n);
  const expected = input.slice().sort((a, b) => a - b);
  const rows: string[] = [];
  for (const name of Object.keys(SORTS) as SortName[]) {
    const { sorted, pairs } = run(name, input);
    const ok = sorted.every((v, i) => v === expected[i]);
    rows.push(
      `<tr data-sort="${name}" data-ok="${ok}"><th scope="row">${name}</th><td>${pairs.length.toLocaleString('en-US')}</td><td>${ok ? 'sorted' : 'WRONG'}</td></tr>`,
    );
  }
  table.innerHTML = rows.join('');
  const { pairs } = run(select.value as SortName, input);
  const target = input[0]!;
  const probes: number[] = [];
  const at = binarySearch(expected, target, (a, b) => {
    probes.push(a === target ? b : a);
    return a - b;
  });
  summary.dataset.searchIndex = String(at);
  summary.textContent = `${select.value} made ${pairs.length.toLocaleString('en-US')} comparisons to sort ${n} shuffled values. Binary search found ${target} at index ${at} after probing ${probes.join(', ')}.`;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const scale = canvas.width / n;
  const perFrame = Math.max(1, Math.ceil(pairs.length / 240)); // about four seconds at 60 frames a second
  let i = 0;
  const step = () => {
    ctx.fillStyle = 'rgba(11, 79, 156, 0.55)';
    for (const end = Math.min(pairs.length, i + perFrame); i < end; i++) {
      const [a, b] = pairs[i]!;
      ctx.fillRect((a - 1) * scale, (b - 1) * scale, Math.max(1, scale), Math.max(1, scale));
    }
    if (i < pairs.length) frame = requestAnimationFrame(step);
    else canvas.dataset.drawn = String(pairs.length);
  };
  canvas.dataset.drawn = '';
  step();
}

select.addEventListener('change', draw);
sizeInput.addEventListener('change', draw);
draw();
