/** A rank of the tests' TCP jobs: all-reduces a rank-dependent buffer ROUNDS times; faults on request. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ringAllReduce, runRank } from '../../src/index.js';

const env = (name: string) => (process.env[name] === undefined ? undefined : Number(process.env[name]));
const length = env('LENGTH') ?? 10;
const rounds = env('ROUNDS') ?? 1;
const timeoutMs = env('TIMEOUT_MS');
if (process.env.PID_DIR) writeFileSync(join(process.env.PID_DIR, process.env.RANK!), String(process.pid));

await runRank(
  async (group) => {
    const results: number[][] = [];
    for (let round = 0; round < rounds; round++) {
      if (round === 1 && group.rank === env('FAIL_RANK')) throw new Error('a replica crashed mid-run');
      if (round === 1 && group.rank === env('DIE_RANK')) process.kill(process.pid, 'SIGKILL');
      if (round === 1 && group.rank === env('HANG_RANK')) for (;;) {} // stuck in its own computation
      const buffer = Float32Array.from({ length }, (_, i) => (group.rank + 1) * (i + 1) + round);
      await ringAllReduce(group.ring, buffer, process.env.OP === 'mean' ? 'mean' : 'sum');
      results.push(Array.from(buffer));
    }
    return { pid: process.pid, results };
  },
  { timeoutMs },
);
