/**
 * The option names of each public function and class of `calibration`, for the shared check of options
 * objects (`tensor/options.ts`): an unknown key is a TypeError that names the nearest known one
 * (`n_bins` -> `nBins`), never silently ignored.
 *
 * @module
 */

/** {@linkcode InputOptions}: how predictions are read. */
export const INPUT_KEYS = ["input", "model", "binary", "eps"] as const;
/** {@linkcode BinOptions}: how predictions are binned. */
export const BIN_KEYS = ["nBins", "binEdges"] as const;
/** The metrics' options (inputs and bins). */
export const CALIBRATION_KEYS = [...INPUT_KEYS, ...BIN_KEYS] as const;
/** `rmsCalibrationError`. */
export const RMS_KEYS = [...CALIBRATION_KEYS, "debias"] as const;
/** `reliabilityBins`. */
export const RELIABILITY_BIN_KEYS = [...CALIBRATION_KEYS, "equalMass"] as const;
/** `eceBootstrap`. */
export const BOOTSTRAP_KEYS = [...CALIBRATION_KEYS, "resamples", "level", "seed"] as const;
/** `fitTemperature` and `TemperatureScaling`. */
export const FIT_KEYS = [
  "input",
  "model",
  "eps",
  "tolerance",
  "stepTolerance",
  "maxIterations",
  "bounds",
  "onFailure",
] as const;
/** `temperatureSweep`. */
export const SWEEP_KEYS = [...new Set([...CALIBRATION_KEYS, ...FIT_KEYS, "temperatures", "includeFitted"])];
/** The binary recalibrators' inputs. */
export const BINARY_SCORE_KEYS = ["input", "eps"] as const;
/** `HistogramBinning`. */
export const HISTOGRAM_KEYS = [...BINARY_SCORE_KEYS, "emptyBins", ...BIN_KEYS] as const;
/** `IsotonicRegression`. */
export const ISOTONIC_KEYS = [...BINARY_SCORE_KEYS, "interpolation"] as const;
/** `PlattScaling`. */
export const PLATT_KEYS = [...BINARY_SCORE_KEYS, "targets", "tolerance", "maxIterations"] as const;
/** `reliabilityDiagram`. */
export const DIAGRAM_KEYS = [
  "title",
  "ece",
  "eceInterval",
  "width",
  "height",
  "histogramHeight",
  "xDomain",
  "xTitle",
  "yTitle",
] as const;
/** `reliabilityOverlay`. */
export const OVERLAY_KEYS = ["initialT", "bestT", "bestName", "title", "size", "xDomain", "xTitle"] as const;
/** `lineChart`. */
export const LINE_CHART_KEYS = ["title", "xTitle", "yTitle", "width", "height", "logY"] as const;
/** `rasterize` and `renderPng`. */
export const PNG_KEYS = ["width", "background"] as const;
/** `writeDiagram`. */
export const WRITE_DIAGRAM_KEYS = [...PNG_KEYS, "png", "spec"] as const;

/** The entries of `options` whose keys are in `keys` (to pass a superset on to a narrower function). */
export function pick<T extends object>(options: T, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in options) out[k] = (options as Record<string, unknown>)[k];
  return out as Partial<T>;
}
