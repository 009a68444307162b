/**
 * Restoring any fitted recalibrator from its `toJSON()` output (for example read back from a report).
 *
 * @module
 */

import { HistogramBinning, type HistogramJSON } from "./histogram_binning.ts";
import { type IsotonicJSON, IsotonicRegression } from "./isotonic.ts";
import { type PlattJSON, PlattScaling } from "./platt.ts";
import type { Recalibrator, RecalibratorJSON } from "./recalibrator.ts";
import { type TemperatureJSON, TemperatureScaling } from "./temperature_scaling.ts";

/**
 * A fitted recalibrator from the JSON of its `toJSON()`, by `kind`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { PlattScaling } from "./platt.ts";
 * import { recalibratorFromJSON } from "./recalibrator_json.ts";
 * const json = JSON.stringify(new PlattScaling().fit(tensor([0.2, 0.4, 0.7, 0.9]), tensor([0, 1, 0, 1])));
 * const again = recalibratorFromJSON(JSON.parse(json)); // a PlattScaling with the same a, b
 * ```
 */
export function recalibratorFromJSON(json: RecalibratorJSON): Recalibrator {
  switch (json?.kind) {
    case "temperature":
      return TemperatureScaling.fromJSON(json as TemperatureJSON);
    case "platt":
      return PlattScaling.fromJSON(json as PlattJSON);
    case "histogram":
      return HistogramBinning.fromJSON(json as HistogramJSON);
    case "isotonic":
      return IsotonicRegression.fromJSON(json as IsotonicJSON);
    default:
      throw new TypeError(
        `recalibratorFromJSON: kind must be "temperature", "platt", "histogram" or "isotonic", got ${
          JSON.stringify(json?.kind)
        }`,
      );
  }
}
