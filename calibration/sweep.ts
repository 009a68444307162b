/**
 * The temperature sweep: ECE and NLL (and accuracy, and the reliability table) at every temperature of a
 * grid plus the fitted one, so that a study shows every temperature it tried.
 *
 * The ECE is the one the options select (by default the top-label ECE over 15 equal-width
 * `(lower, upper]` bins); the result names it in `ece`.
 *
 * @module
 */

import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import type { BinRow } from "./binning.ts";
import { checkBinOptions } from "./binning.ts";
import { checkInputOptions } from "./inputs.ts";
import { type CalibrationOptions, calibrationReport } from "./metrics.ts";
import { fitTemperature, type TemperatureFit, type TemperatureFitOptions, temperatureInputs } from "./temperature.ts";
import { checkOptionsObject, describe } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { FIT_KEYS, pick, SWEEP_KEYS } from "./option_keys.ts";

/** Options of {@linkcode temperatureSweep}. */
export interface SweepOptions extends CalibrationOptions, TemperatureFitOptions {
  /** The grid (default 2^(k/4) for k = -8..8: 17 log-spaced temperatures from 0.25 to 4). */
  temperatures?: number[];
  /** Also fit T (minimum validation NLL) and evaluate it (default true). */
  includeFitted?: boolean;
}

/** One temperature of the sweep. */
export interface SweepPoint {
  /** The temperature. */
  temperature: number;
  /** The ECE (the one named in {@linkcode TemperatureSweep.ece}). */
  ece: number;
  /** Mean NLL. */
  nll: number;
  /** Accuracy (the same at every temperature). */
  accuracy: number;
  /** The reliability table. */
  bins: BinRow[];
}

/** The result of {@linkcode temperatureSweep}. */
export interface TemperatureSweep {
  /** Which ECE: semantics, bins and edges, e.g. "top-label ECE, 15 equal-width bins, (lower, upper]". */
  ece: string;
  /** Every temperature tried, in increasing order. */
  points: SweepPoint[];
  /** The fit, when `includeFitted`. */
  fitted: TemperatureFit | null;
  /** The uncalibrated temperature, 1. */
  initialT: number;
  /** The fitted temperature, or without a fit the grid temperature of the lowest NLL. */
  bestT: number;
}

/**
 * The default grid: 2^(k/4) for k = -8..8.
 *
 * @example
 * ```ts
 * import { defaultTemperatureGrid } from "./sweep.ts";
 * defaultTemperatureGrid(); // [0.25, 0.297..., ..., 1, ..., 4]
 * ```
 */
export function defaultTemperatureGrid(): number[] {
  return Array.from({ length: 17 }, (_, i) => 2 ** ((i - 8) / 4));
}

/**
 * ECE, NLL, accuracy and the reliability table at each temperature of a grid, plus the fitted one.
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { temperatureSweep } from "./sweep.ts";
 * const s = temperatureSweep(randn([500, 10]).mul(4), randint(0, 10, [500]), { input: "logits", onFailure: "warn" });
 * for (const p of s.points) console.log(p.temperature, p.ece, p.nll);
 * ```
 */
export function temperatureSweep(preds: Tensor, labels: Tensor, options: SweepOptions = {}): TemperatureSweep {
  checkOptionsObject("temperatureSweep", options);
  checkOptions("temperatureSweep", options, SWEEP_KEYS);
  const what = "temperatureSweep";
  const { nBins, binEdges } = checkBinOptions(options, what);
  const { binary } = checkInputOptions(options, what);
  const grid = options.temperatures ?? defaultTemperatureGrid();
  if (!Array.isArray(grid) || (grid.length === 0 && options.includeFitted === false)) {
    throw new RangeError(`${what}: temperatures must be a non-empty array (or includeFitted true)`);
  }
  for (const t of grid) {
    if (typeof t !== "number" || !(t > 0) || !Number.isFinite(t)) {
      throw new RangeError(`${what}: temperatures must be finite numbers > 0, got ${describe(t)}`);
    }
  }
  const fitted = options.includeFitted === false ? null : fitTemperature(preds, labels, pick(options, FIT_KEYS));
  const temps = [...grid];
  if (fitted !== null && !temps.some((t) => Math.abs(t - fitted.temperature) <= 1e-12 * t)) {
    temps.push(fitted.temperature);
  }
  temps.sort((a, b) => a - b);
  const { points, model } = tidy(() => {
    const { z, y, model } = temperatureInputs(preds, labels, options, what);
    const points = temps.map((temperature) =>
      tidy(() => {
        const r = calibrationReport(z.div(temperature), y, { input: "logits", model, binary, nBins, binEdges });
        return { temperature, ece: r.ece, nll: r.nll, accuracy: r.accuracy, bins: r.bins };
      })
    );
    return { points, model };
  });
  const semantics = model === "softmax" ? "top-label" : binary;
  const bestT = fitted?.temperature ?? points.reduce((b, p) => (p.nll < b.nll ? p : b)).temperature;
  return {
    ece: `${semantics} ECE, ${nBins} equal-width bins, ${binEdges}`,
    points,
    fitted,
    initialT: 1,
    bestT,
  };
}
