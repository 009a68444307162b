/**
 * The bookkeeping every optimizer's `step()` shares (torch.optim's `step` boilerplate): the closure run
 * first with gradients enabled, then, with gradients disabled and in one `tidy` scope for the whole step,
 * each parameter group's parameters that have a gradient gathered with their gradients and state records
 * (created empty on first use), the group handed to the optimizer's update, and an error when no parameter
 * had a gradient at all. Temporaries of the update are freed at the end of the step; state tensors must be
 * `keep()`-ed. Every optimizer uses it but LBFGS, which evaluates the closure many times in its own loop.
 *
 * @module
 */

import { enableGrad, noGrad } from "../tensor/autograd.ts";
import { tidy } from "../tensor/memory.ts";
import { cmath } from "../tensor/runtime.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { describe } from "../tensor/checks.ts";

/** A parameter group as the step sees it (an optimizer's `ParamGroup`): its parameters and hyperparameters. */
export type StepGroup = { params: Tensor[] };

/** A parameter's state record (an optimizer's `ParamState`). */
type State = Record<string, unknown>;

/** One parameter group's share of a step: the parameters that have a gradient, in group order. */
export interface GroupStep<G extends StepGroup> {
  /** The group (its hyperparameters). */
  group: G;
  /** The group's parameters that have a gradient. */
  params: Tensor[];
  /** Their gradients (handles that the step's scope frees). */
  grads: Tensor[];
  /** Their state records (created empty on first use). */
  states: State[];
}

/** What the step helper needs of an optimizer (every `Optimizer` has it). */
export interface Steppable<G extends StepGroup> {
  /** The optimizer's name in messages. */
  readonly typeName: string;
  /** The parameter groups, in order. */
  readonly paramGroups: G[];
  /** Per-parameter state. */
  readonly state: Map<Tensor, State>;
}

/**
 * Runs the closure (if any) with gradients enabled and returns its loss; a closure that is not a function
 * is a TypeError naming `owner`'s step.
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { runClosure } from "./step.ts";
 * runClosure("SGD", () => ones([1])); // the closure's loss
 * runClosure("SGD", undefined); // null
 * ```
 */
export function runClosure(owner: string, closure: (() => Tensor) | undefined): Tensor | null {
  if (closure === undefined) return null;
  if (typeof closure !== "function") {
    throw new TypeError(`${owner}.step: closure must be a function, got ${describe(closure, "typed")}`);
  }
  return enableGrad(closure);
}

/**
 * The error for a step where no parameter has a gradient.
 *
 * @example
 * ```ts
 * import { LeNet, SGD } from "../mod.ts";
 * import { noGradientError } from "./step.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
 * console.log(noGradientError(opt).message); // "SGD.step: none of the ... parameters has a gradient; ..."
 * ```
 */
export function noGradientError<G extends StepGroup>(opt: Steppable<G>): TypeError {
  const n = opt.paramGroups.reduce((k, g) => k + g.params.length, 0);
  return new TypeError(
    `${opt.typeName}.step: none of the ${n} parameters has a gradient; call loss.backward() before step() ` +
      "(or pass a closure that does), and check that the parameters require grad",
  );
}

/**
 * The update part of a step: with gradients disabled and in one `tidy` scope, the parameters of every group
 * that have a gradient are gathered with the gradients and state records (created empty on first use), and
 * `update` runs for each group that has any, in group order. Returns the number of parameters with a
 * gradient.
 *
 * @example
 * ```ts
 * import { ones, SGD } from "../mod.ts";
 * import { updateGroups } from "./step.ts";
 * const p = ones([2], { requiresGrad: true });
 * p.sum().backward();
 * updateGroups(new SGD([p], { lr: 0.1 }), ({ params }) => console.log(params.length)); // 1 (and returns 1)
 * ```
 */
export function updateGroups<G extends StepGroup>(opt: Steppable<G>, update: (step: GroupStep<G>) => void): number {
  return noGrad(() => tidy(() => gather(opt, update)));
}

