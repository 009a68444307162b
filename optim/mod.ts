/**
 * Optimizers and learning-rate schedulers with PyTorch-parity numerics (torch.optim): the same tensor
 * operations in the same order and the same Python-float scalar arithmetic as PyTorch's single-tensor
 * implementations, so that the same seed, data and steps give the same numbers to the bit on CPU. Adam,
 * AdamW and SGD run by default as PyTorch's multi-tensor implementations (`foreach`), through LibTorch's
 * `_foreach_*` operators, which apply the same per-tensor kernels: the same bits in fewer calls.
 *
 * @example
 * ```ts
 * import { Adam, BCEWithLogitsLoss, LeNet, randint, randn, StepLR, tidy } from "../mod.ts";
 * const model = new LeNet();
 * const lossFn = new BCEWithLogitsLoss();
 * const batches = [[randn([8, 3, 32, 32]), randint(2, [8, 1]).float()]];
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * const sched = new StepLR(opt, { stepSize: 10, gamma: 0.5 });
 * for (let epoch = 0; epoch < 30; epoch++) {
 *   for (const [x, y] of batches) {
 *     tidy(() => {
 *       opt.zeroGrad();
 *       lossFn.forward(model.forward(x), y).backward();
 *       opt.step();
 *     });
 *   }
 *   sched.step();
 * }
 * ```
 *
 * @module
 */

export {
  type Closure,
  Optimizer,
  type OptimizerStateDict,
  type OptimizerStateDictInput,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  type ParamState,
  type SavedParamGroup,
  type StateValue,
} from "./optimizer.ts";
export { SGD, type SGDHyperparameters, type SGDOptions } from "./sgd.ts";
export { Adam, type AdamHyperparameters, type AdamOptions } from "./adam.ts";
export { AdamW } from "./adamw.ts";
export { LBFGS, type LBFGSHyperparameters, type LBFGSOptions } from "./lbfgs.ts";
export { LRScheduler, type SchedulerStateDict } from "./lr_scheduler.ts";
export { StepLR, type StepLROptions } from "./step_lr.ts";
export { CosineAnnealingLR, type CosineAnnealingLROptions } from "./cosine_annealing_lr.ts";
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from "./reduce_lr_on_plateau.ts";
export { RMSprop, type RMSpropHyperparameters, type RMSpropOptions } from "./rmsprop.ts";
export { Adagrad, type AdagradHyperparameters, type AdagradOptions } from "./adagrad.ts";
export { Adadelta, type AdadeltaHyperparameters, type AdadeltaOptions } from "./adadelta.ts";
export { Adamax, type AdamaxHyperparameters, type AdamaxOptions } from "./adamax.ts";
export { NAdam, type NAdamHyperparameters, type NAdamOptions } from "./nadam.ts";
export { RAdam, type RAdamHyperparameters, type RAdamOptions } from "./radam.ts";
export { clipGradNorm_, type ClipGradNormOptions, clipGradValue_ } from "./clip_grad.ts";
export { LambdaLR, type LambdaLROptions, type LrLambda, MultiplicativeLR } from "./lambda_lr.ts";
export { MultiStepLR, type MultiStepLROptions } from "./multi_step_lr.ts";
export { ExponentialLR, type ExponentialLROptions } from "./exponential_lr.ts";
export { ConstantLR, type ConstantLROptions, LinearLR, type LinearLROptions } from "./linear_lr.ts";
export { CyclicLR, type CyclicLROptions, type CyclicMode } from "./cyclic_lr.ts";
export { OneCycleLR, type OneCycleLROptions, type Phase } from "./one_cycle_lr.ts";
export { CosineAnnealingWarmRestarts, type CosineAnnealingWarmRestartsOptions } from "./cosine_warm_restarts.ts";
export { ChainedScheduler, SequentialLR, type SequentialLROptions } from "./sequential_lr.ts";
