import wabt from 'wabt';
import type { Chain } from './chains.js';
import { PROBE_WAT } from './probe-wat.js';

const PAGE = 65_536;

interface ProbeExports {
  chase(start: number, steps: number): number;
  readSum(ptr: number, bytes: number): number;
  stridedSum(bytes: number, strideBytes: number): number;
}

let compiled: Promise<WebAssembly.Module> | undefined;

function probeModule(): Promise<WebAssembly.Module> {
  compiled ??= wabt().then((tools) => {
    const parsed = tools.parseWat('probe.wat', PROBE_WAT, { simd: true });
    try {
      return new WebAssembly.Module(parsed.toBinary({}).buffer);
    } finally {
      parsed.destroy();
    }
  });
  return compiled;
}

/** One instance of the probe module over its own memory, which grows to the largest working set loaded. */
export class WasmProbe {
  private readonly memory: WebAssembly.Memory;
  private readonly exports: ProbeExports;
  private position = 0;

  private constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.exports = new WebAssembly.Instance(module, { env: { memory: this.memory } })
      .exports as unknown as ProbeExports;
  }

  static async create(): Promise<WasmProbe> {
    return new WasmProbe(await probeModule());
  }

  /** Grows the memory to at least `bytes` and returns a view of its first `bytes`. */
  reserve(bytes: number): Uint32Array {
    const pages = Math.ceil(bytes / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (pages > have) this.memory.grow(pages - have);
    return new Uint32Array(this.memory.buffer, 0, bytes / Uint32Array.BYTES_PER_ELEMENT);
  }

  /** Copies a chain into memory, turning slot indices into byte addresses. */
  load(chain: Chain): void {
    const view = this.reserve(chain.bytes);
    const { next } = chain;
    for (let i = 0; i < next.length; i++) view[i] = next[i]! * Uint32Array.BYTES_PER_ELEMENT;
    this.position = chain.start * Uint32Array.BYTES_PER_ELEMENT;
  }

  /**
   * Follows the loaded chain for `steps` loads from where the previous call stopped (from its start after
   * `load`), so consecutive timed runs walk new parts of a long chain; returns the byte address it stopped at.
   */
  chase(steps: number): number {
    this.position = this.exports.chase(this.position, steps);
    return this.position;
  }

  /** Reads one 32-bit integer every `strideBytes` of the first `bytes` of memory; returns their sum. */
  stridedRead(bytes: number, strideBytes: number): number {
    return this.exports.stridedSum(bytes, strideBytes);
  }

  /** Reads the first `bytes` of memory (a multiple of 64) once; returns their sum as 32-bit integers. */
  read(bytes: number): number {
    return this.exports.readSum(0, bytes);
  }
}
