import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { type BenchRecord, escapeHtml as html, machineLine } from '@mle/report';
import { Marked, type Tokens } from 'marked';

/** A workspace of the monorepo, as the site shows it. */
export interface Workspace {
  /** `packages/recommender` */
  path: string;
  /** `@mle/recommender` */
  name: string;
  description: string;
  readme: string;
  /** bench/results.json, when the package has a bench. */
  bench?: BenchRecord;
}

export interface SiteOptions {
  /** The repository's root. */
  root: string;
  /** Where the site is written (emptied first). */
  out: string;
  /**
   * Base URL of the source on a code host, e.g. https://github.com/OWNER/REPO/blob/main; links to source files use
   * it. Without one, a source path is shown as text rather than a link that would lead nowhere.
   */
  sourceUrl?: string;
}

export interface BuiltPage {
  /** Path of the page inside the site, e.g. `p/recommender/index.html`. */
  file: string;
  title: string;
}

const GROUPS = ['packages', 'apps'] as const;

/** Every workspace with a package.json and a README, packages first, each group by name. */
export function readWorkspaces(root: string): Workspace[] {
  return GROUPS.flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, group, d.name, 'package.json')))
      .map((d) => d.name)
      .sort()
      .filter((name) => existsSync(join(root, group, name, 'README.md')))
      .map((name) => {
        const dir = join(root, group, name);
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        const benchFile = join(dir, 'bench', 'results.json');
        return {
          path: `${group}/${name}`,
          name: manifest.name as string,
          description: (manifest.description as string | undefined) ?? '',
          readme: readFileSync(join(dir, 'README.md'), 'utf8'),
          ...(existsSync(benchFile)
            ? { bench: JSON.parse(readFileSync(benchFile, 'utf8')) as BenchRecord }
            : {}),
        };
      }),
  );
}

/** The page of a workspace inside the site. */
export const pageOf = (path: string): string => `p/${path.split('/')[1]}/index.html`;

/** The roadmap's table rows (docs/roadmap.md): each cell as Markdown. */
export function roadmapRows(root: string): string[][] {
  const lines = readFileSync(join(root, 'docs', 'roadmap.md'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('| item |'));
  if (start < 0) throw new Error('docs/roadmap.md: no table starting "| item |"');
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(splitRow(line));
  }
  return rows;
}

/** A Markdown table row's cells, splitting on pipes outside inline code. */
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let code = false;
  for (let i = 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '`') code = !code;
    if (c === '|' && !code && line[i - 1] !== '\\') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  return cells;
}

/**
 * A Markdown renderer for a document at `docPath` (repository-relative) shown at `pagePath` in the site: links to a
 * workspace become links to its page, images and links to files in the site are made relative to the page, links to
 * other repository files point at the source (or become text without a source URL), and absolute URLs stay.
 */
