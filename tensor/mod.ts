/**
 * The tensor layer: the `Tensor` class and its creation functions, autograd (`backward`, `grad`, custom
 * `AutogradFunction`s, hooks, `gradcheck`), memory scopes (`tidy`, `dispose`, `keep`), random state, the
 * runtime settings (threads, `cuda`, `backends`), dtypes and devices, the dispatcher's `ops.aten`
 * (`callOp`, schemas), and the option helpers every layer above uses.
 *
 * @example
 * ```ts
 * import { randn, tidy } from "./mod.ts";
 * const x = randn([3, 4], { requiresGrad: true });
 * tidy(() => x.pow(2).sum().backward());
 * console.log(x.grad!.shape); // [3, 4]
 * ```
 *
 * @module
 */

export { type DType, isFloatingPoint, type TypedArray } from "./dtype.ts";
export { isComplex, toDType } from "./dtype.ts";
export type { Complex } from "./tensor.ts";
export type { Device } from "./device.ts";
export {
  type BackwardOptions,
  type NestedArray,
  type ReduceOptions,
  Tensor,
  type ToOptions,
  type ValuesIndices,
  type VarianceOptions,
} from "./tensor.ts";
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
} from "./creation.ts";
export { bucketize, cat, matmul, stack, where } from "./functions.ts";
export { backward, enableGrad, grad, type GradOptions, isGradEnabled, noGrad, setGradEnabled } from "./autograd.ts";
export { dispose, keep, liveTensors, tidy } from "./memory.ts";
export type { Tracked } from "./memory.ts";
export { getRngState, manualSeed, setRngState } from "./random.ts";
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
} from "./runtime.ts";
export { callOp, type OpFunction, ops, schemasOf } from "./aten.ts";
export type {
  AtenBool,
  AtenFloat,
  AtenGenerator,
  AtenInt,
  AtenLayout,
  AtenMemoryFormat,
  AtenOptions,
  AtenScalar,
  AtenScalarType,
  AtenTensorOrNumber,
  AtenUnsupported,
  AtenUntypedOp,
} from "./aten_aliases.ts";
export type { AtenOps } from "./aten_types.ts";
export type { OpRef, OpSchema, SchemaArg } from "./operator.ts";
export { type Arg, Special } from "./call.ts";
export { printOptions } from "./format.ts";
export { checkOptions, isOptionsObject, nearestName, positionalOptions } from "./options.ts";
export {
  AutogradFunction,
  type AutogradFunctionClass,
  FunctionCtx,
  type FunctionGradients,
  type FunctionOutput,
} from "./autograd_function.ts";
export { registerHook, type RemovableHandle, type TensorHook } from "./hooks.ts";
export { gradcheck, GradcheckError, type GradcheckOptions } from "./gradcheck.ts";
export { liveHandlers, takeCallbackError } from "./js_callback.ts";
export * as autograd from "./autograd_namespace.ts";
