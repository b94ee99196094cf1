import { describe, expect, it } from 'vitest';
import type { TrackingStore } from '../src/index.js';
import { runScript } from './fixtures/child.js';
import { openSpec } from './fixtures/open-store.js';

/**
 * The behaviour every TrackingStore must have, run against the SQLite store (tracking.test.ts) and a real PostgreSQL
 * server (postgres.pg.test.ts, via `test:postgres`). `open` makes an empty store; `spec` names one for the child
 * processes of the concurrency test (a file path, or a postgres:// URL with #schema).
 */
export function describeTrackingStore(
  name: string,
  open: () => Promise<TrackingStore>,
  spec: () => Promise<string>,
): void {
  describe(name, () => {
    it('records a run: parameters, per-epoch metrics, artifacts with hashes, lineage, environment, status, duration', async () => {
      const store = await open();
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
      const store = await open();
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
      const store = await open();
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

    it('two processes writing at once lose nothing (transactions; SQLite: WAL and a busy timeout)', async () => {
      const where = await spec();
      const writer = () => runScript('test/fixtures/track-writer.ts', [where, '300']);
      const ids = await Promise.all([writer(), writer()]);
      const store = await openSpec(where);
      for (const id of ids) {
        const run = await store.getRun(id);
        expect(run.status).toBe('finished');
        expect(run.metrics).toHaveLength(600);
      }
      await store.close();
    });
  });
}
