/**
 * The bench's peers, each a minimal Express 5 app in its own process:
 *   naive    — what most tutorials do: parse the JSON, run onnxruntime once per request, answer
 *   ceiling  — parse and validate the same JSON body, answer a constant: the HTTP + JSON limit
 * Usage: tsx bench/peer-server.ts naive|ceiling <model.onnx> (prints nothing; sends its port over IPC)
 */
import express from 'express';
import ort from 'onnxruntime-node';
import { z } from 'zod';

const [mode, modelPath] = process.argv.slice(2);
const Body = z.object({
  inputs: z
    .array(
      z.object({
        name: z.string(),
        shape: z.array(z.number().int()),
        datatype: z.literal('FP32'),
        data: z.array(z.number()),
      }),
    )
    .min(1),
});
const session =
  mode === 'naive'
    ? await ort.InferenceSession.create(modelPath!, { intraOpNumThreads: 1, interOpNumThreads: 1 })
    : undefined;
const app = express();
app.use(express.json({ limit: '8mb' }));
app.post('/v2/models/:name/infer', async (req, res) => {
  const parsed = Body.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ error: parsed.error.issues[0]!.message });
    return;
  }
  const input = parsed.data.inputs[0]!;
  if (!session) {
    res.json({
      model_name: req.params.name,
      outputs: [
        {
          name: 'output',
          datatype: 'FP32',
          shape: [input.shape[0], 10],
          data: new Array(10 * input.shape[0]!).fill(0.1),
        },
      ],
    });
    return;
  }
  const out = await session.run({
    [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(input.data), input.shape),
  });
  const y = out[session.outputNames[0]!]!;
  res.json({
    model_name: req.params.name,
    outputs: [{ name: 'output', datatype: 'FP32', shape: y.dims, data: Array.from(y.data as Float32Array) }],
  });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ listening: typeof address === 'object' && address ? address.port : 0 });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
