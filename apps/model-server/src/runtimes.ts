import type { RepositoryOptions } from '@mle/serving-core';
import { onnxLanguageModelFactory, onnxRuntimeFactory } from '@mle/serving-core/onnxruntime';
import { tfjsRuntimeFactory } from '@mle/serving-core/tfjs';

/** The runtimes this server wires into its repository: one per platform it serves. */
export const servedRuntimes: RepositoryOptions['runtimes'] = {
  onnxruntime_onnx: onnxRuntimeFactory,
  tfjs_layers: tfjsRuntimeFactory,
};

/** The language-model runtimes, for models with a generation section. */
export const servedLanguageModels: RepositoryOptions['languageModels'] = {
  onnxruntime_onnx: onnxLanguageModelFactory,
};
