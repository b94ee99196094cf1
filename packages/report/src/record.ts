import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BenchReport } from './bench.js';
import { type MachineInfo, machineInfo, machineLine } from './machine.js';

/**
 * A full bench run as a package commits it: the report, the machine, and a run id that the README's results table
 * and every chart drawn in the same run carry, so a test can prove they come from one run.
 */
export interface BenchRecord {
  package: string;
  machine: MachineInfo;
  /** The first 12 hex digits of the SHA-256 of the machine and results: the same numbers give the same id. */
  run: string;
  results: BenchReport['results'];
}

export const RECORD_PATH = join('bench', 'results.json');
const BEGIN = /<!-- bench:results run=([0-9a-f]{12}) -->\n/;
const END = '<!-- /bench:results -->';

export function benchRecord(report: BenchReport): BenchRecord {
  const machine = report.machine ?? machineInfo();
  const run = createHash('sha256')
    .update(JSON.stringify({ machine, results: report.results }))
    .digest('hex')
    .slice(0, 12);
  return { package: report.package, machine, run, results: report.results };
}

/** Marks an SVG chart with the run that drew it (an SVG `<desc>`, invisible when rendered). */
export function stampSvg(svg: string, run: string): string {
  const tag = svg.indexOf('<svg');
  const open = tag < 0 ? -1 : svg.indexOf('>', tag);
  if (open < 0) throw new Error('stampSvg: not an SVG document (no <svg> element)');
  return `${svg.slice(0, open + 1)}<desc>bench run ${run}</desc>${svg.slice(open + 1)}`;
}

/** The run an SVG chart was stamped with, if any. */
export function svgRun(svg: string): string | undefined {
  return svg.match(/<desc>bench run ([0-9a-f]{12})<\/desc>/)?.[1];
}

/**
 * The README with its results block replaced: the machine line and `markdown` (a table rendered from the record by
 * the bench), between `<!-- bench:results run=… -->` and `<!-- /bench:results -->`. The block must already exist,
 * so the README decides where the results go.
 */
export function withResultsBlock(readme: string, record: BenchRecord, markdown: string): string {
  const begin = readme.match(BEGIN);
  const end = readme.indexOf(END);
  if (!begin || begin.index === undefined || end < begin.index)
    throw new Error(
      `README: no results block; add "<!-- bench:results run=000000000000 -->" and "${END}" where the table goes`,
    );
  const block = `<!-- bench:results run=${record.run} -->\nMachine: ${machineLine(record.machine)}.\n\n${markdown.trim()}\n`;
  return readme.slice(0, begin.index) + block + readme.slice(end);
}

/** The run id of a README's results block, if it has one. */
export function readmeRun(readme: string): string | undefined {
  return readme.match(BEGIN)?.[1];
}

/**
 * Writes a full run's record to `<packageDir>/bench/results.json`, the stamped charts to `<packageDir>/charts/`, and
 * the results block of `<packageDir>/README.md`. Benches call it only on a full run (never with --json or --quick).
 */
export function commitBenchRun(
  packageDir: string,
  record: BenchRecord,
  output: { charts: Record<string, string>; markdown: string },
): void {
  const recordFile = join(packageDir, RECORD_PATH);
  mkdirSync(dirname(recordFile), { recursive: true });
  writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
  for (const [name, svg] of Object.entries(output.charts)) {
    mkdirSync(join(packageDir, 'charts'), { recursive: true });
    writeFileSync(join(packageDir, 'charts', name), stampSvg(svg, record.run));
  }
  const readmeFile = join(packageDir, 'README.md');
  writeFileSync(readmeFile, withResultsBlock(readFileSync(readmeFile, 'utf8'), record, output.markdown));
}
