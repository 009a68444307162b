/**
 * Reliability diagrams as Vega-Lite specs (render them with `render.ts`): per-bin accuracy against
 * confidence with the diagonal of perfect calibration, the gap shaded, a histogram of the bin counts
 * below, and the ECE in the legend; and the overlay of the curves of every temperature tried, the
 * uncalibrated one in blue and the best one in red, the others muted.
 *
 * The specs are plain JSON (no dependency here); they name their marks (`accuracy`, `gap`, `diagonal`,
 * `counts`, `curves`) so that the rendered SVG can be checked.
 *
 * @module
 */

import type { BinRow } from "./binning.ts";
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
 * The colors: uncalibrated (blue), best (red), others (muted gray), as matplotlib's tab10 blue and red.
 *
 * @example
 * ```ts
 * import { COLORS } from "./diagram.ts";
 * COLORS.best; // "#d62728"
 * ```
 */
export const COLORS = { uncalibrated: "#1f77b4", best: "#d62728", other: "#9e9e9e", gap: "#d62728", bars: "#1f77b4" };

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

/** Options of {@linkcode reliabilityDiagram}. */
export interface ReliabilityDiagramOptions {
  /** The title (default "Reliability diagram"). */
  title?: string;
  /** The ECE shown in the legend (default: computed from the bins, sum of count / N * |gap|). */
  ece?: number;
  /** Width of the plot in pixels (default 360). */
  width?: number;
  /** Height of the reliability plot (default 360). */
  height?: number;
  /** Height of the histogram of counts (default 90; 0 leaves it out). */
  histogramHeight?: number;
  /** The x axis title (default "Confidence"). */
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
    throw new TypeError(`${what}: bins must be a non-empty array of BinRow (from reliabilityBins), got ${typeof bins}`);
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
    throw new RangeError(`${what}: ${name} must be a number >= ${min}, got ${String(v)}`);
  }
  return v;
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
 * The reliability diagram of a reliability table (from `reliabilityBins` or `calibrationReport().bins`).
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { calibrationReport } from "./metrics.ts";
 * import { reliabilityDiagram } from "./diagram.ts";
 * const r = calibrationReport(randn([500, 10]).mul(3), randint(0, 10, [500]), { input: "logits" });
 * const spec = reliabilityDiagram(r.bins, { title: "Uncalibrated", ece: r.ece });
 * ```
 */
export function reliabilityDiagram(bins: readonly BinRow[], options: ReliabilityDiagramOptions = {}): VegaLiteSpec {
  checkOptions("reliabilityDiagram", options, DIAGRAM_KEYS);
  const what = "reliabilityDiagram";
  const rows = checkBins(bins, what);
  const width = checkSize(options.width ?? 360, "width", what);
  const height = checkSize(options.height ?? 360, "height", what);
  const histogramHeight = checkSize(options.histogramHeight ?? 90, "histogramHeight", what, 0);
  const ece = options.ece ?? eceOfBins(rows);
  if (typeof ece !== "number" || !Number.isFinite(ece)) throw new RangeError(`${what}: ece must be finite, got ${ece}`);
  const filled = rows.filter((b) => b.count > 0).map((b) => ({
    bin: b.bin,
    lower: b.lower,
    upper: b.upper,
    count: b.count,
    confidence: b.confidence,
    accuracy: b.accuracy,
    gap: b.gap,
  }));
  const labels = ["Accuracy", "Gap", "Perfect calibration"];
  const color = (label: string) => ({
    datum: label,
    type: "nominal",
    scale: { domain: labels, range: [COLORS.bars, COLORS.gap, "#555555"] },
    legend: { title: `ECE = ${percent(ece)}`, orient: "top-left", fillColor: "white", padding: 6, labelLimit: 0 },
  });
  const x = {
    field: "lower",
    type: "quantitative",
    scale: { domain: [0, 1] },
    title: options.xTitle ?? "Confidence",
  };
  const tooltip = [
    { field: "lower", format: ".3f" },
    { field: "upper", format: ".3f" },
    { field: "count" },
    { field: "confidence", format: ".3f" },
    { field: "accuracy", format: ".3f" },
  ];
  const reliability = {
    width,
    height,
    layer: [
      {
        name: "accuracy",
        data: { values: filled },
        mark: { type: "rect", stroke: "white", strokeWidth: 1 },
        encoding: {
          x,
          x2: { field: "upper" },
          y: {
            field: "accuracy",
            type: "quantitative",
            scale: { domain: [0, 1] },
            title: options.yTitle ?? "Accuracy",
          },
          y2: { datum: 0 },
          color: color("Accuracy"),
          tooltip,
        },
      },
      {
        name: "gap",
        data: { values: filled },
        mark: { type: "rect", opacity: 0.3, stroke: COLORS.gap, strokeWidth: 1 },
        encoding: {
          x,
          x2: { field: "upper" },
          y: { field: "accuracy", type: "quantitative" },
          y2: { field: "confidence" },
          color: color("Gap"),
          tooltip,
        },
      },
      diagonal(color("Perfect calibration")),
    ],
  };
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Reliability diagram",
    config: BASE_CONFIG,
    background: "white",
  };
  if (histogramHeight === 0) return { ...spec, ...reliability };
  const counts = {
    name: "counts",
    width,
    height: histogramHeight,
    data: { values: filled },
    mark: { type: "rect", color: "#7f7f7f", stroke: "white", strokeWidth: 1 },
    encoding: {
      x: { ...x, title: options.xTitle ?? "Confidence" },
      x2: { field: "upper" },
      y: { field: "count", type: "quantitative", title: "Count" },
      y2: { datum: 0 },
      tooltip,
    },
  };
  return { ...spec, vconcat: [reliability, counts], spacing: 8 };
}

function diagonal(color: unknown): VegaLiteSpec {
  return {
    name: "diagonal",
    data: { values: [{ p: 0 }, { p: 1 }] },
    mark: { type: "line", strokeDash: [4, 4], strokeWidth: 1.5, clip: true },
    encoding: {
      x: { field: "p", type: "quantitative", scale: { domain: [0, 1] } },
      y: { field: "p", type: "quantitative", scale: { domain: [0, 1] } },
      color,
    },
  };
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
  /** The title (default "Reliability at every temperature tried"). */
  title?: string;
  /** Width and height of the plot in pixels (default 420). */
  size?: number;
}

/**
 * The reliability curves (per-bin accuracy against mean confidence) of every temperature tried, over
 * the diagonal: the uncalibrated curve in blue, the best in red, the others muted gray; the legend names
 * the two highlighted curves with their ECE.
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { temperatureSweep } from "./sweep.ts";
 * import { reliabilityOverlay } from "./diagram.ts";
 * const s = temperatureSweep(randn([500, 10]).mul(3), randint(0, 10, [500]), { input: "logits", onFailure: "warn" });
 * const spec = reliabilityOverlay(s.points, { initialT: s.initialT, bestT: s.bestT });
 * ```
 */
