/**
 * Reliability diagrams as Vega-Lite specs (render them with `render.ts`): per-bin accuracy against
 * confidence with the diagonal of perfect calibration, the gap coloured by its side (over-confident red,
 * under-confident orange), the per-bin counts below, and the ECE (with its bootstrap interval when given)
 * in the title; the overlay of the curves of every temperature tried (the uncalibrated one in blue, the
 * best one in red, the others coloured along a sequential scale of T with a legend); and the small
 * multiples of one reliability diagram per temperature.
 *
 * A binary model's top-label confidence max(p, 1 - p) is never below 0.5: pass `xDomain: [0.5, 1]` to
 * draw only that half (the study does). For positive-class probabilities keep [0, 1] and name the axis
 * (`xTitle: "Predicted probability of class 1"`).
 *
 * The specs are plain JSON (no dependency here) with a non-enumerable Jupyter display method (see
 * `chart_display.ts`); they name their marks (`accuracy`, `gap`, `diagonal`, `counts`, `countLabels`,
 * `curves`, `uncalibrated`, `best`) so that the rendered SVG can be checked.
 *
 * @module
 */

import type { BinRow } from "./binning.ts";
import { withChartDisplay } from "./chart_display.ts";
import { checkOptionsObject, describe } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { DIAGRAM_KEYS, OVERLAY_KEYS } from "./option_keys.ts";

/** A Vega-Lite specification (plain JSON). */
export type VegaLiteSpec = Record<string, unknown>;

/**
 * The Vega-Lite schema the specs are written for.
 *
 * @example
 * ```ts
 * import { VEGA_LITE_SCHEMA } from "./diagram.ts";
 * const spec = { $schema: VEGA_LITE_SCHEMA, mark: "point" };
 * ```
 */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/**
 * The colors: uncalibrated (blue), best (red), as matplotlib's tab10 blue and red; the gap when the
 * model is over-confident (red) and under-confident (orange); the bars (blue) and counts (gray); and the
 * sequential scheme of the other temperatures (Vega's `viridis`, dark for low T, yellow for high T).
 *
 * @example
 * ```ts
 * import { COLORS } from "./diagram.ts";
 * COLORS.best; // "#d62728"
 * ```
 */
export const COLORS = {
  uncalibrated: "#1f77b4",
  best: "#d62728",
  other: "#9e9e9e",
  gap: "#d62728",
  gapUnder: "#ff7f0e",
  bars: "#1f77b4",
  counts: "#7f7f7f",
  diagonal: "#555555",
  scheme: "viridis",
};

/**
 * Shared look: a sans-serif font (see `render.ts` for fonts in PNGs), no view border.
 *
 * @example
 * ```ts
 * import { BASE_CONFIG } from "./diagram.ts";
 * const spec = { config: BASE_CONFIG, mark: "point" };
 * ```
 */
export const BASE_CONFIG = { font: "sans-serif", view: { stroke: "#dddddd" }, axis: { grid: true, gridOpacity: 0.5 } };

/** A bootstrap interval of the ECE, as `eceBootstrap` returns it (only these fields are read). */
export interface EceInterval {
  /** Lower end. */
  lower: number;
  /** Upper end. */
  upper: number;
  /** Coverage (default 0.95). */
  level?: number;
}

/** Options of {@linkcode reliabilityDiagram}. */
export interface ReliabilityDiagramOptions {
  /** The title (default "Reliability diagram"). */
  title?: string;
  /** The ECE shown in the title and legend (default: computed from the bins, sum of count / N * |gap|). */
  ece?: number;
  /** The ECE's bootstrap interval (from `eceBootstrap`), shown in the title. */
  eceInterval?: EceInterval;
  /** Width of the plot in pixels (default 360). */
  width?: number;
  /** Height of the reliability plot (default 360). */
  height?: number;
  /** Height of the histogram of counts (default 90; 0 leaves it out). */
  histogramHeight?: number;
  /**
   * The confidence range drawn (default [0, 1]); `[0.5, 1]` for a binary model's top-label confidence,
   * which is never below 0.5. A non-empty bin outside it is an error.
   */
  xDomain?: readonly [number, number];
  /** The x axis title (default "Confidence", or with `xDomain` [0.5, 1] "Confidence (top label, max(p, 1 − p))"). */
  xTitle?: string;
  /** The y axis title (default "Accuracy"). */
  yTitle?: string;
}

