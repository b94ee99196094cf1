import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drawCharts } from '../src/charts.js';
import type { Results } from '../src/experiments.js';
import { resultTables } from '../src/tables.js';

/** A whole run recorded on the AMD EPYC guest: its pair chain scatters by more than the line's jump in quick runs. */
const recorded: Results = {
  sharingLineBytes: undefined,
  ...JSON.parse(readFileSync(new URL('./fixtures/epyc-results.json', import.meta.url), 'utf8')),
};

describe('tables and charts from a recorded run', () => {
  it('render with the lines each probe found', async () => {
    const tables = resultTables({ ...recorded, lineBytes: 64, sharingLineBytes: 64 });
    const notes = tables.flatMap((t) => t.notes).join('\n');
    expect(notes).toContain(
      'the two-load probe finds a 64-byte line, the false-sharing sweep a 64-byte line',
    );
    const charts = await drawCharts({ ...recorded, lineBytes: 64 });
    expect(charts['line-size.svg']).toContain('line 64 B');
  });

  it('say the probe could not tell when no offset rises above the noise, instead of failing the run', async () => {
    const tables = resultTables({ ...recorded, lineBytes: undefined });
    const notes = tables.flatMap((t) => t.notes).join('\n');
    expect(notes).toContain('the two-load probe finds no line');
    expect(notes).toContain('detected line: none');
    const charts = await drawCharts({ ...recorded, lineBytes: undefined });
    expect(charts['line-size.svg']).toContain('<svg');
    expect(charts['line-size.svg']).not.toContain('line undefined');
  });
});
