import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs/minimal.js';
import { BYTES_PER_ELEMENT, DATA_TYPE_NAMES, ModelProto, type onnx, toNumber } from './schema.js';

/** A dimension as stored: a size, a symbolic name, or unknown (null). */
export type SummaryDim = number | string | null;

export interface ValueSummary {
  name: string;
  /** Element type name: float32, int64, … */
  dtype: string;
  shape: SummaryDim[];
}

export interface ModelSummary {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer: string;
  docString: string;
  metadata: Record<string, string>;
  inputs: ValueSummary[];
  outputs: ValueSummary[];
  /** Node count per op type, most frequent first, subgraphs (If, Loop, Scan) included. */
  opCounts: [string, number][];
  nodeCount: number;
  /** Elements of every constant tensor: initializers and Constant nodes, in subgraphs too. */
  parameterCount: number;
  initializerBytes: number;
}

/**
 * A decoded ModelProto: the generated message classes (camelCase field names, int64 as Long). An absent field
 * reads as its proto default, so presence is `Object.hasOwn(message, field)`; bytes (raw_data) are views of the
 * input, since copying every weight cost seconds and gigabytes on large models.
 */
export type ModelMessage = onnx.ModelProto;

export class NotOnnxError extends Error {
  override name = 'NotOnnxError';
}

/** Decodes ONNX bytes (or a file); anything that is not a ModelProto with a graph and opsets is refused. */
export function decodeModel(source: Uint8Array | string): ModelMessage {
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    try {
      bytes = readFileSync(source);
    } catch (error) {
      throw new NotOnnxError(
        `not an ONNX model: cannot read ${source} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  } else bytes = source;
  if (bytes.length === 0) throw new NotOnnxError('not an ONNX model: the input is empty');
  let model: ModelMessage;
  try {
    // Fields this schema does not know (a later ONNX's) are kept, to be written back by an encode; protobufjs
    // drops them unless the reader is told otherwise.
    const reader = protobuf.Reader.create(bytes);
    reader.discardUnknown = false;
    model = ModelProto.decode(reader);
  } catch (error) {
    throw new NotOnnxError(
      `not an ONNX model: the protobuf does not decode (${(error as Error).message}); truncated or another format`,
    );
  }
  const missing = [
    toNumber(model.irVersion) === 0 && 'ir_version',
    !model.graph && 'graph',
    model.opsetImport.length === 0 && 'opset_import',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new NotOnnxError(`not an ONNX model: no ${missing.join(', ')} (a ModelProto needs all three)`);
  }
  return model;
}

/** A typed summary of any ONNX model: signature, opsets, op counts, parameter count and bytes. */
export function readModel(source: Uint8Array | string): ModelSummary {
  return summarize(decodeModel(source));
}

export function summarize(model: ModelMessage): ModelSummary {
  const graph: onnx.GraphProto.$Properties = model.graph ?? {};
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const value = (v: onnx.ValueInfoProto.$Properties): ValueSummary => {
    const tensor = v.type?.tensorType;
    const elemType = tensor?.elemType ?? 0;
    return {
      name: v.name ?? '',
      dtype: DATA_TYPE_NAMES[elemType] ?? `type ${elemType}`,
      shape: (tensor?.shape?.dim ?? []).map((d) =>
        Object.hasOwn(d, 'dimValue')
          ? toNumber(d.dimValue)
          : Object.hasOwn(d, 'dimParam')
            ? (d.dimParam ?? '')
            : null,
      ),
    };
  };
  const counts = new Map<string, number>();
  let nodeCount = 0;
  let parameterCount = 0;
  let initializerBytes = 0;
  const addTensor = (t: onnx.TensorProto.$Properties) => {
    const count = (t.dims ?? []).reduce<number>((a, b) => a * toNumber(b), 1);
    parameterCount += count;
    initializerBytes += t.rawData?.length || count * (BYTES_PER_ELEMENT[t.dataType ?? 0] ?? 0);
  };
  // Weights live in initializers, in Constant nodes, or inside the subgraphs of If/Loop/Scan: walk them all.
  const walk = (g: onnx.GraphProto.$Properties) => {
    for (const t of g.initializer ?? []) addTensor(t);
    for (const node of g.node ?? []) {
      nodeCount++;
      const op = node.domain ? `${node.domain}.${node.opType}` : (node.opType ?? '');
      counts.set(op, (counts.get(op) ?? 0) + 1);
      for (const a of node.attribute ?? []) {
        if (a.t && node.opType === 'Constant') addTensor(a.t);
        if (a.g) walk(a.g);
        for (const sub of a.graphs ?? []) walk(sub);
      }
    }
  };
  walk(graph);
  return {
    irVersion: toNumber(model.irVersion),
    opsets: model.opsetImport.map((o) => ({ domain: o.domain ?? '', version: toNumber(o.version) })),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    docString: model.docString,
    metadata: Object.fromEntries(model.metadataProps.map((p) => [p.key ?? '', p.value ?? ''])),
    // Older exporters also list initializers as graph inputs; they are not part of the signature.
    inputs: (graph.input ?? []).filter((i) => !initializerNames.has(i.name)).map(value),
    outputs: (graph.output ?? []).map(value),
    opCounts: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    nodeCount,
    parameterCount,
    initializerBytes,
  };
}