/**
 * The ECE of a reliability table: the count-weighted mean of |gap|.
 *
 * @example
 * ```ts
 * import { eceOfBins } from "./diagram.ts";
 * eceOfBins([{ bin: 0, lower: 0, upper: 1, count: 4, confidence: 0.9, accuracy: 0.75, gap: 0.15 }]); // 0.15
 * ```
 */
export function eceOfBins(bins: readonly BinRow[]): number {
  const n = bins.reduce((s, b) => s + b.count, 0);
  if (n === 0) return 0;
  return bins.reduce((s, b) => s + (b.count > 0 ? (b.count / n) * Math.abs(b.gap!) : 0), 0);
}

function checkBins(bins: unknown, what: string): BinRow[] {
  if (!Array.isArray(bins) || bins.length === 0) {
    throw new TypeError(
      `${what}: bins must be a non-empty array of BinRow (from reliabilityBins), got ${describe(bins)}`,
    );
  }
  for (const b of bins) {
    if (typeof b !== "object" || b === null || typeof b.count !== "number" || typeof b.lower !== "number") {
      throw new TypeError(`${what}: bins must be BinRow objects ({ lower, upper, count, confidence, accuracy, gap })`);
    }
  }
  return bins as BinRow[];
}

function checkSize(v: unknown, name: string, what: string, min = 1): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min) {
    throw new RangeError(`${what}: ${name} must be a number >= ${min}, got ${describe(v)}`);
  }
  return v;
}

function checkDomain(v: unknown, what: string): [number, number] {
  if (v === undefined) return [0, 1];
  if (
    !Array.isArray(v) || v.length !== 2 || typeof v[0] !== "number" || typeof v[1] !== "number" ||
    !(v[0] >= 0 && v[0] < v[1] && v[1] <= 1)
  ) {
    throw new RangeError(`${what}: xDomain must be [lo, hi] with 0 <= lo < hi <= 1, got ${JSON.stringify(v)}`);
  }
  return [v[0], v[1]];
}

/**
 * Every non-empty bin's mean confidence must lie in the domain. (A bin may stick out: with `(lower,
 * upper]` edges a binary model's confidence of exactly 0.5 falls in the bin (0.4, 0.5]; it is drawn
 * clamped to the domain, at 0.5.)
 */
function checkInside(rows: readonly BinRow[], domain: [number, number], what: string): void {
  for (const b of rows) {
    const c = b.confidence ?? (b.lower + b.upper) / 2;
    if (b.count > 0 && (c < domain[0] || c > domain[1])) {
      throw new RangeError(
        `${what}: bin ${b.bin} (${b.lower}, ${b.upper}] holds ${b.count} samples but lies outside xDomain ` +
          `[${domain.join(", ")}]; widen xDomain (a top-label confidence of a binary model is >= 0.5, ` +
          `a positive-class probability needs [0, 1])`,
      );
    }
  }
}

/**
 * `4.21%` for 0.0421.
 *
 * @example
 * ```ts
 * import { percent } from "./diagram.ts";
 * percent(0.0421); // "4.21%"
 * ```
 */
export function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/**
 * The ECE in words, with its bootstrap interval when given: `ECE 4.21% (95% bootstrap CI 3.10%–5.02%)`.
 *
 * @example
 * ```ts
 * import { eceText } from "./diagram.ts";
 * eceText(0.0421, { lower: 0.031, upper: 0.0502 }); // "ECE 4.21% (95% bootstrap CI 3.10%–5.02%)"
 * ```
 */
