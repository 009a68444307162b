/**
 * Temperature scaling (Guo et al. 2017): one scalar T > 0 divides the logits, `softmax(z / T)` or
 * `sigmoid(z / T)`, fitted to minimise the validation NLL. T leaves the predicted class, hence the
 * accuracy, unchanged.
 *
 * The fit is an exact 1-D optimiser: a safeguarded Newton method on s = log T (so T > 0 always), with
 * analytic first and second derivatives of the mean NLL computed by tensor operations, a bracket of the
 * sign change of dNLL/ds (the NLL is convex in 1/T, so that sign changes once), and bisection whenever a
 * Newton step leaves the bracket or the curvature is not positive (as Numerical Recipes' `rtsafe`).
 *
 * - `tolerance` (default 1e-9): stop when |dNLL/d log T| <= tolerance (and the Newton step to the
 *   optimum is below 1e-6 in log T, which tells a flat optimum from the vanishing slope of T -> 0);
 * - `stepTolerance` (default 1e-12): or when the bracket or the step in log T is this small;
 * - `maxIterations` (default 100);
 * - `bounds` (default [1e-3, 1e3]): the temperatures searched; an optimum outside them (T -> 0 when the
 *   validation set is perfectly separated, T -> infinity when the scores carry no or inverted signal)
 *   is a failure, as is not converging within `maxIterations`;
 * - `onFailure` (default `"throw"`): a RangeError that says why, or `"warn"`: a console warning and the
 *   best temperature found, with `converged: false`. Never a NaN.
 *
 * Inputs: logits (`input: "logits"`), or probabilities turned into logits with the `eps` clamp
 * (`logit(clamp(p, eps, 1 - eps))` for sigmoid models, `log(clamp(p, eps))` for softmax ones).
 *
 * @module
 */

import { stack } from "../tensor/functions.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import {
  checkLabels,
  type InputKind,
  type InputOptions,
  type ModelKind,
  readPreds,
  softplus,
  toLogits,
} from "./inputs.ts";
import { checkOptionsObject, describe } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { FIT_KEYS } from "./option_keys.ts";

/** Options of {@linkcode fitTemperature}. */
export interface TemperatureFitOptions extends Omit<InputOptions, "binary"> {
  /** Stop when |dNLL / d log T| <= tolerance (default 1e-9). */
  tolerance?: number;
  /** Stop when the step or the bracket in log T is below this (default 1e-12). */
  stepTolerance?: number;
  /** Most Newton or bisection steps (default 100). */
  maxIterations?: number;
  /** The range of temperatures searched (default [1e-3, 1e3]). */
  bounds?: [number, number];
  /** `"throw"` (default) a RangeError, or `"warn"` and return the best T found, on failure. */
  onFailure?: "throw" | "warn";
}

/** The result of {@linkcode fitTemperature}. */
export interface TemperatureFit {
  /** The fitted temperature (> 0, finite). */
  temperature: number;
  /** Mean validation NLL at the fitted temperature. */
  nll: number;
  /** Mean validation NLL at T = 1 (the uncalibrated model). */
  nllAtOne: number;
  /** dNLL / d log T at the fitted temperature. */
  gradient: number;
  /** Function evaluations used. */
  iterations: number;
  /** Whether the tolerance was met inside the bounds. */
  converged: boolean;
  /** Why the fit stopped: "gradient", "step", or a failure ("bound", "iterations"). */
  reason: "gradient" | "step" | "bound" | "iterations";
}

interface Evaluation {
  s: number;
  f: number;
  g: number;
  h: number;
}

/**
 * The mean NLL of `z / T` at T = exp(s) and its first two derivatives with respect to s, as JS numbers.
 * `z` is float64 logits ([N] for sigmoid, [N, C] for softmax), `y` int64 labels.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { nllDerivatives } from "./temperature.ts";
 * const { f, g, h } = nllDerivatives(tensor([2, -1], { dtype: "float64" }), tensor([1, 1]), "sigmoid", 0);
 * ```
 */
export function nllDerivatives(z: Tensor, y: Tensor, model: ModelKind, s: number): Evaluation {
  const out = tidy(() => {
    const u = z.mul(Math.exp(-s));
    if (model === "sigmoid") {
      const yf = y.to({ dtype: "float64" });
      const sig = u.sigmoid();
      const r = sig.sub(yf); // sigma - y
      const f = softplus(u).sub(yf.mul(u)).mean();
      const g = r.mul(u).mean().neg();
      const h = sig.mul(sig.rsub(1)).mul(u.square()).add(r.mul(u)).mean();
      return stack([f, g, h]).data() as Float64Array;
    }
    const logp = u.logSoftmax(1);
    const p = logp.exp();
    const uy = u.gather(1, y.unsqueeze(1)).squeeze(1);
    const eu = p.mul(u).sum(1);
    const varu = p.mul(u.sub(eu.unsqueeze(1)).square()).sum(1);
    const f = logp.gather(1, y.unsqueeze(1)).mean().neg();
    const d = uy.sub(eu);
    return stack([f, d.mean(), varu.sub(d).mean()]).data() as Float64Array;
  });
  return { s, f: out[0], g: out[1], h: out[2] };
}

