import { readFileSync, writeFileSync } from 'node:fs';
import { DTYPES, type DType, fromTypedArray, type NDArray } from '@mle/tensor';

interface Manifest {
  format: 'mle-state-dict';
  version: 1;
  tensors: { name: string; dtype: DType; shape: number[]; byteOffset: number; byteLength: number }[];
}

const bytesPer: Record<DType, number> = { float32: 4, float64: 8, int32: 4, uint8: 1, bool: 1 };

/**
 * Writes a state dict as `<path>.json` (names, dtypes, shapes, byte ranges) and `<path>.bin` (the raw
 * little-endian values, each tensor 8-byte aligned): readable by a person, loadable without parsing floats.
 */
export function saveStateDict(state: ReadonlyMap<string, NDArray>, path: string): void {
  const manifest: Manifest = { format: 'mle-state-dict', version: 1, tensors: [] };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, array] of state) {
    const data = array.toTypedArray();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const padding = (8 - (offset % 8)) % 8;
    if (padding) chunks.push(new Uint8Array(padding));
    offset += padding;
    manifest.tensors.push({
      name,
      dtype: array.dtype,
      shape: [...array.shape],
      byteOffset: offset,
      byteLength: bytes.length,
    });
    chunks.push(bytes);
    offset += bytes.length;
  }
  writeFileSync(`${path}.json`, `${JSON.stringify(manifest, null, 1)}\n`);
  writeFileSync(`${path}.bin`, Buffer.concat(chunks));
}

export function loadStateDict(path: string): Map<string, NDArray> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(`${path}.json`, 'utf8'));
  } catch (error) {
    throw new Error(`loadStateDict: cannot read ${path}.json: ${(error as Error).message}`, { cause: error });
  }
  if (manifest.format !== 'mle-state-dict' || manifest.version !== 1) {
    throw new Error(`loadStateDict: ${path}.json is not an mle-state-dict version 1 manifest`);
  }
  const bin = readFileSync(`${path}.bin`);
  const state = new Map<string, NDArray>();
  for (const t of manifest.tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (
      !DTYPES.includes(t.dtype) ||
      t.byteLength !== count * bytesPer[t.dtype] ||
      t.byteOffset + t.byteLength > bin.length
    ) {
      throw new Error(
        `loadStateDict: entry ${t.name} (${t.dtype} [${t.shape}]) does not fit ${path}.bin of ${bin.length} bytes`,
      );
    }
    const copy = new Uint8Array(bin.subarray(t.byteOffset, t.byteOffset + t.byteLength)).buffer;
    const view = {
      float32: Float32Array,
      float64: Float64Array,
      int32: Int32Array,
      uint8: Uint8Array,
      bool: Uint8Array,
    }[t.dtype];
    state.set(t.name, fromTypedArray(new view(copy), t.shape, t.dtype));
  }
  return state;
}
