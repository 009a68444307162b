/**
 * Calibration: how far a model's confidence is from its accuracy, and recalibration.
 *
 * - metrics: ECE, MCE, RMSCE (debiased optional), ACE, NLL, Brier score, accuracy, the per-bin
 *   reliability table, a seeded bootstrap interval of the ECE;
 * - recalibration: temperature scaling (fit, apply, sweep), Platt scaling, histogram binning and isotonic
 *   regression behind one `Recalibrator` interface;
 * - reliability diagrams as Vega-Lite specs, rendered headless to SVG and PNG (`./diagram.ts`,
 *   `./render.ts`; they pull in npm:vega, npm:vega-lite and npm:@resvg/resvg-js, so they are exported
 *   from `./charts.ts` rather than here).
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { calibrationReport, fitTemperature } from "./mod.ts";
 * const logits = randn([1000, 10]).mul(4), labels = randint(0, 10, [1000]);
 * const { ece, nll } = calibrationReport(logits, labels, { input: "logits" });
 * const { temperature } = fitTemperature(logits, labels, { input: "logits", onFailure: "warn" });
 * ```
 *
 * @module
 */

export { type BinarySemantics, type InputKind, type InputOptions, type ModelKind, topLabel } from "./inputs.ts";
export { type BinEdges, type BinOptions, type BinRow } from "./binning.ts";
export {
  adaptiveCalibrationError,
  type CalibrationOptions,
  type CalibrationReport,
  calibrationReport,
  expectedCalibrationError,
  maximumCalibrationError,
  reliabilityBins,
  rmsCalibrationError,
  type RmsOptions,
} from "./metrics.ts";
export { accuracy, brierScore, negativeLogLikelihood } from "./scores.ts";
export { type BootstrapInterval, type BootstrapOptions, eceBootstrap } from "./bootstrap.ts";
export {
  applyTemperature,
  fitTemperature,
  scaledLogits,
  type TemperatureFit,
  type TemperatureFitOptions,
} from "./temperature.ts";
export { type TemperatureJSON, TemperatureScaling } from "./temperature_scaling.ts";
export {
  defaultTemperatureGrid,
  type SweepOptions,
  type SweepPoint,
  type TemperatureSweep,
  temperatureSweep,
} from "./sweep.ts";
export {
  type BinaryScoreOptions,
  type Recalibrator,
  type RecalibratorJSON,
  type RecalibratorKind,
} from "./recalibrator.ts";
export { type PlattJSON, type PlattOptions, PlattScaling } from "./platt.ts";
export { HistogramBinning, type HistogramBinningOptions, type HistogramJSON } from "./histogram_binning.ts";
export { type IsotonicJSON, type IsotonicOptions, IsotonicRegression, pav } from "./isotonic.ts";
export { recalibratorFromJSON } from "./recalibrator_json.ts";
export {
  CalibrationComparison,
  compareCalibration,
  type ComparisonColumn,
  type ComparisonOptions,
} from "./comparison.ts";
