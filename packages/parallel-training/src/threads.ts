import { Worker } from 'node:worker_threads';
import type { RingLink } from './ring.js';

/** What each worker of a thread group is given (its `workerData.group`). */
export interface ThreadGroupData {
  rank: number;
  size: number;
  /** One mailbox per rank (the messages into it from rank − 1): Int32 [state, length] then the Float32 values. */
  mailboxes: SharedArrayBuffer[];
  /** Int32 [aborted, failed rank]: set by the group when a rank fails, so no rank waits for it forever. */
  abort: SharedArrayBuffer;
  capacity: number;
  timeoutMs: number;
}

const HEADER = 8; // bytes: state, length
const EMPTY = 0;
const FULL = 1;
/** Waits are sliced so an abort is seen within this many milliseconds. */
const SLICE_MS = 20;

/** Thrown in a rank that waited too long or saw another rank fail; names the rank at fault. */
export class RankFailure extends Error {
  override name = 'RankFailure';
  constructor(
    message: string,
    readonly failedRank: number,
  ) {
    super(message);
  }
}

/**
 * The worker side of a thread group: a RingLink over SharedArrayBuffer mailboxes with Atomics. A send waits for the
 * next rank's mailbox to be empty, fills it and wakes it; a receive waits for its own to be full, copies it out and
 * empties it. Every wait gives up after `timeoutMs`, or as soon as the group marks a rank failed.
 */
export function threadLink(group: ThreadGroupData): RingLink {
  const { rank, size, mailboxes, capacity, timeoutMs } = group;
  const abort = new Int32Array(group.abort);
  const control = mailboxes.map((m) => new Int32Array(m, 0, 2));
  const values = mailboxes.map((m) => new Float32Array(m, HEADER, capacity));
  const next = (rank + 1) % size;
  const previous = (rank - 1 + size) % size;
  const waitFor = (box: Int32Array, want: number, what: string, peer: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = Atomics.load(box, 0);
      if (state === want) return;
      if (Atomics.load(abort, 0) === 1) {
        const failed = Atomics.load(abort, 1);
        throw new RankFailure(
          `rank ${rank}: rank ${failed} failed while rank ${rank} waited to ${what}`,
          failed,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new RankFailure(
          `rank ${rank}: timed out after ${timeoutMs} ms waiting to ${what} (rank ${peer} did not answer)`,
          peer,
        );
      Atomics.wait(box, 0, state, Math.min(left, SLICE_MS));
    }
  };
  return {
    rank,
    size,
    send(data) {
      if (data.length > capacity)
        throw new Error(`rank ${rank}: a message of ${data.length} values exceeds the mailbox's ${capacity}`);
      const box = control[next]!;
      waitFor(box, EMPTY, `send to rank ${next}`, next);
      values[next]!.set(data);
      Atomics.store(box, 1, data.length);
      Atomics.store(box, 0, FULL);
      Atomics.notify(box, 0);
    },
    receive(into) {
      const box = control[rank]!;
      waitFor(box, FULL, `receive from rank ${previous}`, previous);
      const length = Atomics.load(box, 1);
      into.set(values[rank]!.subarray(0, length));
      Atomics.store(box, 0, EMPTY);
      Atomics.notify(box, 0);
      return length;
    },
  };
}

export interface ThreadGroupOptions {
  /** The largest message a rank sends (values). */
  capacity: number;
  /** How long any wait may last before the rank gives up. Default 10 s. */
  timeoutMs?: number;
  /** Extra workerData for every rank (beside `group`). */
  workerData?: Record<string, unknown>;
  /** Node flags for the workers. */
  execArgv?: string[];
}

/**
 * A module beside the caller's (`base` is its import.meta.url), with the caller's own extension: .ts when the sources
 * run in place, .js once compiled to dist.
 */
export const siblingModule = (name: string, base: string): URL =>
  new URL(`./${name}${new URL(base).pathname.endsWith('.ts') ? '.ts' : '.js'}`, base);

/**
 * A worker running a module. For a TypeScript one (sources run in place): Node's loader hooks do not reach worker
 * threads, so the worker is a small script that loads it through tsx's API (resolved from this package, where tsx is
 * installed), with workspace packages resolved to their sources.
 */
export function workerFor(script: URL, options: ConstructorParameters<typeof Worker>[1] = {}): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script, options);
  const api = import.meta.resolve('tsx/esm/api');
  const source = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(script.href)}, ${JSON.stringify(script.href)}));`;
  const execArgv = [...(options.execArgv ?? []), '--conditions=@mle/source'];
  return new Worker(source, { ...options, execArgv, eval: true });
}

/**
 * Runs `size` ranks, each a worker thread running `script` with `workerData.group` (ThreadGroupData), and resolves
 * with what each posts. If a rank throws or exits early, the group marks it failed (every other rank's next wait
 * fails naming it), waits for the rest to stop, terminates any that do not, and rejects naming the rank.
 */
export async function runThreadGroup<T>(
  script: URL,
  size: number,
  options: ThreadGroupOptions,
): Promise<T[]> {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`runThreadGroup: size must be a whole number ≥ 1, got ${size}`);
  const { capacity, timeoutMs = 10_000 } = options;
  const mailboxes = Array.from({ length: size }, () => new SharedArrayBuffer(HEADER + 4 * capacity));
  const abort = new SharedArrayBuffer(8);
  const flags = new Int32Array(abort);
  const results: T[] = new Array(size);
  const errors: { rank: number; error: Error }[] = [];
  const workers = Array.from({ length: size }, (_, rank) =>
    workerFor(script, {
      workerData: {
        ...options.workerData,
        group: { rank, size, mailboxes, abort, capacity, timeoutMs } satisfies ThreadGroupData,
      },
      execArgv: options.execArgv,
    }),
  );
  let reaper: ReturnType<typeof setTimeout> | undefined;
  const fail = (rank: number, error: Error) => {
    errors.push({ rank, error });
    if (Atomics.compareExchange(flags, 0, 0, 1) === 0) {
      Atomics.store(flags, 1, rank);
      for (const m of mailboxes) Atomics.notify(new Int32Array(m, 0, 2), 0);
      // A rank stuck outside any wait (in its own computation) never sees the abort: terminate it after a grace period.
      reaper = setTimeout(
        () => {
          for (const w of workers) void w.terminate();
        },
        Math.min(timeoutMs, 2_000),
      );
    }
  };
  await Promise.all(
    workers.map(
      (worker, rank) =>
        new Promise<void>((resolve) => {
          let done = false;
          worker.on('message', (message: T) => {
            results[rank] = message;
            done = true;
          });
          worker.on('error', (error) => fail(rank, error));
          worker.on('exit', (code) => {
            if (!done && code !== 0 && !errors.some((e) => e.rank === rank))
              fail(rank, new Error(`rank ${rank} exited with code ${code}`));
            else if (!done && code === 0) fail(rank, new Error(`rank ${rank} exited without a result`));
            resolve();
          });
        }),
    ),
  );
  clearTimeout(reaper);
  await Promise.all(workers.map((w) => w.terminate()));
  if (errors.length > 0) {
    // The first rank to fail is the cause; the others' errors name it.
    const first = Atomics.load(flags, 1);
    const cause = errors.find((e) => e.rank === first)!;
    throw new RankFailure(`rank ${first} failed: ${cause.error.message}`, first);
  }
  return results;
}
