import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import type { RingLink } from './ring.js';
import { RankFailure } from './threads.js';

/**
 * Where a process stands in a job, from the environment as torchrun (and a Kubernetes Indexed Job) sets it: RANK,
 * WORLD_SIZE, and the rendezvous address MASTER_ADDR:MASTER_PORT, where rank 0 listens.
 */
export interface ProcessGroupEnv {
  rank: number;
  size: number;
  masterAddr: string;
  masterPort: number;
}

/** Reads RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT, refusing a missing or malformed one by name. */
export function groupFromEnv(env: NodeJS.ProcessEnv = process.env): ProcessGroupEnv {
  const whole = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const text = env[name];
    if (text === undefined || text === '')
      throw new Error(`${name} is not set: a rank needs RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT`);
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min || value > max)
      throw new RangeError(`${name} must be a whole number in [${min}, ${max}], got "${text}"`);
    return value;
  };
  const size = whole('WORLD_SIZE', 1, 1024);
  const rank = whole('RANK', 0, size - 1);
  const masterAddr = env.MASTER_ADDR ?? '';
  if (masterAddr === '') throw new Error('MASTER_ADDR is not set: the host where rank 0 listens');
  return { rank, size, masterAddr, masterPort: whole('MASTER_PORT', 1, 65535) };
}

// A frame: Uint32 [kind, n] then the payload. Data: n float32 values. Json: n bytes of UTF-8. Abort: no payload,
// n = the failed rank (so every rank, not only a dead rank's neighbours, learns which rank failed).
const DATA = 0;
const JSON_FRAME = 1;
const ABORT = 2;
const HEADER = 8;

interface Frame {
  kind: typeof DATA | typeof JSON_FRAME;
  payload: Uint8Array;
}

/**
 * A framed, typed channel to one peer over a socket. Incoming bytes are kept as a queue of chunks and copied once,
 * into the receiver's array; a receive waits at most `timeoutMs`; a closed socket or an abort frame fails every
 * wait with a RankFailure naming the rank at fault.
 */
export class Peer {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private header: { kind: number; n: number } | null = null;
  private frames: Frame[] = [];
  private waiter: (() => void) | null = null;
  private failure: RankFailure | null = null;
  private closing = false;

  constructor(
    readonly socket: Socket,
    /** The rank at the other end (−1 until a hello names it). */
    public peerRank: number,
    private readonly selfRank: number,
    private readonly timeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.parse();
    });
    const lost = (detail: string) => {
      if (this.closing || this.failure) return;
      this.fail(
        new RankFailure(
          `rank ${this.selfRank}: lost the connection to rank ${this.peerRank} (${detail})`,
          this.peerRank,
        ),
      );
    };
    socket.on('error', (error) => lost(error.message));
    socket.on('close', () => lost('closed'));
  }

  /** Sends a float32 message; resolves when the socket has taken the bytes. */
  send(values: Float32Array): Promise<void> {
    return this.write(
      DATA,
      values.length,
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    );
  }

  sendJson(value: unknown): Promise<void> {
    const bytes = Buffer.from(JSON.stringify(value));
    return this.write(JSON_FRAME, bytes.length, bytes);
  }

  /** Tells the peer that `rank` failed (best effort: the socket may already be gone). */
  sendAbort(rank: number): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    const header = new Uint32Array([ABORT, rank]);
    this.socket.write(new Uint8Array(header.buffer));
  }

  async receive(into: Float32Array): Promise<number> {
    const frame = await this.next(DATA, `receive from rank ${this.peerRank}`);
    const n = frame.payload.length / 4;
    if (n > into.length)
      throw new Error(
        `rank ${this.selfRank}: rank ${this.peerRank} sent ${n} values into a buffer of ${into.length}`,
      );
    new Uint8Array(into.buffer, into.byteOffset, frame.payload.length).set(frame.payload);
    return n;
  }

  async receiveJson<T>(what: string): Promise<T> {
    const frame = await this.next(JSON_FRAME, what);
    return JSON.parse(Buffer.from(frame.payload).toString('utf8')) as T;
  }

  /** Ends the connection after what was written has been sent. */
  close(): Promise<void> {
    this.closing = true;
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      // A peer that never closes its side must not hold this rank open.
      setTimeout(() => this.socket.destroy(), 1_000).unref();
    });
  }

  destroy(): void {
    this.closing = true;
    this.socket.destroy();
  }

  fail(failure: RankFailure): void {
    if (this.failure) return;
    this.failure = failure;
    this.wake();
  }

  private write(kind: number, n: number, payload: Uint8Array): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.socket.cork();
      this.socket.write(new Uint8Array(new Uint32Array([kind, n]).buffer));
      this.socket.write(payload, (error) => (error ? reject(this.failure ?? error) : resolve()));
      this.socket.uncork();
    });
  }

  private async next(kind: typeof DATA | typeof JSON_FRAME, what: string) {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      // Frames that arrived before a failure are still delivered, in order: they were sent before it.
      const frame = this.frames[0];
      if (frame) {
        this.frames.shift();
        if (frame.kind !== kind)
          throw new Error(
            `rank ${this.selfRank}: expected a ${kind === DATA ? 'data' : 'JSON'} frame from rank ${this.peerRank}`,
          );
        return frame;
      }
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new RankFailure(
          `rank ${this.selfRank}: timed out after ${this.timeoutMs} ms waiting to ${what} (rank ${this.peerRank} did not answer)`,
          this.peerRank,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
  }

  private wake(): void {
    this.waiter?.();
  }

  private take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.chunks[0]!;
      const used = Math.min(chunk.length, count - filled);
      out.set(chunk.subarray(0, used), filled);
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.buffered -= count;
    return out;
  }

  private parse(): void {
    let added = false;
    for (;;) {
      if (!this.header) {
        if (this.buffered < HEADER) break;
        const bytes = this.take(HEADER);
        const view = new DataView(bytes.buffer);
        this.header = { kind: view.getUint32(0, true), n: view.getUint32(4, true) };
        if (this.header.kind === ABORT) {
          // Before the connection's close event, which would otherwise blame the messenger.
          const failed = this.header.n;
          this.fail(
            new RankFailure(
              `rank ${this.selfRank}: rank ${failed} failed (told by rank ${this.peerRank})`,
              failed,
            ),
          );
          this.header = null;
          continue;
        }
      }
      const bytes = this.header.kind === DATA ? this.header.n * 4 : this.header.n;
      if (this.buffered < bytes) break;
      this.frames.push({ kind: this.header.kind as typeof DATA, payload: this.take(bytes) });
      this.header = null;
      added = true;
    }
    if (added) this.wake();
  }
}

