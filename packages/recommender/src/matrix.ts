import type { InteractionLog } from './data.js';

/** A sparse rows × cols count matrix in CSR form: row r's entries are cols[offsets[r] … offsets[r + 1]), sorted. */
export interface SparseCounts {
  rows: number;
  cols: number;
  offsets: Uint32Array;
  indices: Uint32Array;
  counts: Float64Array;
}

/** Counts of (row, col) pairs (repeats summed) as CSR, by a counting sort on rows and a sort within each row. */
export function countMatrix(
  rows: number,
  cols: number,
  rowOf: ArrayLike<number>,
  colOf: ArrayLike<number>,
): SparseCounts {
  const n = rowOf.length;
  const start = new Uint32Array(rows + 1);
  for (let e = 0; e < n; e++) {
    const r = rowOf[e]!;
    const c = colOf[e]!;
    if (r >>> 0 !== r || r >= rows)
      throw new RangeError(`countMatrix: entry ${e} has row ${r}, expected [0, ${rows})`);
    if (c >>> 0 !== c || c >= cols)
      throw new RangeError(`countMatrix: entry ${e} has column ${c}, expected [0, ${cols})`);
    start[r + 1]!++;
  }
  for (let r = 0; r < rows; r++) start[r + 1]! += start[r]!;
  const next = start.slice(0, rows);
  const raw = new Uint32Array(n);
  for (let e = 0; e < n; e++) raw[next[rowOf[e]!]!++] = colOf[e]!;
  // Sort each row and merge repeats into counts.
  const offsets = new Uint32Array(rows + 1);
  const indices: number[] = [];
  const counts: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = raw.subarray(start[r]!, start[r + 1]!).sort();
    for (let p = 0; p < row.length; p++) {
      if (p > 0 && row[p] === row[p - 1]) counts[counts.length - 1]!++;
      else {
        indices.push(row[p]!);
        counts.push(1);
      }
    }
    offsets[r + 1] = indices.length;
  }
  return { rows, cols, offsets, indices: Uint32Array.from(indices), counts: Float64Array.from(counts) };
}

/** The user × item count matrix of a log. */
export function userMatrix(log: InteractionLog): SparseCounts {
  return countMatrix(log.users, log.items, log.user, log.item);
}

/** The user × item count matrix of a log, and its transpose (item × user). */
export function interactionMatrices(log: InteractionLog): { byUser: SparseCounts; byItem: SparseCounts } {
  return {
    byUser: userMatrix(log),
    byItem: countMatrix(log.items, log.users, log.item, log.user),
  };
}
