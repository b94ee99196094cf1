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
