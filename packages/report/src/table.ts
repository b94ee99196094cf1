import Table from 'cli-table3';
import { markdownTable as renderMarkdown } from 'markdown-table';

export type Cell = string | number | bigint | boolean | null | undefined;
export type Align = 'left' | 'right' | 'center';

export interface TableOptions {
  /** Per-column alignment; numbers default to right, everything else to left. */
  align?: readonly Align[];
}

/** A boxed table for terminals: plain characters, no colour codes, so logs and pipes stay readable. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): string {
  const table = new Table({
    head: [...header],
    colAligns: alignments(header, rows, options),
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push(row.map(cellText));
  return table.toString();
}

/** The same table as GitHub-flavoured Markdown, for READMEs. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): string {
  const align = alignments(header, rows, options).map((a) =>
    a === 'right' ? 'r' : a === 'center' ? 'c' : 'l',
  );
  return renderMarkdown([[...header], ...rows.map((r) => r.map(cellText))], { align });
}

function alignments(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions,
): Align[] {
  return header.map((_, c) => options.align?.[c] ?? (typeof rows[0]?.[c] === 'number' ? 'right' : 'left'));
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return formatNumber(cell);
  return String(cell);
}

/** Up to 4 significant digits, thousands separated; integers stay whole. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(4)).toString();
}

/** A line printed for a terminal, as a sentence for a README: capitalized, ending in a full stop. */
export function sentence(line: string): string {
  return line.length === 0 ? line : `${line[0]!.toUpperCase()}${line.slice(1)}.`;
}
