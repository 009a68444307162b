/**
 * Calibration inputs: checking a model's outputs and the labels, and turning them into the float64
 * tensors the metrics bin (confidence, target, correctness) with tensor operations only.
 *
 * Every choice is an explicit option:
 * - `input`: `"probabilities"` (default) or `"logits"`. Probabilities outside [0, 1] are an error (there
 *   is no auto-detection, unlike torchmetrics, which applies a sigmoid when it sees values outside [0, 1]),
 *   and so are softmax probabilities whose rows do not sum to 1 within 1e-3.
 * - `model`: `"sigmoid"` (one score per sample: shape [N] or [N, 1], the probability or logit of class 1)
 *   or `"softmax"` (shape [N, C]). Default: inferred from the shape ([N] and [N, 1] are sigmoid, [N, C]
 *   with C >= 2 softmax). A softmax model with one column (a single class) is allowed when named
 *   explicitly: every confidence is 1 and every prediction right.
 * - `binary` (sigmoid models only): `"top-label"` (default, as Guo et al. 2017 and as a 2-class softmax:
 *   confidence max(p, 1 - p) against whether the predicted class is right; the predicted class is 1 when
 *   p > 0.5, so a tie predicts 0, as torchmetrics' 0.5 threshold) or `"positive"` (as torchmetrics'
 *   `BinaryCalibrationError`: confidence p(y = 1) against the label itself).
 * - `eps` (default 1e-12): the clamp used where probabilities meet a logarithm (NLL of probability inputs,
 *   probabilities turned into logits for temperature and Platt scaling).
 *
 * All computation is in float64 on the device of the predictions (labels are moved there).
 *
 * @module
 */

import { isFloatingPoint } from "../tensor/dtype.ts";
import { tidy } from "../tensor/memory.ts";
import { Tensor } from "../tensor/tensor.ts";
import { checkOptionsObject, describe } from "../tensor/checks.ts";

/** What the prediction tensor holds. */
export type InputKind = "logits" | "probabilities";
/** The model's output layer: one sigmoid score per sample, or a softmax over C classes. */
export type ModelKind = "sigmoid" | "softmax";
/** What a binary (sigmoid) model's calibration is measured on. */
export type BinarySemantics = "positive" | "top-label";

/** How predictions are read (shared by every metric and recalibrator). */
export interface InputOptions {
  /** `"probabilities"` (default) or `"logits"`. */
  input?: InputKind;
  /** `"sigmoid"` or `"softmax"`; default inferred from the shape ([N], [N, 1]: sigmoid; [N, C]: softmax). */
  model?: ModelKind;
  /** Sigmoid models: `"top-label"` (default, Guo et al.) or `"positive"` (torchmetrics' binary metric). */
  binary?: BinarySemantics;
  /** Clamp where probabilities meet a logarithm (default 1e-12). */
  eps?: number;
}

/** Checked, normalised inputs (float64 tensors on the predictions' device). */
export interface Prepared {
  /** The model kind, resolved. */
  model: ModelKind;
  /** The binary semantics used for sigmoid models (always `"top-label"` for softmax). */
  binary: BinarySemantics;
  /** Number of samples. */
  n: number;
  /** Number of classes (2 for sigmoid models). */
  classes: number;
  /** Sigmoid: p(y = 1), shape [N]. Softmax: probabilities, shape [N, C]. */
  probs: Tensor;
  /** Log-probabilities, same shape as `probs` (sigmoid: log p(y = 1)); stable when given logits. */
  logProbs: Tensor;
  /** Sigmoid only: log p(y = 0), shape [N]. */
  logProbsNeg: Tensor | null;
  /** Labels, int64 [N]. */
  labels: Tensor;
  /** The confidence that is binned, [N]. */
  confidence: Tensor;
  /** What the confidence is compared with (correctness, or the label for `"positive"`), 0/1 float64 [N]. */
  target: Tensor;
  /** Whether the predicted class is right, 0/1 float64 [N]. */
  correct: Tensor;
}

const EPS_DEFAULT = 1e-12;

