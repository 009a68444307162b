/**
 * Autograd beyond `Tensor.backward()`: grad mode (`noGrad`, `enableGrad`) and `grad`, PyTorch's
 * `torch.autograd.grad`.
 *
 * Grad mode is LibTorch's thread-local flag. For an async function, `noGrad` keeps the mode until the
 * function's promise settles, so other code running during its `await`s sees the same mode (as with
 * Python's context manager and asyncio).
 *
 * @module
 */

import { errBuf, ERRCAP, lib, resultSlots } from "../ffi/native.ts";
import { WireWriter } from "../ffi/wire.ts";
import { decodeAll } from "./call.ts";
import { describe } from "./checks.ts";
import { type BackwardOptions, runBackward, Tensor } from "./tensor.ts";
import { positionalOptions } from "./options.ts";

/** Whether operations are recorded for autograd. */
export function isGradEnabled(): boolean {
  return lib.tt_grad_enabled() === 1;
}

/** Turns recording for autograd on or off. */
export function setGradEnabled(flag: boolean): void {
  lib.tt_set_grad_enabled(flag ? 1 : 0);
}

function withGradMode<T>(flag: boolean, fn: () => T): T {
  if (typeof fn !== "function") {
    throw new TypeError(`${flag ? "enableGrad" : "noGrad"}: expected a function to run, got ${describe(fn)}`);
  }
  const previous = isGradEnabled();
  setGradEnabled(flag);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    setGradEnabled(previous);
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(() => setGradEnabled(previous)) as T;
  }
  setGradEnabled(previous);
  return result;
}

/**
 * Runs `fn` without recording operations for autograd (PyTorch's `with torch.no_grad()`).
 *
 * @example
 * ```ts
 * import { noGrad, ones } from "../mod.ts";
 * const w = ones([2], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2)); // y.requiresGrad === false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with recording for autograd on (inside a `noGrad`). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/** Options of {@linkcode grad}. */
export interface GradOptions {
  /** The gradient of each output (required for outputs with more than one element). */
  gradOutputs?: (Tensor | null)[];
  /** Keep the graph for another pass (default: `createGraph`). */
  retainGraph?: boolean;
  /** Build the graph of the derivative, for higher-order gradients. */
  createGraph?: boolean;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

const gradWire = new WireWriter(64);
const gradOut = new Float64Array(1024);

function putList(w: WireWriter, list: readonly (Tensor | null)[], what: string): void {
  if (!Array.isArray(list)) {
    throw new TypeError(`grad: ${what} must be a Tensor or an array of them, got ${describe(list)}`);
  }
  w.list(list.length);
  for (let i = 0; i < list.length; i++) {
    const t = list[i];
    if (t === null) w.none();
    else if (t instanceof Tensor) w.tensor(t.handle);
    else throw new TypeError(`grad: ${what}[${i}] must be a Tensor, got ${describe(t)}`);
  }
}

/**
 * The gradients of `outputs` with respect to `inputs`, without touching `.grad` (PyTorch's
 * `torch.autograd.grad`).
 *
 * @example
 * ```ts
 * import { grad, tensor } from "../mod.ts";
 * const x = tensor([3], { dtype: "float32", requiresGrad: true });
 * const [dx] = grad(x.pow(2).sum(), x); // 2 * x = [6]
 * ```
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options?: GradOptions,
): (Tensor | null)[];
/** PyTorch's positional form `grad(outputs, inputs, grad_outputs, retain_graph, create_graph)`. */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  gradOutputs: (Tensor | null)[] | null | undefined,
  retainGraph?: boolean,
  createGraph?: boolean,
): (Tensor | null)[];
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  ...args: unknown[]
): (Tensor | null)[] {
  if (args[0] === null) args[0] = undefined;
  const options = positionalOptions<GradOptions>(
    "grad",
    args,
    ["gradOutputs", "retainGraph", "createGraph"],
    ["allowUnused"],
    "grad(y, x, { gradOutputs, retainGraph: true, createGraph: true, allowUnused: false })",
  );
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const ins = inputs instanceof Tensor ? [inputs] : inputs;
  if (options === null || typeof options !== "object") {
    throw new TypeError(`grad: options must be an object, got ${describe(options)}`);
  }
  if (!Array.isArray(outs)) {
    throw new TypeError(`grad: outputs must be a Tensor or an array of them, got ${describe(outs)}`);
  }
  const w = gradWire.reset();
  putList(w, outs, "outputs");
  putList(w, ins, "inputs");
  putList(w, options.gradOutputs ?? outs.map(() => null), "gradOutputs");
  if (options.retainGraph === undefined) w.none();
  else w.bool(options.retainGraph);
  w.bool(options.createGraph ?? false);
  w.bool(options.allowUnused ?? false);
  const r = lib.tt_grad(w.u8, w.n, new Uint8Array(gradOut.buffer), gradOut.length, errBuf, ERRCAP);
  const slots = resultSlots(r, gradOut, "grad");
  const [list] = decodeAll(slots, slots.length);
  return list as (Tensor | null)[];
}

/**
 * Runs the backward pass from several tensors at once (PyTorch's `torch.autograd.backward`).
 */
export function backward(
  tensors: readonly Tensor[],
  gradTensors?: readonly (Tensor | null)[] | null,
  options?: BackwardOptions,
): void;
/** PyTorch's positional form `backward(tensors, grad_tensors, retain_graph, create_graph)`. */
export function backward(
  tensors: readonly Tensor[],
  gradTensors: readonly (Tensor | null)[] | null | undefined,
  retainGraph: boolean,
  createGraph?: boolean,
): void;
export function backward(tensors: readonly Tensor[], gradTensors?: unknown, ...args: unknown[]): void {
  if (!Array.isArray(tensors)) {
    throw new TypeError(`backward: tensors must be an array of Tensors, got ${describe(tensors)}`);
  }
  if (gradTensors !== undefined && gradTensors !== null && !Array.isArray(gradTensors)) {
    throw new TypeError(`backward: gradTensors must be an array of Tensors or nulls, got ${describe(gradTensors)}`);
  }
  const options = positionalOptions<BackwardOptions>(
    "backward",
    args,
    ["retainGraph", "createGraph"],
    ["inputs"],
    "backward([y], null, { retainGraph: true, createGraph: false, inputs: [x] })",
  );
  const grads = (gradTensors ?? tensors.map(() => null)) as (Tensor | null)[];
  runBackward(tensors, grads, options);
}
