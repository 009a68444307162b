/**
 * The strong-Wolfe line search of torch.optim.LBFGS (`_strong_wolfe` and `_cubic_interpolate`), with
 * Python's mix of float and 0-dim tensor scalars mirrored exactly (see python_scalar.ts).
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import {
  abs,
  add,
  Dim0,
  type Dim0DType,
  div,
  ge,
  gt,
  le,
  lt,
  mul,
  neg,
  type Py,
  pyMax,
  pyMin,
  sqrt,
  square,
  sub,
} from "./python_scalar.ts";

/**
 * `a.dot(b)` as a 0-dim value.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { dot } from "./strong_wolfe.ts";
 * const flatGrad = tensor([1, 2], { dtype: "float32" }), d = flatGrad.neg();
 * const gtd = dot(flatGrad, d, "float32"); // flat_grad.dot(d): a float32 Dim0 of value -5
 * ```
 */
export function dot(a: Tensor, b: Tensor, dtype: Dim0DType): Dim0 {
  const r = a.dot(b);
  try {
    return new Dim0(r.item(), dtype);
  } finally {
    r.dispose();
  }
}

/**
 * `t.abs().max()` as a 0-dim value.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { le } from "./python_scalar.ts";
 * import { absMax } from "./strong_wolfe.ts";
 * const flatGrad = tensor([1e-8, -3e-8], { dtype: "float32" });
 * le(absMax(flatGrad, "float32"), 1e-7); // flat_grad.abs().max() <= tolerance_grad: true
 * ```
 */
export function absMax(t: Tensor, dtype: Dim0DType): Dim0 {
  const a = t.abs();
  const m = a.max();
  try {
    return new Dim0(m.item(), dtype);
  } finally {
    a.dispose();
    m.dispose();
  }
}

/**
 * The minimizer of the cubic interpolating `(x1, f1, g1)` and `(x2, f2, g2)`, clamped to `bounds` (by
 * default the interval between x1 and x2); their midpoint when the cubic has no minimum.
 *
 * @example
 * ```ts
 * import { cubicInterpolate } from "./strong_wolfe.ts";
 * // f(t) = (t - 0.5)^2 known at t = 0 and t = 1: values 0.25 and 0.25, slopes -1 and 1
 * const t = cubicInterpolate(0, 0.25, -1, 1, 0.25, 1); // 0.5
 * ```
 */
export function cubicInterpolate(x1: Py, f1: Py, g1: Py, x2: Py, f2: Py, g2: Py, bounds?: [Py, Py]): Py {
  const [xminBound, xmaxBound] = bounds ?? (le(x1, x2) ? [x1, x2] : [x2, x1]);
  const d1 = sub(add(g1, g2), div(mul(3, sub(f1, f2)), sub(x1, x2)));
  const d2Square = sub(square(d1), mul(g1, g2));
  if (ge(d2Square, 0)) {
    const d2 = sqrt(d2Square);
    const minPos = le(x1, x2)
      ? sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), mul(2, d2)))))
      : sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), mul(2, d2)))));
    return pyMin(pyMax(minPos, xminBound), xmaxBound);
  }
  return div(add(xminBound, xmaxBound), 2);
}

/** Evaluates the loss and flat gradient at `x + t d` (then restores `x`): LBFGS's `obj_func`. */
export type DirectionalEvaluate = (x: Tensor[], t: Py, d: Tensor) => [number, Tensor];

/** The result of the line search: loss, flat gradient (owned by the caller), step, evaluations. */
export type LineSearchResult = [number, Tensor, Py, number];

/**
 * Finds a step `t` along `d` satisfying the strong Wolfe conditions, starting from loss `f`, gradient
 * `g` and directional derivative `gtd` at `x`. Every gradient tensor it makes is freed except the one
 * returned.
 *
 * @example
 * ```ts
 * import { type Tensor, tensor, tidy } from "../mod.ts";
 * import { num } from "./python_scalar.ts";
 * import { type DirectionalEvaluate, dot, strongWolfe } from "./strong_wolfe.ts";
 * // f(x) = x·x from x = [1, 1] (loss 2, gradient [2, 2]) along d = -gradient
 * const xInit = [tensor([1, 1], { dtype: "float64" })];
 * const objFunc: DirectionalEvaluate = (x, t, d) =>
 *   tidy((): [number, Tensor] => {
 *     const xt = x[0].add(d.mul(num(t)));
 *     return [xt.dot(xt).item(), xt.mul(2)];
 *   });
 * const g0 = tensor([2, 2], { dtype: "float64" }), d = g0.neg();
 * const [loss, flatGrad, t, evals] = strongWolfe(objFunc, xInit, 1, d, 2, g0, dot(g0, d, "float64"), "float64");
 * // loss 0, flatGrad [0, 0], t 0.5, evals 2
 * ```
 */