function renderer(options: {
  docPath: string;
  pagePath: string;
  sourceUrl: string | undefined;
  workspaces: Set<string>;
  assets: Map<string, string>;
  root: string;
  out: string;
}): Marked {
  const { docPath, pagePath, sourceUrl, workspaces, assets, root, out } = options;
  /** An image of the repository outside charts/ (a screenshot): served with the site under files/. */
  const copyImage = (repoPath: string): string | undefined => {
    if (!/\.(svg|png|jpe?g|gif|webp)$/i.test(repoPath) || !existsSync(join(root, repoPath))) return undefined;
    const sitePath = `files/${repoPath}`;
    mkdirSync(dirname(join(out, sitePath)), { recursive: true });
    copyFileSync(join(root, repoPath), join(out, sitePath));
    assets.set(repoPath, sitePath);
    return sitePath;
  };
  const fromPage = (sitePath: string) => posix.relative(posix.dirname(pagePath), sitePath) || '.';
  const resolve = (href: string): string | null => {
    if (/^[a-z]+:/i.test(href) || href.startsWith('#')) return href;
    const [target, hash] = href.split('#') as [string, string | undefined];
    const repoPath = posix.normalize(posix.join(posix.dirname(docPath), target)).replace(/\/$/, '');
    const suffix = hash ? `#${hash}` : '';
    if (workspaces.has(repoPath)) return fromPage(pageOf(repoPath)) + suffix;
    if (repoPath === 'docs/roadmap.md' || repoPath === 'README.md' || repoPath === '.')
      return fromPage('index.html') + suffix;
    const asset = assets.get(repoPath) ?? copyImage(repoPath);
    if (asset) return fromPage(asset) + suffix;
    return sourceUrl ? `${sourceUrl}/${repoPath}${suffix}` : null;
  };
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      link(token: Tokens.Link) {
        const inner = this.parser.parseInline(token.tokens);
        const href = resolve(token.href);
        if (href === null) return `<span class="source-path">${inner}</span>`;
        return `<a href="${html(href)}"${token.title ? ` title="${html(token.title)}"` : ''}>${inner}</a>`;
      },
      // Raw HTML in a README is shown as the text it is (`P(a | <s>)` is a formula, not a strikethrough); comments
      // (the bench's block markers) are dropped.
      html(token: Tokens.HTML | Tokens.Tag) {
        return token.text.trimStart().startsWith('<!--') ? '' : html(token.text);
      },
      // A code block may scroll sideways: focusable, so a keyboard can scroll it too.
      code(token: Tokens.Code) {
        const lang = token.lang ? ` class="language-${html(token.lang.split(/\s/)[0]!)}"` : '';
        return `<pre tabindex="0"><code${lang}>${html(token.text)}</code></pre>\n`;
      },
      image(token: Tokens.Image) {
        const src = resolve(token.href);
        if (src === null) return html(token.text);
        return `<img src="${html(src)}" alt="${html(token.text)}" loading="lazy">`;
      },
    },
  });
  return marked;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1a1a1a; background: #fff; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1rem; border-bottom: 1px solid #ddd; }
