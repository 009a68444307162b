/**
 * Isotonic regression (Zadrozny & Elkan 2002): the non-decreasing map from validation probabilities
 * p(y = 1) to labels that minimises the squared error, fitted by pool-adjacent-violators (PAV).
 *
 * Fit: the validation points are sorted with a tensor sort; then equal scores are pooled and PAV runs as
 * a JavaScript loop over the sorted points. PAV is inherently sequential (each merge depends on the
 * blocks merged before it) and runs once, on the validation set, in O(N); only the fitted breakpoints
 * are kept. Apply: tensor operations only (`bucketize` against the breakpoints, then interpolation).
 *
 * Options:
 * - `interpolation` (default `"linear"`): between breakpoints, linear interpolation (as scikit-learn's
 *   `IsotonicRegression`, whose breakpoints are each block's first and last score), or `"step"`: the
 *   value of the last breakpoint at or below the score (a step function);
 * - outside the validation scores' range the map is constant (scikit-learn's `out_of_bounds="clip"`);
 * - `input` (default `"probabilities"`) and `eps`, see `recalibrator.ts`.
 *
 * For a multi-class model, fit it on `topLabel()` (top-label confidence against correctness).
 *
 * @module
 */

import { callOp } from "../tensor/aten.ts";
import { checkOptionsObject, describe } from "../tensor/checks.ts";
import { tensor } from "../tensor/creation.ts";
import { bucketize } from "../tensor/functions.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import {
  type BinaryScoreOptions,
  binaryScores,
  checkFitted,
  type Recalibrator,
  type RecalibratorJSON,
} from "./recalibrator.ts";
import { checkOptions } from "../tensor/options.ts";
import { ISOTONIC_KEYS } from "./option_keys.ts";

/** Options of {@linkcode IsotonicRegression}. */
export interface IsotonicOptions extends BinaryScoreOptions {
  /** `"linear"` (default, scikit-learn) or `"step"` between breakpoints. */
  interpolation?: "linear" | "step";
}

/** Isotonic regression as JSON. */
export interface IsotonicJSON extends RecalibratorJSON {
  kind: "isotonic";
  interpolation: "linear" | "step";
  input: "logits" | "probabilities";
  eps: number;
  /** The breakpoints' scores (increasing). */
  x: number[];
  /** The breakpoints' calibrated probabilities (non-decreasing). */
  y: number[];
}

/**
 * Pool-adjacent-violators on points sorted by x (ties allowed): the non-decreasing least-squares fit, as
 * scikit-learn's `IsotonicRegression`. Points with equal x are pooled first (one point per unique x: the mean of
 * their labels, weighted by their count), then PAV merges adjacent blocks that decrease. Blocks keep sums, not
 * running means, so the result does not depend on the order of equal points. Returns the breakpoints, each
 * block's first and last x (one point when they are equal).
 *
 * @example
 * ```ts
 * import { pav } from "./isotonic.ts";
 * pav([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]); // { x: [0.1, 0.2, 0.3, 0.4], y: [0, 0.5, 0.5, 1] }
 * pav([0.1, 0.1, 0.2, 0.2, 0.2, 0.2], [1, 0, 0, 1, 1, 1]); // { x: [0.1, 0.2], y: [0.5, 0.75] }
 * ```
 */
export function pav(xs: ArrayLike<number>, ys: ArrayLike<number>): { x: number[]; y: number[] } {
  const isArrayLike = (v: unknown) =>
    Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array));
  if (!isArrayLike(xs) || !isArrayLike(ys)) {
    throw new TypeError(`pav: xs and ys must be arrays of numbers, got ${describe(xs)} and ${describe(ys)}`);
  }
  if (xs.length !== ys.length) {
    throw new RangeError(`pav: xs and ys must have the same length, got ${xs.length} and ${ys.length}`);
  }
  // 1. ties pooled: one point per unique x, with the sum of its labels and its count
  const ux: number[] = [], us: number[] = [], uw: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (i > 0 && x < xs[i - 1]) throw new RangeError(`pav: xs must be sorted, but xs[${i}] < xs[${i - 1}]`);
    const k = ux.length - 1;
    if (k >= 0 && ux[k] === x) {
      us[k] += ys[i];
      uw[k] += 1;
    } else {
      ux.push(x);
      us.push(ys[i]);
      uw.push(1);
    }
  }
  // 2. PAV over the unique points: blocks of label sum, weight, first x, last x
  const s: number[] = [], w: number[] = [], lo: number[] = [], hi: number[] = [];
  for (let i = 0; i < ux.length; i++) {
    s.push(us[i]);
    w.push(uw[i]);
    lo.push(ux[i]);
    hi.push(ux[i]);
    // merge while the previous block's mean exceeds the last one's (compared without dividing)
    while (s.length > 1 && s[s.length - 2] * w[w.length - 1] > s[s.length - 1] * w[w.length - 2]) {
      const k = s.length - 1;
      s[k - 1] += s[k];
      w[k - 1] += w[k];
      hi[k - 1] = hi[k];
      s.pop();
      w.pop();
      lo.pop();
      hi.pop();
    }
  }
  const x: number[] = [], y: number[] = [];
  for (let k = 0; k < s.length; k++) {
    const v = s[k] / w[k];
    x.push(lo[k]);
    y.push(v);
    if (hi[k] > lo[k]) {
      x.push(hi[k]);
      y.push(v);
    }
  }
  return { x, y };
}

