import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { Peer } from './peer.js';
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
      return Promise.all(peers.map((p) => p.close(500))).then(() => {});
    },
    async close() {
      await Promise.all(peers.map((p) => p.close()));
    },
  };
}