function gather<G extends StepGroup>(opt: Steppable<G>, update: (step: GroupStep<G>) => void): number {
  let updated = 0;
  for (const group of opt.paramGroups) {
    const params: Tensor[] = [], grads: Tensor[] = [], states: State[] = [];
    for (const p of group.params) {
      const grad = p.grad;
      if (grad === null) continue;
      let state = opt.state.get(p);
      if (state === undefined) opt.state.set(p, state = {});
      params.push(p);
      grads.push(grad);
      states.push(state);
    }
    if (params.length === 0) continue;
    updated += params.length;
    update({ group, params, grads, states });
  }
  return updated;
}

/**
 * One optimizer step: the closure (if any) first, with gradients enabled; then, with gradients disabled and
 * in one `tidy` scope, `update` for each parameter group's parameters that have a gradient (see
 * {@linkcode GroupStep}); a TypeError if no parameter has one. Returns the closure's loss, or null.
 *
 * @example
 * ```ts
 * import { ones, SGD } from "../mod.ts";
 * import { optimizerStep } from "./step.ts";
 * const p = ones([2], { requiresGrad: true });
 * const opt = new SGD([p], { lr: 0.1 });
 * p.sum().backward();
 * // what a plain gradient-descent step() does:
 * optimizerStep(opt, undefined, ({ params, grads, group }) => {
 *   params.forEach((q, i) => q.add_(grads[i], { alpha: -group.lr }));
 * }); // p = [0.9, 0.9]
 * ```
 */
export function optimizerStep<G extends StepGroup>(
  opt: Steppable<G>,
  closure: (() => Tensor) | undefined,
  update: (step: GroupStep<G>) => void,
): Tensor | null {
  const loss = runClosure(opt.typeName, closure);
  const updated = updateGroups(opt, update);
  if (updated === 0) throw noGradientError(opt);
  return loss;
}

/**
 * A group update that runs `update` for each parameter in turn, each in its own nested `tidy` scope, so that
 * a per-parameter (single-tensor) algorithm frees its temporaries as soon as a parameter is done.
 *
 * @example
 * ```ts
 * import { ones, SGD } from "../mod.ts";
 * import { eachParam, optimizerStep } from "./step.ts";
 * const p = ones([2], { requiresGrad: true });
 * const opt = new SGD([p], { lr: 0.1 });
 * p.sum().backward();
 * optimizerStep(opt, undefined, eachParam((q, grad, _state, group) => void q.add_(grad, { alpha: -group.lr })));
 * ```
 */
export function eachParam<G extends StepGroup>(
  update: (p: Tensor, grad: Tensor, state: State, group: G) => void,
): (step: GroupStep<G>) => void {
  return ({ group, params, grads, states }) => {
    for (let i = 0; i < params.length; i++) tidy(() => update(params[i], grads[i], states[i], group));
  };
}

/**
 * `x ** y` in Python float arithmetic (C's `pow`), remembered for the rest of a step: the bias corrections
 * `beta ** step` are the same for every parameter of a group that took as many steps, so a step computes
 * each once.
 *
 * @example
 * ```ts
 * import { StepPowers } from "./step.ts";
 * const pow = new StepPowers();
 * pow.get(0.9, 3); // 0.7290000000000001, computed
 * pow.get(0.9, 3); // the same, remembered
 * ```
 */
export class StepPowers {
  readonly #known = new Map<number, Map<number, number>>();
  readonly #pow: (x: number, y: number) => number;

  /** Powers computed with `pow` (C's, by default). */
  constructor(pow?: (x: number, y: number) => number) {
    this.#pow = pow ?? cmath.pow;
  }

  /** `x ** y`. */
  get(x: number, y: number): number {
    let byY = this.#known.get(x);
    if (byY === undefined) this.#known.set(x, byY = new Map());
    let v = byY.get(y);
    if (v === undefined) byY.set(y, v = this.#pow(x, y));
    return v;
  }
}
