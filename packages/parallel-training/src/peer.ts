import type { Socket } from 'node:net';
import { RankFailure } from './threads.js';

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

  /** Ends the connection after what was written has been sent; destroys it if the peer has not closed in `graceMs`. */
  close(graceMs = 1_000): Promise<void> {
    this.closing = true;
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      // A peer that never closes its side (a hung rank) must not hold this rank open.
      setTimeout(() => this.socket.destroy(), graceMs).unref();
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
