/**
 * Temperature scaling as a {@linkcode Recalibrator}: `fit` finds T on validation logits (or
 * probabilities), `apply` returns `softmax(z / T)` or `sigmoid(z / T)`.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import type { InputKind, ModelKind } from "./inputs.ts";
import { checkFitted, type Recalibrator, type RecalibratorJSON } from "./recalibrator.ts";
import { applyTemperature, fitTemperature, type TemperatureFit, type TemperatureFitOptions } from "./temperature.ts";
import { checkOptionsObject } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { FIT_KEYS } from "./option_keys.ts";

/** Temperature scaling as JSON. */
export interface TemperatureJSON extends RecalibratorJSON {
  kind: "temperature";
  temperature: number;
  input: InputKind;
  model: ModelKind | null;
  eps: number;
}

/**
 * Temperature scaling (Guo et al. 2017) for sigmoid and softmax models. The options are those of
 * {@linkcode fitTemperature} (`input` default `"probabilities"`, `model` inferred from the shape,
 * tolerances, bounds, `onFailure`).
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { TemperatureScaling } from "./temperature_scaling.ts";
 * const ts = new TemperatureScaling({ input: "logits" }).fit(randn([200, 5]).mul(4), randint(0, 5, [200]));
 * const probs = ts.apply(randn([10, 5]).mul(4)); // softmax(z / T)
 * ```
 */
export class TemperatureScaling implements Recalibrator {
  readonly kind = "temperature" as const;
  /** The fitted temperature (NaN before `fit`). */
  temperature = NaN;
  /** Details of the last fit. */
  lastFit: TemperatureFit | null = null;

  constructor(readonly options: TemperatureFitOptions = {}) {
    checkOptionsObject("TemperatureScaling", options);
    checkOptions("TemperatureScaling", options, FIT_KEYS);
  }

  get fitted(): boolean {
    return Number.isFinite(this.temperature);
  }

  /** Fits T on validation data. */
  fit(scores: Tensor, labels: Tensor): this {
    const fit = fitTemperature(scores, labels, this.options);
    this.lastFit = fit;
    this.temperature = fit.temperature;
    return this;
  }

  /** Probabilities at the fitted temperature. */
  apply(scores: Tensor): Tensor {
    checkFitted(this.fitted, "TemperatureScaling.apply");
    return applyTemperature(scores, this.temperature, this.options);
  }

  toJSON(): TemperatureJSON {
    checkFitted(this.fitted, "TemperatureScaling.toJSON");
    return {
      kind: "temperature",
      temperature: this.temperature,
      input: this.options.input ?? "probabilities",
      model: this.options.model ?? null,
      eps: this.options.eps ?? 1e-12,
    };
  }

  /** A fitted TemperatureScaling from {@linkcode TemperatureScaling.toJSON}'s output. */
  static fromJSON(json: TemperatureJSON): TemperatureScaling {
    if (json?.kind !== "temperature") throw new TypeError(`TemperatureScaling.fromJSON: kind is ${json?.kind}`);
    if (!(json.temperature > 0) || !Number.isFinite(json.temperature)) {
      throw new RangeError(`TemperatureScaling.fromJSON: temperature must be > 0, got ${json.temperature}`);
    }
    const ts = new TemperatureScaling({ input: json.input, model: json.model ?? undefined, eps: json.eps });
    ts.temperature = json.temperature;
    return ts;
  }
}
