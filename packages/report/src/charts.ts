import type { TopLevelSpec } from 'vega-lite';

export interface Axis {
  label: string;
  /** Logarithmic scale; every value on this axis must then be positive. */
  log?: boolean;
  /** d3-format string for tick labels, e.g. 'd' for years without a thousands separator. */
  format?: string;
}

export interface LineSeries {
  name: string;
  points: readonly { readonly x: number; readonly y: number }[];
}

export interface LineChart {
  title: string;
  x: Axis;
  y: Axis;
  series: readonly LineSeries[];
  /** Vertical rules with a label, e.g. detected cache sizes or the epoch of early stopping. */
  markers?: readonly { readonly x: number; readonly label: string }[];
  /** Shaded regions between a lower and an upper line, e.g. a forecast's prediction interval, drawn under the lines. */
  bands?: readonly {
    readonly name: string;
    readonly points: readonly { x: number; lower: number; upper: number }[];
  }[];
  width?: number;
  height?: number;
}

export interface BarChart {
  title: string;
  /** The axis of the groups (e.g. matrix size). */
  category: string;
  value: Axis;
  /** One bar per (category, series) pair; bars of one category stand side by side. */
  bars: readonly { readonly category: string; readonly series: string; readonly value: number }[];
  width?: number;
  height?: number;
}

/** A learning curve, latency curve or any x/y series, as a standalone SVG document. */
export async function lineChartSvg(chart: LineChart): Promise<string> {
  if (chart.series.length === 0) throw new Error(`lineChartSvg(${chart.title}): no series to draw`);
  // One colour legend for lines and bands, in the order given (lines first).
  const legendOrder = [...chart.series.map((s) => s.name), ...(chart.bands ?? []).map((b) => b.name)];
  const values = chart.series.flatMap((s) => {
    if (s.points.length === 0)
      throw new Error(`lineChartSvg(${chart.title}): series "${s.name}" has no points`);
    return s.points.map((p, i) => {
      checkValue(chart.title, `series "${s.name}" point ${i} x`, p.x, chart.x.log);
      checkValue(chart.title, `series "${s.name}" point ${i} y`, p.y, chart.y.log);
      return { series: s.name, x: p.x, y: p.y };
    });
  });
  const line = {
    data: { values },
    mark: { type: 'line', point: values.length <= 200 },
    encoding: {
      x: quantitative('x', chart.x),
      y: quantitative('y', chart.y),
      color: { field: 'series', type: 'nominal', title: null, sort: legendOrder },
    },
  };
  const markers = chart.markers ?? [];
  markers.forEach((m, i) => {
    checkValue(chart.title, `marker ${i} x`, m.x, chart.x.log);
  });
  const bandValues = (chart.bands ?? []).flatMap((b) =>
    b.points.map((p, i) => {
      checkValue(chart.title, `band "${b.name}" point ${i} x`, p.x, chart.x.log);
      checkValue(chart.title, `band "${b.name}" point ${i} lower`, p.lower, chart.y.log);
      checkValue(chart.title, `band "${b.name}" point ${i} upper`, p.upper, chart.y.log);
      if (p.lower > p.upper)
        throw new Error(
          `lineChartSvg(${chart.title}): band "${b.name}" point ${i} has lower ${p.lower} > upper ${p.upper}`,
        );
      return { series: b.name, ...p };
    }),
  );
  const band = {
    data: { values: bandValues },
    mark: { type: 'area', opacity: 0.25 },
    encoding: {
      x: quantitative('x', chart.x),
      y: { ...quantitative('y', chart.y), field: 'lower' },
      y2: { field: 'upper' },
      color: { field: 'series', type: 'nominal', title: null, sort: legendOrder },
    },
  };
  const lines = bandValues.length > 0 ? [band, line] : [line];
  const layers =
    markers.length === 0
      ? lines
      : [
          ...lines,
          {
            data: { values: markers },
            mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
            encoding: { x: { field: 'x', type: 'quantitative' } },
          },
          {
            data: { values: markers },
            mark: {
              type: 'text',
              angle: 270,
              align: 'left',
              baseline: 'bottom',
              dy: -2,
              dx: 4,
              y: 0,
              color: 'gray',
            },
            encoding: { x: { field: 'x', type: 'quantitative' }, text: { field: 'label' } },
          },
        ];
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: chart.width ?? 560,
    height: chart.height ?? 320,
    layer: layers,
  } as TopLevelSpec);
}

/** Grouped bars (e.g. GFLOP/s per implementation per size), as a standalone SVG document. */
export async function groupedBarChartSvg(chart: BarChart): Promise<string> {
  if (chart.bars.length === 0) throw new Error(`groupedBarChartSvg(${chart.title}): no bars to draw`);
  chart.bars.forEach((b, i) => {
    checkValue(chart.title, `bar ${i} (${b.category}, ${b.series})`, b.value, chart.value.log);
  });
  const categories = [...new Set(chart.bars.map((b) => b.category))];
  const series = [...new Set(chart.bars.map((b) => b.series))];
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: chart.width ?? 560,
    height: chart.height ?? 320,
    data: { values: chart.bars.map((b) => ({ ...b })) },
    mark: 'bar',
    encoding: {
      x: {
        field: 'category',
        type: 'nominal',
        title: chart.category,
        sort: categories,
        axis: { labelAngle: 0 },
      },
      xOffset: { field: 'series', type: 'nominal', sort: series },
      y: {
        field: 'value',
        type: 'quantitative',
        title: chart.value.label,
        scale: scale(chart.value),
        axis: axisOf(chart.value),
      },
      // A bar needs a baseline; 0 does not exist on a log axis, so log bars start a decade below the smallest value.
      ...(chart.value.log
        ? { y2: { datum: 10 ** Math.floor(Math.log10(Math.min(...chart.bars.map((b) => b.value))) - 1) } }
        : {}),
      color: { field: 'series', type: 'nominal', title: null, sort: series },
    },
  } as TopLevelSpec);
}

