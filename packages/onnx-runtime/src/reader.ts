import { readFileSync } from 'node:fs';
import { BYTES_PER_ELEMENT, DATA_TYPE_NAMES, ModelProto } from './schema.js';

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

/** The decoded ModelProto as plain objects (camelCase field names, int64 as numbers). */
// biome-ignore lint/suspicious/noExplicitAny: a protobuf message tree; readers pick the fields they know.
export type ModelObject = Record<string, any>;

export class NotOnnxError extends Error {
  override name = 'NotOnnxError';
}

/** Decodes ONNX bytes (or a file) into plain objects; anything that is not a ModelProto with a graph is refused. */
export function decodeModel(source: Uint8Array | string): ModelObject {
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
  let model: ModelObject;
  try {
    model = ModelProto.toObject(ModelProto.decode(bytes), {
      longs: Number,
      enums: Number,
      // bytes (raw_data) stay views of the input: copying every weight into a number array cost seconds and
      // gigabytes on large models, and nothing here needs them as arrays.
      defaults: false,
      arrays: true,
    });
  } catch (error) {
    throw new NotOnnxError(
      `not an ONNX model: the protobuf does not decode (${(error as Error).message}); truncated or another format`,
    );
  }
  if (
    !model.graph ||
    !model.irVersion ||
    !Array.isArray(model.opsetImport) ||
    model.opsetImport.length === 0
  ) {
    const missing = [
      !model.irVersion && 'ir_version',
      !model.graph && 'graph',
      !model.opsetImport?.length && 'opset_import',
    ].filter(Boolean);
    throw new NotOnnxError(`not an ONNX model: no ${missing.join(', ')} (a ModelProto needs all three)`);
  }
  return model;
}

/** A typed summary of any ONNX model: signature, opsets, op counts, parameter count and bytes. */
export function readModel(source: Uint8Array | string): ModelSummary {
  return summarize(decodeModel(source));
}

export function summarize(model: ModelObject): ModelSummary {
  const graph = model.graph;
  const initializerNames = new Set<string>((graph.initializer ?? []).map((t: ModelObject) => t.name));
  const value = (v: ModelObject): ValueSummary => {
    const tensor = v.type?.tensorType;
    return {
      name: v.name,
      dtype: DATA_TYPE_NAMES[tensor?.elemType ?? 0] ?? `type ${tensor?.elemType}`,
      shape: (tensor?.shape?.dim ?? []).map((d: ModelObject) => d.dimValue ?? d.dimParam ?? null),
    };
  };
  const counts = new Map<string, number>();
  let nodeCount = 0;
  let parameterCount = 0;
  let initializerBytes = 0;
  const addTensor = (t: ModelObject) => {
    const count = (t.dims ?? []).reduce((a: number, b: number) => a * b, 1);
    parameterCount += count;
    initializerBytes += t.rawData?.length ?? count * (BYTES_PER_ELEMENT[t.dataType] ?? 0);
  };
  // Weights live in initializers, in Constant nodes, or inside the subgraphs of If/Loop/Scan: walk them all.
  const walk = (g: ModelObject) => {
    for (const t of g.initializer ?? []) addTensor(t);
    for (const node of g.node ?? []) {
      nodeCount++;
      const op = node.domain ? `${node.domain}.${node.opType}` : node.opType;
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
    irVersion: model.irVersion,
    opsets: model.opsetImport.map((o: ModelObject) => ({ domain: o.domain ?? '', version: o.version ?? 0 })),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    docString: model.docString ?? '',
    metadata: Object.fromEntries((model.metadataProps ?? []).map((p: ModelObject) => [p.key, p.value])),
    // Older exporters also list initializers as graph inputs; they are not part of the signature.
    inputs: (graph.input ?? []).filter((i: ModelObject) => !initializerNames.has(i.name)).map(value),
    outputs: (graph.output ?? []).map(value),
    opCounts: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    nodeCount,
    parameterCount,
    initializerBytes,
  };
}
