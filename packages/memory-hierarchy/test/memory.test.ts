import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { randomLineChain } from '../src/chains.js';
import { falseSharing } from '../src/false-sharing.js';
import { WasmProbe } from '../src/wasm.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settledRss(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().rss;
}

describe('memory', () => {
  it('probes, chains and workers are released: RSS stays flat over many rounds', async () => {
    const round = async () => {
      const wasm = await WasmProbe.create();
      const chain = randomLineChain(8 << 20, 1);
      wasm.load(chain);
      wasm.chase(1000);
      await falseSharing(64, 1000, 1);
    };
    for (let i = 0; i < 5; i++) await round();
    const before = settledRss();
    for (let i = 0; i < 30; i++) await round();
    const after = settledRss();
    // One round holds 16 MiB (an 8 MiB chain and its 8 MiB copy in WebAssembly memory); 30 leaked rounds would hold 480.
    expect(after - before).toBeLessThan(48 << 20);
  });
});