export function eceText(ece: number, interval?: EceInterval): string {
  if (interval === undefined) return `ECE ${percent(ece)}`;
  if (!Number.isFinite(interval.lower) || !Number.isFinite(interval.upper) || interval.lower > interval.upper) {
    throw new RangeError(`eceInterval must have finite lower <= upper, got ${JSON.stringify(interval)}`);
  }
  const level = Math.round(100 * (interval.level ?? 0.95) * 10) / 10;
  return `ECE ${percent(ece)} (${level}% bootstrap CI ${percent(interval.lower)}–${percent(interval.upper)})`;
}

const TOP_LABEL_TITLE = "Confidence (top label, max(p, 1 − p))";
const LEGEND_LABELS = [
  "Accuracy (bar top, or top of an orange gap)",
  "Gap: over-confident (confidence above accuracy)",
  "Gap: under-confident (accuracy above confidence)",
  "Perfect calibration",
];

function defaultXTitle(domain: [number, number], given: string | undefined): string {
  return given ?? (domain[0] === 0.5 && domain[1] === 1 ? TOP_LABEL_TITLE : "Confidence");
}

/** The bins to draw, with the side of their gap. */
function filledRows(rows: readonly BinRow[], domain: [number, number]): Record<string, unknown>[] {
  return rows.filter((b) => b.count > 0).map((b) => ({
    bin: b.bin,
    // the drawn edges, clamped to the domain; the bin's own in `edges`
    lower: Math.max(b.lower, domain[0]),
    upper: Math.min(b.upper, domain[1]),
    edges: `(${b.lower.toFixed(3)}, ${b.upper.toFixed(3)}]`,
    count: b.count,
    confidence: b.confidence,
    accuracy: b.accuracy,
    gap: b.gap,
    base: Math.min(b.accuracy ?? 0, b.confidence ?? 0),
    side: (b.gap ?? 0) >= 0 ? LEGEND_LABELS[1] : LEGEND_LABELS[2],
  }));
}

/** The layers of one reliability plot: bars of accuracy, the gaps, the diagonal. */
function reliabilityLayers(
  filled: Record<string, unknown>[],
  domain: [number, number],
  axes: { xTitle: string; yTitle: string; legendTitle: string | null; names: boolean },
): VegaLiteSpec[] {
  const color = (encoding: Record<string, unknown>) => ({
    ...encoding,
    type: "nominal",
    scale: { domain: LEGEND_LABELS, range: [COLORS.bars, COLORS.gap, COLORS.gapUnder, COLORS.diagonal] },
    legend: axes.legendTitle === null
      ? null
      : { title: axes.legendTitle, orient: "bottom", direction: "vertical", labelLimit: 0 },
  });
  const x = { field: "lower", type: "quantitative", scale: { domain }, title: axes.xTitle };
  const tooltip = [
    { field: "edges", title: "bin" },
    { field: "count" },
    { field: "confidence", format: ".3f" },
    { field: "accuracy", format: ".3f" },
  ];
  const named = (name: string) => (axes.names ? { name } : {});
  return [
    {
      ...named("accuracy"),
      data: { values: filled },
      mark: { type: "rect", stroke: "white", strokeWidth: 1, clip: true },
      encoding: {
        x,
        x2: { field: "upper" },
        y: { field: "base", type: "quantitative", scale: { domain: [0, 1] }, title: axes.yTitle },
        y2: { datum: 0 },
        color: color({ datum: LEGEND_LABELS[0] }),
        tooltip,
      },
    },
    {
      ...named("gap"),
      data: { values: filled },
      mark: { type: "rect", opacity: 0.6, clip: true },
      encoding: {
        x,
        x2: { field: "upper" },
        y: { field: "accuracy", type: "quantitative" },
        y2: { field: "confidence" },
        color: color({ field: "side" }),
        tooltip: [...tooltip, { field: "gap", format: "+.3f" }],
      },
    },
    {
      ...named("diagonal"),
      data: { values: [{ p: domain[0] }, { p: domain[1] }] },
      mark: { type: "line", strokeDash: [4, 4], strokeWidth: 1.5, clip: true },
      encoding: {
        x: { field: "p", type: "quantitative", scale: { domain } },
        y: { field: "p", type: "quantitative", scale: { domain: [0, 1] } },
        color: color({ datum: LEGEND_LABELS[3] }),
      },
    },
  ];
}

