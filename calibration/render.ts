/**
 * Rendering Vega-Lite specs headless: to SVG with Vega's own renderer (`npm:vega@6.4.0`,
 * `npm:vega-lite@6.5.0`), to PNG with resvg (`npm:@resvg/resvg-js@2.6.2`, a prebuilt native module
 * shipped in the npm package), and writing both atomically.
 *
 * Fonts: resvg draws text only with the fonts it is given. {@linkcode findFont} looks, in order, at the
 * `DENOTORCH_FONT` environment variable (a .ttf/.otf path), then at the usual places of DejaVu Sans
 * (Debian's `fonts-dejavu-core`, which CI installs), Liberation Sans, FreeSans, Arial and Helvetica; the
 * first found is loaded and stands for the generic `sans-serif` family the specs use. Without one, resvg
 * falls back to the system's fonts, and when those are missing too the PNG has no text (a warning says
 * so, once). SVGs are unaffected: their text is text.
 *
 * The functions here check their arguments, then call the unchecked core in `render_core.ts`.
 *
 * @module
 */

import { rasterizeSvg, type RasterOptions, type RenderedPng, svgOfSpec, writeFigure } from "./render_core.ts";
import type { VegaLiteSpec } from "./diagram.ts";
import { checkOptionsObject } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { pick, PNG_KEYS, WRITE_DIAGRAM_KEYS } from "./option_keys.ts";

export { findFont, type FontChoice, type RenderedPng } from "./render_core.ts";

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string, headless.
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * import { renderSvg } from "./render.ts";
 * const svg = await renderSvg(lineChart([{ name: "loss", y: [1, 0.5, 0.3] }]));
 * ```
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  checkSpec(spec);
  return await svgOfSpec(spec);
}

function checkSpec(spec: VegaLiteSpec): void {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new TypeError(
      `renderSvg: spec must be a Vega-Lite spec object, got ${Array.isArray(spec) ? "an array" : typeof spec}`,
    );
  }
}

/** Options of {@linkcode renderPng}: the output width (default twice the SVG's) and background (white). */
export type PngOptions = RasterOptions;

function checkWidth(width: number | undefined): void {
  if (width !== undefined && !(Number.isInteger(width) && width >= 1 && width <= 16384)) {
    throw new RangeError(`renderPng: width must be an integer in [1, 16384], got ${width}`);
  }
}

/**
 * Rasterises an SVG: its size, pixels and PNG bytes (see {@linkcode renderPng}).
 *
 * @example
 * ```ts
 * import { lineChart, rasterize, renderSvg } from "./charts.ts";
 * const img = rasterize(await renderSvg(lineChart([{ name: "loss", y: [1, 0.5] }])), { width: 300 });
 * console.log(img.width, img.height, img.pixels.length === img.width * img.height * 4);
 * ```
 */
export function rasterize(svg: string, options: PngOptions = {}): RenderedPng {
  checkOptionsObject("rasterize", options);
  checkOptions("rasterize", options, PNG_KEYS);
  if (typeof svg !== "string" || !svg.includes("<svg")) throw new TypeError("renderPng: svg must be an SVG string");
  checkWidth(options.width);
  return rasterizeSvg(svg, { width: options.width, background: options.background });
}

/**
 * Rasterises an SVG string to PNG bytes with resvg.
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * import { renderPng, renderSvg } from "./render.ts";
 * const png = renderPng(await renderSvg(lineChart([{ name: "loss", y: [1, 0.5] }])), { width: 800 });
 * ```
 */
export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  checkOptionsObject("renderPng", options);
  checkOptions("renderPng", options, PNG_KEYS);
  return rasterize(svg, options).png;
}

/** Options of {@linkcode writeDiagram}. */
export interface WriteDiagramOptions extends PngOptions {
  /** Also write the PNG (default true). */
  png?: boolean;
  /** Also write the Vega-Lite spec as `.vl.json` (default false). */
  spec?: boolean;
}

/**
 * Renders a spec and writes `<path>.svg` and `<path>.png` (and with `spec: true` `<path>.vl.json`), each
 * atomically (a temporary file, then a rename). A `.svg` or `.png` extension on `path` is dropped.
 * Returns the paths written.
 *
 * @example
 * ```ts
 * import { reliabilityDiagram } from "./diagram.ts";
 * import { writeDiagram } from "./render.ts";
 * const bins = [{ bin: 0, lower: 0, upper: 1, count: 10, confidence: 0.8, accuracy: 0.7, gap: 0.1 }];
 * await writeDiagram("runs/demo/reliability", reliabilityDiagram(bins), { width: 800 });
 * ```
 */
export async function writeDiagram(
  path: string,
  spec: VegaLiteSpec,
  options: WriteDiagramOptions = {},
): Promise<{ svg: string; png: string | null; spec: string | null }> {
  if (typeof path !== "string" || path === "") throw new TypeError(`writeDiagram: path must be a non-empty string`);
  checkOptions("writeDiagram", options, WRITE_DIAGRAM_KEYS);
  checkSpec(spec);
  const png = options.png !== false;
  if (png) checkWidth(options.width);
  const base = path.replace(/\.(svg|png)$/i, "");
  return await writeFigure(base, spec, { ...pick(options, PNG_KEYS), png, spec: options.spec });
}
