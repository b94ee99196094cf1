import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runsCli, SqliteTrackingStore } from '../src/index.js';
import { describeTrackingStore } from './tracking-contract.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'tracking-')), 'runs.db');

describeTrackingStore(
  'the SQLite tracking store',
  async () => new SqliteTrackingStore(dbPath()),
  async () => {
    const path = dbPath();
    new SqliteTrackingStore(path).close(); // the schema, before the writers race to create it
    return path;
  },
);

describe('the runs CLI', () => {
  it('lists with filters, compares side by side marking what differs, shows one run, and names bad input', async () => {
    const store = new SqliteTrackingStore(dbPath());
    const a = await store.startRun({
      experiment: 'mnist',
      params: { lr: 0.001, hidden: 64 },
      dataFingerprint: 'd'.repeat(64),
    });
    const b = await store.startRun({
      experiment: 'mnist',
      params: { lr: 0.003, hidden: 64 },
      dataFingerprint: 'd'.repeat(64),
    });
    await store.logMetric(a, 'test_accuracy', 0.9145, 1);
    await store.logMetric(b, 'test_accuracy', 0.931, 1);
    await store.endRun(a, 'finished');
    await store.endRun(b, 'finished');
    const listed = await runsCli(store, ['list', '--param', 'lr=0.003']);
    expect(listed).toContain(b.slice(0, 8));
    expect(listed).not.toContain(a.slice(0, 8));
    const compared = (await runsCli(store, ['--', 'compare', a.slice(0, 8), b.slice(0, 8)])).split('\n');
    const line = (label: string) => compared.find((l) => l.includes(label))!;
    expect(line('param lr')).toContain('≠');
    expect(line('param hidden')).not.toContain('≠');
    expect(line('metric test_accuracy')).toMatch(/≠.*0\.9145.*0\.931/);
    expect(await runsCli(store, ['show', a])).toContain('test_accuracy');
    await expect(runsCli(store, ['show', 'zzz'])).rejects.toThrow('run id "zzz" matches 0 runs');
    await expect(runsCli(store, ['list', '--status', 'done'])).rejects.toThrow(
      '--status must be running, finished or failed, got "done"',
    );
    await expect(runsCli(store, ['delete'])).rejects.toThrow('usage: runs list');
    await store.close();
  });
});
