import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runsCli, SqliteTrackingStore } from '../src/index.js';
import { runScript } from './fixtures/child.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'tracking-')), 'runs.db');

describe('the SQLite tracking store', () => {
  it('records a run: parameters, per-epoch metrics, artifacts with hashes, lineage, environment, status, duration', async () => {
    const store = new SqliteTrackingStore(dbPath());
    const id = await store.startRun({
      experiment: 'mnist',
      params: { lr: 0.001, hidden: 64, layers: [784, 64, 10] },
      gitCommit: 'abc123',
      dataFingerprint: 'f'.repeat(64),
    });
    for (let epoch = 1; epoch <= 3; epoch++)
      await store.logMetric(id, 'dev_accuracy', 0.8 + epoch / 100, epoch);
    await store.logArtifact(id, { name: 'model', path: '/tmp/model.bin', sha256: 'a'.repeat(64) });
    await store.endRun(id, 'finished');
    const run = await store.getRun(id);
    expect(run.status).toBe('finished');
    expect(run.params).toEqual({ lr: 0.001, hidden: 64, layers: [784, 64, 10] });
    expect(run.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
    expect(run.latest).toEqual({ dev_accuracy: 0.8 + 3 / 100 });
    expect(run.artifacts).toEqual([{ name: 'model', path: '/tmp/model.bin', sha256: 'a'.repeat(64) }]);
    expect(run.gitCommit).toBe('abc123');
    expect(run.environment.node).toBe(process.version);
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    await store.close();
  });

  it('filters by experiment, status and parameter value', async () => {
    const store = new SqliteTrackingStore(dbPath());
    const a = await store.startRun({ experiment: 'mnist', params: { lr: 0.001 } });
    const b = await store.startRun({ experiment: 'mnist', params: { lr: 0.01 } });
    await store.startRun({ experiment: 'other', params: { lr: 0.01 } });
    await store.endRun(a, 'finished');
    await store.endRun(b, 'failed');
    expect(new Set((await store.listRuns({ experiment: 'mnist' })).map((r) => r.id))).toEqual(
      new Set([a, b]),
    );
    expect((await store.listRuns({ status: 'failed' })).map((r) => r.id)).toEqual([b]);
    expect((await store.listRuns({ params: { lr: 0.01 } })).map((r) => r.experiment).sort()).toEqual([
      'mnist',
      'other',
    ]);
    await store.close();
  });

  it('refuses what would corrupt a record, naming it', async () => {
    const store = new SqliteTrackingStore(dbPath());
    const id = await store.startRun({ experiment: 'mnist', params: {} });
    await expect(store.logMetric(id, 'loss', Number.NaN, 1)).rejects.toThrow(
      'metric "loss" at step 1 is NaN',
    );
    await expect(store.logArtifact(id, { name: 'm', path: 'p', sha256: 'xyz' })).rejects.toThrow(
      'sha256 must be 64 hex digits',
    );
    await expect(store.logMetric('nope', 'loss', 1, 1)).rejects.toThrow('no run with id nope');
    await store.endRun(id, 'finished');
    await expect(store.logMetric(id, 'loss', 1, 2)).rejects.toThrow(
      'has ended (finished); it takes no more records',
    );
    await store.close();
  });

  it('two processes writing at once lose nothing (WAL, transactions, a busy timeout)', async () => {
    const path = dbPath();
    new SqliteTrackingStore(path).close(); // the schema, before the writers race to create it
    const writer = () => runScript('test/fixtures/track-writer.ts', [path, '300']);
    const ids = await Promise.all([writer(), writer()]);
    const store = new SqliteTrackingStore(path);
    for (const id of ids) {
      const run = await store.getRun(id);
      expect(run.status).toBe('finished');
      expect(run.metrics).toHaveLength(600);
    }
    await store.close();
  });
});

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
