/// <reference lib="dom" />
// Generate text with the character GPT, exported to ONNX and quantized to int8 by the repository's own exporter, in
// this browser (onnxruntime-web, WebAssembly): a prefill of the prompt, then one token a step with the past keys and
// values fed back, greedy. onnxruntime-web and the model load on the first generation.
type Ort = typeof import('onnxruntime-web/wasm');

interface ModelInfo {
  alphabet: string;
  layers: number;
  heads: number;
  headWidth: number;
  contextLength: number;
}

const prompt = document.querySelector<HTMLInputElement>('#prompt')!;
const tokens = document.querySelector<HTMLInputElement>('#tokens')!;
const output = document.querySelector<HTMLElement>('#output')!;
const status = document.querySelector<HTMLElement>('#status')!;

let loaded:
  | Promise<{ ort: Ort; session: import('onnxruntime-web/wasm').InferenceSession; info: ModelInfo }>
  | undefined;
function load() {
  loaded ??= (async () => {
    const ort = await import('onnxruntime-web/wasm');
    ort.env.wasm.wasmPaths = { wasm: new URL('../digit/ort-wasm-simd-threaded.wasm', import.meta.url).href };
    ort.env.wasm.numThreads = 1;
    const info = (await (await fetch(new URL('./gpt.json', import.meta.url))).json()) as ModelInfo;
    const session = await ort.InferenceSession.create(new URL('./gpt-int8.onnx', import.meta.url).href, {
      executionProviders: ['wasm'],
    });
    return { ort, session, info };
  })();
  return loaded;
}

async function generate() {
  status.textContent = 'Loading the model…';
  const { ort, session, info } = await load();
  const ids = Array.from(prompt.value, (c) => {
    const id = info.alphabet.indexOf(c);
    if (id < 0) throw new Error(`the model has no token for ${JSON.stringify(c)}`);
    return id;
  });
  if (ids.length === 0) throw new Error('type a prompt first');
  const wanted = Math.max(1, Math.min(200, Number(tokens.value) || 40));
  if (ids.length + wanted > info.contextLength)
    throw new Error(`prompt and new tokens must fit the ${info.contextLength}-token context`);
  const i64 = (values: number[], dims: number[]) =>
    new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);
  let past: Record<string, import('onnxruntime-web/wasm').Tensor> = {};
  for (let l = 0; l < info.layers; l++)
    for (const kind of ['key', 'value'])
      past[`past_key_values.${l}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [
        1,
        info.heads,
        0,
        info.headWidth,
      ]);
  let feed = ids;
  let position = 0;
  let text = '';
  status.textContent = 'Generating…';
  for (let step = 0; step < wanted; step++) {
    const out = await session.run({
      input_ids: i64(feed, [1, feed.length]),
      attention_mask: i64(new Array(position + feed.length).fill(1), [1, position + feed.length]),
      position_ids: i64(
        feed.map((_, i) => position + i),
        [1, feed.length],
      ),
      ...past,
    });
    const logits = out.logits!.data as Float32Array;
    const vocab = info.alphabet.length;
    const last = logits.subarray((feed.length - 1) * vocab, feed.length * vocab);
    let best = 0;
    for (let k = 1; k < vocab; k++) if (last[k]! > last[best]!) best = k;
    past = {};
    for (let l = 0; l < info.layers; l++)
      for (const kind of ['key', 'value'])
        past[`past_key_values.${l}.${kind}`] = out[`present.${l}.${kind}`]!;
    position += feed.length;
    feed = [best];
    text += info.alphabet[best];
    output.textContent = prompt.value + text;
  }
  output.dataset.generated = text;
  status.textContent = `${wanted} characters, greedy.`;
}

document.querySelector('#generate')!.addEventListener('click', () => {
  generate().catch((error: Error) => {
    loaded = undefined;
    status.textContent = `Could not generate: ${error.message}`;
  });
});
