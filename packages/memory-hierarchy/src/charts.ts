import { lineChartSvg } from '@mle/report';
import { formatBytes } from './compare.js';
import { type Results, reportedCaches } from './experiments.js';
import { dataCaches } from './system-caches.js';

const KiB = 1024;

/** The package's SVG charts, by file name, drawn from one run's results. */
export async function drawCharts(results: Results): Promise<Record<string, string>> {
  const kib = (points: readonly { bytes: number; ns: number }[]) =>
    points.map((p) => ({ x: p.bytes / KiB, y: p.ns }));
  const system = dataCaches(reportedCaches(results.system)?.caches ?? []);
  const systemMarkers = system.map((c) => ({
    x: c.bytes / KiB,
    label: `L${c.level} ${formatBytes(c.bytes)} (system)`,
  }));
  const latency = await lineChartSvg({
    title: 'Latency of a dependent load vs working set',
    x: { label: 'working set (KiB)', log: true },
    y: { label: 'ns per load', log: true },
    series: [
      { name: 'random (JS)', points: kib(results.latency.random.js) },
      { name: 'random (wasm)', points: kib(results.latency.random.wasm) },
      { name: 'page by page', points: kib(results.latency.pageLocal) },
      { name: 'one line per page', points: kib(results.latency.tlb) },
    ],
    markers: [
      ...results.hierarchy.levels.map((l) => ({
        x: l.bytes / KiB,
        label: `L${l.level} knee ${formatBytes(l.bytes)}`,
      })),
      ...systemMarkers,
    ],
    width: 640,
    height: 380,
  });
  const kernels = [...new Set(results.bandwidth.map((p) => p.kernel))];
  const bandwidth = await lineChartSvg({
    title: 'Sequential bandwidth vs working set',
    x: { label: 'working set (KiB)', log: true },
    y: { label: 'GB/s', log: true },
    series: kernels.map((kernel) => ({
      name: kernel,
      points: results.bandwidth
        .filter((p) => p.kernel === kernel)
        .map((p) => ({ x: p.bytes / KiB, y: p.gbPerSecond })),
    })),
    markers: systemMarkers,
    width: 640,
  });
  const stride = await lineChartSvg({
    title: 'Useful bandwidth of strided reads (64 MiB of int32)',
    x: { label: 'stride (4-byte elements)', log: true },
    y: { label: 'useful GB/s', log: true },
    series: (['JS', 'wasm'] as const).map((engine) => ({
      name: `strided sum (${engine})`,
      points: results.stride
        .filter((p) => p.engine === engine)
        .map((p) => ({ x: p.stride, y: p.usefulGbPerSecond })),
    })),
    markers: lineMarker(results.lineBytes, 4, ' (measured)'),
  });
  const lineSize = await lineChartSvg({
    title: 'Two loads per random block: cost vs distance between them',
    x: { label: 'offset of the second load (bytes)', log: true },
    y: { label: 'ns per block' },
    series: [
      {
        name: 'pair chain (wasm)',
        points: results.pairs.map((p) => ({ x: p.offsetBytes, y: p.nsPerBlock })),
      },
    ],
    markers: lineMarker(results.lineBytes, 1, ''),
  });
  return {
    'latency.svg': latency,
    'bandwidth.svg': bandwidth,
    'stride.svg': stride,
    'line-size.svg': lineSize,
  };
}

/** A marker at the measured line (in units of `bytesPerUnit`), or none when the probe could not tell. */
function lineMarker(lineBytes: number | undefined, bytesPerUnit: number, suffix: string) {
  return lineBytes === undefined
    ? []
    : [{ x: lineBytes / bytesPerUnit, label: `line ${lineBytes} B${suffix}` }];
}
