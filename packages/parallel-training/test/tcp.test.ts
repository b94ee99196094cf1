import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupFromEnv, launchProcesses, RankFailure } from '../src/index.js';

const WORKER = new URL('./workers/allreduce-tcp.ts', import.meta.url);

type Result = { pid: number; results: number[][] };
const run = (size: number, env: Record<string, string | number> = {}, graceMs?: number) =>
  launchProcesses<Result>(WORKER, size, {
    env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    graceMs,
  });

/** Runs a job expected to fail; returns its error and whether any of its rank processes is still alive. */
async function runFailing(size: number, env: Record<string, string | number>, graceMs?: number) {
  const pids = mkdtempSync(join(tmpdir(), 'ranks-'));
  const error = await run(size, { ...env, PID_DIR: pids }, graceMs).catch((e: unknown) => e);
  const ranks = readdirSync(pids).map((f) => Number(readFileSync(join(pids, f), 'utf8')));
  expect(ranks).toHaveLength(size);
  return { error: error as RankFailure, left: ranks.filter(alive) };
}

/** Whether a process still exists (signal 0 checks without sending). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ring all-reduce over TCP, one process per rank (torchrun-style rendezvous from the environment)', () => {
  it.each([
    [1, 5],
    [2, 7],
    [3, 1000],
    [4, 3],
  ])(
    '%i ranks, %i values: every rank ends with the closed-form sum, round after round',
    async (size, length) => {
      const out = await run(size, { LENGTH: length, ROUNDS: 2 });
      expect(out).toHaveLength(size);
      for (const { results } of out)
        results.forEach((buffer, round) =>
          expect(buffer).toEqual(
            Array.from({ length }, (_, i) => ((size * (size + 1)) / 2) * (i + 1) + size * round),
          ),
        );
    },
  );

  it('mean divides by the number of ranks', async () => {
    const out = await run(2, { LENGTH: 4, OP: 'mean' });
    expect(out[1]!.results[0]).toEqual([1.5, 3, 4.5, 6]);
  });

  it('a rank that throws mid-run fails the job naming it; every rank process is gone', async () => {
    const { error, left } = await runFailing(4, { LENGTH: 100, ROUNDS: 3, FAIL_RANK: 2 });
    expect(error).toBeInstanceOf(RankFailure);
    expect(error.failedRank).toBe(2);
    expect(error.message).toContain('rank 2 failed: a replica crashed mid-run');
    expect(left).toEqual([]);
  });

  it('a rank that dies (SIGKILL) mid-run is named, not a neighbour that saw its socket close', async () => {
    const { error, left } = await runFailing(3, { LENGTH: 100, ROUNDS: 3, DIE_RANK: 1 });
    expect(error.failedRank).toBe(1);
    expect(error.message).toContain('killed by SIGKILL');
    expect(left).toEqual([]);
  });

  it('a rank that hangs is timed out by its neighbour, named, and killed', async () => {
    const { error, left } = await runFailing(
      3,
      { LENGTH: 100, ROUNDS: 3, HANG_RANK: 0, TIMEOUT_MS: 1_000 },
      1_000,
    );
    expect(error.failedRank).toBe(0);
    expect(error.message).toMatch(/did not answer.*killed/);
    expect(left).toEqual([]);
  });

  it('the environment is read as torchrun sets it, and a wrong value is named', () => {
    const env = { RANK: '1', WORLD_SIZE: '4', MASTER_ADDR: 'trainer-0.trainer', MASTER_PORT: '29500' };
    expect(groupFromEnv(env)).toEqual({
      rank: 1,
      size: 4,
      masterAddr: 'trainer-0.trainer',
      masterPort: 29500,
    });
    expect(() => groupFromEnv({ ...env, RANK: '4' })).toThrow(
      'RANK must be a whole number in [0, 3], got "4"',
    );
    expect(() => groupFromEnv({ ...env, WORLD_SIZE: 'two' })).toThrow('WORLD_SIZE must be a whole number');
    expect(() => groupFromEnv({ ...env, MASTER_ADDR: '' })).toThrow('MASTER_ADDR is not set');
    expect(() => groupFromEnv({ ...env, MASTER_PORT: undefined })).toThrow('MASTER_PORT is not set');
  });
});
