/**
 * A line chart of training curves (loss or accuracy per epoch, one line per series) as a Vega-Lite spec,
 * for the study scripts; render it with `render.ts`.
 *
 * @module
 */

import { BASE_CONFIG, VEGA_LITE_SCHEMA, type VegaLiteSpec } from "./diagram.ts";
import { withChartDisplay } from "./chart_display.ts";
import { checkOptionsObject, describe } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { LINE_CHART_KEYS } from "./option_keys.ts";

/** One line: its name, its y values, and optionally its x values (default 1, 2, ..., as epochs). */
export interface LineSeries {
  /** The legend name. */
  name: string;
  /** The y values (non-finite ones are left out of the line). */
  y: readonly number[];
  /** The x values, as many as y (default 1..n). */
  x?: readonly number[];
}

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions {
  /** The title (default none). */
  title?: string;
  /** The x axis title (default "Epoch"). */
  xTitle?: string;
  /** The y axis title (default "Value"). */
  yTitle?: string;
  /** Plot width in pixels (default 480). */
  width?: number;
  /** Plot height in pixels (default 300). */
  height?: number;
  /** A logarithmic y axis (default false), for losses. */
  logY?: boolean;
}

/**
 * A line chart of one or more series.
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * const spec = lineChart(
 *   [{ name: "train loss", y: [2.3, 1.1, 0.7] }, { name: "val loss", y: [2.2, 1.3, 0.9] }],
 *   { title: "LeNet-5", yTitle: "Loss" },
 * );
 * ```
 */
export function lineChart(series: readonly LineSeries[], options: LineChartOptions = {}): VegaLiteSpec {
  checkOptionsObject("lineChart", options);
  checkOptions("lineChart", options, LINE_CHART_KEYS);
  const what = "lineChart";
  if (!Array.isArray(series) || series.length === 0) {
    throw new TypeError(`${what}: series must be a non-empty array of { name, y, x? }`);
  }
  const values: { series: string; x: number; y: number }[] = [];
  for (const s of series) {
    if (typeof s?.name !== "string" || !Array.isArray(s.y)) {
      throw new TypeError(`${what}: each series needs a name (string) and y (array of numbers)`);
    }
    if (s.x !== undefined && (!Array.isArray(s.x) || s.x.length !== s.y.length)) {
      throw new RangeError(`${what}: series "${s.name}" has ${s.y.length} y values but ${s.x?.length} x values`);
    }
    s.y.forEach((y: number, i: number) => {
      const x = s.x?.[i] ?? i + 1;
      if (Number.isFinite(y) && Number.isFinite(x) && (!options.logY || y > 0)) values.push({ series: s.name, x, y });
    });
  }
  for (const [name, v] of [["width", options.width], ["height", options.height]] as const) {
    if (v !== undefined && !(typeof v === "number" && v >= 1)) {
      throw new RangeError(`${what}: ${name} must be >= 1, got ${describe(v)}`);
    }
  }
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    background: "white",
    width: options.width ?? 480,
    height: options.height ?? 300,
    name: "lines",
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        title: options.xTitle ?? "Epoch",
        scale: { zero: false },
        axis: values.every((v) => Number.isInteger(v.x)) ? { tickMinStep: 1, format: "d" } : {},
      },
      y: {
        field: "y",
        type: "quantitative",
        title: options.yTitle ?? "Value",
        scale: options.logY ? { type: "log" } : { zero: false },
      },
      color: { field: "series", type: "nominal", title: null, sort: series.map((s) => s.name) },
      tooltip: [{ field: "series" }, { field: "x" }, { field: "y", format: ".4f" }],
    },
  };
  if (options.title !== undefined) spec.title = options.title;
  return withChartDisplay(spec);
}
