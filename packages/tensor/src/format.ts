import type { NDArray } from './ndarray.js';
import { formatShape } from './shape.js';

/** NumPy's print options: summarise above 1000 elements, 3 items at each edge, 4 decimals. */
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const PRECISION = 4;

/**
 * NumPy-style text: a header with shape and dtype, then nested brackets with values right-aligned to a
 * common width; large arrays show their first and last three items per axis around "...".
 */
export function formatArray(a: NDArray): string {
  const header = `NDArray(shape=${formatShape(a.shape)}, dtype=${a.dtype})`;
  if (a.rank === 0) return `${header}\n${formatValue(a.item(), a.dtype === 'bool', allIntegral([a.item()]))}`;
  const summarise = a.size > THRESHOLD;
  const shown = (length: number) =>
    summarise && length > 2 * EDGE_ITEMS
      ? [
          ...Array.from({ length: EDGE_ITEMS }, (_, i) => i),
          -1,
          ...Array.from({ length: EDGE_ITEMS }, (_, i) => length - EDGE_ITEMS + i),
        ]
      : Array.from({ length }, (_, i) => i);
  const values: number[] = [];
  const collect = (prefix: number[]) => {
    if (prefix.length === a.rank) {
      values.push(a.get(...prefix));
      return;
    }
    for (const i of shown(a.shape[prefix.length]!)) if (i >= 0) collect([...prefix, i]);
  };
  collect([]);
  const bool = a.dtype === 'bool';
  const integral = allIntegral(values);
  const width = Math.max(...values.map((v) => formatValue(v, bool, integral).length));
  const render = (prefix: number[]): string => {
    const axis = prefix.length;
    const parts = shown(a.shape[axis]!).map((i) => {
      if (i < 0) return '...';
      if (axis === a.rank - 1) return formatValue(a.get(...prefix, i), bool, integral).padStart(width);
      return render([...prefix, i]);
    });
    const separator =
      axis === a.rank - 1 ? ', ' : `,${'\n'.repeat(a.rank - 1 - axis)}${' '.repeat(axis + 1)}`;
    return `[${parts.join(separator)}]`;
  };
  return `${header}\n${render([])}`;
}

function allIntegral(values: readonly number[]): boolean {
  return values.every((v) => Number.isInteger(v) || !Number.isFinite(v));
}

function formatValue(v: number, bool: boolean, integral: boolean): string {
  if (bool) return v ? 'true' : 'false';
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (integral) return String(v);
  const magnitude = Math.abs(v);
  if (magnitude !== 0 && (magnitude >= 1e8 || magnitude < 1e-4)) return v.toExponential(PRECISION);
  return v.toFixed(PRECISION);
}