export function strongWolfe(
  objFunc: DirectionalEvaluate,
  x: Tensor[],
  tInit: Py,
  d: Tensor,
  f: number,
  g0: Tensor,
  gtd: Py,
  dtype: Dim0DType,
  c1 = 1e-4,
  c2 = 0.9,
  toleranceChange = 1e-9,
  maxLs = 25,
): LineSearchResult {
  let owned: Tensor[] = [];
  const own = (t: Tensor): Tensor => {
    owned.push(t);
    return t;
  };
  /** Frees the owned tensors not in `live`. */
  const sweep = (live: Tensor[]) => {
    const keepSet = new Set(live);
    for (const t of owned) if (!keepSet.has(t)) t.dispose();
    owned = owned.filter((t) => keepSet.has(t));
  };

  let t = tInit;
  const dNorm = absMax(d, dtype);
  const g = own(g0.clone());
  let [fNew, gNew] = objFunc(x, t, d);
  own(gNew);
  let lsFuncEvals = 1;
  let gtdNew: Py = dot(gNew, d, dtype);

  let tPrev: Py = 0, fPrev = f, gPrev = g, gtdPrev: Py = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Py[] = [], bracketF: number[] = [], bracketG: Tensor[] = [], bracketGtd: Py[] = [];
  const sufficientDecrease = (tt: Py, fn: number) => gt(fn, add(f, mul(mul(c1, tt), gtd)));
  const curvature = (gn: Py) => le(abs(gn), mul(neg(c2), gtd));

  while (lsIter < maxLs) {
    // check conditions
    if (sufficientDecrease(t, fNew) || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, own(gNew.clone())];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (curvature(gtdNew)) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (ge(gtdNew, 0)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, own(gNew.clone())];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    // interpolate
    const minStep = add(t, mul(0.01, sub(t, tPrev)));
    const maxStep = mul(t, 10);
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    // next step
    tPrev = tmp;
    fPrev = fNew;
    gPrev = own(gNew.clone());
    gtdPrev = gtdNew;
    [fNew, gNew] = objFunc(x, t, d);
    own(gNew);
    lsFuncEvals += 1;
    gtdNew = dot(gNew, d, dtype);
    lsIter += 1;
    sweep([g, gPrev, gNew]);
  }

  // reached max number of iterations?
  if (lsIter === maxLs) {
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
  }

  // zoom phase: a point satisfying the criteria lies in the bracket; refine it until found
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    // line-search bracket is so small
    if (lt(mul(abs(sub(bracket[1], bracket[0])), dNorm), toleranceChange)) break;
    // compute new trial value
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    // test that we are making sufficient progress
    const bMax = pyMax(bracket[0], bracket[1]), bMin = pyMin(bracket[0], bracket[1]);
    const eps = mul(0.1, sub(bMax, bMin));
    if (lt(pyMin(sub(bMax, t), sub(t, bMin)), eps)) {
      // interpolation close to boundary
      if (insufProgress || ge(t, bMax) || le(t, bMin)) {
        // evaluate at 0.1 away from boundary
        t = lt(abs(sub(t, bMax)), abs(sub(t, bMin))) ? sub(bMax, eps) : add(bMin, eps);
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    // evaluate new point
    [fNew, gNew] = objFunc(x, t, d);
    own(gNew);
    lsFuncEvals += 1;
    gtdNew = dot(gNew, d, dtype);
    lsIter += 1;

    if (sufficientDecrease(t, fNew) || fNew >= bracketF[lowPos]) {
      // Armijo condition not satisfied or not lower than lowest point
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = own(gNew.clone());
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (curvature(gtdNew)) {
        // Wolfe conditions satisfied
        done = true;
      } else if (ge(mul(gtdNew, sub(bracket[highPos], bracket[lowPos])), 0)) {
        // old high becomes new low
        bracket[highPos] = bracket[lowPos];
        bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos];
        bracketGtd[highPos] = bracketGtd[lowPos];
      }
      // new point becomes new low
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = own(gNew.clone());
      bracketGtd[lowPos] = gtdNew;
    }
    sweep([g, ...bracketG]);
  }

  // return stuff
  const result = bracketG[lowPos];
  sweep([result]);
  return [bracketF[lowPos], result, bracket[lowPos], lsFuncEvals];
}