function checkFitOptions(o: TemperatureFitOptions, what: string) {
  const tolerance = o.tolerance ?? 1e-9;
  const stepTolerance = o.stepTolerance ?? 1e-12;
  const maxIterations = o.maxIterations ?? 100;
  const bounds = o.bounds ?? [1e-3, 1e3];
  const onFailure = o.onFailure ?? "throw";
  if (!(tolerance > 0)) throw new RangeError(`${what}: tolerance must be > 0, got ${tolerance}`);
  if (!(stepTolerance > 0)) throw new RangeError(`${what}: stepTolerance must be > 0, got ${stepTolerance}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`${what}: maxIterations must be an integer >= 1, got ${maxIterations}`);
  }
  if (
    !Array.isArray(bounds) || bounds.length !== 2 || !(bounds[0] > 0) || !(bounds[1] > bounds[0]) ||
    !Number.isFinite(bounds[1])
  ) {
    throw new RangeError(`${what}: bounds must be [low, high] with 0 < low < high < Infinity, got ${describe(bounds)}`);
  }
  if (onFailure !== "throw" && onFailure !== "warn") {
    throw new TypeError(`${what}: onFailure must be "throw" or "warn", got ${describe(onFailure)}`);
  }
  return { tolerance, stepTolerance, maxIterations, bounds, onFailure };
}

/**
 * Checked float64 logits and int64 labels for temperature scaling (call inside `tidy`).
 *
 * @example
 * ```ts
 * import { tensor, tidy } from "../mod.ts";
 * import { temperatureInputs } from "./temperature.ts";
 * tidy(() => temperatureInputs(tensor([0.5, 0.9]), tensor([0, 1]), {}, "demo").z.toArray()); // [0, 2.197...]
 * ```
 */
export function temperatureInputs(
  preds: unknown,
  labels: unknown,
  options: InputOptions,
  what: string,
): { z: Tensor; y: Tensor; model: ModelKind; input: InputKind; eps: number } {
  const { p, model, input, eps } = readPreds(preds, options, what);
  const y = checkLabels(labels, p.shape[0], model === "sigmoid" ? 2 : p.shape[1], p, what);
  return { z: toLogits(p, model, input, eps), y, model, input, eps };
}

/**
 * Fits the temperature T > 0 that minimises the mean validation NLL of `softmax(z / T)` (or
 * `sigmoid(z / T)`), by a safeguarded Newton method on log T (see the module notes).
 *
 * @example
 * ```ts
 * import { manualSeed, randint, randn } from "../mod.ts";
 * import { fitTemperature } from "./temperature.ts";
 * manualSeed(0);
 * const labels = randint(0, 10, [500]);
 * const logits = randn([500, 10]).scatter(1, labels.unsqueeze(1), 2).mul(3); // over-confident
 * const { temperature, nll, nllAtOne } = fitTemperature(logits, labels, { input: "logits" });
 * ```
 */
export function fitTemperature(preds: Tensor, labels: Tensor, options: TemperatureFitOptions = {}): TemperatureFit {
  checkOptionsObject("fitTemperature", options);
  checkOptions("fitTemperature", options, FIT_KEYS);
  const what = "fitTemperature";
  const o = checkFitOptions(options, what);
  return tidy(() => {
    const { z, y, model } = temperatureInputs(preds, labels, options, what);
    return newtonLogT(z, y, model, o, what);
  });
}

function newtonLogT(
  z: Tensor,
  y: Tensor,
  model: ModelKind,
  o: ReturnType<typeof checkFitOptions>,
  what: string,
): TemperatureFit {
  const sMin = Math.log(o.bounds[0]), sMax = Math.log(o.bounds[1]);
  let evals = 0;
  const evaluate = (s: number): Evaluation => {
    evals++;
    const e = nllDerivatives(z, y, model, s);
    if (!Number.isFinite(e.f) || !Number.isFinite(e.g) || !Number.isFinite(e.h)) {
      throw new RangeError(`${what}: the NLL or its derivatives are not finite at T = ${Math.exp(s)}`);
    }
    return e;
  };
  const one = evaluate(Math.min(Math.max(0, sMin), sMax));
  const nllAtOne = one.s === 0 ? one.f : nllDerivatives(z, y, model, 0).f;
  let best = one;
  const finish = (e: Evaluation, reason: TemperatureFit["reason"]): TemperatureFit => {
    const converged = reason === "gradient" || reason === "step";
    const fit: TemperatureFit = {
      temperature: Math.exp(e.s),
      nll: e.f,
      nllAtOne,
      gradient: e.g,
      iterations: evals,
      converged,
      reason,
    };
    if (!converged) {
      const T = fit.temperature.toPrecision(6);
      const why = reason === "bound"
        ? `the validation NLL still decreases at the bound T = ${T} of bounds [${o.bounds}] ` +
          (e.g < 0
            ? "(T -> infinity: the scores carry no signal, or an inverted one)"
            : "(T -> 0: the validation set is perfectly separated by the scores)")
        : `no convergence within maxIterations = ${o.maxIterations} (|dNLL/dlogT| = ${
          Math.abs(e.g)
        } > tolerance ${o.tolerance})`;
      if (o.onFailure === "throw") throw new RangeError(`${what}: ${why}`);
      console.warn(`${what}: ${why}; returning T = ${T}`);
    }
    return fit;
  };
  // A small gradient alone is not enough: when the optimum is at T -> 0 (separated data) the NLL and its
  // derivatives vanish exponentially. Converged means the Newton step to the optimum is small too.
  const done = (e: Evaluation) => Math.abs(e.g) <= o.tolerance && e.h > 0 && Math.abs(e.g) / e.h <= 1e-6;
  if (done(one)) return finish(one, "gradient");
  // Scores that do not vary within a sample make every T equally good: T = 1.
  const spread = tidy(() => (model === "sigmoid" ? z : z.sub(z.mean(1, { keepdim: true }))).abs().max().item());
  if (spread === 0) return finish(one, "gradient");

  // Bracket the sign change of g: g < 0 at the lower end, g > 0 at the upper end.
  let lo: Evaluation | null = one.g < 0 ? one : null;
  let hi: Evaluation | null = one.g > 0 ? one : null;
  let step = 1;
  while (lo === null || hi === null) {
    const from = (lo ?? hi)!;
    const atBound = lo !== null ? from.s >= sMax : from.s <= sMin;
    if (atBound) return finish(from, "bound");
    const s = lo !== null ? Math.min(from.s + step, sMax) : Math.max(from.s - step, sMin);
    const e = evaluate(s);
    if (e.f < best.f) best = e;
    if (done(e)) return finish(e, "gradient");
    if (e.g < 0) lo = e;
    else hi = e;
    step *= 2;
    if (evals > o.maxIterations) return finish(best, "iterations");
  }

  // Safeguarded Newton inside [lo.s, hi.s].
  let cur = Math.abs(lo.g) < Math.abs(hi.g) ? lo : hi;
  let lastStep = hi.s - lo.s;
  while (evals <= o.maxIterations) {
    let s = cur.h > 0 ? cur.s - cur.g / cur.h : NaN;
    const width = hi.s - lo.s;
    if (!(s > lo.s && s < hi.s) || Math.abs(s - cur.s) > lastStep / 2) s = (lo.s + hi.s) / 2;
    lastStep = Math.abs(s - cur.s);
    const e = evaluate(s);
    if (e.g < 0) lo = e;
    else hi = e;
    cur = e;
    if (done(e)) return finish(e, "gradient");
    if (lastStep <= o.stepTolerance || width <= o.stepTolerance) return finish(e, "step");
  }
  return finish(Math.abs(lo.g) < Math.abs(hi.g) ? lo : hi, "iterations");
}

/**
 * Probabilities after temperature scaling: `softmax(z / T)` ([N, C]) or `sigmoid(z / T)` (the shape of
 * `preds`), float64. The predicted classes are those of `preds`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { applyTemperature } from "./temperature.ts";
 * const logits = tensor([[2, 0], [0, 4]], { dtype: "float32" });
 * applyTemperature(logits, 2, { input: "logits" }); // softmax([[1, 0], [0, 2]])
 * ```
 */
export function applyTemperature(
  preds: Tensor,
  temperature: number,
  options: Omit<InputOptions, "binary"> = {},
): Tensor {
  checkOptionsObject("applyTemperature", options);
  const what = "applyTemperature";
  if (typeof temperature !== "number" || !(temperature > 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`${what}: temperature must be a finite number > 0, got ${describe(temperature)}`);
  }
  return tidy(() => {
    const { p, model, input, eps } = readPreds(preds, options, what);
    const z = toLogits(p, model, input, eps).div(temperature);
    return model === "sigmoid" ? z.sigmoid().reshape(preds.shape) : z.softmax(1);
  });
}

/**
 * Logits divided by the temperature (float64), for further computation on the scaled model.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { scaledLogits } from "./temperature.ts";
 * scaledLogits(tensor([[2, 0]], { dtype: "float32" }), 2, { input: "logits" }); // [[1, 0]]
 * ```
 */
export function scaledLogits(preds: Tensor, temperature: number, options: Omit<InputOptions, "binary"> = {}): Tensor {
  checkOptionsObject("scaledLogits", options);
  const what = "scaledLogits";
  checkOptions(what, options, ["input", "model", "eps"]);
  if (typeof temperature !== "number" || !(temperature > 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`${what}: temperature must be a finite number > 0, got ${describe(temperature)}`);
  }
  return tidy(() => {
    const { p, model, input, eps } = readPreds(preds, options, what);
    return toLogits(p, model, input, eps).div(temperature);
  });
}
