/// <reference path="../webassembly.d.ts" />
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PAGE = 65_536;
/** 1 GiB: shared memories need a maximum up front; operands of a single matmul must fit in it. */
export const MAX_PAGES = 16_384;
const ALIGN = 64;

export interface MatmulExports {
  matmul(a: number, b: number, c: number, m: number, k: number, n: number, scratch: number): void;
  scratchBytes(n: number): number;
}

/** Byte offsets of one multiplication's operands, each 64-byte aligned, with one scratch area per thread. */
export interface Layout {
  a: number;
  b: number;
  c: number;
  scratch: number[];
  end: number;
}

/**
 * The SIMD kernel (assembly/matmul.ts, compiled to wasm/matmul.wasm by AssemblyScript at build time) over one
 * shared WebAssembly memory, so worker threads can run the same module on the same operands.
 */
export class WasmMatmul {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly kernel: MatmulExports;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory) {
    this.module = module;
    this.memory = memory;
    this.kernel = new WebAssembly.Instance(module, { env: { memory, abort: wasmAbort } })
      .exports as unknown as MatmulExports;
  }

  /** Places the operands in memory (growing it if needed) and returns where they are. */
  layout(m: number, k: number, n: number, threads: number): Layout {
    const align = (x: number) => Math.ceil(x / ALIGN) * ALIGN;
    const a = 0;
    const b = align(a + m * k * 4);
    const c = align(b + k * n * 4);
    let end = align(c + m * n * 4);
    const scratch: number[] = [];
    for (let t = 0; t < threads; t++) {
      scratch.push(end);
      end = align(end + this.kernel.scratchBytes(n));
    }
    const pages = Math.ceil(end / PAGE);
    if (pages > MAX_PAGES) {
      throw new RangeError(
        `matmul: operands [${m},${k}]·[${k},${n}] need ${(end / 2 ** 20).toFixed(0)} MiB, more than the ${MAX_PAGES / 16} MiB WebAssembly memory`,
      );
    }
    const have = this.memory.buffer.byteLength / PAGE;
    if (pages > have) this.memory.grow(pages - have);
    return { a, b, c, scratch, end };
  }

  /** Copies A and B in, runs `compute` (which fills C), and copies C out. */
  multiply(
    a: Float32Array,
    b: Float32Array,
    m: number,
    k: number,
    n: number,
    threads: number,
    compute: (layout: Layout) => void,
  ): Float32Array {
    const layout = this.layout(m, k, n, threads);
    const buffer = this.memory.buffer;
    new Float32Array(buffer, layout.a, m * k).set(a);
    new Float32Array(buffer, layout.b, k * n).set(b);
    compute(layout);
    return new Float32Array(buffer, layout.c, m * n).slice();
  }
}

function wasmAbort(): never {
  throw new Error('matmul: the WebAssembly kernel aborted');
}

export const WASM_PATH = fileURLToPath(new URL('../../wasm/matmul.wasm', import.meta.url));

let runtime: WasmMatmul | undefined;

/** The process-wide kernel instance, compiled on first use. */
export function wasmMatmul(): WasmMatmul {
  if (runtime) return runtime;
  if (!existsSync(WASM_PATH)) {
    throw new Error(
      `matmul: ${WASM_PATH} is missing (it is built when the workspace installs); build it with \`pnpm --filter @mle/tensor build:wasm\``,
    );
  }
  const module = new WebAssembly.Module(readFileSync(WASM_PATH));
  runtime = new WasmMatmul(module, new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }));
  return runtime;
}

/** Rung 4: the 128-bit SIMD kernel on this thread. */
export function matmulWasmSimd(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  const wasm = wasmMatmul();
  return wasm.multiply(a, b, m, k, n, 1, (l) => wasm.kernel.matmul(l.a, l.b, l.c, m, k, n, l.scratch[0]!));
}
