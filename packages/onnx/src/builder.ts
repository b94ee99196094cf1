import { DataType, IR_VERSION, ModelProto, OPSET, onnx } from '@mle/onnx-runtime';
import type { NDArray } from '@mle/tensor';

/** A dimension: a fixed size, or a name for a size chosen at run time (e.g. "batch"). */
export type Dim = number | string;

export type ElemType = keyof typeof DataType;

/** Typed attribute values, so an int is never written as a float by accident. */
export type Attribute =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'string'; value: string };

export const attr = {
  int: (value: number): Attribute => ({ type: 'int', value }),
  float: (value: number): Attribute => ({ type: 'float', value }),
  ints: (value: readonly number[]): Attribute => ({ type: 'ints', value }),
  floats: (value: readonly number[]): Attribute => ({ type: 'floats', value }),
  string: (value: string): Attribute => ({ type: 'string', value }),
};

export interface ModelMetadata {
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  /** Free-form key/value pairs stored as metadata_props (labels, preprocessing, …). */
  properties?: Record<string, string>;
}

interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes: Record<string, Attribute>;
  domain?: string;
}

/**
 * Builds an ONNX graph: inputs and outputs with symbolic dimensions, initializers stored as raw
 * little-endian bytes, nodes with typed attributes; `toBytes()` encodes the ModelProto.
 */
export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly inputs: { name: string; elemType: ElemType; shape: Dim[] }[] = [];
  private readonly outputs: { name: string; elemType: ElemType; shape: Dim[] }[] = [];
  private readonly initializers: { name: string; dataType: number; dims: number[]; raw: Uint8Array }[] = [];
  private readonly names = new Set<string>();

  constructor(readonly graphName = 'graph') {}

  /** A fresh value name with the given prefix. */
  fresh(prefix: string): string {
    let name = prefix;
    for (let i = 1; this.names.has(name); i++) name = `${prefix}_${i}`;
    this.names.add(name);
    return name;
  }

  addInput(name: string, elemType: ElemType, shape: Dim[]): string {
    this.claim(name);
    this.inputs.push({ name, elemType, shape });
    return name;
  }

  addOutput(name: string, elemType: ElemType, shape: Dim[]): void {
    this.outputs.push({ name, elemType, shape });
  }

  /** A constant tensor; float32/int32/uint8 NDArrays, or raw int8/int64 values with their type. */
  addInitializer(
    name: string,
    value:
      | NDArray
      | {
          elemType: ElemType;
          dims: number[];
          data: Int8Array | BigInt64Array | Float32Array | Int32Array | Uint8Array;
        },
  ): string {
    const unique = this.fresh(name);
    if ('elemType' in value) {
      this.initializers.push({
        name: unique,
        dataType: DataType[value.elemType],
        dims: value.dims,
        raw: bytesOf(value.data),
      });
      return unique;
    }
    const dataType = {
      float32: DataType.FLOAT,
      float64: DataType.DOUBLE,
      int32: DataType.INT32,
      uint8: DataType.UINT8,
      bool: DataType.BOOL,
    }[value.dtype];
    this.initializers.push({
      name: unique,
      dataType,
      dims: [...value.shape],
      raw: bytesOf(value.toTypedArray()),
    });
    return unique;
  }

  /** Adds a node and returns its output names (fresh ones named after the op unless given). */
  addNode(
    opType: string,
    inputs: string[],
    options: { outputs?: number | string[]; attributes?: Record<string, Attribute>; domain?: string } = {},
  ): string[] {
    const outputs = Array.isArray(options.outputs)
      ? options.outputs.map((o) => this.claim(o))
      : Array.from({ length: options.outputs ?? 1 }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({
      opType,
      inputs,
      outputs,
      name: this.fresh(`${opType}_node`),
      attributes: options.attributes ?? {},
      ...(options.domain ? { domain: options.domain } : {}),
    });
    return outputs;
  }

  toBytes(metadata: ModelMetadata = {}, opsets: Record<string, number> = {}): Uint8Array {
    const valueInfo = (v: {
      name: string;
      elemType: ElemType;
      shape: Dim[];
    }): onnx.ValueInfoProto.$Properties => ({
      name: v.name,
      type: {
        tensorType: {
          elemType: DataType[v.elemType],
          shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
    const model: onnx.ModelProto.$Properties = {
      irVersion: IR_VERSION,
      producerName: metadata.producerName ?? 'mle-learner',
      producerVersion: metadata.producerVersion ?? '0.1.0',
      docString: metadata.docString ?? '',
      opsetImport: [
        { domain: '', version: OPSET },
        ...Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
      ],
      metadataProps: Object.entries(metadata.properties ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.graphName,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
        initializer: this.initializers.map((t) => ({
          name: t.name,
          dataType: t.dataType,
          dims: t.dims,
          rawData: t.raw,
        })),
        node: this.nodes.map((n) => ({
          input: n.inputs,
          output: n.outputs,
          name: n.name,
          opType: n.opType,
          domain: n.domain ?? '',
          attribute: Object.entries(n.attributes).map(([name, a]) => encodeAttribute(name, a)),
        })),
      },
    };
    return ModelProto.encode(model).finish();
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`GraphBuilder: the name "${name}" is already used`);
    this.names.add(name);
    return name;
  }
}

function encodeAttribute(name: string, a: Attribute): onnx.AttributeProto.$Properties {
  const { AttributeType } = onnx.AttributeProto;
  switch (a.type) {
    case 'int':
      return { name, type: AttributeType.INT, i: a.value };
    case 'float':
      return { name, type: AttributeType.FLOAT, f: a.value };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: AttributeType.STRING, s: new TextEncoder().encode(a.value) };
  }
}

/** The little-endian bytes of a typed array (this package refuses to run on a big-endian host). */
function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('@mle/onnx: ONNX raw_data is little-endian and this host is big-endian');
}
