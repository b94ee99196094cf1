/**
 * A replica's communication thread (BucketedAllReduce): owns the ring (the thread group's mailboxes, or a TCP group
 * it joins from the environment) and all-reduces (mean) each bucket of the shared flat gradient as it is posted, in
 * order (each arrives as a message), until told to stop. A failure is written to the control words, naming the rank at fault.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type Bucket, CONTROL, type CommTransport } from './overlap.js';
import { type RingLink, ringAllReduce } from './ring.js';
import { connectGroup, type TcpGroup } from './tcp.js';
import { RankFailure, threadLink } from './threads.js';

const { transport, buckets, timeoutMs } = workerData as {
  transport: CommTransport;
  buckets: Bucket[];
  timeoutMs: number;
};
const control = new Int32Array(workerData.control as SharedArrayBuffer);
const flat = new Float32Array(workerData.flat as SharedArrayBuffer);
const rank = transport.kind === 'threads' ? transport.group.rank : transport.env.rank;
let group: TcpGroup | undefined;
// Buckets arrive as messages (not Atomics.waitAsync, whose wake-ups were seen lost here while the owner blocked).
const posted: number[] = [];
let stopping = false;
let wake: (() => void) | undefined;
parentPort!.on('message', (message: number | 'stop') => {
  if (message === 'stop') stopping = true;
  else posted.push(message);
  wake?.();
});
try {
  let link: RingLink;
  if (transport.kind === 'threads') link = threadLink(transport.group);
  else {
    group = await connectGroup({ ...transport.env, timeoutMs });
    link = group.ring;
  }
  let handled = 0;
  for (;;) {
    if (posted.length > 0) {
      const { start, end } = buckets[posted.shift()!]!;
      await ringAllReduce(link, flat.subarray(start, end), 'mean');
      Atomics.store(control, CONTROL.DONE, ++handled);
      Atomics.notify(control, CONTROL.DONE);
    } else if (stopping) break;
    else await new Promise<void>((resolve) => (wake = resolve));
  }
  await group?.close();
} catch (error) {
  const failed = error instanceof RankFailure ? error.failedRank : rank;
  Atomics.store(control, CONTROL.FAILED_RANK, failed);
  Atomics.store(control, CONTROL.FAILED, 1);
  Atomics.notify(control, CONTROL.DONE);
  await group?.abort(failed);
}
// The owner terminates this thread once told (tsx's loader keeps a worker's event loop alive).
parentPort!.postMessage('closed');