/**
 * Checks the option values common to every metric; returns them resolved.
 *
 * @example
 * ```ts
 * import { checkInputOptions } from "./inputs.ts";
 * checkInputOptions({}, "demo"); // { input: "probabilities", binary: "top-label", eps: 1e-12 }
 * ```
 */
export function checkInputOptions(
  options: InputOptions,
  what: string,
): { input: InputKind; binary: BinarySemantics; eps: number } {
  const input = options.input ?? "probabilities";
  if (input !== "logits" && input !== "probabilities") {
    throw new TypeError(`${what}: input must be "logits" or "probabilities", got ${describe(input)}`);
  }
  const binary = options.binary ?? "top-label";
  if (binary !== "positive" && binary !== "top-label") {
    throw new TypeError(`${what}: binary must be "positive" or "top-label", got ${describe(binary)}`);
  }
  const eps = options.eps ?? EPS_DEFAULT;
  if (typeof eps !== "number" || !(eps > 0 && eps < 0.5)) {
    throw new RangeError(`${what}: eps must be a number in (0, 0.5), got ${describe(eps)}`);
  }
  if (options.model !== undefined && options.model !== "sigmoid" && options.model !== "softmax") {
    throw new TypeError(`${what}: model must be "sigmoid" or "softmax", got ${describe(options.model)}`);
  }
  return { input, binary, eps };
}

/**
 * Resolves the model kind from the option and the shape of the predictions.
 *
 * @example
 * ```ts
 * import { resolveModel } from "./inputs.ts";
 * resolveModel([100, 10], undefined, "demo"); // "softmax"
 * ```
 */
export function resolveModel(shape: number[], model: ModelKind | undefined, what: string): ModelKind {
  if (shape.length === 1) {
    if (model === "softmax") {
      throw new RangeError(`${what}: model "softmax" needs preds of shape [N, C], got [${shape}]`);
    }
    return "sigmoid";
  }
  if (shape.length !== 2) {
    throw new RangeError(`${what}: preds must have shape [N], [N, 1] or [N, C], got [${shape}]`);
  }
  if (model !== undefined) {
    if (model === "sigmoid" && shape[1] !== 1) {
      throw new RangeError(`${what}: model "sigmoid" needs preds of shape [N] or [N, 1], got [${shape}]`);
    }
    return model;
  }
  return shape[1] === 1 ? "sigmoid" : "softmax";
}

/**
 * Checks that `preds` is a floating-point tensor of finite values (and, for probabilities, within [0, 1],
 * rows summing to 1 within 1e-3 for softmax), and returns its float64 copy reshaped ([N] or [N, C]).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { checkPreds } from "./inputs.ts";
 * checkPreds(tensor([0.2, 0.7]), "sigmoid", "probabilities", "demo"); // float64 [0.2, 0.7]
 * ```
 */
export function checkPreds(preds: unknown, model: ModelKind, input: InputKind, what: string): Tensor {
  if (!(preds instanceof Tensor)) throw new TypeError(`${what}: preds must be a Tensor, got ${kindOf(preds)}`);
  if (!isFloatingPoint(preds.dtype)) {
    throw new TypeError(`${what}: preds must be a floating-point Tensor, got dtype ${preds.dtype}`);
  }
  const shape = preds.shape;
  const n = shape[0];
  if (n === 0) throw new RangeError(`${what}: preds holds zero samples (shape [${shape}]); the metrics are undefined`);
  if (shape.length === 2 && shape[1] === 0) throw new RangeError(`${what}: preds has zero classes (shape [${shape}])`);
  const x = preds.to({ dtype: "float64" });
  const p = model === "sigmoid" ? x.reshape([n]) : x;
  const bad = p.isfinite().logicalNot().sum().item();
  if (bad > 0) {
    throw new RangeError(`${what}: preds holds ${bad} NaN or infinite value(s); calibration needs finite scores`);
  }
  if (input === "probabilities") {
    const lo = p.min().item(), hi = p.max().item();
    if (lo < 0 || hi > 1) {
      throw new RangeError(
        `${what}: preds are probabilities (input: "probabilities") but hold values outside [0, 1] ` +
          `(min ${short(lo)}, max ${short(hi)}); pass input: "logits" for raw scores`,
      );
    }
    if (model === "softmax") {
      const dev = p.sum(1).sub(1).abs().max().item();
      if (dev > 1e-3) {
        throw new RangeError(
          `${what}: softmax probabilities must sum to 1 per row (within 1e-3), but a row is off by ${dev}`,
        );
      }
    }
  }
  return p;
}

