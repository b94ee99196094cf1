/**
 * The demo page: draw on a 280×280 canvas, average it down to MNIST's 28×28 in [0, 1], and ask the server
 * through the Open Inference Protocol. Plain DOM code, bundled by esbuild at build time.
 */
const SIZE = 28;
const pad = document.querySelector<HTMLCanvasElement>('#pad')!;
const ctx = pad.getContext('2d', { willReadFrequently: true })!;
const result = document.querySelector<HTMLParagraphElement>('#result')!;
const bars = document.querySelector<HTMLOListElement>('#bars')!;
const modelSelect = document.querySelector<HTMLSelectElement>('#model')!;

function clear(): void {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  result.textContent = 'Nothing drawn yet.';
  bars.replaceChildren();
}

let drawing = false;
let last: [number, number] | undefined;
const point = (e: PointerEvent): [number, number] => {
  const r = pad.getBoundingClientRect();
  return [((e.clientX - r.left) * pad.width) / r.width, ((e.clientY - r.top) * pad.height) / r.height];
};
pad.addEventListener('pointerdown', (e) => {
  drawing = true;
  last = point(e);
  pad.setPointerCapture(e.pointerId);
});
pad.addEventListener('pointermove', (e) => {
  if (!drawing || !last) return;
  const next = point(e);
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 20;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(...last);
  ctx.lineTo(...next);
  ctx.stroke();
  last = next;
});
pad.addEventListener('pointerup', () => {
  drawing = false;
  last = undefined;
});

/** The drawing as 784 floats in [0, 1]: each output pixel is the mean brightness of a 10×10 block. */
export function toPixels(): number[] {
  const { data } = ctx.getImageData(0, 0, pad.width, pad.height);
  const block = pad.width / SIZE;
  const pixels: number[] = [];
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      let sum = 0;
      for (let y = r * block; y < (r + 1) * block; y++)
        for (let x = c * block; x < (c + 1) * block; x++) sum += data[(y * pad.width + x) * 4]!;
      pixels.push(sum / (block * block * 255));
    }
  }
  return pixels;
}

async function predict(): Promise<void> {
  const model = modelSelect.value;
  const started = performance.now();
  result.textContent = 'Asking the server…';
  try {
    const response = await fetch(`/v2/models/${model}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [
          {
            name: model === 'mnist' ? 'input' : 'hidden_input',
            shape: [1, 784],
            datatype: 'FP32',
            data: toPixels(),
          },
        ],
      }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    const probabilities: number[] = body.outputs[0].data;
    const best = probabilities.indexOf(Math.max(...probabilities));
    const ms = performance.now() - started;
    result.innerHTML = `It looks like a <strong id="digit">${best}</strong> (${(100 * probabilities[best]!).toFixed(1)}%), answered in ${ms.toFixed(0)} ms.`;
    bars.replaceChildren(
      ...probabilities.map((p, digit) => {
        const li = document.createElement('li');
        if (digit === best) li.className = 'top';
        li.innerHTML = `<span>${digit}</span><span class="bar" style="width:${(100 * p).toFixed(1)}%"></span><span>${(100 * p).toFixed(1)}%</span>`;
        li.setAttribute('aria-label', `${digit}: ${(100 * p).toFixed(1)} percent`);
        return li;
      }),
    );
  } catch (error) {
    result.textContent = `The server could not answer: ${(error as Error).message}`;
  }
}

document.querySelector('#predict')!.addEventListener('click', () => void predict());
document.querySelector('#clear')!.addEventListener('click', clear);
pad.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') void predict();
  if (e.key === 'Escape' || e.key === 'Delete') clear();
});
clear();