header a { color: #0b4f9c; }
a { color: #0b4f9c; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.92rem; }
th, td { border: 1px solid #c8c8c8; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, monospace; background: #f4f4f4; padding: 0.05em 0.25em; }
pre { background: #f4f4f4; padding: 0.8rem; overflow-x: auto; }
pre code { padding: 0; }
img { max-width: 100%; height: auto; }
.state { white-space: nowrap; font-weight: 600; }
canvas { background: #000; touch-action: none; border: 1px solid #888; max-width: 100%; }
button { font: inherit; padding: 0.3rem 0.9rem; }
.piece { white-space: pre; border: 1px solid #9ab; margin: 0 1px; padding: 0 1px; background: #eef4fb; }
.piece:nth-child(even) { background: #fdf1e0; border-color: #cb9; }
.machine { color: #444; }
footer { border-top: 1px solid #ddd; margin-top: 3rem; padding-bottom: 2rem; color: #444; font-size: 0.9rem; }
`;

export function page(title: string, body: string, toHome: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><nav aria-label="site"><a href="${toHome}">MLE-Learner: every project</a></nav></header>
<main>
${body}
</main>
<footer>Built from the repository: each page is its package's README, its charts and its last bench run.</footer>
</body>
</html>
`;
}

/** A bench record as a table: every result the bench wrote, under the machine it ran on. */
export function benchTable(record: BenchRecord): string {
  const machine = machineLine(record.machine);
  const rows = record.results
    .map(
      (r) =>
        `<tr><td>${html(r.case)}</td><td>${html(r.impl)}</td><td>${html(r.metric)}</td><td>${html(
          Number.isInteger(r.value) ? String(r.value) : r.value.toPrecision(4),
        )}</td><td>${html(r.unit)}</td></tr>`,
    )
    .join('\n');
  return `<p class="machine">Run <code>${html(record.run)}</code> on ${html(machine)}.</p>
<table>
<thead><tr><th scope="col">case</th><th scope="col">implementation</th><th scope="col">metric</th><th scope="col">value</th><th scope="col">unit</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/**
 * Builds the site: a home page that is the roadmap's table (each row's state and headline figure, its packages
 * linked to their pages) and a page per workspace — its README rendered, its charts copied beside it, its bench
 * record as a table, a link to its source. Everything is read from the files the packages and their benches wrote.
 */
export function buildSite(options: SiteOptions): BuiltPage[] {
  const { root, out, sourceUrl } = options;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const workspaces = readWorkspaces(root);
  const paths = new Set(workspaces.map((w) => w.path));
  // Charts (SVG, PNG) of every workspace are served with the site, beside their page.
  const assets = new Map<string, string>();
  for (const w of workspaces) {
    const charts = join(root, w.path, 'charts');
    if (!existsSync(charts)) continue;
    for (const file of readdirSync(charts).filter((f) => /\.(svg|png)$/.test(f))) {
      const sitePath = posix.join(posix.dirname(pageOf(w.path)), 'charts', file);
      assets.set(`${w.path}/charts/${file}`, sitePath);
      mkdirSync(dirname(join(out, sitePath)), { recursive: true });
      copyFileSync(join(charts, file), join(out, sitePath));
    }
  }
  const pages: BuiltPage[] = [];

  const rows = roadmapRows(root);
  const home = renderer({
    docPath: 'docs/roadmap.md',
    pagePath: 'index.html',
    sourceUrl,
    workspaces: paths,
    assets,
    root,
    out,
  });
  const tableRows = rows
    .map((cells) => {
      const [item, where, , state] = cells.map((c) => home.parseInline(c) as string);
      const [label, ...headline] = (state ?? '').split(':');
      return `<tr><th scope="row">${item}</th><td>${where}</td><td><span class="state">${label}</span>${
        headline.length ? `: ${headline.join(':')}` : ''
      }</td></tr>`;
    })
    .join('\n');
  const list = workspaces
    .map((w) => `<li><a href="${pageOf(w.path)}">${html(w.name)}</a> — ${html(w.description)}</li>`)
    .join('\n');
  writeFileSync(
    join(out, 'index.html'),
    page(
      'MLE-Learner: machine-learning engineering, built and measured',
      `<h1>MLE-Learner</h1>
<p>Hands-on machine-learning-engineering projects in TypeScript, one per area of a learning roadmap. Every figure
below comes from a package's own bench run, recorded with the machine it ran on.</p>
<h2>The roadmap</h2>
<table>
<thead><tr><th scope="col">item</th><th scope="col">package or app</th><th scope="col">state and headline result</th></tr></thead>
<tbody>
${tableRows}
</tbody>
</table>
<h2>Live demos</h2>
<ul>
<li><a href="demos/digit/index.html">Draw a digit</a>: the MNIST MLP, exported to ONNX by the repository's own exporter, running in your browser (onnxruntime-web, WebAssembly).</li>
<li><a href="demos/tokens/index.html">Tokenize</a>: GPT-2's and GPT-4's byte-pair encodings by the repository's own tokenizer, in your browser.</li>
<li><a href="demos/generate/index.html">Generate text</a>: the character GPT, exported to ONNX and quantized to int8, generating in your browser.</li>
<li><a href="demos/sorting/index.html">Sort and search</a>: the repository's sorts drawn as the comparisons they make, and a binary search's probes.</li>
</ul>
<h2>Every package</h2>
<ul>
${list}
</ul>`,
      'index.html',
    ),
  );
  pages.push({ file: 'index.html', title: 'MLE-Learner' });

  for (const w of workspaces) {
    const file = pageOf(w.path);
    const marked = renderer({
      docPath: `${w.path}/README.md`,
      pagePath: file,
      sourceUrl,
      workspaces: paths,
      assets,
      root,
      out,
    });
    const source = sourceUrl
      ? `<p>Source: <a href="${html(sourceUrl.replace('/blob/', '/tree/'))}/${w.path}">${html(w.path)}</a></p>`
      : `<p>Source: <code>${html(w.path)}</code> in the repository.</p>`;
    const bench = w.bench
      ? `<section aria-labelledby="record"><h2 id="record">The bench's record</h2>
<p>Every value <code>bench/results.json</code> holds, as the last run wrote it (<code>pnpm --filter ${html(w.name)} bench</code>).</p>
${benchTable(w.bench)}</section>`
      : '';
    const toHome = posix.relative(posix.dirname(file), 'index.html');
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(
      join(out, file),
      page(`${w.name} · MLE-Learner`, `${source}\n${marked.parse(w.readme) as string}\n${bench}`, toHome),
    );
    pages.push({ file, title: `${w.name} · MLE-Learner` });
  }
  return pages;
}
