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
  geluNodes,
  registerExporter,
} from './export.js';
export { type OfficialCheck, officialCheck, officialCheckerPython } from './official-check.js';
export { type QuantizationReport, quantizeColumns, quantizeDynamicInt8 } from './quantize.js';
export {
  type Blockwise4Bit,
  type BlockwiseOptions,
  dequantizeBlockwise4,
  matmulNBitsReference,
  type NBitsReport,
  quantizeBlockwise4,
  quantizeMatMulNBits,
} from './quantize-nbits.js';
