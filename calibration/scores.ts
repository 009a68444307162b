/**
 * Proper scores and accuracy of probabilistic predictions: negative log-likelihood, Brier score, accuracy.
 * Inputs are read as in `inputs.ts` (`input`, `model`, `eps`); the binary semantics do not apply here.
 *
 * @module
 */

import { tidy } from "../tensor/memory.ts";
import { zerosLike } from "../tensor/creation.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { type InputOptions, type Prepared, prepareInputs } from "./inputs.ts";
import { checkOptionsObject } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { INPUT_KEYS } from "./option_keys.ts";

/**
 * The mean NLL of prepared inputs, a float64 scalar tensor.
 *
 * @example
 * ```ts
 * import { tensor, tidy } from "../mod.ts";
 * import { prepareInputs } from "./inputs.ts";
 * import { nllOf } from "./scores.ts";
 * tidy(() => nllOf(prepareInputs(tensor([0.8]), tensor([1]), {}, "demo")).item()); // -ln 0.8
 * ```
 */
export function nllOf(p: Prepared): Tensor {
  if (p.model === "sigmoid") {
    const y = p.labels.to({ dtype: "float64" });
    return p.logProbs.mul(y).add(p.logProbsNeg!.mul(y.rsub(1))).mean().neg();
  }
  return p.logProbs.gather(1, p.labels.unsqueeze(1)).mean().neg();
}

/**
 * The mean Brier score of prepared inputs, a float64 scalar tensor.
 *
 * @example
 * ```ts
 * import { tensor, tidy } from "../mod.ts";
 * import { prepareInputs } from "./inputs.ts";
 * import { brierOf } from "./scores.ts";
 * tidy(() => brierOf(prepareInputs(tensor([0.8]), tensor([1]), {}, "demo")).item()); // 0.04
 * ```
 */
export function brierOf(p: Prepared): Tensor {
  if (p.model === "sigmoid") return p.probs.sub(p.labels.to({ dtype: "float64" })).square().mean();
  const onehot = zerosLike(p.probs).scatter(1, p.labels.unsqueeze(1), 1);
  return p.probs.sub(onehot).square().sum(1).mean();
}

/**
 * Mean negative log-likelihood of the true labels (natural log, nats per sample). From logits it is
 * computed stably (log-softmax, or log-sigmoid for sigmoid models); from probabilities as
 * `-log(clamp(p, eps))`, with `eps` (default 1e-12) keeping a confident wrong prediction finite.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { negativeLogLikelihood } from "./scores.ts";
 * negativeLogLikelihood(tensor([0.8, 0.4]), tensor([1, 0])); // -(ln 0.8 + ln 0.6) / 2 = 0.367
 * ```
 */
export function negativeLogLikelihood(preds: Tensor, labels: Tensor, options: InputOptions = {}): number {
  checkOptionsObject("negativeLogLikelihood", options);
  checkOptions("negativeLogLikelihood", options, INPUT_KEYS);
  return tidy(() => nllOf(prepareInputs(preds, labels, options, "negativeLogLikelihood")).item() + 0); // no -0
}

/**
 * Mean Brier score (Brier 1950). Softmax models: the squared distance to the one-hot label summed over
 * the classes, range [0, 2]. Sigmoid models: `(p - y)^2`, range [0, 1] (as scikit-learn's and
 * torchmetrics' binary Brier score; half the 2-class softmax value).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { brierScore } from "./scores.ts";
 * brierScore(tensor([0.8, 0.4]), tensor([1, 0])); // (0.04 + 0.16) / 2 = 0.1
 * ```
 */
export function brierScore(preds: Tensor, labels: Tensor, options: InputOptions = {}): number {
  checkOptionsObject("brierScore", options);
  checkOptions("brierScore", options, INPUT_KEYS);
  return tidy(() => brierOf(prepareInputs(preds, labels, options, "brierScore")).item());
}

/**
 * Fraction of samples whose predicted class is the label: the argmax for softmax models (the first on
 * ties), `p > 0.5` for sigmoid models (a tie predicts 0, as torchmetrics' threshold).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { accuracy } from "./scores.ts";
 * accuracy(tensor([[0.1, 0.9], [0.7, 0.3]]), tensor([1, 1])); // 0.5
 * ```
 */
export function accuracy(preds: Tensor, labels: Tensor, options: InputOptions = {}): number {
  checkOptionsObject("accuracy", options);
  checkOptions("accuracy", options, INPUT_KEYS);
  return tidy(() => prepareInputs(preds, labels, options, "accuracy").correct.mean().item());
}
