export {
  CausalLm,
  type CausalLmRow,
  type CausalLmShape,
  CausalLmSlots,
  type CausalLmStep,
  type SequenceCache,
  type SlotRow,
} from './causal-lm.js';
export {
  decodeModel,
  type ModelMessage,
  type ModelSummary,
  NotOnnxError,
  readModel,
  type SummaryDim,
  summarize,
  type ValueSummary,
} from './reader.js';
export {
  BYTES_PER_ELEMENT,
  DATA_TYPE_NAMES,
  DataType,
  IR_VERSION,
  ModelProto,
  OPSET,
  onnx,
  toNumber,
} from './schema.js';
export { type Feed, OnnxSession, type OutputTensor, type SessionOptions, toNDArray } from './session.js';