export interface TcpGroup {
  readonly rank: number;
  readonly size: number;
  /** The ring: sends to rank + 1, receives from rank − 1. */
  readonly ring: RingLink;
  /** The star round rank 0 (the rendezvous connections, kept): on rank 0 one peer per other rank, else [rank 0]. */
  readonly star: Peer[];
  /**
   * Tells every peer that `rank` failed and drops the connections (a failing rank calls it before it exits); resolves
   * once they are closed, or destroyed after a short flush when the peer does not answer (it may be the hung one).
   */
  abort(rank: number): Promise<void>;
  /** Closes every connection and listener, after what was sent has been delivered. */
  close(): Promise<void>;
}

export interface ConnectOptions extends ProcessGroupEnv {
  /** How long any wait for a peer's message may take before the rank gives up naming it. Default 30 s. */
  timeoutMs?: number;
  /** How long the rendezvous may take (ranks may start minutes apart on a cluster). Default 120 s. */
  rendezvousTimeoutMs?: number;
  /** The interface this rank's ring listener binds (default all: a pod is reached on its own address). */
  host?: string;
}

type Hello =
  | { role: 'rendezvous'; rank: number; size: number; port: number }
  | { role: 'ring'; rank: number };

const listen = (server: Server, port: number, host: string | undefined) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

