import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTRAPOLATION, exportGptOnnx, trainedGpt } from '@mle/gpt';
import { artifactOf, mnistPipeline, readTestAccuracy, runPipeline } from '@mle/mlops';
import { quantizeDynamicInt8 } from '@mle/onnx';
import { build } from 'esbuild';

export interface DemoFile {
  file: string;
  bytes: number;
}

export interface BuiltDemo {
  page: string;
  title: string;
  files: DemoFile[];
  /** The served model's test accuracy, from the pipeline's evaluate step (the digit demo). */
  testAccuracy?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const listed = (files: readonly DemoFile[]) =>
  files.map((f) => `<code>${f.file}</code> (${kib(f.bytes)})`).join(', ');

/** What every demo builder needs: where the site goes, and its page template. */
interface DemoContext {
  out: string;
  page: (title: string, body: string, toHome: string) => string;
}

/** A demo's directory, `<out>/demos/<name>/`, created. */
function demoDir(ctx: DemoContext, name: string): string {
  const dir = join(ctx.out, 'demos', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a demo's page (two levels below the home page) and returns what was built. */
function writeDemo(
  ctx: DemoContext,
  name: string,
  title: string,
  body: string,
  files: DemoFile[],
): BuiltDemo {
  const page = `demos/${name}/index.html`;
  writeFileSync(join(ctx.out, page), ctx.page(title, body, '../../index.html'));
  return { page, title, files };
}

/** A demo's files split into its page's script (`<entry>.js`) and everything that loads after it. */
function entryAndLazy(files: DemoFile[], entry: string): { first: DemoFile; lazy: DemoFile[] } {
  const first = files.find((f) => f.file === `${entry}.js`)!;
  return { first, lazy: files.filter((f) => f !== first) };
}

/**
 * The live demos, built into `<out>/demos/`: the digit demo is the MNIST MLP that @mle/mlops' pipeline trains and
 * exports to ONNX with @mle/onnx (its artifacts cached in `cacheDir`), run in the browser by onnxruntime-web's
 * WebAssembly build; the page's script is bundled by esbuild and loads onnxruntime-web and the model only when asked.
 */
export async function buildDemos(options: DemoContext & { cacheDir: string }): Promise<BuiltDemo[]> {
  return [
    await buildDigitDemo(options),
    await buildTokensDemo(options),
    await buildSortingDemo(options),
    await buildGenerateDemo(options),
  ];
}

/** The digit demo: the pipeline's exported MLP and onnxruntime-web's WebAssembly, served beside the page. */
async function buildDigitDemo(ctx: DemoContext & { cacheDir: string }): Promise<BuiltDemo> {
  const dir = demoDir(ctx, 'digit');
  const reports = await runPipeline(mnistPipeline({ epochs: 2 }), { root: ctx.cacheDir });
  copyFileSync(join(artifactOf(reports, 'export'), 'model.onnx'), join(dir, 'mnist.onnx'));
  const testAccuracy = readTestAccuracy(artifactOf(reports, 'evaluate'));
  const wasm = require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
  copyFileSync(wasm, join(dir, 'ort-wasm-simd-threaded.wasm'));
  const files: DemoFile[] = [
    ...(await bundle('digit.ts', dir)),
    { file: 'ort-wasm-simd-threaded.wasm', bytes: statSync(join(dir, 'ort-wasm-simd-threaded.wasm')).size },
    { file: 'mnist.onnx', bytes: statSync(join(dir, 'mnist.onnx')).size },
  ];
  const { first, lazy } = entryAndLazy(files, 'digit');
  const demo = writeDemo(
    ctx,
    'digit',
    'Draw a digit · MLE-Learner',
    `<h1>Draw a digit</h1>
<p>The MNIST MLP that <a href="../../p/mlops/index.html">@mle/mlops</a>' pipeline trains and exports to ONNX with
<a href="../../p/onnx/index.html">@mle/onnx</a> (test accuracy ${(100 * testAccuracy).toFixed(2)}%), run here, in this
browser, by onnxruntime-web on WebAssembly. Nothing is sent anywhere.</p>
<canvas id="pad" width="280" height="280" tabindex="0" aria-label="Drawing pad: draw a digit with the mouse or a finger"></canvas>
<p><button id="classify" type="button">Classify</button> <button id="clear" type="button">Clear</button></p>
<p id="result" aria-live="polite"></p>
<h2>What this page loads</h2>
<p>With the page: <code>${first.file}</code> (${kib(first.bytes)}). On the first classification:
${listed(lazy)}. After that it works offline.</p>
<script type="module" src="digit.js"></script>`,
    files,
  );
  return { ...demo, testAccuracy };
}

/**
 * The generation demo: the character GPT the model server serves (@mle/gpt's rotary model, trained once and cached
 * by @mle/gpt), exported by `exportGptOnnx` and quantized to int8 by @mle/onnx's `quantizeDynamicInt8`, with the
 * alphabet and shapes the page needs in gpt.json. It shares the digit demo's onnxruntime-web WebAssembly file.
 */
async function buildGenerateDemo(ctx: DemoContext): Promise<BuiltDemo> {
  const dir = demoDir(ctx, 'generate');
  const gpt = trainedGpt(EXTRAPOLATION.rope, { progress: false });
  const alphabet = gpt.corpus.decode(Array.from({ length: gpt.corpus.vocabSize }, (_, i) => i));
  const { layers, heads, width, contextLength } = gpt.model.config;
  const int8 = quantizeDynamicInt8(exportGptOnnx(gpt.model)).bytes;
  writeFileSync(join(dir, 'gpt-int8.onnx'), int8);
  writeFileSync(
    join(dir, 'gpt.json'),
    `${JSON.stringify({ alphabet, layers, heads, headWidth: width / heads, contextLength })}\n`,
  );
  const files = [...(await bundle('generate.ts', dir)), { file: 'gpt-int8.onnx', bytes: int8.length }];
  const { first, lazy } = entryAndLazy(files, 'generate');
  return writeDemo(
    ctx,
    'generate',
    'Generate text · MLE-Learner',
    `<h1>Generate text</h1>
<p>The character GPT of <a href="../../p/gpt/index.html">@mle/gpt</a> (${layers} layers of width ${width}, ${heads}
heads, rotary positions, trained on Moby Dick), exported to ONNX by its own exporter and quantized to int8 by
<a href="../../p/onnx/index.html">@mle/onnx</a>, generating greedily in this browser with onnxruntime-web: the
prompt in one pass, then one character a step with the past keys and values fed back.</p>
<p><label for="prompt">Prompt</label> <input id="prompt" size="40" value="Call me Ishmael. ">
<label for="tokens">Characters</label> <input id="tokens" type="number" min="1" max="200" value="60">
<button id="generate" type="button">Generate</button></p>
<p id="status" aria-live="polite"></p>
<pre id="output" tabindex="0"></pre>
<h2>What this page loads</h2>
<p>With the page: <code>${first.file}</code> (${kib(first.bytes)}). On the first generation:
${listed(lazy)}, and the digit demo's
<code>ort-wasm-simd-threaded.wasm</code> (shared). Then it works offline.</p>
<script type="module" src="generate.js"></script>`,
    files,
  );
}

/** Bundles one demo's script into `dir` (ESM, split so dynamic imports become lazy chunks); returns every file. */
async function bundle(entry: string, dir: string): Promise<DemoFile[]> {
  const bundled = await build({
    entryPoints: [join(here, 'demos', entry)],
    conditions: ['@mle/source'],
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(bundled.metafile.outputs).map((f) => ({
    file: f.split('/').pop()!,
    bytes: statSync(f).size,
  }));
}

/** Sorting and searching by @mle/algorithms, drawn as each sort's comparisons. */
async function buildSortingDemo(ctx: DemoContext): Promise<BuiltDemo> {
  const files = await bundle('sorting.ts', demoDir(ctx, 'sorting'));
  return writeDemo(
    ctx,
    'sorting',
    'Sort and search · MLE-Learner',
    `<h1>Sort and search</h1>
<p>The sorts of <a href="../../p/algorithms/index.html">@mle/algorithms</a>, run in this browser on a seeded shuffle
of 1…n and seen through their comparisons: each comparison of a and b is a dot at (a, b), drawn in the order the sort
made it. Quicksort's partitions, merge sort's nested merges and insertion sort's triangle each leave their own shape.
Every result is checked against the built-in sort; the binary search's probes are listed.</p>
<p><label for="algorithm">Algorithm</label>
<select id="algorithm"><option>quickSort</option><option>mergeSort</option><option>heapSort</option><option>timSort</option><option>insertionSort</option></select>
<label for="size">Values</label> <input id="size" type="number" min="2" max="1000" value="200"></p>
<canvas id="map" width="400" height="400" role="img" aria-label="Comparisons made by the chosen sort, as dots at (a, b)"></canvas>
<p id="summary" aria-live="polite"></p>
<table id="counts"><caption>Comparisons for the same input</caption>
<thead><tr><th scope="col">algorithm</th><th scope="col">comparisons</th><th scope="col">result</th></tr></thead><tbody></tbody></table>
<h2>What this page loads</h2>
<p>${listed(files)}.</p>
<script type="module" src="sorting.js"></script>`,
    files,
  );
}

/** The tokenizer demo: @mle/nlp's BPE in the page, with js-tiktoken's GPT-2 and GPT-4 rank files as lazy chunks. */
async function buildTokensDemo(ctx: DemoContext): Promise<BuiltDemo> {
  const files = await bundle('tokens.ts', demoDir(ctx, 'tokens'));
  const { first, lazy } = entryAndLazy(files, 'tokens');
  const panel = (name: string, label: string) => `<section id="${name}" aria-labelledby="${name}-h">
<h2 id="${name}-h">${label} <span class="count"></span></h2>
<p class="pieces"></p>
<p><code class="ids"></code></p>
</section>`;
  return writeDemo(
    ctx,
    'tokens',
    'Tokenize · MLE-Learner',
    `<h1>Tokenize</h1>
<p>Byte-pair encoding as GPT-2 and GPT-4 do it, by <a href="../../p/nlp/index.html">@mle/nlp</a>'s tokenizer, written
from scratch and exact to tiktoken, running in this browser on js-tiktoken's rank files. Hover a token for its id.</p>
<label for="text">Text</label><br>
<textarea id="text" rows="4" cols="70">Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse…</textarea>
${panel('r50k_base', 'GPT-2 (r50k_base)')}
${panel('cl100k_base', 'GPT-4 (cl100k_base)')}
<h2>What this page loads</h2>
<p>With the page: <code>${first.file}</code> (${kib(first.bytes)}, the tokenizer). Each encoding's rank file is a
chunk of its own, fetched when that encoding is first used (this page uses the first two):
${listed(lazy)}. Then it works offline.</p>
<script type="module" src="tokens.js"></script>`,
    files,
  );
}