/**
 * The reliability diagram of a reliability table (from `reliabilityBins` or `calibrationReport().bins`):
 * accuracy bars, the gap to the diagonal coloured by side (legend), the per-bin counts below (bars with
 * the number on each), and the ECE with its bootstrap interval in the title.
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { calibrationReport, eceBootstrap } from "./mod.ts";
 * import { reliabilityDiagram } from "./diagram.ts";
 * const logits = randn([500, 10]).mul(3), labels = randint(0, 10, [500]);
 * const r = calibrationReport(logits, labels, { input: "logits" });
 * const ci = eceBootstrap(logits, labels, { input: "logits" });
 * const spec = reliabilityDiagram(r.bins, { title: "Uncalibrated", ece: r.ece, eceInterval: ci });
 * ```
 */
export function reliabilityDiagram(bins: readonly BinRow[], options: ReliabilityDiagramOptions = {}): VegaLiteSpec {
  checkOptionsObject("reliabilityDiagram", options);
  checkOptions("reliabilityDiagram", options, DIAGRAM_KEYS);
  const what = "reliabilityDiagram";
  const rows = checkBins(bins, what);
  const width = checkSize(options.width ?? 360, "width", what);
  const height = checkSize(options.height ?? 360, "height", what);
  const histogramHeight = checkSize(options.histogramHeight ?? 90, "histogramHeight", what, 0);
  const domain = checkDomain(options.xDomain, what);
  checkInside(rows, domain, what);
  const ece = options.ece ?? eceOfBins(rows);
  if (typeof ece !== "number" || !Number.isFinite(ece)) {
    throw new RangeError(`${what}: ece must be finite, got ${describe(ece)}`);
  }
  const filled = filledRows(rows, domain);
  const n = rows.reduce((s, b) => s + b.count, 0);
  const xTitle = defaultXTitle(domain, options.xTitle);
  const reliability = {
    width,
    height,
    layer: reliabilityLayers(filled, domain, {
      xTitle,
      yTitle: options.yTitle ?? "Accuracy",
      legendTitle: `ECE = ${percent(ece)}`,
      names: true,
    }),
  };
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "Reliability diagram",
      subtitle: `${eceText(ece, options.eceInterval)} · N = ${n} · ${rows.length} bin${rows.length === 1 ? "" : "s"}`,
      anchor: "start",
    },
    config: BASE_CONFIG,
    background: "white",
  };
  if (histogramHeight === 0) return withChartDisplay({ ...spec, ...reliability });
  const x = { field: "lower", type: "quantitative", scale: { domain }, title: xTitle };
  const counts = {
    width,
    height: histogramHeight,
    data: { values: filled },
    encoding: {
      x,
      y: { field: "count", type: "quantitative", title: "Count", scale: { nice: true } },
    },
    layer: [
      {
        name: "counts",
        mark: { type: "rect", color: COLORS.counts, stroke: "white", strokeWidth: 1, clip: true },
        encoding: {
          x2: { field: "upper" },
          y2: { datum: 0 },
          tooltip: [{ field: "edges", title: "bin" }, { field: "count" }],
        },
      },
      {
        name: "countLabels",
        mark: { type: "text", baseline: "bottom", dy: -2, fontSize: 10, color: "#333333" },
        encoding: {
          x: { field: "mid", type: "quantitative" },
          text: { field: "count", type: "quantitative" },
        },
        transform: [{ calculate: "(datum.lower + datum.upper) / 2", as: "mid" }],
      },
    ],
  };
  return withChartDisplay({ ...spec, vconcat: [reliability, counts], spacing: 8 });
}

