import { escapeHtml as html, lineChartSvg } from '@mle/report';
import { comparisonRows } from './runs-cli.js';
import type { RunDetail } from './tracking.js';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1b1b; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; font-variant-numeric: tabular-nums; }
tr.differs td, tr.differs th { background: #fff4d6; }
code { font-size: 0.92em; }
figure { margin: 1rem 0; }
`;

/**
 * A self-contained HTML page of runs side by side: every field, parameter and latest metric in one table (rows
 * where the runs differ highlighted), a chart per metric with one line per run over its steps, and each run's
 * artifacts with their hashes. No script and nothing fetched: it opens from disk or any static host.
 */
export async function runsReportHtml(runs: readonly RunDetail[]): Promise<string> {
  const ids = runs.map((r) => r.id.slice(0, 8));
  const rows = comparisonRows(runs)
    .map(
      (row) =>
        `<tr${row.differs ? ' class="differs"' : ''}><th scope="row">${html(row.label)}</th>${row.values
          .map((v) => `<td>${html(v)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const keys = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort();
  const charts: string[] = [];
  for (const key of keys) {
    const series = runs
      .map((r, i) => ({
        name: ids[i]!,
        points: r.metrics.filter((m) => m.key === key).map((m) => ({ x: m.step, y: m.value })),
      }))
      .filter((s) => s.points.length > 0);
    const svg = await lineChartSvg({
      title: key,
      x: { label: 'step', format: 'd' },
      y: { label: key },
      series,
      width: 520,
      height: 260,
    });
    charts.push(
      `<figure role="img" aria-label="${html(`${key} by step, one line per run`)}">${svg.replace(/^<\?xml[^>]*>\s*/, '')}</figure>`,
    );
  }
  const artifacts = runs
    .map(
      (r, i) =>
        `<h3>Run <code>${ids[i]}</code></h3>${
          r.artifacts.length === 0
            ? '<p>No artifacts.</p>'
            : `<table><thead><tr><th scope="col">artifact</th><th scope="col">sha256</th><th scope="col">path</th></tr></thead><tbody>${r.artifacts
                .map(
                  (a) =>
                    `<tr><td>${html(a.name)}</td><td><code>${a.sha256.slice(0, 16)}…</code></td><td><code>${html(a.path)}</code></td></tr>`,
                )
                .join('')}</tbody></table>`
        }`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Runs · @mle/mlops</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Runs</h1>
<p>${runs.length} run${runs.length === 1 ? '' : 's'} from the tracking store; highlighted rows differ between runs.</p>
<table>
<thead><tr><th scope="col">field</th>${ids.map((id) => `<th scope="col"><code>${id}</code></th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Metrics</h2>
${charts.join('\n') || '<p>No metrics logged.</p>'}
<h2>Artifacts</h2>
${artifacts}
</main>
</body>
</html>
`;
}
