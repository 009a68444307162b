/**
 * `LBFGS`: limited-memory BFGS with an optional strong-Wolfe line search, torch.optim.LBFGS operator
 * for operator, with its Python scalar arithmetic (floats mixed with 0-dim tensors) mirrored exactly.
 *
 * @module
 */

import { enableGrad, noGrad } from "../tensor/autograd.ts";
import { zeros } from "../tensor/creation.ts";
import { cat } from "../tensor/functions.ts";
import { keep } from "../tensor/memory.ts";
import { Tensor } from "../tensor/tensor.ts";
import { checkNumber, checkOneOf, describe } from "../tensor/checks.ts";
import { optionsFrom } from "../tensor/options.ts";
import { type Closure, Optimizer, type ParamGroupInput, type Params } from "./optimizer.ts";
import { Dim0, type Dim0DType, div, gt, isDim0DType, le, mul, neg, num, type Py, pyMin, sub } from "./python_scalar.ts";
import { absMax, dot, strongWolfe } from "./strong_wolfe.ts";

/** The hyperparameters of LBFGS. */
export interface LBFGSHyperparameters {
  /** Learning rate (default 1). */
  lr: number;
  /** Maximal number of iterations per `step` (default 20). */
  maxIter: number;
  /** Maximal number of function evaluations per `step` (default `floor(maxIter * 5 / 4)`). */
  maxEval: number;
  /** Termination tolerance on first-order optimality (default 1e-7). */
  toleranceGrad: number;
  /** Termination tolerance on function value and parameter changes (default 1e-9). */
  toleranceChange: number;
  /** Number of correction pairs kept (default 100). */
  historySize: number;
  /** `"strong_wolfe"` for a line search, or null (default) for fixed steps of `lr`. */
  lineSearchFn: "strong_wolfe" | null;
}

/** Options of {@linkcode LBFGS}. */
export type LBFGSOptions = Partial<LBFGSHyperparameters>;

const KEYS = ["lr", "maxIter", "maxEval", "toleranceGrad", "toleranceChange", "historySize", "lineSearchFn"] as const;
const SCALAR_KEYS = new Set(["t", "H_diag", "ro", "al"]);

/** A loss returned by a closure, as Python's `float(closure())`. */
function toFloat(loss: unknown): number {
  if (loss instanceof Tensor) return loss.item();
  if (typeof loss === "number") return loss;
  throw new TypeError(`LBFGS.step: the closure must return the loss as a Tensor, got ${describe(loss, "typed")}`);
}

/**
 * L-BFGS (torch.optim.LBFGS), for full-batch problems: each `step(closure)` runs up to `maxIter`
 * iterations, re-evaluating the closure. Supports one parameter group only; the parameters must be
 * float32 or float64. The closure should zero the gradients, compute the loss, call `backward()` and
 * return the loss; wrap its body in `tidy` to free its temporaries.
 *
 * @example
 * ```ts
 * import { LBFGS, Linear, mseLoss, randn, tidy } from "../mod.ts";
 * const model = new Linear(4, 1);
 * const [x, y] = [randn([64, 4]), randn([64, 1])];
 * const opt = new LBFGS(model.parameters(), { lineSearchFn: "strong_wolfe" });
 * for (let i = 0; i < 10; i++) {
 *   opt.step(() => tidy(() => {
 *     opt.zeroGrad();
 *     const loss = mseLoss(model.forward(x), y);
 *     loss.backward();
 *     return loss;
 *   }));
 * }
 * ```
 */
export class LBFGS extends Optimizer<LBFGSHyperparameters> {
  /** An optimizer of `params` (one group). */
  constructor(params: Params<LBFGSHyperparameters>, options?: LBFGSOptions);
  /**
   * PyTorch's positional form `LBFGS(params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-07,
   * tolerance_change=1e-09, history_size=100, line_search_fn=None)`.
   */
  constructor(
    params: Params<LBFGSHyperparameters>,
    lr: number,
    maxIter?: number,
    maxEval?: number | null,
    toleranceGrad?: number,
    toleranceChange?: number,
    historySize?: number,
    lineSearchFn?: "strong_wolfe" | null,
  );
  constructor(params: Params<LBFGSHyperparameters>, ...args: unknown[]) {
    const o = optionsFrom<LBFGSOptions>("LBFGS", args, KEYS, 7);
    const maxIter = o.maxIter ?? 20;
    super(params, {
      lr: o.lr ?? 1,
      maxIter,
      maxEval: o.maxEval ?? (typeof maxIter === "number" ? Math.floor(maxIter * 5 / 4) : maxIter),
      toleranceGrad: o.toleranceGrad ?? 1e-7,
      toleranceChange: o.toleranceChange ?? 1e-9,
      historySize: o.historySize ?? 100,
      lineSearchFn: o.lineSearchFn ?? null,
    });
  }

