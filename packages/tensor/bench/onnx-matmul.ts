import protobuf from 'protobufjs';

// The subset of onnx.proto3 a one-node graph needs, with ONNX's real field numbers, so the bytes are a
// valid ModelProto that onnxruntime loads. (The full builder lives in @mle/onnx; the tensor package
// imports no other package of ours, so the bench carries its own.)
const SCHEMA = `
syntax = "proto3";
package onnx;
message ModelProto { int64 ir_version = 1; string producer_name = 2; GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; }
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message GraphProto { repeated NodeProto node = 1; string name = 2; repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
message NodeProto { repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4; }
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message TypeProto { message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; } Tensor tensor_type = 1; }
message TensorShapeProto { message Dimension { int64 dim_value = 1; string dim_param = 2; } repeated Dimension dim = 1; }
`;

const FLOAT = 1;

/** Y = MatMul(A, B) with A [m, k], B [k, n] as symbolic dims: opset 13, IR version 8. */
export function matmulModelBytes(): Uint8Array {
  const root = protobuf.parse(SCHEMA).root;
  const Model = root.lookupType('onnx.ModelProto');
  const tensor = (name: string, dims: string[]) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimParam: d })) } } },
  });
  const model = Model.create({
    irVersion: 8,
    producerName: 'mle-tensor-bench',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'matmul',
      node: [{ input: ['A', 'B'], output: ['Y'], name: 'matmul', opType: 'MatMul' }],
      input: [tensor('A', ['m', 'k']), tensor('B', ['k', 'n'])],
      output: [tensor('Y', ['m', 'n'])],
    },
  });
  return Model.encode(model).finish();
}
