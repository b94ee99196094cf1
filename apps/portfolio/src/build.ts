/**
 * Run: pnpm --filter @mle/portfolio build [-- --out DIR]
 * Writes the static site into apps/portfolio/dist/ (or DIR). Source links use SITE_SOURCE_URL, or on GitHub Actions
 * the repository's own URL; without either, source paths are shown as text.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDemos } from './demos.js';
import { buildSite, page } from './site.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { out: { type: 'string', default: fileURLToPath(new URL('../dist', import.meta.url)) } },
});
const env = process.env;
const sourceUrl =
  env.SITE_SOURCE_URL ??
  (env.GITHUB_REPOSITORY
    ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA ?? 'main'}`
    : undefined);
const pages = buildSite({ root, out: values.out!, ...(sourceUrl ? { sourceUrl } : {}) });
const demos = await buildDemos({
  out: values.out!,
  cacheDir: fileURLToPath(new URL('../.cache/mlops', import.meta.url)),
  page,
});
console.log(
  `wrote ${pages.length + demos.length} pages to ${values.out} (open ${join(values.out!, 'index.html')}, or run preview)`,
);
