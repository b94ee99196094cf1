import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  benchRecord,
  commitBenchRun,
  machineLine,
  readmeRun,
  stampSvg,
  svgRun,
  withResultsBlock,
} from '../src/index.js';

const machine = { cpu: 'AMD EPYC', cores: 2, simd: ['AVX2'], node: 'v20.20.2', platform: 'linux-x64' };
const report = {
  package: '@mle/x',
  machine,
  results: [{ case: 'n=1', impl: 'ours', metric: 'time', value: 1.5, unit: 'ms' }],
};

describe('bench records', () => {
  it('names a run by its numbers: the same results give the same id, other results another', () => {
    const run = benchRecord(report).run;
    expect(run).toMatch(/^[0-9a-f]{12}$/);
    expect(benchRecord(structuredClone(report)).run).toBe(run);
    const other = { ...report, results: [{ ...report.results[0]!, value: 1.6 }] };
    expect(benchRecord(other).run).not.toBe(run);
  });

  it('stamps a chart invisibly and reads the stamp back', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1"><rect/></svg>';
    const stamped = stampSvg(svg, 'abcdef012345');
    expect(stamped).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="1"><desc>bench run abcdef012345</desc><rect/></svg>',
    );
    expect(svgRun(stamped)).toBe('abcdef012345');
    expect(svgRun(svg)).toBeUndefined();
    expect(() => stampSvg('<html></html>', 'abcdef012345')).toThrow('not an SVG document');
  });

  it('replaces only the results block of a README, and refuses a README without one', () => {
    const record = benchRecord(report);
    const readme =
      'intro\n\n<!-- bench:results run=000000000000 -->\nold table\n<!-- /bench:results -->\n\nprose\n';
    const next = withResultsBlock(readme, record, '| a |\n| - |\n| 1 |\n');
    expect(next).toBe(
      `intro\n\n<!-- bench:results run=${record.run} -->\nMachine: ${machineLine(machine)}.\n\n| a |\n| - |\n| 1 |\n<!-- /bench:results -->\n\nprose\n`,
    );
    expect(readmeRun(next)).toBe(record.run);
    expect(withResultsBlock(next, record, '| a |\n| - |\n| 1 |')).toBe(next); // idempotent
    expect(() => withResultsBlock('no block here', record, 'x')).toThrow('README: no results block');
  });

  it('commits a run: the record, the stamped charts and the README block share one id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mle-report-record-'));
    mkdirSync(join(dir, 'charts'));
    writeFileSync(
      join(dir, 'README.md'),
      '<!-- bench:results run=000000000000 -->\n<!-- /bench:results -->\n',
    );
    const record = benchRecord(report);
    commitBenchRun(dir, record, { charts: { 'c.svg': '<svg><g/></svg>' }, markdown: 'table' });
    expect(JSON.parse(readFileSync(join(dir, 'bench', 'results.json'), 'utf8'))).toEqual(record);
    expect(svgRun(readFileSync(join(dir, 'charts', 'c.svg'), 'utf8'))).toBe(record.run);
    expect(readmeRun(readFileSync(join(dir, 'README.md'), 'utf8'))).toBe(record.run);
  });
});
