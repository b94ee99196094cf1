import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Embedding,
  Flatten,
  GELU,
  LayerNorm,
  Linear,
  MaxPool2d,
  type Module,
  noGrad,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
  Tensor,
} from '@mle/autograd';
import type { NDArray } from '@mle/tensor';
import * as T from '@mle/tensor';
import { attr, GraphBuilder, type ModelMetadata } from './builder.js';

/** What an exporter gets: the graph so far, the module, its input value name, and example tensors for shapes. */
export interface ExportContext {
  graph: GraphBuilder;
  /** Dotted path of the module in the model, for names and error messages ("layers.3"). */
  path: string;
  input: string;
  /** The module's input and output on the example batch (eval mode), for shapes and constants. */
  example: { input: Tensor | NDArray; output: Tensor };
}

export type Exporter<M = Module<never, unknown>> = (module: M, ctx: ExportContext) => string;

// biome-ignore lint/suspicious/noExplicitAny: constructors of modules with any constructor arguments.
type ModuleClass = abstract new (...args: any[]) => Module<never, unknown>;

const exporters = new Map<ModuleClass, Exporter>();

/** Teaches exportModule a module type: `exporter` adds its nodes and returns the name of its output value. */
export function registerExporter<M extends Module<never, unknown>>(
  type: abstract new (...args: never[]) => M,
  exporter: Exporter<M>,
): void {
  exporters.set(type as unknown as ModuleClass, exporter as Exporter);
}

export interface ExportOptions {
  inputName?: string;
  outputName?: string;
  /** Name of the symbolic first dimension. Default "batch". */
  batchDim?: string;
  metadata?: ModelMetadata;
}

/**
 * Exports an @mle/autograd module to ONNX (opset 17): runs it once on `exampleInput` in eval mode to
 * learn every layer's shapes, maps each layer to ONNX ops, stores parameters as initializers, and makes
 * the first dimension symbolic so any batch size runs.
 */
export function exportModule(
  module: Module<never, unknown>,
  exampleInput: Tensor | NDArray,
  options: ExportOptions = {},
): Uint8Array {
  const { inputName = 'input', outputName = 'output', batchDim = 'batch' } = options;
  const graph = new GraphBuilder('main');
  const wasTraining = module.training;
  module.eval();
  try {
    const inputArray = exampleInput instanceof Tensor ? exampleInput.value : exampleInput;
    const elemType = inputArray.dtype === 'int32' ? 'INT32' : 'FLOAT';
    graph.addInput(inputName, elemType, [batchDim, ...inputArray.shape.slice(1)]);
    // Float inputs enter modules as Tensors; integer inputs (token ids for an Embedding) stay NDArrays.
    const example = elemType === 'INT32' ? inputArray : new Tensor(inputArray);
    const { name, output } = noGrad(() => exportInto(graph, module, inputName, example, ''));
    const final = graph.addNode('Identity', [name], { outputs: [outputName] })[0]!;
    graph.addOutput(final, 'FLOAT', [batchDim, ...output.shape.slice(1)]);
    return graph.toBytes({ producerName: 'mle-learner @mle/onnx', ...options.metadata });
  } finally {
    module.train(wasTraining);
  }
}

function exportInto(
  graph: GraphBuilder,
  module: Module<never, unknown>,
  input: string,
  example: Tensor | NDArray,
  path: string,
): { name: string; output: Tensor } {
  if (module instanceof Sequential) {
    let name = input;
    let current: Tensor | NDArray = example;
    module.layers.forEach((layer, i) => {
      const result = exportInto(
        graph,
        layer as Module<never, unknown>,
        name,
        current,
        `${path}${path ? '.' : ''}layers.${i}`,
      );
      name = result.name;
      current = result.output;
    });
    return { name, output: current as Tensor };
  }
  const exporter = [...exporters].find(([type]) => module instanceof type)?.[1];
  if (!exporter) {
    throw new Error(
      `exportModule: no ONNX exporter for ${module.constructor.name} at "${path || '(root)'}"; register one with registerExporter(${module.constructor.name}, …) that emits the ONNX ops its forward uses`,
    );
  }
  const output = (module as Module<Tensor | NDArray, Tensor>).forward(example) as Tensor;
  return { name: exporter(module, { graph, path, input, example: { input: example, output } }), output };
}

const param = (ctx: ExportContext, name: string, value: NDArray) =>
  ctx.graph.addInitializer(`${ctx.path || 'model'}.${name}`, value.astype('float32'));
const single = (ctx: ExportContext, op: string, inputs: string[], attributes = {}) =>
  ctx.graph.addNode(op, inputs, { attributes })[0]!;

