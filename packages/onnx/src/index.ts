export {
  type Attribute,
  attr,
  type Dim,
  type ElemType,
  GraphBuilder,
  type ModelMetadata,
} from './builder.js';
export {
  type ExportContext,
  type Exporter,
  type ExportOptions,
  exportModule,
  registerExporter,
} from './export.js';
export { type QuantizationReport, quantizeColumns, quantizeDynamicInt8 } from './quantize.js';
export {
  decodeModel,
  type ModelObject,
  type ModelSummary,
  NotOnnxError,
  readModel,
  type SummaryDim,
  summarize,
  type ValueSummary,
} from './reader.js';
export { type Feed, OnnxSession, type OutputTensor, type SessionOptions, toNDArray } from './runtime.js';
export { IR_VERSION, OPSET } from './schema.js';
