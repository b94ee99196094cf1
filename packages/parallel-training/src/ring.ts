/**
 * A rank's two neighbours in a ring: it sends to rank + 1 and receives from rank − 1 (mod size). A transport may
 * answer synchronously (shared memory blocks on Atomics) or with a promise (a socket); a send must not wait for the
 * receiver to call receive, or every rank sending at once would deadlock.
 */
export interface RingLink {
  readonly rank: number;
  readonly size: number;
  /** Sends values to the next rank (the transport may keep a reference until the send settles). */
  send(values: Float32Array): void | Promise<void>;
  /** Receives the previous rank's next message into `into`, returning how many values it held. */
  receive(into: Float32Array): number | Promise<number>;
}

/** Where chunk c of n starts in a buffer of `length` values (chunk c is [start(c), start(c + 1))). */
export function chunkStart(c: number, n: number, length: number): number {
  return Math.floor((c * length) / n);
}

/**
 * Ring all-reduce in place (Patarasuk & Yuan 2009; as NCCL and Horovod run it): the buffer is cut into `size` chunks;
 * in size − 1 reduce-scatter steps each rank sends one chunk to the next rank and adds the chunk it receives, so
 * that rank r ends holding the complete sum of chunk r + 1; in size − 1 all-gather steps the complete chunks travel
 * round the ring. Every rank sends and receives 2(size − 1)/size of the buffer, whatever the size — the reason the
 * ring scales. 'mean' divides by size at the end.
 */
export async function ringAllReduce(
  link: RingLink,
  buffer: Float32Array,
  op: 'sum' | 'mean' = 'sum',
): Promise<void> {
  const { rank, size } = link;
  const n = buffer.length;
  if (size > 1) {
    const incoming = new Float32Array(Math.ceil(n / size) + 1);
    const chunk = (c: number) => {
      const k = ((c % size) + size) % size;
      return buffer.subarray(chunkStart(k, size, n), chunkStart(k + 1, size, n));
    };
    for (let step = 0; step < size - 1; step++) {
      const sent = link.send(chunk(rank - step));
      const target = chunk(rank - step - 1);
      const count = await link.receive(incoming);
      await sent;
      if (count !== target.length)
        throw new Error(
          `rank ${rank}: reduce-scatter step ${step} received ${count} values, expected ${target.length}`,
        );
      for (let i = 0; i < count; i++) target[i]! += incoming[i]!;
    }
    for (let step = 0; step < size - 1; step++) {
      const sent = link.send(chunk(rank - step + 1));
      const target = chunk(rank - step);
      const count = await link.receive(incoming);
      await sent;
      if (count !== target.length)
        throw new Error(
          `rank ${rank}: all-gather step ${step} received ${count} values, expected ${target.length}`,
        );
      target.set(incoming.subarray(0, count));
    }
  }
  if (op === 'mean') for (let i = 0; i < n; i++) buffer[i]! /= size;
}