registerExporter(Linear, (m, ctx) => {
  const rank = (ctx.example.input as Tensor).shape.length;
  if (rank === 2) {
    // Gemm computes x·Wᵀ + b directly with W as stored ([out, in]).
    const inputs = [
      ctx.input,
      param(ctx, 'weight', m.weight.value),
      ...(m.bias ? [param(ctx, 'bias', m.bias.value)] : []),
    ];
    return single(ctx, 'Gemm', inputs, { transB: attr.int(1) });
  }
  const product = single(ctx, 'MatMul', [ctx.input, param(ctx, 'weight_t', m.weight.value.T.contiguous())]);
  return m.bias ? single(ctx, 'Add', [product, param(ctx, 'bias', m.bias.value)]) : product;
});

registerExporter(Conv2d, (m, ctx) => {
  const { stride = 1, padding = 0 } = m.options;
  const inputs = [
    ctx.input,
    param(ctx, 'weight', m.weight.value),
    ...(m.bias ? [param(ctx, 'bias', m.bias.value)] : []),
  ];
  return single(ctx, 'Conv', inputs, {
    kernel_shape: attr.ints([m.kernelSize, m.kernelSize]),
    strides: attr.ints([stride, stride]),
    pads: attr.ints([padding, padding, padding, padding]),
  });
});

registerExporter(MaxPool2d, (m, ctx) =>
  single(ctx, 'MaxPool', [ctx.input], {
    kernel_shape: attr.ints([m.kernelSize, m.kernelSize]),
    strides: attr.ints([m.stride, m.stride]),
  }),
);

const batchNorm: Exporter<BatchNorm1d | BatchNorm2d> = (m, ctx) => {
  const buffers = new Map(m.namedBuffers());
  const inputs = [
    ctx.input,
    param(ctx, 'weight', m.weight.value),
    param(ctx, 'bias', m.bias.value),
    param(ctx, 'running_mean', buffers.get('runningMean')!),
    param(ctx, 'running_var', buffers.get('runningVar')!),
  ];
  return single(ctx, 'BatchNormalization', inputs, { epsilon: attr.float(m.options.eps ?? 1e-5) });
};
registerExporter(BatchNorm1d, batchNorm);
registerExporter(BatchNorm2d, batchNorm);

registerExporter(LayerNorm, (m, ctx) =>
  single(
    ctx,
    'LayerNormalization',
    // The shift B is an optional input of the operator: a LayerNorm without bias leaves it out.
    [ctx.input, param(ctx, 'weight', m.weight.value), ...(m.bias ? [param(ctx, 'bias', m.bias.value)] : [])],
    {
      axis: attr.int(-1),
      epsilon: attr.float(m.eps),
    },
  ),
);

registerExporter(Embedding, (m, ctx) =>
  single(ctx, 'Gather', [param(ctx, 'weight', m.weight.value), ctx.input], { axis: attr.int(0) }),
);
registerExporter(ReLU, (_m, ctx) => single(ctx, 'Relu', [ctx.input]));
registerExporter(Tanh, (_m, ctx) => single(ctx, 'Tanh', [ctx.input]));
registerExporter(Sigmoid, (_m, ctx) => single(ctx, 'Sigmoid', [ctx.input]));
registerExporter(Softmax, (m, ctx) => single(ctx, 'Softmax', [ctx.input], { axis: attr.int(m.axis) }));
registerExporter(Flatten, (_m, ctx) => single(ctx, 'Flatten', [ctx.input], { axis: attr.int(1) }));
// Dropout is the identity in eval mode: it adds no node.
registerExporter(Dropout, (_m, ctx) => ctx.input);

registerExporter(GELU, (m, ctx) => geluNodes(ctx.graph, ctx.input, m.approximate));

/**
 * Opset 17 has no Gelu (it came in 20): 0.5·x·(1 + erf(x/√2)), or the tanh form, from primitive ops. Returns the
 * output's name; for exporters that write their graph by hand (a GPT's MLP).
 */
export function geluNodes(graph: GraphBuilder, x: string, approximate: 'none' | 'tanh' = 'none'): string {
  const op = (type: string, inputs: string[]) => graph.addNode(type, inputs)[0]!;
  const constant = (name: string, value: number) => graph.addInitializer(name, T.full([], value));
  let inner: string;
  if (approximate === 'tanh') {
    const cubic = op('Mul', [op('Mul', [op('Mul', [x, x]), x]), constant('gelu_c', 0.044715)]);
    inner = op('Tanh', [
      op('Mul', [op('Add', [x, cubic]), constant('sqrt_2_over_pi', Math.sqrt(2 / Math.PI))]),
    ]);
  } else {
    inner = op('Erf', [op('Div', [x, constant('sqrt2', Math.SQRT2)])]);
  }
  return op('Mul', [op('Mul', [x, constant('half', 0.5)]), op('Add', [inner, constant('one', 1)])]);
}
