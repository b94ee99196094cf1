import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { groupedBarChartSvg, lineChartSvg, regionChartSvg, scatterChartSvg } from '../src/index.js';

type Element = Record<string, unknown>;

/** Every element of the parsed SVG, depth first, with its attributes (prefixed "@"). */
function elements(svg: string): { tag: string; attrs: Element; text?: string }[] {
  const tree = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    preserveOrder: true,
  }).parse(svg);
  const out: { tag: string; attrs: Element; text?: string }[] = [];
  const walk = (nodes: Element[]) => {
    for (const node of nodes) {
      const tag = Object.keys(node).find((k) => k !== ':@')!;
      const children = node[tag] as Element[];
      const text = Array.isArray(children)
        ? (children.find((c) => '#text' in c)?.['#text'] as string)
        : undefined;
      out.push({ tag, attrs: (node[':@'] as Element) ?? {}, text });
      if (Array.isArray(children)) walk(children);
    }
  };
  walk(tree);
  return out;
}

const curve = {
  title: 'Learning curve',
  x: { label: 'epoch' },
  y: { label: 'loss' },
  series: [
    { name: 'train', points: [1, 0.5, 0.25, 0.2].map((y, i) => ({ x: i + 1, y })) },
    { name: 'dev', points: [1.3, 0.7, 0.5, 0.45].map((y, i) => ({ x: i + 1, y })) },
  ],
};

describe('lineChartSvg', () => {
  it('renders a well-formed SVG holding every point of every series, placed by value', async () => {
    const svg = await lineChartSvg({ ...curve, markers: [{ x: 3, label: 'early stop' }] });
    expect(XMLValidator.validate(svg)).toBe(true);
    const all = elements(svg);
    expect(all[0]!.tag).toBe('svg');
    const points = all.filter((e) => e.attrs['@aria-roledescription'] === 'point');
    const labels = points.map((p) => p.attrs['@aria-label']);
    for (const s of curve.series) {
      for (const p of s.points) expect(labels).toContain(`epoch: ${p.x}; loss: ${p.y}; series: ${s.name}`);
    }
    expect(points.length).toBe(8);
    // A larger loss sits higher on the page: a smaller SVG y coordinate.
    const y = (label: string) =>
      Number(
        /translate\([^,]+,([^)]+)\)/.exec(
          String(points.find((p) => p.attrs['@aria-label'] === label)!.attrs['@transform']),
        )![1],
      );
    expect(y('epoch: 1; loss: 1; series: train')).toBeLessThan(y('epoch: 4; loss: 0.2; series: train'));
    const legend = all.filter((e) => e.attrs['@class'] === 'mark-text role-legend-label');
    expect(legend.length).toBe(curve.series.length);
    expect(all.filter((e) => e.tag === 'text').map((e) => e.text)).toEqual(
      expect.arrayContaining(['train', 'dev', 'epoch', 'loss', 'Learning curve', 'early stop']),
    );
  });

  it('draws a band (a prediction interval) as an area under the lines, and refuses a band upside down', async () => {
    const band = {
      name: '95% interval',
      points: [1, 2, 3, 4].map((x) => ({ x, lower: 0.1 * x, upper: 0.2 + x })),
    };
    const svg = await lineChartSvg({ ...curve, bands: [band] });
    expect(XMLValidator.validate(svg)).toBe(true);
    const all = elements(svg);
    expect(all.some((e) => e.attrs['@aria-roledescription'] === 'area mark')).toBe(true);
    expect(all.filter((e) => e.tag === 'text').map((e) => e.text)).toContain('95% interval');
    const flipped = { name: 'bad', points: [{ x: 1, lower: 2, upper: 1 }] };
    await expect(lineChartSvg({ ...curve, bands: [flipped] })).rejects.toThrow(
      'band "bad" point 0 has lower 2 > upper 1',
    );
  });

  it('refuses data it cannot draw honestly', async () => {
    await expect(lineChartSvg({ ...curve, series: [] })).rejects.toThrow('no series to draw');
    const nan = { ...curve, series: [{ name: 'train', points: [{ x: 1, y: Number.NaN }] }] };
    await expect(lineChartSvg(nan)).rejects.toThrow(
      'series "train" point 0 y is NaN, expected a finite number',
    );
    const log = {
      ...curve,
      y: { label: 'loss', log: true },
      series: [{ name: 'a', points: [{ x: 1, y: 0 }] }],
    };
    await expect(lineChartSvg(log)).rejects.toThrow('a log axis needs positive values');
  });
});

