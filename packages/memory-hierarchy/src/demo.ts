/**
 * Run: pnpm --filter @mle/memory-hierarchy demo   (about a minute and a half on 2 cores)
 *      pnpm --filter @mle/memory-hierarchy demo -- --quick   (the same experiments at smaller sizes)
 * Finds this machine's caches from JavaScript, sets them beside what the system reports, and measures what the
 * hierarchy does to code an ML engineer writes. Prints the tables; `bench` prints the same measurements as rows
 * and, on a full run, writes them (with the charts) into the README.
 */
import { type Cell, demoFlags, formatTable, machineLine } from '@mle/report';
import { runExperiments } from './experiments.js';
import { resultTables } from './tables.js';

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const { quick } = demoFlags();
const results = await runExperiments({
  quick,
  onStep: (step) => process.stderr.write(`[${elapsed()}] ${step}\n`),
});
process.stdout.write(`machine: ${machineLine()}\n`);
// The tables mark their headline cells in Markdown bold for the README; a terminal shows them plain.
const plain = (cell: Cell) => (typeof cell === 'string' ? cell.replaceAll('**', '') : cell);
for (const table of resultTables(results)) {
  const rows = table.rows.map((row) => row.map(plain));
  process.stdout.write(`\n${table.title}\n${formatTable(table.header, rows, { align: table.align })}\n`);
  for (const note of table.notes) process.stdout.write(`${note}\n`);
}
process.stdout.write(`\n${quick ? 'quick run' : 'run'} in ${elapsed()}\n`);