/**
 * Checks labels against `n` samples and `classes` classes; returns them as int64 [N] on `device`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { checkLabels } from "./inputs.ts";
 * const p = tensor([0.2, 0.7], { dtype: "float64" });
 * checkLabels(tensor([false, true]), 2, 2, p, "demo"); // int64 [0, 1]
 * ```
 */
export function checkLabels(labels: unknown, n: number, classes: number, like: Tensor, what: string): Tensor {
  if (!(labels instanceof Tensor)) throw new TypeError(`${what}: labels must be a Tensor, got ${kindOf(labels)}`);
  const shape = labels.shape;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
    throw new RangeError(`${what}: labels must have shape [N] or [N, 1], got [${shape}]`);
  }
  if (shape[0] !== n) {
    throw new RangeError(`${what}: preds has ${n} samples but labels has ${shape[0]} (mismatched lengths)`);
  }
  let y = labels.reshape([n]);
  if (y.device !== like.device) y = y.to({ device: like.device });
  if (y.dtype === "bool") return y.to({ dtype: "int64" });
  if (isFloatingPoint(y.dtype)) {
    const f = y.to({ dtype: "float64" });
    const bad = f.isfinite().logicalNot().logicalOr(f.ne(f.round())).sum().item();
    if (bad > 0) {
      throw new RangeError(`${what}: float labels must be whole numbers (0/1 or class indices); ${bad} are not`);
    }
    y = f.to({ dtype: "int64" });
  } else if (y.dtype !== "int64") {
    y = y.to({ dtype: "int64" });
  }
  const lo = y.min().item(), hi = y.max().item();
  if (lo < 0 || hi >= classes) {
    throw new RangeError(
      `${what}: labels must be in [0, ${classes - 1}] for ${
        classes === 2 ? "a binary model" : `${classes} classes`
      }, got values in [${lo}, ${hi}]`,
    );
  }
  return y;
}

/** A number for messages: 8 significant digits (float32 values print as written). */
function short(v: number): number {
  return Number(v.toPrecision(8));
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array (wrap it with tensor())";
  return typeof v;
}

/**
 * `log(sigmoid(z))`, stable: `-softplus(-z)`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { logSigmoid } from "./inputs.ts";
 * logSigmoid(tensor([-800, 0], { dtype: "float64" })); // [-800, -0.693...], no -Infinity
 * ```
 */
export function logSigmoid(z: Tensor): Tensor {
  return softplus(z.neg()).neg();
}

/**
 * `log(1 + exp(z))`, stable for large |z|: `max(z, 0) + log1p(exp(-|z|))`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { softplus } from "./inputs.ts";
 * softplus(tensor([800, 0], { dtype: "float64" })); // [800, 0.693...]
 * ```
 */
export function softplus(z: Tensor): Tensor {
  return z.clamp({ min: 0 }).add(z.abs().neg().exp().log1p());
}

/**
 * The checked options and the float64 predictions ([N] or [N, C]); call inside `tidy`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { readPreds } from "./inputs.ts";
 * readPreds(tensor([[2, 1]], { dtype: "float32" }), { input: "logits" }, "demo").model; // "softmax"
 * ```
 */
export function readPreds(
  preds: unknown,
  options: InputOptions,
  what: string,
): { p: Tensor; model: ModelKind; input: InputKind; binary: BinarySemantics; eps: number } {
  const { input, binary, eps } = checkInputOptions(options, what);
  if (!(preds instanceof Tensor)) throw new TypeError(`${what}: preds must be a Tensor, got ${kindOf(preds)}`);
  const model = resolveModel(preds.shape, options.model, what);
  return { p: checkPreds(preds, model, input, what), model, input, binary, eps };
}