/** One curve of {@linkcode reliabilityOverlay}: the reliability table at a temperature. */
export interface OverlayCurve {
  /** The temperature. */
  temperature: number;
  /** Its reliability table. */
  bins: readonly BinRow[];
  /** Its ECE (default: computed from the bins). */
  ece?: number;
}

/** Options of {@linkcode reliabilityOverlay}. */
export interface OverlayOptions {
  /** The uncalibrated temperature, drawn in blue (default 1). */
  initialT?: number;
  /** The best temperature (e.g. the fitted one), drawn in red (required). */
  bestT: number;
  /** What the best temperature is called in the legend (default "best"; the study says "fitted"). */
  bestName?: string;
  /** The title (default "Reliability at every temperature tried"). */
  title?: string;
  /** Width and height of the plot in pixels (default 420). */
  size?: number;
  /** The confidence range drawn (default [0, 1]; [0.5, 1] for a binary top-label confidence). */
  xDomain?: readonly [number, number];
  /** The x axis title (default as in {@linkcode reliabilityDiagram}). */
  xTitle?: string;
}

function findCurves(curves: readonly OverlayCurve[], options: OverlayOptions, what: string) {
  if (!Array.isArray(curves) || curves.length === 0) {
    throw new TypeError(`${what}: curves must be a non-empty array of { temperature, bins, ece }`);
  }
  const initialT = options?.initialT ?? 1;
  const bestT = options?.bestT;
  if (typeof bestT !== "number" || !(bestT > 0)) {
    throw new RangeError(`${what}: bestT must be a temperature > 0, got ${describe(bestT)}`);
  }
  for (const c of curves) {
    if (typeof c?.temperature !== "number" || !(c.temperature > 0)) {
      throw new RangeError(`${what}: every curve needs a temperature > 0, got ${c?.temperature}`);
    }
    checkBins(c.bins, what);
  }
  const find = (t: number, name: string) => {
    const i = curves.findIndex((c) => Math.abs(c.temperature - t) <= 1e-9 * Math.max(1, t));
    if (i < 0) {
      throw new RangeError(
        `${what}: no curve at ${name} = ${t} (temperatures: ${curves.map((c) => c.temperature).join(", ")})`,
      );
    }
    return i;
  };
  const iInitial = find(initialT, "initialT"), iBest = find(bestT, "bestT");
  const order = curves.map((_, i) => i).sort((a, b) => curves[a].temperature - curves[b].temperature);
  const domain = checkDomain(options.xDomain, what);
  for (const c of curves) checkInside(c.bins, domain, what);
  const ece = (c: OverlayCurve) => c.ece ?? eceOfBins(c.bins);
  const role = (i: number) => (i === iBest ? "best" : i === iInitial ? "uncalibrated" : "other");
  return { iInitial, iBest, order, domain, ece, role };
}

/** The legend ticks of a log scale of temperatures: powers of 2 within [lo, hi], or the ends. */
function temperatureTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.ceil(Math.log2(lo) - 1e-9); k <= Math.floor(Math.log2(hi) + 1e-9); k++) ticks.push(2 ** k);
  return ticks.length >= 2 ? ticks : [lo, hi];
}

/**
 * The reliability curves (per-bin accuracy against mean confidence) of every temperature tried, over the
 * diagonal: the uncalibrated curve in blue and the best in red (thick, with points, named in a legend
 * with their ECE), the others coloured along a sequential scale of T (log scale, a gradient legend of T).
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { temperatureSweep } from "./sweep.ts";
 * import { reliabilityOverlay } from "./diagram.ts";
 * const s = temperatureSweep(randn([500, 10]).mul(3), randint(0, 10, [500]), { input: "logits", onFailure: "warn" });
 * const spec = reliabilityOverlay(s.points, { initialT: s.initialT, bestT: s.bestT, bestName: "fitted" });
 * ```
 */