/**
 * Isotonic regression of a binary model's probabilities.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { IsotonicRegression } from "./isotonic.ts";
 * const iso = new IsotonicRegression().fit(tensor([0.1, 0.2, 0.3, 0.4]), tensor([0, 1, 0, 1]));
 * iso.apply(tensor([0.05, 0.25, 0.35])); // [0, 0.5, 0.75]
 * ```
 */
export class IsotonicRegression implements Recalibrator {
  readonly kind = "isotonic" as const;
  /** The breakpoints' scores (empty before `fit`). */
  x: number[] = [];
  /** The breakpoints' calibrated probabilities. */
  y: number[] = [];

  constructor(readonly options: IsotonicOptions = {}) {
    checkOptionsObject("IsotonicRegression", options);
    checkOptions("IsotonicRegression", options, ISOTONIC_KEYS);
    const i = options.interpolation ?? "linear";
    if (i !== "linear" && i !== "step") {
      throw new TypeError(`IsotonicRegression: interpolation must be "linear" or "step", got ${describe(i)}`);
    }
  }

  get fitted(): boolean {
    return this.x.length > 0;
  }

  /** Fits the non-decreasing map on validation scores and 0/1 labels. */
  fit(scores: Tensor, labels: Tensor): this {
    const what = "IsotonicRegression.fit";
    const [xs, ys] = tidy(() => {
      const { p, y } = binaryScores(scores, labels, this.options, what);
      const [sorted, order] = callOp("aten::sort", p, { stable: true, dim: 0 }) as Tensor[];
      const t = y!.index([order]).to({ dtype: "float64" });
      return [sorted.cpu().data() as Float64Array, t.cpu().data() as Float64Array];
    });
    const fit = pav(xs, ys);
    this.x = fit.x;
    this.y = fit.y;
    return this;
  }

  /** The calibrated probabilities of test scores, float64 [N]. */
  apply(scores: Tensor): Tensor {
    const what = "IsotonicRegression.apply";
    checkFitted(this.fitted, what);
    return tidy(() => {
      const { p } = binaryScores(scores, null, this.options, what);
      const k = this.x.length;
      const xs = tensor(this.x, { dtype: "float64", device: p.device });
      const ys = tensor(this.y, { dtype: "float64", device: p.device });
      // j = the number of breakpoints <= p
      const j = bucketize(p, xs, { right: true });
      if (k === 1 || this.options.interpolation === "step") return ys.index([j.sub(1).clamp({ min: 0 })]);
      const hi = j.clamp(1, k - 1), lo = hi.sub(1);
      const x0 = xs.index([lo]), x1 = xs.index([hi]), y0 = ys.index([lo]), y1 = ys.index([hi]);
      const t = p.sub(x0).div(x1.sub(x0)).clamp(0, 1);
      return y0.add(y1.sub(y0).mul(t));
    });
  }

  toJSON(): IsotonicJSON {
    checkFitted(this.fitted, "IsotonicRegression.toJSON");
    return {
      kind: "isotonic",
      interpolation: this.options.interpolation ?? "linear",
      input: this.options.input ?? "probabilities",
      eps: this.options.eps ?? 1e-12,
      x: [...this.x],
      y: [...this.y],
    };
  }

  /** A fitted IsotonicRegression from {@linkcode IsotonicRegression.toJSON}'s output. */
  static fromJSON(json: IsotonicJSON): IsotonicRegression {
    if (json?.kind !== "isotonic") throw new TypeError(`IsotonicRegression.fromJSON: kind is ${json?.kind}`);
    const ok = Array.isArray(json.x) && Array.isArray(json.y) && json.x.length === json.y.length && json.x.length > 0 &&
      json.x.every((v, i) => i === 0 || v > json.x[i - 1]) && json.y.every((v, i) => i === 0 || v >= json.y[i - 1]);
    if (!ok) throw new RangeError("IsotonicRegression.fromJSON: x must increase and y not decrease, same lengths");
    const r = new IsotonicRegression({ interpolation: json.interpolation, input: json.input, eps: json.eps });
    r.x = [...json.x];
    r.y = [...json.y];
    return r;
  }
}