export interface ScatterChart {
  title: string;
  x: Axis;
  y: Axis;
  /** Each point is drawn with its label beside it (e.g. words in a 2-D projection of their vectors). */
  points: readonly {
    readonly x: number;
    readonly y: number;
    readonly label: string;
    readonly group?: string;
  }[];
  width?: number;
  height?: number;
}

/** Labelled points, coloured by group when given, as a standalone SVG document. */
export async function scatterChartSvg(chart: ScatterChart): Promise<string> {
  if (chart.points.length === 0) throw new Error(`scatterChartSvg(${chart.title}): no points to draw`);
  chart.points.forEach((p, i) => {
    checkValue(chart.title, `point ${i} (${p.label}) x`, p.x, chart.x.log);
    checkValue(chart.title, `point ${i} (${p.label}) y`, p.y, chart.y.log);
  });
  const encoding = {
    x: quantitative('x', chart.x),
    y: quantitative('y', chart.y),
    color: { field: 'group', type: 'nominal', title: null },
  };
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: chart.width ?? 560,
    height: chart.height ?? 420,
    data: { values: chart.points.map((p) => ({ group: '', ...p })) },
    layer: [
      { mark: { type: 'point', filled: true }, encoding },
      {
        mark: { type: 'text', align: 'left', dx: 5, dy: -4 },
        encoding: { ...encoding, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec);
}

export interface RegionChart {
  title: string;
  x: Axis;
  y: Axis;
  /** Cells of a regular grid, each coloured by the class predicted at its centre; `size` is a cell's width and height. */
  cells: readonly { readonly x: number; readonly y: number; readonly group: string }[];
  size: { readonly x: number; readonly y: number };
  /** The data drawn over the regions, coloured by their true class. */
  points: readonly { readonly x: number; readonly y: number; readonly group: string }[];
  width?: number;
  height?: number;
}

/** Decision regions of a 2-D classifier (faint cells) under the data (points), one colour per class. */
export async function regionChartSvg(chart: RegionChart): Promise<string> {
  if (chart.cells.length === 0) throw new Error(`regionChartSvg(${chart.title}): no cells to draw`);
  if (!(chart.size.x > 0 && chart.size.y > 0))
    throw new Error(
      `regionChartSvg(${chart.title}): cell size must be positive, got ${chart.size.x} × ${chart.size.y}`,
    );
  [...chart.cells, ...chart.points].forEach((p, i) => {
    checkValue(chart.title, `value ${i} x`, p.x);
    checkValue(chart.title, `value ${i} y`, p.y);
  });
  const color = { field: 'group', type: 'nominal', title: null } as const;
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: chart.width ?? 480,
    height: chart.height ?? 400,
    layer: [
      {
        data: {
          values: chart.cells.map((c) => ({
            ...c,
            x2: c.x + chart.size.x,
            y2: c.y + chart.size.y,
          })),
        },
        mark: { type: 'rect', opacity: 0.25 },
        encoding: {
          x: quantitative('x', chart.x),
          x2: { field: 'x2' },
          y: quantitative('y', chart.y),
          y2: { field: 'y2' },
          color,
        },
      },
      {
        data: { values: chart.points.map((p) => ({ ...p })) },
        mark: { type: 'point', filled: true, size: 30, stroke: 'black', strokeWidth: 0.5 },
        encoding: { x: quantitative('x', chart.x), y: quantitative('y', chart.y), color },
      },
    ],
  } as TopLevelSpec);
}

/** The encoding of a numeric position channel from its axis: title, linear or log scale, tick format. */
function quantitative(field: 'x' | 'y', axis: Axis) {
  return { field, type: 'quantitative', title: axis.label, scale: scale(axis), axis: axisOf(axis) } as const;
}

function axisOf(axis: Axis) {
  return axis.format === undefined ? {} : { format: axis.format };
}

function scale(axis: Axis) {
  return axis.log ? { type: 'log' as const } : { zero: false };
}

function checkValue(title: string, where: string, value: number, log = false): void {
  if (!Number.isFinite(value))
    throw new Error(`chart "${title}": ${where} is ${value}, expected a finite number`);
  if (log && value <= 0)
    throw new Error(`chart "${title}": ${where} is ${value}, a log axis needs positive values`);
}

/**
 * Vega and Vega-Lite are loaded on the first chart, not with the package: code that imports @mle/report for its
 * tables, progress bars or bench helpers does not load a chart renderer (and its d3 tree) it never uses.
 */
async function render(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