export function reliabilityOverlay(curves: readonly OverlayCurve[], options: OverlayOptions): VegaLiteSpec {
  checkOptions("reliabilityOverlay", options, OVERLAY_KEYS);
  const what = "reliabilityOverlay";
  const { iInitial, iBest, order, domain, ece, role } = findCurves(curves, options, what);
  const size = checkSize(options.size ?? 420, "size", what);
  const bestName = options.bestName ?? "best";
  const label = (i: number) => {
    const c = curves[i];
    const name = i === iBest ? bestName : "uncalibrated";
    return `${name}: T = ${c.temperature.toFixed(3)} (ECE ${percent(ece(c))})`;
  };
  const values: Record<string, unknown>[] = [];
  for (const i of order) {
    const c = curves[i];
    for (const b of c.bins) {
      if (b.count === 0) continue;
      values.push({
        series: role(i) === "other" ? `T = ${c.temperature.toFixed(3)}` : label(i),
        role: role(i),
        temperature: c.temperature,
        ece: ece(c),
        confidence: b.confidence,
        accuracy: b.accuracy,
        count: b.count,
      });
    }
  }
  const others = order.filter((i) => role(i) === "other");
  const highlighted = iInitial === iBest ? [iBest] : [iInitial, iBest];
  const tMin = Math.min(...others.map((i) => curves[i].temperature));
  const tMax = Math.max(...others.map((i) => curves[i].temperature));
  const xTitle = defaultXTitle(domain, options.xTitle);
  // with a cut x axis (top-label binary), the y axis starts near the lowest accuracy drawn
  const lowest = Math.min(...values.map((v) => v.accuracy as number));
  const yLo = domain[0] > 0 ? Math.max(0, Math.min(domain[0], Math.floor(10 * lowest) / 10)) : 0;
  const tooltip = [
    { field: "series" },
    { field: "ece", format: ".4f" },
    { field: "confidence", format: ".3f" },
    { field: "accuracy", format: ".3f" },
    { field: "count" },
  ];
  const line = (name: string, r: string, color: unknown, strong: boolean): VegaLiteSpec => ({
    name,
    data: { values },
    transform: [{ filter: `datum.role === '${r}'` }],
    mark: {
      type: "line",
      point: strong ? { size: 36, filled: true } : false,
      clip: true,
      strokeWidth: strong ? 3 : 1.5,
    },
    encoding: {
      x: { field: "confidence", type: "quantitative" },
      y: { field: "accuracy", type: "quantitative" },
      detail: { field: "temperature", type: "quantitative" },
      order: { field: "confidence", type: "quantitative" },
      color,
      tooltip,
    },
  });
  const layers: VegaLiteSpec[] = [
    {
      name: "diagonal",
      data: { values: [{ p: domain[0] }, { p: domain[1] }] },
      mark: { type: "line", strokeDash: [4, 4], strokeWidth: 1.5, color: COLORS.diagonal },
      encoding: {
        x: { field: "p", type: "quantitative", scale: { domain }, title: xTitle },
        y: { field: "p", type: "quantitative", scale: { domain: [yLo, 1] }, title: "Accuracy" },
      },
    },
  ];
  if (others.length > 0) {
    layers.push(line("curves", "other", {
      field: "temperature",
      type: "quantitative",
      scale: { type: "log", scheme: COLORS.scheme, domain: [tMin, tMax] },
      legend: {
        title: `T (${others.length} others)`,
        type: "gradient",
        values: temperatureTicks(tMin, tMax),
        format: ".3~g",
        gradientLength: Math.min(200, size / 2),
      },
    }, false));
  }
  // the highlighted curves share one nominal scale, independent of the sequential one
  const highlightedColor = {
    field: "series",
    type: "nominal",
    scale: {
      domain: highlighted.map(label),
      range: highlighted.map((i) => (i === iBest ? COLORS.best : COLORS.uncalibrated)),
    },
    legend: {
      title: "Highlighted",
      orient: "right",
      labelLimit: 0,
      symbolType: "stroke",
      symbolStrokeWidth: 3,
    },
  };
  const highlightedLayers = highlighted.map((i) => line(role(i), role(i), highlightedColor, true));
  layers.push(highlightedLayers.length === 1 ? highlightedLayers[0] : { layer: highlightedLayers });
  const sub = [
    `blue: uncalibrated (T = ${curves[iInitial].temperature.toFixed(3)}); red: ${bestName} T = ${
      curves[iBest].temperature.toFixed(3)
    }`,
    others.length > 0 ? `the ${others.length} other temperatures coloured by T (legend)` : "",
  ].filter((s) => s !== "");
  return withChartDisplay({
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? "Reliability at every temperature tried", subtitle: sub },
    config: BASE_CONFIG,
    background: "white",
    width: size,
    height: size,
    layer: layers,
    resolve: { scale: { color: "independent" } },
  });
}

