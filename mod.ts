/**
 * denotorch: PyTorch's tensors, autograd, modules and optimizers for Deno, over LibTorch through a
 * thin C shim, with PyTorch-parity numerics.
 *
 * @example
 * ```ts
 * import * as torch from "./mod.ts";
 * torch.manualSeed(0);
 * const x = torch.randn([3, 4], { requiresGrad: true });
 * const loss = x.pow(2).sum();
 * loss.backward();
 * console.log(x.grad!.toString());
 * ```
 *
 * @module
 */

export { TorchError } from "./ffi/errors.ts";
export { type BuildInfo, buildInfo, kernelInfo } from "./ffi/native.ts";
export { KERNEL_PROFILES, type KernelInfo, type KernelProfile } from "./ffi/kernels.ts";

export { type DType, isFloatingPoint, type TypedArray } from "./tensor/dtype.ts";
export { isComplex, toDType } from "./tensor/dtype.ts";
export type { Complex } from "./tensor/tensor.ts";
export type { Device } from "./tensor/device.ts";
export {
  type BackwardOptions,
  type NestedArray,
  type ReduceOptions,
  Tensor,
  type ToOptions,
  type ValuesIndices,
  type VarianceOptions,
} from "./tensor/tensor.ts";
export {
  arange,
  type CreationOptions,
  empty,
  emptyLike,
  eye,
  fillBytes,
  fromBytes,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  rand,
  randint,
  randLike,
  randn,
  randnLike,
  randperm,
  tensor,
  type TensorOptions,
  zeros,
  zerosLike,
} from "./tensor/creation.ts";
export { bucketize, cat, matmul, stack, where } from "./tensor/functions.ts";
export {
  backward,
  enableGrad,
  grad,
  type GradOptions,
  isGradEnabled,
  noGrad,
  setGradEnabled,
} from "./tensor/autograd.ts";
export { dispose, keep, liveTensors, tidy } from "./tensor/memory.ts";
export type { Tracked } from "./tensor/memory.ts";
export { getRngState, manualSeed, setRngState } from "./tensor/random.ts";
export {
  type Backends,
  backends,
  cmath,
  type Cuda,
  cuda,
  getNumThreads,
  maxNumThreads,
  setNumInteropThreads,
  setNumThreads,
  useDeterministicAlgorithms,
} from "./tensor/runtime.ts";
export { callOp, type OpFunction, ops, schemasOf } from "./tensor/aten.ts";
export type {
  AtenBool,
  AtenFloat,
  AtenGenerator,
  AtenInt,
  AtenLayout,
  AtenMemoryFormat,
  AtenOps,
  AtenOptions,
  AtenScalar,
  AtenScalarType,
  AtenTensorOrNumber,
  AtenUnsupported,
  AtenUntypedOp,
} from "./tensor/aten_types.ts";
export type { OpRef, OpSchema, SchemaArg } from "./tensor/operator.ts";
export { type Arg, Special } from "./tensor/call.ts";
export { SeededGenerator } from "./datasets/seeded.ts";
export { printOptions } from "./tensor/format.ts";
export { checkOptions, isOptionsObject, nearestName, positionalOptions } from "./tensor/options.ts";
export * from "./nn/mod.ts";
export * as nn from "./nn/mod.ts";
export { LeNet, type LeNetOptions } from "./models/lenet.ts";
export * as datasets from "./datasets/mod.ts";
export * as calibration from "./calibration/mod.ts";
export {
  Adam,
  type AdamHyperparameters,
  type AdamOptions,
  AdamW,
  type Closure,
  CosineAnnealingLR,
  type CosineAnnealingLROptions,
  LBFGS,
  type LBFGSHyperparameters,
  type LBFGSOptions,
  LRScheduler,
  Optimizer,
  type OptimizerStateDict,
  type OptimizerStateDictInput,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  type ParamState,
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  type SavedParamGroup,
  type SchedulerStateDict,
  SGD,
  type SGDHyperparameters,
  type SGDOptions,
  type StateValue,
  StepLR,
  type StepLROptions,
} from "./optim/mod.ts";
export * as optim from "./optim/mod.ts";
export type {
  AdadeltaHyperparameters,
  AdagradHyperparameters,
  AdamaxHyperparameters,
  CyclicMode,
  LrLambda,
  NAdamHyperparameters,
  Phase,
  RAdamHyperparameters,
  RMSpropHyperparameters,
} from "./optim/mod.ts";
export {
  Float,
  load,
  loadFromBytes,
  type LoadFromBytesOptions,
  type LoadOptions,
  save,
  saveToBytes,
  type SaveToBytesOptions,
  Tuple,
} from "./serialize/mod.ts";
export * as jit from "./jit/mod.ts";
export { ScriptModule } from "./jit/mod.ts";
export { DenseNetTransfer, type DenseNetTransferOptions, type TrainFrom } from "./models/densenet_transfer.ts";
export {
  Adadelta,
  type AdadeltaOptions,
  Adagrad,
  type AdagradOptions,
  Adamax,
  type AdamaxOptions,
  clipGradNorm_,
  type ClipGradNormOptions,
  clipGradValue_,
  NAdam,
  type NAdamOptions,
  RAdam,
  type RAdamOptions,
  RMSprop,
  type RMSpropOptions,
} from "./optim/mod.ts";
export {
  ChainedScheduler,
  ConstantLR,
  type ConstantLROptions,
  CosineAnnealingWarmRestarts,
  type CosineAnnealingWarmRestartsOptions,
  CyclicLR,
  type CyclicLROptions,
  ExponentialLR,
  type ExponentialLROptions,
  LambdaLR,
  type LambdaLROptions,
  LinearLR,
  type LinearLROptions,
  MultiplicativeLR,
  MultiStepLR,
  type MultiStepLROptions,
  OneCycleLR,
  type OneCycleLROptions,
  SequentialLR,
  type SequentialLROptions,
} from "./optim/mod.ts";
export * as data from "./datasets/data/mod.ts";
export {
  BatchSampler,
  type Collated,
  type Dataset,
  type DatasetLike,
  defaultCollate,
  RandomSampler,
  SequentialSampler,
  TensorDataset,
} from "./datasets/data/mod.ts";
export {
  AutogradFunction,
  type AutogradFunctionClass,
  FunctionCtx,
  type FunctionGradients,
  type FunctionOutput,
} from "./tensor/autograd_function.ts";
export { registerHook, type RemovableHandle, type TensorHook } from "./tensor/hooks.ts";
export { gradcheck, GradcheckError, type GradcheckOptions } from "./tensor/gradcheck.ts";
export { liveHandlers, takeCallbackError } from "./tensor/js_callback.ts";
export * as autograd from "./tensor/autograd_namespace.ts";
export * as distributed from "./distributed/mod.ts";
export { DistributedDataParallel, DistributedSampler } from "./distributed/mod.ts";
