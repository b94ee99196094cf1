"""The official ONNX checker on a model read from stdin; prints one JSON object.

  checker     "ok", or the checker's message (onnx.checker.check_model with full_check: the IR and opset rules,
              every node's inputs defined before use, attributes as the operator's schema says, then strict shape
              inference)
  uninferred  node outputs to which shape inference could give no shape (an operator of a domain the checker does
              not know, e.g. com.microsoft, leaves its outputs and what follows them unknown)
  outputs     the graph outputs' shapes as inferred: a dimension is its number or its symbolic name

Run by @mle/onnx's officialCheck with Debian's python3-onnx (apt-get install python3-onnx); no network.
"""
import json
import sys

import onnx
from onnx import checker, shape_inference

model = onnx.load_from_string(sys.stdin.buffer.read())
result = {"onnx": onnx.__version__}
try:
    checker.check_model(model, full_check=True)
    result["checker"] = "ok"
except Exception as error:  # the checker raises ValidationError or InferenceError
    result["checker"] = str(error)
try:
    inferred = shape_inference.infer_shapes(model, check_type=True)
except Exception as error:
    inferred = model
    result["inference_error"] = str(error)
known = {}
for value in list(inferred.graph.value_info) + list(inferred.graph.output) + list(inferred.graph.input):
    if value.type.tensor_type.HasField("shape"):
        known[value.name] = [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]
result["uninferred"] = [out for node in model.graph.node for out in node.output if out not in known]
result["outputs"] = {out.name: known.get(out.name) for out in model.graph.output}
print(json.dumps(result))