/** Options of {@linkcode reliabilityGrid}. */
export interface ReliabilityGridOptions extends OverlayOptions {
  /** Panels per row (default 4). */
  columns?: number;
  /** Width and height of each panel in pixels (default 150). */
  panelSize?: number;
}

/**
 * One small reliability diagram per temperature tried (small multiples, in increasing T), each titled
 * with its T and ECE; the uncalibrated panel's title in blue, the best one's in red.
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { temperatureSweep } from "./sweep.ts";
 * import { reliabilityGrid } from "./diagram.ts";
 * const s = temperatureSweep(randn([500, 10]).mul(3), randint(0, 10, [500]), { input: "logits", onFailure: "warn" });
 * const spec = reliabilityGrid(s.points, { initialT: s.initialT, bestT: s.bestT, columns: 6 });
 * ```
 */
export function reliabilityGrid(curves: readonly OverlayCurve[], options: ReliabilityGridOptions): VegaLiteSpec {
  const what = "reliabilityGrid";
  const { order, domain, ece, role } = findCurves(curves, options, what);
  const columns = checkSize(options.columns ?? 4, "columns", what);
  if (!Number.isInteger(columns)) throw new RangeError(`${what}: columns must be an integer, got ${columns}`);
  const panel = checkSize(options.panelSize ?? 150, "panelSize", what, 40);
  const bestName = options.bestName ?? "best";
  const xTitle = defaultXTitle(domain, options.xTitle);
  const panels = order.map((i, k) => {
    const c = curves[i];
    const r = role(i);
    const tag = r === "best" ? ` (${bestName})` : r === "uncalibrated" ? " (uncalibrated)" : "";
    return {
      title: {
        text: `T = ${c.temperature.toFixed(3)}${tag}`,
        subtitle: `ECE ${percent(ece(c))}`,
        color: r === "best" ? COLORS.best : r === "uncalibrated" ? COLORS.uncalibrated : "#000000",
        fontSize: 12,
        subtitleFontSize: 11,
      },
      width: panel,
      height: panel,
      layer: reliabilityLayers(filledRows(c.bins, domain), domain, {
        xTitle: k >= order.length - columns ? "Confidence" : "",
        yTitle: k % columns === 0 ? "Accuracy" : "",
        legendTitle: null,
        names: false,
      }).map((l, j) => ({ ...l, name: `${["accuracy", "gap", "diagonal"][j]}_${k}` })),
    };
  });
  return withChartDisplay({
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "A reliability diagram for every temperature tried",
      subtitle: [
        "blue bars: accuracy per bin (or up to confidence, then orange up to accuracy)",
        "red: over-confident gap (confidence above accuracy); orange: under-confident gap; dashed: perfect calibration",
        `x: ${xTitle.toLowerCase()}; y: accuracy`,
      ],
      anchor: "start",
    },
    config: { ...BASE_CONFIG, legend: { orient: "bottom", direction: "horizontal", columns: 2, labelLimit: 0 } },
    background: "white",
    columns,
    concat: panels,
    spacing: 12,
  });
}
