/// <reference lib="dom" />
// Draw a digit: a 280×280 pad, scaled to the 28×28 the MLP takes, classified in this browser by onnxruntime-web
// (WebAssembly). onnxruntime-web and the model load on the first classification, not with the page.
type Ort = typeof import('onnxruntime-web/wasm');

const pad = document.querySelector<HTMLCanvasElement>('#pad')!;
const ctx = pad.getContext('2d', { willReadFrequently: true })!;
const result = document.querySelector<HTMLElement>('#result')!;
const clear = () => {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  result.textContent = 'Draw a digit, then press Classify (or Enter).';
};
clear();

let drawing = false;
const at = (e: PointerEvent) => {
  const r = pad.getBoundingClientRect();
  return [
    ((e.clientX - r.left) * pad.width) / r.width,
    ((e.clientY - r.top) * pad.height) / r.height,
  ] as const;
};
pad.addEventListener('pointerdown', (e) => {
  drawing = true;
  pad.setPointerCapture(e.pointerId);
  const [x, y] = at(e);
  ctx.beginPath();
  ctx.moveTo(x, y);
});
pad.addEventListener('pointermove', (e) => {
  if (!drawing) return;
  const [x, y] = at(e);
  ctx.lineTo(x, y);
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 22;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.stroke();
});
pad.addEventListener('pointerup', () => {
  drawing = false;
});

/** The pad as 28×28 intensities in [0, 1]: the mean of each 10×10 block. */
function pixels(): Float32Array {
  const { data } = ctx.getImageData(0, 0, pad.width, pad.height);
  const cell = pad.width / 28;
  const out = new Float32Array(784);
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < 28; x++) {
      let sum = 0;
      for (let dy = 0; dy < cell; dy++)
        for (let dx = 0; dx < cell; dx++) sum += data[((y * cell + dy) * pad.width + x * cell + dx) * 4]!;
      out[y * 28 + x] = sum / (cell * cell * 255);
    }
  return out;
}

let session: Promise<{ ort: Ort; session: import('onnxruntime-web/wasm').InferenceSession }> | undefined;
function load() {
  session ??= (async () => {
    const ort = await import('onnxruntime-web/wasm');
    // The glue code is in the bundle; only the WebAssembly binary is fetched, from beside this script.
    ort.env.wasm.wasmPaths = { wasm: new URL('./ort-wasm-simd-threaded.wasm', import.meta.url).href };
    ort.env.wasm.numThreads = 1;
    const model = new URL('./mnist.onnx', import.meta.url).href;
    return { ort, session: await ort.InferenceSession.create(model, { executionProviders: ['wasm'] }) };
  })();
  return session;
}

async function classify() {
  result.textContent = 'Loading the model…';
  const { ort, session: s } = await load();
  const output = await s.run({ input: new ort.Tensor('float32', pixels(), [1, 784]) });
  const probabilities = output.output!.data as Float32Array;
  let best = 0;
  for (let k = 1; k < 10; k++) if (probabilities[k]! > probabilities[best]!) best = k;
  result.innerHTML = `It is a <strong id="digit">${best}</strong> (probability ${probabilities[best]!.toFixed(3)}).`;
}

const run = () =>
  classify().catch((error: Error) => {
    session = undefined;
    result.textContent = `Could not classify: ${error.message}`;
  });
document.querySelector('#classify')!.addEventListener('click', () => void run());
document.querySelector('#clear')!.addEventListener('click', clear);
pad.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') void run();
});