  /** Checks hyperparameters as PyTorch's constructor does (and each group's too). */
  protected override checkHyperparameters(h: Partial<LBFGSHyperparameters>, owner: string): void {
    checkNumber(owner, "lr", h.lr, { min: 0 });
    checkNumber(owner, "maxIter", h.maxIter, { min: 1, integer: true });
    checkNumber(owner, "maxEval", h.maxEval, { min: 1, integer: true });
    checkNumber(owner, "toleranceGrad", h.toleranceGrad, { min: 0 });
    checkNumber(owner, "toleranceChange", h.toleranceChange, { min: 0 });
    checkNumber(owner, "historySize", h.historySize, { min: 1, integer: true });
    checkOneOf(owner, "lineSearchFn", h.lineSearchFn, ["strong_wolfe", null]);
  }

  /** LBFGS has one parameter group: adding another throws, as PyTorch's constructor does. */
  override addParamGroup(group: ParamGroupInput<LBFGSHyperparameters>): void {
    if (this.paramGroups.length > 0) {
      throw new TypeError("LBFGS doesn't support per-parameter options (parameter groups): give one group");
    }
    super.addParamGroup(group);
  }

  get #params(): Tensor[] {
    return this.paramGroups[0].params;
  }

  /** The gradients of all parameters, flattened and concatenated (zeros for parameters without). */
  #gatherFlatGrad(): Tensor {
    const temps: Tensor[] = [];
    const views: Tensor[] = [];
    try {
      for (const p of this.#params) {
        const g = p.grad;
        if (g === null) views.push(zeros([p.numel()], { dtype: p.dtype, device: p.device }));
        else {
          temps.push(g);
          views.push(g.view(-1));
        }
      }
      return cat(views, 0);
    } finally {
      for (const t of temps) t.dispose();
      for (const t of views) t.dispose();
    }
  }

  /** `p += stepSize * update[slice of p]` for each parameter. */
  #addGrad(stepSize: Py, update: Tensor): void {
    let offset = 0;
    const alpha = num(stepSize);
    for (const p of this.#params) {
      const n = p.numel();
      const slice = update.slice(0, offset, offset + n);
      const view = slice.view(p.shape);
      p.add_(view, { alpha });
      view.dispose();
      slice.dispose();
      offset += n;
    }
  }

  #cloneParams(): Tensor[] {
    return this.#params.map((p) => p.clone());
  }

  #setParams(data: Tensor[]): void {
    this.#params.forEach((p, i) => p.copy_(data[i]));
  }

  #evaluate(closure: Closure): number {
    return toFloat(enableGrad(closure));
  }

  /**
   * Performs one L-BFGS optimization step: up to `maxIter` iterations, each evaluating `closure` (which
   * re-evaluates the model, calls `backward()` and returns the loss). Returns the closure's first loss.
   */
  step(closure?: Closure): Tensor {
    if (typeof closure !== "function") {
      throw new TypeError(
        `LBFGS.step: a closure that re-evaluates the model is required, got ${describe(closure, "typed")}`,
      );
    }
    const group = this.paramGroups[0];
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const dtype = this.#params[0].dtype;
    if (!isDim0DType(dtype)) {
      throw new TypeError(`LBFGS: the parameters must be float32 or float64, got ${dtype}`);
    }
    return noGrad(() =>
      this.#step(closure, dtype, {
        lr,
        maxIter,
        maxEval,
        toleranceGrad,
        toleranceChange,
        lineSearchFn,
        historySize,
      })
    );
  }

  #step(closure: Closure, dtype: Dim0DType, h: LBFGSHyperparameters): Tensor {
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = h;
    const params = this.#params;
    let state = this.state.get(params[0]);
    if (state === undefined) this.state.set(params[0], state = {});
    state.func_evals ??= 0;
    state.n_iter ??= 0;

    // evaluate initial f(x) and df/dx
    const origLoss = enableGrad(closure);
    let loss = toFloat(origLoss);
    let currentEvals = 1;
    (state.func_evals as number)++;
    let flatGrad = this.#gatherFlatGrad();
    if (le(absMax(flatGrad, dtype), toleranceGrad)) {
      // optimal condition
      flatGrad.dispose();
      return origLoss;
    }
    let optCond = false;

    // tensors and scalars cached from the previous step
    const oldD = state.d as Tensor | undefined;
    let d = oldD;
    let t = state.t as Py | undefined;
    let oldDirs = state.old_dirs as Tensor[] | undefined;
    let oldStps = state.old_stps as Tensor[] | undefined;
    let ro = state.ro as Py[] | undefined;
    let hDiag = state.H_diag as Py | undefined;
    let prevFlatGrad = state.prev_flat_grad as Tensor | undefined;
    let prevLoss = state.prev_loss as number | undefined;
    const dispose = (x: Tensor | undefined) => {
      if (x !== undefined && x !== oldD) x.dispose();
    };

    let nIter = 0;
    // optimize for a max of maxIter iterations
    while (nIter < maxIter) {
      nIter += 1;
      state.n_iter = (state.n_iter as number) + 1;

      // compute the gradient direction
      if (state.n_iter === 1) {
        d = flatGrad.neg();
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        // do lbfgs update (update memory)
        const y = flatGrad.sub(prevFlatGrad!);
        const s = d!.mul(num(t!));
        const ys = dot(y, s, dtype); // y*s
        if (gt(ys, 1e-10)) {
          // updating memory
          if (oldDirs!.length === historySize) {
            // shift history by one (limited-memory)
            oldDirs!.shift()!.dispose();
            oldStps!.shift()!.dispose();
            ro!.shift();
          }
          // store new direction/step
          oldDirs!.push(keep(y));
          oldStps!.push(keep(s));
          ro!.push(div(1, ys));
          // update scale of initial Hessian approximation
          hDiag = div(ys, dot(y, y, dtype)); // (y*y)
        } else {
          y.dispose();
          s.dispose();
        }

        // compute the approximate (L-BFGS) inverse Hessian multiplied by the gradient
        const numOld = oldDirs!.length;
        if (!("al" in state)) state.al = new Array(historySize).fill(null);
        const al = state.al as (Py | null)[];

        // iteration in L-BFGS loop collapsed to use just one buffer
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = mul(dot(oldStps![i], q, dtype), ro![i]);
          q.add_(oldDirs![i], { alpha: num(neg(al[i]!)) });
        }

        // multiply by initial Hessian; r/d is the final direction
        dispose(d);
        const r = q.mul(num(hDiag!));
        q.dispose();
        d = r;
        for (let i = 0; i < numOld; i++) {
          const beI = mul(dot(oldDirs![i], r, dtype), ro![i]);
          r.add_(oldStps![i], { alpha: num(sub(al[i]!, beI)) });
        }
      }

      if (prevFlatGrad === undefined) prevFlatGrad = keep(flatGrad.clone());
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;

      // compute step length: reset initial guess for step size
      if (state.n_iter === 1) {
        const a = flatGrad.abs();
        const sum = a.sum();
        const s = new Dim0(sum.item(), dtype);
        a.dispose();
        sum.dispose();
        t = mul(pyMin(1, div(1, s)), lr);
      } else {
        t = lr;
      }

      // directional derivative
      const gtd = dot(flatGrad, d!, dtype); // g * d

      // directional derivative is below tolerance
      if (gt(gtd, -toleranceChange)) break;

      // optional line search: user function
      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        // perform line search, using user function
        const xInit = this.#cloneParams();
        const dir = d!;
        const objFunc = (x: Tensor[], tt: Py, dd: Tensor): [number, Tensor] => {
          this.#addGrad(tt, dd);
          const l = this.#evaluate(closure);
          const g = this.#gatherFlatGrad();
          this.#setParams(x);
          return [l, g];
        };
        const [l, g, tt, evals] = strongWolfe(objFunc, xInit, t, dir, loss, flatGrad, gtd, dtype);
        for (const x of xInit) x.dispose();
        flatGrad.dispose();
        [loss, flatGrad, t, lsFuncEvals] = [l, g, tt, evals];
        this.#addGrad(t, dir);
        optCond = le(absMax(flatGrad, dtype), toleranceGrad);
      } else {
        // no line search, simply move with fixed step
        this.#addGrad(t, d!);
        if (nIter !== maxIter) {
          // re-evaluate function only if not in last iteration; in a stochastic setting there's no
          // use re-evaluating that function here
          loss = this.#evaluate(closure);
          flatGrad.dispose();
          flatGrad = this.#gatherFlatGrad();
          optCond = le(absMax(flatGrad, dtype), toleranceGrad);
          lsFuncEvals = 1;
        }
      }
      // update func eval
      currentEvals += lsFuncEvals;
      state.func_evals = (state.func_evals as number) + lsFuncEvals;

      // check conditions
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      // optimal condition
      if (optCond) break;
      // lack of progress
      const dt = d!.mul(num(t));
      const small = le(absMax(dt, dtype), toleranceChange);
      dt.dispose();
      if (small) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }
    flatGrad.dispose();

    if (d !== oldD) {
      if (oldD !== undefined) oldD.dispose();
      if (d !== undefined) keep(d);
    }
    state.d = d;
    state.t = t;
    state.old_dirs = oldDirs;
    state.old_stps = oldStps;
    state.ro = ro;
    state.H_diag = hDiag;
    state.prev_flat_grad = prevFlatGrad;
    state.prev_loss = prevLoss;
    return origLoss;
  }

  /** Loads 0-dim tensors of `t`, `H_diag`, `ro` and `al` as 0-dim values; the rest as the base does. */
  protected override importValue(param: Tensor, key: string, v: unknown): unknown {
    if (SCALAR_KEYS.has(key)) {
      const one = (x: unknown): unknown => {
        if (!(x instanceof Tensor)) return x;
        const dtype = isDim0DType(param.dtype) ? param.dtype : x.dtype;
        if (!isDim0DType(dtype)) throw new TypeError(`LBFGS.loadStateDict: ${key} must be float32 or float64`);
        return new Dim0(x.item(), dtype);
      };
      return Array.isArray(v) ? v.map(one) : one(v);
    }
    return super.importValue(param, key, v);
  }
}
