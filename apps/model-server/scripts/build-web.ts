/** Bundles web/app.ts with esbuild and copies the page into public/ (a cached turbo output). */
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const web = fileURLToPath(new URL('../web/', import.meta.url));
const out = fileURLToPath(new URL('../public/', import.meta.url));
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [`${web}app.ts`],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: `${out}app.js`,
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) copyFileSync(web + file, out + file);
console.log(`web page built into ${out}`);
