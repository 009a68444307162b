/**
 * Charts of the calibration study: reliability diagrams, the temperature overlay and training-curve line
 * charts as Vega-Lite specs, and their headless rendering to SVG and PNG. Kept apart from `./mod.ts`
 * because rendering depends on `npm:vega@6`, `npm:vega-lite@6` and `npm:@resvg/resvg-js@2`.
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { calibrationReport } from "./mod.ts";
 * import { reliabilityDiagram, writeDiagram } from "./charts.ts";
 * const r = calibrationReport(randn([500, 10]).mul(3), randint(0, 10, [500]), { input: "logits" });
 * await writeDiagram("runs/demo/reliability", reliabilityDiagram(r.bins, { ece: r.ece }));
 * ```
 *
 * @module
 */

export {
  COLORS,
  type EceInterval,
  eceOfBins,
  eceText,
  type OverlayCurve,
  type OverlayOptions,
  percent,
  reliabilityDiagram,
  type ReliabilityDiagramOptions,
  reliabilityGrid,
  type ReliabilityGridOptions,
  reliabilityOverlay,
  type VegaLiteSpec,
} from "./diagram.ts";
export { chartBundle, JUPYTER_DISPLAY, type MimeBundle, VEGA_LITE_MIME, withChartDisplay } from "./chart_display.ts";
export type { BinRow } from "./binning.ts";
export { lineChart, type LineChartOptions, type LineSeries } from "./line_chart.ts";
export {
  findFont,
  type FontChoice,
  type PngOptions,
  rasterize,
  type RenderedPng,
  renderPng,
  renderSvg,
  writeDiagram,
  type WriteDiagramOptions,
} from "./render.ts";