export function reliabilityOverlay(curves: readonly OverlayCurve[], options: OverlayOptions): VegaLiteSpec {
  checkOptions("reliabilityOverlay", options, OVERLAY_KEYS);
  const what = "reliabilityOverlay";
  if (!Array.isArray(curves) || curves.length === 0) {
    throw new TypeError(`${what}: curves must be a non-empty array of { temperature, bins, ece }`);
  }
  const initialT = options?.initialT ?? 1;
  const bestT = options?.bestT;
  if (typeof bestT !== "number" || !(bestT > 0)) {
    throw new RangeError(`${what}: bestT must be a temperature > 0, got ${bestT}`);
  }
  const size = checkSize(options.size ?? 420, "size", what);
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
  const label = (c: OverlayCurve) => `T = ${c.temperature.toFixed(3)} (ECE ${percent(c.ece ?? eceOfBins(c.bins))})`;
  const order = curves.map((_, i) => i).sort((a, b) => curves[a].temperature - curves[b].temperature);
  const values: Record<string, unknown>[] = [];
  for (const i of order) {
    const c = curves[i];
    const role = i === iBest ? "best" : i === iInitial ? "uncalibrated" : "other";
    for (const b of checkBins(c.bins, what)) {
      if (b.count === 0) continue;
      values.push({
        series: label(c),
        role,
        temperature: c.temperature,
        confidence: b.confidence,
        accuracy: b.accuracy,
      });
    }
  }
  const domain = order.map((i) => label(curves[i]));
  const range = order.map((i) => (i === iBest ? COLORS.best : i === iInitial ? COLORS.uncalibrated : COLORS.other));
  const highlighted = iInitial === iBest ? [label(curves[iBest])] : [label(curves[iInitial]), label(curves[iBest])];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "Reliability at every temperature tried",
      subtitle: `blue: uncalibrated; red: best; gray: the ${curves.length - highlighted.length} other temperatures`,
    },
    config: BASE_CONFIG,
    background: "white",
    width: size,
    height: size,
    layer: [
      {
        name: "diagonal",
        data: { values: [{ p: 0 }, { p: 1 }] },
        mark: { type: "line", strokeDash: [4, 4], strokeWidth: 1.5, color: "#555555" },
        encoding: {
          x: { field: "p", type: "quantitative", scale: { domain: [0, 1] }, title: "Confidence" },
          y: { field: "p", type: "quantitative", scale: { domain: [0, 1] }, title: "Accuracy" },
        },
      },
      ...(["other", "uncalibrated", "best"] as const).map((role) => ({
        // the muted curves first, so that the highlighted ones are drawn on top
        name: role === "other" ? "curves" : role,
        data: { values },
        transform: [{ filter: `datum.role === '${role}'` }],
        mark: {
          type: "line",
          point: role === "other" ? false : { size: 30 },
          clip: true,
          strokeWidth: role === "other" ? 1 : 2.5,
          opacity: role === "other" ? 0.4 : 1,
        },
        encoding: {
          x: { field: "confidence", type: "quantitative" },
          y: { field: "accuracy", type: "quantitative" },
          color: {
            field: "series",
            type: "nominal",
            scale: { domain, range },
            legend: {
              title: "Temperature",
              values: highlighted,
              orient: "bottom-right",
              fillColor: "white",
              padding: 6,
              labelLimit: 0,
              symbolOpacity: 1,
              symbolType: "stroke",
              symbolStrokeWidth: 2.5,
            },
          },
          tooltip: [{ field: "series" }, { field: "confidence", format: ".3f" }, { field: "accuracy", format: ".3f" }],
        },
      })),
    ],
  };
}
