/**
 * Rich display of charts in Deno's Jupyter kernel: every spec the chart builders return carries a
 * non-enumerable `[Symbol.for("Jupyter.display")]` method (invisible to `JSON.stringify` and to key
 * listings) that renders it to inline SVG and hands the notebook a MIME bundle: `image/svg+xml` (shown by
 * every frontend and kept in the saved notebook), the Vega-Lite spec under
 * `application/vnd.vegalite.v5+json` (JupyterLab renders it interactively, with tooltips), and a
 * `text/plain` line.
 *
 * Rendering needs `npm:vega` and `npm:vega-lite`, imported only when a chart is displayed.
 *
 * @module
 */

import type { VegaLiteSpec } from "./diagram.ts";

/** The MIME type under which Jupyter frontends render a Vega-Lite spec. */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** The symbol Deno's Jupyter kernel looks for (`Deno.jupyter.$display`). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** A MIME bundle: content by MIME type, as Deno's kernel expects from a display method. */
export type MimeBundle = Record<string, unknown>;

function titleOf(spec: VegaLiteSpec): string {
  const t = spec.title as unknown;
  if (typeof t === "string") return t;
  if (t !== null && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") {
    const { text, subtitle } = t as { text: string; subtitle?: unknown };
    return typeof subtitle === "string" ? `${text} (${subtitle})` : text;
  }
  return "chart";
}

/**
 * The MIME bundle of a chart: its SVG, its Vega-Lite spec (with the v5 schema, which Jupyter's renderer
 * reads; the specs use nothing newer) and a text line.
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * import { chartBundle } from "./chart_display.ts";
 * const bundle = await chartBundle(lineChart([{ name: "loss", y: [1, 0.5] }]));
 * Object.keys(bundle); // ["text/plain", "image/svg+xml", "application/vnd.vegalite.v5+json"]
 * ```
 */
export async function chartBundle(spec: VegaLiteSpec): Promise<MimeBundle> {
  const { renderSvg } = await import("./render.ts");
  const svg = await renderSvg(spec);
  const v5 = { ...JSON.parse(JSON.stringify(spec)), $schema: "https://vega.github.io/schema/vega-lite/v5.json" };
  return { "text/plain": `Chart: ${titleOf(spec)}`, "image/svg+xml": svg, [VEGA_LITE_MIME]: v5 };
}

/**
 * Gives `spec` a non-enumerable Jupyter display method (see the module notes) and returns it.
 *
 * @example
 * ```ts
 * import { withChartDisplay } from "./chart_display.ts";
 * const spec = withChartDisplay({ mark: "point", data: { values: [{ a: 1 }] } });
 * JSON.stringify(spec); // the plain spec
 * ```
 */
export function withChartDisplay<S extends VegaLiteSpec>(spec: S): S {
  Object.defineProperty(spec, JUPYTER_DISPLAY, {
    value: () => chartBundle(spec),
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return spec;
}
