import { DataType, decodeModel, ModelProto, onnx, toNumber } from '@mle/onnx-runtime';
import { floatValues } from './quantize.js';

type Node = onnx.NodeProto.$Properties;
type Tensor = onnx.TensorProto.$Properties;

export interface BlockwiseOptions {
  /** Weights along K that share one scale (and zero point): a power of two ≥ 16. 32 and 128 are the usual. */
  blockSize: number;
  /** Symmetric: no zero point, codes centred on 8. Asymmetric: a zero point per block, codes span [min, max]. */
  symmetric: boolean;
}

/** A [K, N] weight as onnxruntime's MatMulNBits stores it, 4 bits a weight. */
export interface Blockwise4Bit {
  K: number;
  N: number;
  blockSize: number;
  /** [N, blocks, blockSize / 2]: column n's weights down K, two a byte, the first in the low nibble. */
  packed: Uint8Array;
  /** [N, blocks]. */
  scales: Float32Array;
  /** [N, ceil(blocks / 2)], two a byte as the weights are; absent when symmetric (the operator then uses 8). */
  zeroPoints?: Uint8Array;
}

const SYMMETRIC_ZERO = 8;

function checkBlockwise({ blockSize }: BlockwiseOptions): void {
  if (!(Number.isInteger(blockSize) && blockSize >= 16 && (blockSize & (blockSize - 1)) === 0))
    throw new RangeError(`4-bit quantization: blockSize must be a power of two ≥ 16, got ${blockSize}`);
}

/**
 * Round-to-nearest 4-bit quantization of a row-major [K, N] weight in blocks of `blockSize` along K (the inner
 * dimension of x·W), as onnxruntime's own quantizer does it: symmetric blocks take the weight of largest magnitude m
 * to code 0 with scale m / −8 (so codes 0..15 mean −8..7 steps, and a weight of the other sign within a step of
 * −m is clipped to 7 steps: the price of using all 16 codes); asymmetric blocks map [min(w, 0), max(w, 0)] onto
 * 0..15 with scale (max − min) / 15 and the zero point round(−min / scale). A block of zeros gets scale 0.
 */
export function quantizeBlockwise4(
  weight: Float32Array,
  K: number,
  N: number,
  options: BlockwiseOptions,
): Blockwise4Bit {
  checkBlockwise(options);
  if (weight.length !== K * N)
    throw new RangeError(`quantizeBlockwise4: ${weight.length} weights do not make a [${K}, ${N}] matrix`);
  const { blockSize, symmetric } = options;
  const blocks = Math.ceil(K / blockSize);
  const half = blockSize / 2;
  const packed = new Uint8Array(N * blocks * half);
  const scales = new Float32Array(N * blocks);
  const zeroBytes = Math.ceil(blocks / 2);
  const zeroPoints = symmetric ? undefined : new Uint8Array(N * zeroBytes);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < blocks; b++) {
      const start = b * blockSize;
      const stop = Math.min(K, start + blockSize);
      let scale: number;
      let zero: number;
      if (symmetric) {
        let m = 0;
        for (let k = start; k < stop; k++)
          if (Math.abs(weight[k * N + n]!) > Math.abs(m)) m = weight[k * N + n]!;
        scale = m === 0 ? 0 : Math.fround(m / -8);
        zero = SYMMETRIC_ZERO;
      } else {
        let lo = 0;
        let hi = 0;
        for (let k = start; k < stop; k++) {
          lo = Math.min(lo, weight[k * N + n]!);
          hi = Math.max(hi, weight[k * N + n]!);
        }
        scale = Math.fround((hi - lo) / 15);
        zero = scale === 0 ? SYMMETRIC_ZERO : Math.min(15, Math.max(0, Math.round(-lo / scale)));
        zeroPoints![n * zeroBytes + (b >> 1)]! |= zero << ((b & 1) * 4);
      }
      scales[n * blocks + b] = scale;
      for (let k = start; k < stop; k++) {
        const code =
          scale === 0 ? zero : Math.min(15, Math.max(0, Math.round(weight[k * N + n]! / scale) + zero));
        const j = k - start;
        packed[(n * blocks + b) * half + (j >> 1)]! |= code << ((j & 1) * 4);
      }
      // Positions past K in the last block stay code 0; the operator ignores them.
    }
  }
  return { K, N, blockSize, packed, scales, ...(zeroPoints ? { zeroPoints } : {}) };
}

/** The [K, N] float32 weight the codes stand for: (code − zero point) · scale. */
export function dequantizeBlockwise4(q: Blockwise4Bit): Float32Array {
  const { K, N, blockSize, packed, scales, zeroPoints } = q;
  const blocks = Math.ceil(K / blockSize);
  const half = blockSize / 2;
  const zeroBytes = Math.ceil(blocks / 2);
  const out = new Float32Array(K * N);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const b = Math.floor(k / blockSize);
      const j = k - b * blockSize;
      const code = (packed[(n * blocks + b) * half + (j >> 1)]! >> ((j & 1) * 4)) & 15;
      const zero = zeroPoints
        ? (zeroPoints[n * zeroBytes + (b >> 1)]! >> ((b & 1) * 4)) & 15
        : SYMMETRIC_ZERO;
      out[k * N + n] = (code - zero) * scales[n * blocks + b]!;
    }
  }
  return out;
}

