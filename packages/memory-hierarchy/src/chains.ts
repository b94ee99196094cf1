import { Rng } from '@mle/tensor';

/**
 * A pointer chain laid out in memory: `next[slot]` holds the index of the slot visited after `slot`. Following it
 * from `start` is a sequence of dependent loads: the CPU cannot issue a load before the previous one returns its
 * address, so the time per step is the latency of wherever the slot lives (L1, L2, L3 or DRAM).
 */
export interface Chain {
  next: Uint32Array;
  start: number;
  /** Slots on the cycle: the loads before the chase returns to `start`. */
  length: number;
  /** Bytes the chain spans (the working set). */
  bytes: number;
}

export const LINE_BYTES = 64;
export const PAGE_BYTES = 4096;
const SLOT_BYTES = Uint32Array.BYTES_PER_ELEMENT;

/**
 * Sattolo's algorithm (1986): Fisher–Yates with j drawn from [0, i) instead of [0, i], which yields a uniformly
 * random permutation with exactly one cycle. Read as "i goes to perm[i]", it visits all n slots before repeating,
 * in an order no hardware prefetcher can predict.
 */
export function sattoloCycle(n: number, rng: Rng): Uint32Array {
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 32)
    throw new RangeError(`sattoloCycle: n must be an integer in [1, 2^32], got ${n}`);
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

/** The length of the cycle through 0 of the mapping i → perm[i]; equals perm.length exactly when it is one cycle. */
export function cycleLength(perm: Uint32Array): number {
  let i = 0;
  let steps = 0;
  do {
    const next = perm[i];
    if (next === undefined || next >= perm.length)
      throw new RangeError(`cycleLength: perm[${i}] = ${next} is outside [0, ${perm.length})`);
    i = next;
    steps++;
  } while (i !== 0 && steps <= perm.length);
  return steps;
}

function checkBytes(where: string, bytes: number, unit: number): void {
  if (!Number.isInteger(bytes) || bytes < unit || bytes % unit !== 0 || bytes > 2 ** 32)
    throw new RangeError(`${where}: bytes must be a positive multiple of ${unit} up to 4 GiB, got ${bytes}`);
}

/** Closes a visiting order (slot indices) into one cycle: order[k] → order[k + 1], the last back to the first. */
function chainFromOrder(order: Uint32Array, bytes: number): Chain {
  const next = new Uint32Array(bytes / SLOT_BYTES);
  for (let k = 0; k < order.length - 1; k++) next[order[k]!] = order[k + 1]!;
  next[order[order.length - 1]!] = order[0]!;
  return { next, start: order[0]!, length: order.length, bytes };
}

/** A random order of 0..n-1 (Fisher–Yates, from @mle/tensor). */
function shuffled(n: number, rng: Rng): Int32Array {
  return rng.permutation(n).data as Int32Array;
}

/**
 * The latency probe: one slot per cache line, visited in a Sattolo cycle. Every load goes to a line
 * chosen at random from the working set, so once the set outgrows a cache level nearly every load misses it.
 */
export function randomLineChain(bytes: number, seed: number): Chain {
  checkBytes('randomLineChain', bytes, LINE_BYTES);
  const lines = bytes / LINE_BYTES;
  const perm = sattoloCycle(lines, new Rng(seed));
  const perLine = LINE_BYTES / SLOT_BYTES;
  const next = new Uint32Array(bytes / SLOT_BYTES);
  for (let line = 0; line < lines; line++) next[line * perLine] = perm[line]! * perLine;
  return { next, start: 0, length: lines, bytes };
}

/**
 * The same lines, visited page by page: the pages in a Sattolo cycle, and every line of a page (in random order)
 * before the next page. One TLB miss is then shared by 64 loads, so the curve shows the caches without the cost of
 * address translation that the random chain pays on every load once the TLB no longer covers the working set.
 */
export function pageLocalChain(bytes: number, seed: number): Chain {
  checkBytes('pageLocalChain', bytes, PAGE_BYTES);
  const rng = new Rng(seed);
  const linesPerPage = PAGE_BYTES / LINE_BYTES;
  const perLine = LINE_BYTES / SLOT_BYTES;
  const pageCycle = sattoloCycle(bytes / PAGE_BYTES, rng);
  const order = new Uint32Array(bytes / LINE_BYTES);
  let k = 0;
  let page = 0;
  do {
    for (const line of shuffled(linesPerPage, rng)) order[k++] = (page * linesPerPage + line) * perLine;
    page = pageCycle[page]!;
  } while (page !== 0);
  return chainFromOrder(order, bytes);
}

/**
 * One line per page, pages in random order: the cache footprint is only 64 bytes a page, so the time per load
 * rises where the pages outnumber the TLB's entries, not where the lines outgrow a cache. The line within each
 * page rotates with the page number so the lines spread over the cache sets instead of crowding one.
 */
export function pagePerLineChain(pages: number, seed: number): Chain {
  if (!Number.isInteger(pages) || pages < 1)
    throw new RangeError(`pagePerLineChain: pages must be a positive integer, got ${pages}`);
  const linesPerPage = PAGE_BYTES / LINE_BYTES;
  const perLine = LINE_BYTES / SLOT_BYTES;
  const order = Uint32Array.from(
    shuffled(pages, new Rng(seed)),
    (page) => (page * linesPerPage + (page % linesPerPage)) * perLine,
  );
  return chainFromOrder(order, pages * PAGE_BYTES);
}

/**
 * The line-size probe: blocks of `blockBytes` in a Sattolo cycle, and in each block two loads, the second
 * `offsetBytes` after the first. While the offset stays inside the first load's cache line the second load hits
 * L1 and costs almost nothing; from the offset equal to the line size on, it is a second miss. The first load sits
 * 64 bytes into its block, the second line of a 128-byte pair: some cores' prefetchers fetch the other line of an
 * aligned pair on a miss, which would otherwise hand the second load its line at offset 64.
 */
export function pairChain(bytes: number, blockBytes: number, offsetBytes: number, seed: number): Chain {
  checkBytes('pairChain', blockBytes, 2 * LINE_BYTES);
  checkBytes('pairChain', bytes, blockBytes);
  const room = blockBytes - LINE_BYTES;
  if (
    !Number.isInteger(offsetBytes) ||
    offsetBytes < SLOT_BYTES ||
    offsetBytes % SLOT_BYTES !== 0 ||
    offsetBytes >= room
  )
    throw new RangeError(
      `pairChain: offsetBytes must be a multiple of ${SLOT_BYTES} in [${SLOT_BYTES}, ${room}), got ${offsetBytes}`,
    );
  const blocks = bytes / blockBytes;
  const perBlock = blockBytes / SLOT_BYTES;
  const first = LINE_BYTES / SLOT_BYTES;
  const offset = offsetBytes / SLOT_BYTES;
  const perm = sattoloCycle(blocks, new Rng(seed));
  const next = new Uint32Array(bytes / SLOT_BYTES);
  for (let block = 0; block < blocks; block++) {
    next[block * perBlock + first] = block * perBlock + first + offset;
    next[block * perBlock + first + offset] = perm[block]! * perBlock + first;
  }
  return { next, start: first, length: 2 * blocks, bytes };
}