/** Connects, retrying a refused connection (the listener may not be up yet) until the deadline. */
async function dial(host: string, port: number, deadline: number, what: string): Promise<Socket> {
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = tcpConnect({ host, port });
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (Date.now() > deadline || (code !== 'ECONNREFUSED' && code !== 'ENOTFOUND' && code !== 'EAI_AGAIN'))
        throw new Error(`could not reach ${what} at ${host}:${port}: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The first frame on a new connection, within the deadline. */
async function hello(
  socket: Socket,
  selfRank: number,
  timeoutMs: number,
): Promise<{ peer: Peer; hello: Hello }> {
  const peer = new Peer(socket, -1, selfRank, timeoutMs);
  const message = await peer.receiveJson<Hello>('hear who connected');
  peer.peerRank = message.rank;
  return { peer, hello: message };
}

/**
 * Joins a job as torchrun's static rendezvous does: rank 0 listens on MASTER_PORT; every other rank connects to it
 * and says its rank and the port of its own ring listener; rank 0 answers everyone with the table of addresses (each
 * seen as its connection's source address); then each rank connects to the next and accepts the previous one.
 */
export async function connectGroup(options: ConnectOptions): Promise<TcpGroup> {
  const {
    rank,
    size,
    masterAddr,
    masterPort,
    timeoutMs = 30_000,
    rendezvousTimeoutMs = 120_000,
    host,
  } = options;
  const deadline = Date.now() + rendezvousTimeoutMs;
  // Rank 0's listener is the rendezvous too; every listener takes the previous rank's ring connection.
  const server = createServer();
  const arrivals: { peer: Peer; hello: Hello }[] = [];
  let wake: (() => void) | undefined;
  server.on('connection', (socket) => {
    hello(socket, rank, timeoutMs).then(
      (arrival) => {
        arrivals.push(arrival);
        wake?.();
      },
      () => socket.destroy(),
    );
  });
  const dropAll = () => {
    server.close();
    for (const a of arrivals) a.peer.destroy();
  };
  /** Waits (until the deadline) for the arrivals to satisfy `found`. */
  const awaitArrivals = async <T>(found: () => T | undefined, failure: () => Error): Promise<T> => {
    for (;;) {
      const value = found();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) {
        dropAll();
        throw failure();
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  await listen(server, rank === 0 ? masterPort : 0, rank === 0 ? undefined : host);
  const ringPort = (server.address() as { port: number }).port;

  const star: Peer[] = [];
  let table: { host: string; port: number }[];
  if (rank === 0) {
    const joined = await awaitArrivals(
      () => {
        const list = arrivals.filter(
          (a): a is { peer: Peer; hello: Hello & { role: 'rendezvous' } } => a.hello.role === 'rendezvous',
        );
        return list.length >= size - 1 ? list : undefined;
      },
      () => {
        const seen = new Set(arrivals.map((a) => a.hello.rank));
        const missing = Array.from({ length: size - 1 }, (_, i) => i + 1).filter((r) => !seen.has(r));
        return new RankFailure(
          `rank 0: rendezvous timed out after ${rendezvousTimeoutMs} ms; rank ${missing.join(', ')} never joined`,
          missing[0]!,
        );
      },
    );
    const byRank: Peer[] = new Array(size);
    table = new Array(size);
    table[0] = { host: masterAddr, port: ringPort };
    for (const { peer, hello: h } of joined) {
      const problem =
        h.size !== size
          ? `says WORLD_SIZE ${h.size}, rank 0 has ${size}`
          : h.rank < 1 || h.rank >= size
            ? `is out of range for WORLD_SIZE ${size}`
            : byRank[h.rank]
              ? 'joined twice'
              : null;
      if (problem) {
        dropAll();
        throw new Error(`rank 0: rendezvous refused: rank ${h.rank} ${problem}`);
      }
      byRank[h.rank] = peer;
      const address = (peer.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
      table[h.rank] = { host: address, port: h.port };
    }
    star.push(...byRank.slice(1));
    await Promise.all(star.map((p) => p.sendJson(table)));
  } else {
    const socket = await dial(masterAddr, masterPort, deadline, 'rank 0 (MASTER_ADDR:MASTER_PORT)');
    const master = new Peer(socket, 0, rank, timeoutMs);
    star.push(master);
    await master.sendJson({ role: 'rendezvous', rank, size, port: ringPort } satisfies Hello);
    table = await master.receiveJson('receive the address table from rank 0');
  }

  let next: Peer | null = null;
  let previous: Peer | null = null;
  if (size > 1) {
    const to = (rank + 1) % size;
    const target = table[to]!;
    next = new Peer(await dial(target.host, target.port, deadline, `rank ${to}`), to, rank, timeoutMs);
    await next.sendJson({ role: 'ring', rank } satisfies Hello);
    const from = (rank - 1 + size) % size;
    previous = await awaitArrivals(
      () => arrivals.find((a) => a.hello.role === 'ring')?.peer,
      () => new RankFailure(`rank ${rank}: rank ${from} never connected to the ring`, from),
    );
  }
  server.close();

  const peers = [...star, ...(next ? [next] : []), ...(previous ? [previous] : [])];
  const ring: RingLink = {
    rank,
    size,
    send: (values) => next!.send(values),
    receive: (into) => previous!.receive(into),
  };
  return {
    rank,
    size,
    ring,
    star,
    abort(failed) {
      const failure = new RankFailure(`rank ${rank}: rank ${failed} failed`, failed);
      for (const p of peers) {
        p.sendAbort(failed);
        p.fail(failure);
      }
      return Promise.all(
        peers.map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.socket.destroyed) return resolve();
              p.socket.once('close', () => resolve());
              p.socket.end();
              setTimeout(() => p.socket.destroy(), 500).unref();
            }),
        ),
      ).then(() => {});
    },
    async close() {
      await Promise.all(peers.map((p) => p.close()));
    },
  };
}