describe('groupedBarChartSvg', () => {
  it('draws one bar per (category, series), heights ordered like the values', async () => {
    const bars = [
      { category: 'n=128', series: 'naive', value: 1.2 },
      { category: 'n=128', series: 'simd', value: 20 },
      { category: 'n=512', series: 'naive', value: 0.9 },
      { category: 'n=512', series: 'simd', value: 30 },
    ];
    const svg = await groupedBarChartSvg({
      title: 'matmul',
      category: 'size',
      value: { label: 'GFLOP/s' },
      bars,
    });
    expect(XMLValidator.validate(svg)).toBe(true);
    const rects = elements(svg).filter((e) => e.attrs['@aria-roledescription'] === 'bar');
    expect(rects.length).toBe(4);
    const height = (series: string, category: string) => {
      const rect = rects.find(
        (r) =>
          String(r.attrs['@aria-label']).includes(`series: ${series}`) &&
          String(r.attrs['@aria-label']).includes(category),
      )!;
      return Number(/v(-?[\d.]+)/.exec(String(rect.attrs['@d']))![1]);
    };
    expect(height('simd', 'n=512')).toBeGreaterThan(height('simd', 'n=128'));
    expect(height('simd', 'n=128')).toBeGreaterThan(height('naive', 'n=128'));
    expect(svg).toContain('>naive<');
    expect(svg).toContain('>n=512<');
  });

  it('draws bars on a log axis too, taller for larger values', async () => {
    const bars = [
      { category: 'a', series: 's', value: 2 },
      { category: 'a', series: 't', value: 2000 },
    ];
    const svg = await groupedBarChartSvg({
      title: 'log',
      category: 'c',
      value: { label: 'v', log: true },
      bars,
    });
    const rects = elements(svg).filter((e) => e.attrs['@aria-roledescription'] === 'bar');
    const heights = rects.map((r) => Number(/v(-?[\d.]+)/.exec(String(r.attrs['@d']))![1]));
    expect(heights.every((h) => h > 0)).toBe(true);
    expect(heights[1]).toBeGreaterThan(2 * heights[0]!);
  });

  it('rejects an empty chart and non-finite values', async () => {
    await expect(
      groupedBarChartSvg({ title: 't', category: 'c', value: { label: 'v' }, bars: [] }),
    ).rejects.toThrow('no bars to draw');
    const bad = [{ category: 'a', series: 's', value: Number.POSITIVE_INFINITY }];
    await expect(
      groupedBarChartSvg({ title: 't', category: 'c', value: { label: 'v' }, bars: bad }),
    ).rejects.toThrow('bar 0 (a, s) is Infinity');
  });
});

describe('scatterChartSvg', () => {
  it('draws every point with its label, coloured by group', async () => {
    const points = [
      { x: 0, y: 0, label: 'whale', group: 'animals' },
      { x: 1, y: 2, label: 'shark', group: 'animals' },
      { x: -1, y: 1, label: 'mast', group: 'ship' },
    ];
    const svg = await scatterChartSvg({ title: 'Words', x: { label: 'PC1' }, y: { label: 'PC2' }, points });
    expect(XMLValidator.validate(svg)).toBe(true);
    const all = elements(svg);
    const marks = all.filter((e) => e.attrs['@aria-roledescription'] === 'point');
    expect(marks.map((m) => m.attrs['@aria-label'])).toEqual(
      // d3-format writes a minus sign (U+2212), not a hyphen.
      points.map((p) => `PC1: ${String(p.x).replace('-', '\u2212')}; PC2: ${p.y}; group: ${p.group}`),
    );
    expect(all.filter((e) => e.tag === 'text').map((e) => e.text)).toEqual(
      expect.arrayContaining(['whale', 'shark', 'mast', 'animals', 'ship', 'Words']),
    );
    await expect(
      scatterChartSvg({ title: 'x', x: { label: 'a' }, y: { label: 'b' }, points: [] }),
    ).rejects.toThrow('no points to draw');
  });
});

describe('regionChartSvg', () => {
  it('draws a rectangle per grid cell and a point per sample, both coloured by class', async () => {
    const cells = [
      { x: 0, y: 0, group: 'a' },
      { x: 1, y: 0, group: 'b' },
      { x: 0, y: 1, group: 'a' },
      { x: 1, y: 1, group: 'b' },
    ];
    const points = [
      { x: 0.5, y: 0.5, group: 'a' },
      { x: 1.5, y: 1.2, group: 'b' },
    ];
    const svg = await regionChartSvg({
      title: 'Regions',
      x: { label: 'u' },
      y: { label: 'v' },
      cells,
      size: { x: 1, y: 1 },
      points,
    });
    expect(XMLValidator.validate(svg)).toBe(true);
    const all = elements(svg);
    expect(all.filter((e) => e.attrs['@aria-roledescription'] === 'rect mark')).toHaveLength(4);
    expect(all.filter((e) => e.attrs['@aria-roledescription'] === 'point')).toHaveLength(2);
    await expect(
      regionChartSvg({
        title: 'x',
        x: { label: 'u' },
        y: { label: 'v' },
        cells,
        size: { x: 0, y: 1 },
        points,
      }),
    ).rejects.toThrow('cell size must be positive');
  });
});
