import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connectGroup, groupFromEnv, type TcpGroup } from './tcp.js';
import { RankFailure } from './threads.js';

/** What a rank reports to its launcher over the IPC channel. */
type Report = { result: unknown } | { failure: { message: string; failedRank: number | null } };

/**
 * The body of a rank process: joins the group from the environment (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT),
 * runs `body`, and reports its result to the launcher (over IPC when there is one, else as a JSON line on stdout).
 * If the body throws, every peer is told which rank failed (this one, or the one a RankFailure names) before the
 * connections close, so no rank waits for a dead one; the process then exits with code 1.
 */
export async function runRank<T>(
  body: (group: TcpGroup) => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const env = groupFromEnv();
  let group: TcpGroup | undefined;
  try {
    group = await connectGroup({ ...env, timeoutMs: options.timeoutMs });
    const result = await body(group);
    await group.close();
    reportResult(result);
  } catch (error) {
    await group?.abort(error instanceof RankFailure ? error.failedRank : env.rank);
    reportFailure(error, env.rank);
  }
}

/** Reports a rank's result to its launcher (over IPC when there is one, else as a JSON line on stdout). */
export function reportResult(result: unknown): void {
  report({ result });
}

/** Reports a rank's failure (naming the rank at fault: this one, or the one a RankFailure names); exit code 1. */
export function reportFailure(error: unknown, rank: number): void {
  const failedRank = error instanceof RankFailure ? error.failedRank : rank;
  report({ failure: { message: (error as Error).message, failedRank } });
  process.exitCode = 1;
}

function report(message: Report): void {
  if (process.send) process.send(message);
  else process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** A free TCP port on the loopback interface (for a launcher on one machine; a cluster names its own). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LaunchOptions {
  /** Extra environment for every rank. */
  env?: Record<string, string>;
  /** How long the job may run before its ranks are killed. Default 120 s. */
  timeoutMs?: number;
  /** How long the other ranks get to stop on their own once one has failed. Default 5 s. */
  graceMs?: number;
}

/**
 * Starts `size` rank processes of `script` on this machine, as torchrun --nproc-per-node does: each gets RANK,
 * LOCAL_RANK, WORLD_SIZE and the rendezvous MASTER_ADDR=127.0.0.1:MASTER_PORT in its environment. Resolves with
 * each rank's reported result. If a rank fails or dies, the others are given `graceMs` to stop (they fail naming
 * it), then killed; the launch rejects with a RankFailure naming the rank at fault. No process outlives the launch.
 */
export async function launchProcesses<T>(
  script: URL,
  size: number,
  options: LaunchOptions = {},
): Promise<T[]> {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`launchProcesses: size must be a whole number ≥ 1, got ${size}`);
  const { timeoutMs = 120_000, graceMs = 5_000 } = options;
  const port = await freePort();
  const path = fileURLToPath(script);
  // A .ts rank runs through tsx, resolving workspace packages to their sources.
  const execArgv = path.endsWith('.ts')
    ? ['--import', import.meta.resolve('tsx'), '--conditions=@mle/source']
    : [];
  const results: T[] = new Array(size);
  const reports: (Report | undefined)[] = new Array(size);
  const exits: { rank: number; code: number | null; signal: NodeJS.Signals | null }[] = [];
  const children: ChildProcess[] = [];
  const killed = new Set<number>();
  let killer: ReturnType<typeof setTimeout> | undefined;
  const killAll = () => {
    children.forEach((child, rank) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killed.add(rank);
      child.kill('SIGKILL');
    });
  };
  const overall = setTimeout(killAll, timeoutMs);
  await Promise.all(
    Array.from({ length: size }, (_, rank) => {
      const child = fork(path, [], {
        execArgv,
        env: {
          ...process.env,
          ...options.env,
          RANK: String(rank),
          LOCAL_RANK: String(rank),
          WORLD_SIZE: String(size),
          MASTER_ADDR: '127.0.0.1',
          MASTER_PORT: String(port),
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      return new Promise<void>((resolve) => {
        child.on('message', (message: Report) => {
          reports[rank] = message;
          if ('result' in message) results[rank] = message.result as T;
        });
        child.on('error', () => {});
        child.on('exit', (code, signal) => {
          exits.push({ rank, code, signal });
          if ((code !== 0 || !reports[rank] || 'failure' in reports[rank]!) && killer === undefined)
            killer = setTimeout(killAll, graceMs);
          resolve();
        });
      });
    }),
  );
  clearTimeout(overall);
  clearTimeout(killer);
  const failed = exits.filter((e) => e.code !== 0 || !reports[e.rank] || 'failure' in reports[e.rank]!);
  if (failed.length === 0) return results;
  throw blame(failed, reports, killed, timeoutMs);
}

/**
 * The rank at fault: one that failed of its own error (its report names itself); else one that died without a
 * report; else one that never reported and had to be killed (stuck: the others timed out waiting for it); else the
 * rank the first report names.
 */
function blame(
  failed: { rank: number; code: number | null; signal: NodeJS.Signals | null }[],
  reports: (Report | undefined)[],
  killed: Set<number>,
  timeoutMs: number,
): RankFailure {
  const describe = (e: (typeof failed)[number]) => {
    const r = reports[e.rank];
    if (r && 'failure' in r) return r.failure.message;
    if (killed.has(e.rank)) return 'did not stop, and was killed by the launcher';
    return e.signal ? `killed by ${e.signal}` : `exited with code ${e.code} without a result`;
  };
  const own = failed.find((e) => {
    const r = reports[e.rank];
    return r && 'failure' in r && r.failure.failedRank === e.rank;
  });
  const died = failed.find((e) => !reports[e.rank] && !killed.has(e.rank));
  const stuck = failed.find((e) => !reports[e.rank] && killed.has(e.rank));
  const named = failed
    .map((e) => reports[e.rank])
    .find(
      (r): r is { failure: { message: string; failedRank: number } } =>
        !!r && 'failure' in r && r.failure.failedRank !== null,
    );
  const culprit = own?.rank ?? died?.rank ?? stuck?.rank ?? named?.failure.failedRank ?? failed[0]!.rank;
  const cause = failed.find((e) => e.rank === culprit);
  if (killed.size === failed.length)
    return new RankFailure(`the job did not finish within ${timeoutMs} ms`, culprit);
  // For a stuck rank, a peer's report that names it says what it failed to do.
  const witness = reports.find((r) => !!r && 'failure' in r && r.failure.failedRank === culprit) as
    | { failure: { message: string } }
    | undefined;
  const detail =
    cause && !killed.has(culprit)
      ? describe(cause)
      : `${witness?.failure.message ?? 'it did not answer'}; it did not stop and was killed`;
  return new RankFailure(`rank ${culprit} failed: ${detail}`, culprit);
}
