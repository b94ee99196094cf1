export { arange, array, eye, fromArray, fromTypedArray, full, linspace, ones, zeros } from './creation.js';
export { DTYPES, type DType, type TypedArray } from './dtype.js';
export {
  abs,
  add,
  assertFinite,
  div,
  equal,
  erf,
  erfFloat32,
  exp,
  gelu,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  type Operand,
  pow,
  relu,
  sigmoid,
  sqrt,
  sub,
  tanh,
  where,
} from './elementwise.js';
export { formatArray } from './format.js';
export { concat, oneHot, split, stack, take, takeAlongAxis } from './manipulation.js';
export {
  defaultKernel,
  type Float32Kernel,
  MATMUL_KERNELS,
  type MatmulKernelName,
  type MatmulOptions,
  matmul,
  PARALLEL_MIN_MACS,
  WASM_MIN_MACS,
} from './matmul/index.js';
export { MatmulPool, matmulPool, setMatmulThreads } from './matmul/pool.js';
export { NDArray, type NDArrayOptions, type NestedArray, type SliceSpec } from './ndarray.js';
export { Rng } from './random.js';
export {
  argmax,
  argmin,
  logSoftmax,
  logsumexp,
  max,
  mean,
  min,
  type ReduceOptions,
  softmax,
  std,
  sum,
  type VarianceOptions,
  variance,
} from './reduce.js';
export { broadcastShapes, formatShape, type Shape } from './shape.js';
