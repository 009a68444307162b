/**
 * Platt scaling (Platt 1999): logistic regression on a binary model's logit z, `p = sigmoid(a z + b)`,
 * fitted by Newton's method (the 2x2 system of mean gradients and Hessian built with tensor reductions,
 * with a backtracking line search on the mean log-loss).
 *
 * Options:
 * - `targets` (default `"platt"`): Platt's smoothed targets, (N+ + 1) / (N+ + 2) for positives and
 *   1 / (N- + 2) for negatives (Platt 1999; scikit-learn's `CalibratedClassifierCV(method="sigmoid")`),
 *   which keep the fit finite even for separable data or a single class; `"hard"`: the labels as they are
 *   (plain logistic regression, as Guo et al. 2017 describe), which fails with a clear error when the
 *   labels are separable by the score (the maximum-likelihood slope is infinite);
 * - `tolerance` (default 1e-10): stop when both mean gradients are at most this (and the Newton step is
 *   below 1e-6 relative to the parameters);
 * - `maxIterations` (default 100);
 * - `input` (default `"probabilities"`) and `eps` (default 1e-12): how scores are read, see
 *   `recalibrator.ts`.
 *
 * @module
 */

import { checkOptionsObject, describe } from "../tensor/checks.ts";
import { stack } from "../tensor/functions.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { softplus } from "./inputs.ts";
import {
  type BinaryScoreOptions,
  binaryScores,
  checkFitted,
  type Recalibrator,
  type RecalibratorJSON,
} from "./recalibrator.ts";
import { checkOptions } from "../tensor/options.ts";
import { PLATT_KEYS } from "./option_keys.ts";

/** Options of {@linkcode PlattScaling}. */
export interface PlattOptions extends BinaryScoreOptions {
  /** `"platt"` (default, Platt's smoothed targets) or `"hard"` (the labels). */
  targets?: "platt" | "hard";
  /** Stop when both mean gradients are at most this (default 1e-10). */
  tolerance?: number;
  /** Most Newton steps (default 100). */
  maxIterations?: number;
}

/** Platt scaling as JSON. */
export interface PlattJSON extends RecalibratorJSON {
  kind: "platt";
  a: number;
  b: number;
  input: "logits" | "probabilities";
  eps: number;
  targets: "platt" | "hard";
}

/**
 * Platt scaling of a binary model: `apply` returns `sigmoid(a z + b)` of the scores' logits z.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { PlattScaling } from "./platt.ts";
 * const platt = new PlattScaling({ input: "logits", targets: "hard" })
 *   .fit(tensor([-1, -1, -1, -1, 1, 1, 1, 1], { dtype: "float32" }), tensor([1, 0, 0, 0, 1, 1, 1, 0]));
 * // a = ln 3, b = 0: sigmoid(-a + b) = 0.25 and sigmoid(a + b) = 0.75, the observed frequencies
 * ```
 */
export class PlattScaling implements Recalibrator {
  readonly kind = "platt" as const;
  /** The slope (NaN before `fit`). */
  a = NaN;
  /** The intercept (NaN before `fit`). */
  b = NaN;
  /** Newton steps of the last fit. */
  iterations = 0;

  constructor(readonly options: PlattOptions = {}) {
    checkOptionsObject("PlattScaling", options);
    checkOptions("PlattScaling", options, PLATT_KEYS);
    const t = options.targets ?? "platt";
    if (t !== "platt" && t !== "hard") {
      throw new TypeError(`PlattScaling: targets must be "platt" or "hard", got ${describe(t)}`);
    }
    const tol = options.tolerance ?? 1e-10;
    if (!(tol > 0)) throw new RangeError(`PlattScaling: tolerance must be > 0, got ${tol}`);
    const it = options.maxIterations ?? 100;
    if (!Number.isInteger(it) || it < 1) {
      throw new RangeError(`PlattScaling: maxIterations must be an integer >= 1, got ${it}`);
    }
  }

  get fitted(): boolean {
    return Number.isFinite(this.a) && Number.isFinite(this.b);
  }

