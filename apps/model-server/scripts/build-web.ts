/** Bundles the pages' scripts with esbuild and copies the pages into public/ (a cached turbo output). */
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const web = fileURLToPath(new URL('../web/', import.meta.url));
const out = fileURLToPath(new URL('../public/', import.meta.url));
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [`${web}app.ts`, `${web}generate.ts`],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outdir: out,
  logLevel: 'warning',
});
for (const file of ['index.html', 'generate.html', 'style.css']) copyFileSync(web + file, out + file);
console.log(`web page built into ${out}`);