/**
 * The reference MatMulNBits is checked against: x [M, K] times the dequantized weight, summed in float64.
 * Returns [M, N].
 */
export function matmulNBitsReference(x: Float32Array, M: number, q: Blockwise4Bit): Float32Array {
  const { K, N } = q;
  if (x.length !== M * K)
    throw new RangeError(`matmulNBitsReference: x has ${x.length} values, expected ${M}×${K}`);
  const w = dequantizeBlockwise4(q);
  const out = new Float32Array(M * N);
  const row = new Float64Array(N);
  for (let m = 0; m < M; m++) {
    row.fill(0);
    for (let k = 0; k < K; k++) {
      const a = x[m * K + k]!;
      for (let n = 0; n < N; n++) row[n]! += a * w[k * N + n]!;
    }
    out.set(row, m * N);
  }
  return out;
}

export interface NBitsReport {
  /** MatMul nodes whose weights became MatMulNBits. */
  quantized: string[];
  floatWeightBytes: number;
  /** Codes, scales and zero points of the replacements. */
  packedWeightBytes: number;
  bytesBefore: number;
  bytesAfter: number;
}

/**
 * Weight-only 4-bit quantization: every MatMul whose second input is a constant float32 [K, N] matrix becomes
 * onnxruntime's `com.microsoft` MatMulNBits (the operator onnxruntime's own 4-bit LLM weights run on), with the
 * weight stored as `quantizeBlockwise4` packs it. Activations stay float32; nothing else in the graph changes.
 */
export function quantizeMatMulNBits(
  source: Uint8Array,
  options: BlockwiseOptions,
): { bytes: Uint8Array; report: NBitsReport } {
  checkBlockwise(options);
  const model = decodeModel(source);
  const graph = model.graph!;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const report: NBitsReport = {
    quantized: [],
    floatWeightBytes: 0,
    packedWeightBytes: 0,
    bytesBefore: source.length,
    bytesAfter: 0,
  };
  const added: Tensor[] = [];
  const replaced = new Set<string>();
  let counter = 0;
  const nodes: Node[] = (graph.node ?? []).map((node) => {
    const weight = node.opType === 'MatMul' ? initializers.get(node.input?.[1] ?? '') : undefined;
    if (!weight || weight.dataType !== DataType.FLOAT || weight.dims?.length !== 2) return node;
    const [K, N] = weight.dims.map(toNumber) as [number, number];
    const q = quantizeBlockwise4(floatValues(weight), K, N, options);
    const base = `${weight.name}_q4_${counter++}`;
    replaced.add(weight.name ?? '');
    const blocks = Math.ceil(K / options.blockSize);
    added.push(
      {
        name: `${base}_codes`,
        dataType: DataType.UINT8,
        dims: [N, blocks, options.blockSize / 2],
        rawData: q.packed,
      },
      { name: `${base}_scales`, dataType: DataType.FLOAT, dims: [N * blocks], rawData: bytesOf(q.scales) },
      ...(q.zeroPoints
        ? [
            {
              name: `${base}_zero_points`,
              dataType: DataType.UINT8,
              dims: [q.zeroPoints.length],
              rawData: q.zeroPoints,
            },
          ]
        : []),
    );
    report.quantized.push(`MatMul ${node.name || node.output?.[0]}`);
    report.floatWeightBytes += K * N * 4;
    report.packedWeightBytes += q.packed.length + q.scales.byteLength + (q.zeroPoints?.length ?? 0);
    const { AttributeType } = onnx.AttributeProto;
    const int = (name: string, i: number) => ({ name, type: AttributeType.INT, i });
    return {
      opType: 'MatMulNBits',
      domain: 'com.microsoft',
      name: `${node.name || base}_nbits`,
      input: [
        node.input![0]!,
        `${base}_codes`,
        `${base}_scales`,
        ...(q.zeroPoints ? [`${base}_zero_points`] : []),
      ],
      output: node.output,
      attribute: [int('K', K), int('N', N), int('bits', 4), int('block_size', options.blockSize)],
    };
  });
  // A float weight goes only when nothing reads it any more (a tied matrix may still feed a Gather).
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  graph.initializer = [
    ...(graph.initializer ?? []).filter((t) => used.has(t.name ?? '') || !replaced.has(t.name ?? '')),
    ...added,
  ];
  graph.node = nodes;
  if (!(model.opsetImport ?? []).some((o) => o.domain === 'com.microsoft'))
    model.opsetImport = [...(model.opsetImport ?? []), { domain: 'com.microsoft', version: 1 }];
  const bytes = ModelProto.encode(model).finish();
  report.bytesAfter = bytes.length;
  return { bytes, report };
}

function bytesOf(data: Float32Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}