  /** Fits a and b on validation scores and 0/1 labels. */
  fit(scores: Tensor, labels: Tensor): this {
    const what = "PlattScaling.fit";
    const targets = this.options.targets ?? "platt";
    const tol = this.options.tolerance ?? 1e-10;
    const maxIterations = this.options.maxIterations ?? 100;
    const [a, b, iterations] = tidy(() => {
      const { z, y } = binaryScores(scores, labels, this.options, what);
      const yf = y!.to({ dtype: "float64" });
      const nPos = yf.sum().item(), n = z.shape[0], nNeg = n - nPos;
      if (z.max().item() === z.min().item()) {
        throw new RangeError(`${what}: every validation score is ${z.max().item()}; the slope cannot be fitted`);
      }
      if (targets === "hard" && (nPos === 0 || nNeg === 0)) {
        throw new RangeError(
          `${what}: the labels hold a single class (${nPos} positives of ${n}); with targets: "hard" the ` +
            `fit diverges (use targets: "platt")`,
        );
      }
      const t = targets === "hard" ? yf : yf.mul((nPos + 1) / (nPos + 2) - 1 / (nNeg + 2)).add(1 / (nNeg + 2));
      const loss = (a: number, b: number) =>
        tidy(() => {
          const u = z.mul(a).add(b);
          return softplus(u).sub(t.mul(u)).mean().item();
        });
      let a = 0, b = Math.log((nPos + 1) / (nNeg + 1));
      let f = loss(a, b);
      for (let k = 1; k <= maxIterations; k++) {
        const [ga, gb, haa, hab, hbb] = tidy(() => {
          const s = z.mul(a).add(b).sigmoid();
          const r = s.sub(t), w = s.mul(s.rsub(1));
          return stack([r.mul(z).mean(), r.mean(), w.mul(z.square()).mean(), w.mul(z).mean(), w.mean()])
            .data() as Float64Array;
        });
        const det = haa * hbb - hab * hab;
        const newton = det > 1e-300 && haa > 0;
        let da: number, db: number;
        if (newton) {
          da = -(hbb * ga - hab * gb) / det;
          db = -(haa * gb - hab * ga) / det;
        } else {
          da = -ga;
          db = -gb;
        }
        // Converged: small gradients and a small Newton step (on separable data the gradients vanish while
        // the parameters still run away).
        const small = Math.max(Math.abs(da), Math.abs(db)) <= 1e-6 * (1 + Math.max(Math.abs(a), Math.abs(b)));
        if (Math.abs(ga) <= tol && Math.abs(gb) <= tol && newton && small) return [a, b, k - 1];
        let step = 1, fNew = loss(a + da, b + db);
        while (!(fNew <= f + 1e-4 * step * (ga * da + gb * db)) && step > 1e-12) {
          step /= 2;
          fNew = loss(a + step * da, b + step * db);
        }
        if (step <= 1e-12) break;
        a += step * da;
        b += step * db;
        f = fNew;
        if (!(Math.abs(a) < 1e8 && Math.abs(b) < 1e8)) break;
      }
      throw new RangeError(
        `${what}: no convergence within maxIterations = ${maxIterations} (a = ${a}, b = ${b})` +
          (targets === "hard" ? '; the labels may be separable by the score (use targets: "platt")' : ""),
      );
    });
    this.a = a;
    this.b = b;
    this.iterations = iterations;
    return this;
  }

  /** `sigmoid(a z + b)` of the scores' logits, float64 [N]. */
  apply(scores: Tensor): Tensor {
    checkFitted(this.fitted, "PlattScaling.apply");
    return tidy(() =>
      binaryScores(scores, null, this.options, "PlattScaling.apply").z.mul(this.a).add(this.b).sigmoid()
    );
  }

  toJSON(): PlattJSON {
    checkFitted(this.fitted, "PlattScaling.toJSON");
    return {
      kind: "platt",
      a: this.a,
      b: this.b,
      input: this.options.input ?? "probabilities",
      eps: this.options.eps ?? 1e-12,
      targets: this.options.targets ?? "platt",
    };
  }

  /** A fitted PlattScaling from {@linkcode PlattScaling.toJSON}'s output. */
  static fromJSON(json: PlattJSON): PlattScaling {
    if (json?.kind !== "platt") throw new TypeError(`PlattScaling.fromJSON: kind is ${json?.kind}`);
    if (!Number.isFinite(json.a) || !Number.isFinite(json.b)) {
      throw new RangeError(`PlattScaling.fromJSON: a and b must be finite, got ${json.a}, ${json.b}`);
    }
    const p = new PlattScaling({ input: json.input, eps: json.eps, targets: json.targets });
    p.a = json.a;
    p.b = json.b;
    return p;
  }
}