/**
 * Checks and normalises predictions and labels for the calibration metrics. Call inside `tidy`: the
 * returned tensors are temporaries.
 *
 * @example
 * ```ts
 * import { tensor, tidy } from "../mod.ts";
 * import { prepareInputs } from "./inputs.ts";
 * const n = tidy(() => prepareInputs(tensor([0.2, 0.9]), tensor([0, 1]), {}, "demo").n); // 2
 * ```
 */
export function prepareInputs(preds: unknown, labels: unknown, options: InputOptions, what: string): Prepared {
  const { p, model, input, binary, eps } = readPreds(preds, options, what);
  const n = p.shape[0];
  if (model === "sigmoid") {
    const y = checkLabels(labels, n, 2, p, what);
    let prob: Tensor, logP: Tensor, logQ: Tensor;
    if (input === "logits") {
      prob = p.sigmoid();
      logP = logSigmoid(p);
      logQ = logSigmoid(p.neg());
    } else {
      prob = p;
      logP = p.clamp({ min: eps }).log();
      logQ = p.rsub(1).clamp({ min: eps }).log();
    }
    const yf = y.to({ dtype: "float64" });
    const pred = prob.gt(0.5);
    const correct = pred.eq(y.bool()).to({ dtype: "float64" });
    const confidence = binary === "positive" ? prob : prob.maximum(prob.rsub(1));
    const target = binary === "positive" ? yf : correct;
    return {
      model,
      binary,
      n,
      classes: 2,
      probs: prob,
      logProbs: logP,
      logProbsNeg: logQ,
      labels: y,
      confidence,
      target,
      correct,
    };
  }
  const classes = p.shape[1];
  const y = checkLabels(labels, n, classes, p, what);
  let prob: Tensor, logP: Tensor;
  if (input === "logits") {
    logP = p.logSoftmax(1);
    prob = logP.exp();
  } else {
    prob = p;
    logP = p.clamp({ min: eps }).log();
  }
  const { values, indices } = prob.max(1);
  const correct = indices.eq(y).to({ dtype: "float64" });
  return {
    model,
    binary: "top-label",
    n,
    classes,
    probs: prob,
    logProbs: logP,
    logProbsNeg: null,
    labels: y,
    confidence: values,
    target: correct,
    correct,
  };
}

/**
 * Logits of the predictions (float64): the logits themselves, or for probabilities `logit(clamp(p, eps,
 * 1 - eps))` (sigmoid) and `log(clamp(p, eps))` (softmax; log-probabilities are logits up to a per-row
 * constant, which softmax ignores).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { toLogits } from "./inputs.ts";
 * toLogits(tensor([0.5, 1], { dtype: "float64" }), "sigmoid", "probabilities", 1e-12); // [0, 27.63...]
 * ```
 */
export function toLogits(p: Tensor, model: ModelKind, input: InputKind, eps: number): Tensor {
  if (input === "logits") return p;
  if (model === "sigmoid") {
    const c = p.clamp(eps, 1 - eps);
    return c.log().sub(c.rsub(1).log());
  }
  return p.clamp({ min: eps }).log();
}

/**
 * The top-label problem of a model, as a binary one: the confidence of its predicted class (float64 [N])
 * and whether that class is right (float64 0/1 [N]). Binary recalibrators (histogram binning, isotonic
 * regression, Platt) fitted on it recalibrate the top-label confidence of a multi-class model, and the
 * metrics with `binary: "positive"` on it give the top-label metrics.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { topLabel } from "./inputs.ts";
 * const { confidence, correct } = topLabel(tensor([[0.7, 0.3], [0.4, 0.6]]), tensor([0, 0]));
 * // confidence [0.7, 0.6], correct [1, 0]
 * ```
 */
export function topLabel(
  preds: Tensor,
  labels: Tensor,
  options: InputOptions = {},
): { confidence: Tensor; correct: Tensor } {
  checkOptionsObject("topLabel", options);
  return tidy(() => {
    const p = prepareInputs(preds, labels, { ...options, binary: "top-label" }, "topLabel");
    return { confidence: p.confidence, correct: p.correct };
  });
}
