/**
 * Custom autograd functions written in TypeScript (PyTorch's `torch.autograd.Function`): subclass
 * {@linkcode AutogradFunction} with a static `forward(ctx, ...args)` and a static `backward(ctx, ...grads)`
 * and call `MyFn.apply(...args)`. The forward runs with gradients off; its outputs are wired into
 * LibTorch's graph by a LibTorch autograd node (native/src/autograd_function.cpp) whose `apply` calls the
 * static `backward` back in JavaScript, on the thread running backward (see `js_callback.ts`). As in
 * PyTorch: `ctx.saveForBackward(...)` / `ctx.savedTensors` (with LibTorch's checks of in-place changes
 * and of a second backward through a freed graph), `ctx.needsInputGrad`, `ctx.markDirty(...)`,
 * `ctx.markNonDifferentiable(...)`, `ctx.setMaterializeGrads(false)`; other properties of `ctx` carry
 * anything else. A JavaScript exception inside `backward` makes `backward()` throw a TorchError that
 * names the function and the error. The gradients and saved tensors `backward` receives, and the tensors
 * it creates, are freed when it returns (`keep()` a clone to hold on to one).
 *
 * @example
 * ```ts
 * import { AutogradFunction, type FunctionCtx, type Tensor, tensor } from "../mod.ts";
 * class Cube extends AutogradFunction {
 *   static forward(ctx: FunctionCtx, x: Tensor): Tensor {
 *     ctx.saveForBackward(x);
 *     return x.pow(3);
 *   }
 *   static backward(ctx: FunctionCtx, g: Tensor): Tensor {
 *     const [x] = ctx.savedTensors;
 *     return g.mul(x!.pow(2)).mul(3);
 *   }
 * }
 * const x = tensor([2], { dtype: "float64", requiresGrad: true });
 * (Cube.apply(x) as Tensor).backward(); // x.grad = [12]
 * ```
 *
 * @module
 */

import { checkBoolean } from "./checks.ts";
import { OWN_HANDLE } from "./handle_token.ts";
import { cstr, errBuf, ERRCAP, lib, readError } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import { noGrad } from "./autograd.ts";
import { registerHandler, unregisterHandler } from "./js_callback.ts";
import { Tensor } from "./tensor.ts";

/**
 * The context of one application of a custom function: what `forward` keeps for `backward`.
 *
 * @example
 * ```ts
 * import type { FunctionCtx, Tensor } from "../mod.ts";
 * function forward(ctx: FunctionCtx, x: Tensor, scale: number): Tensor {
 *   ctx.scale = scale; // any other property
 *   ctx.saveForBackward(x);
 *   return x.mul(scale);
 * }
 * ```
 */
export class FunctionCtx {
  /** For each argument of `apply`: whether it is a tensor that requires grad. */
  needsInputGrad: boolean[] = [];
  /** Any other state for `backward`. */
  [key: string]: unknown;
  #toSave: (Tensor | null)[] = [];
  #saved: (Tensor | null)[] | null = null;
  #dirty: Tensor[] = [];
  #nonDifferentiable: Tensor[] = [];
  #materializeGrads = true;
  #inForward = true;

  /** Saves tensors (or nulls) for `backward`, where `savedTensors` gives them back (call once, in `forward`). */
  saveForBackward(...tensors: (Tensor | null)[]): void {
    if (!this.#inForward) throw new TypeError("saveForBackward: call it in forward");
    tensors.forEach((t, i) => {
      if (t !== null && !(t instanceof Tensor)) {
        throw new TypeError(`saveForBackward: argument ${i} must be a Tensor or null`);
      }
    });
    this.#toSave = tensors;
  }

  /** The tensors saved by `forward` (in `backward`), checked by LibTorch against in-place changes. */
  get savedTensors(): (Tensor | null)[] {
    if (this.#saved === null) throw new TypeError("savedTensors: only available in backward");
    return this.#saved;
  }

  /** Marks inputs that `forward` modified in place (and returns). */
  markDirty(...tensors: Tensor[]): void {
    if (!this.#inForward) throw new TypeError("markDirty: call it in forward");
    this.#dirty.push(...tensors);
  }

  /** Marks outputs that are not differentiable (integer indices, masks): they get no gradient. */
  markNonDifferentiable(...tensors: Tensor[]): void {
    if (!this.#inForward) throw new TypeError("markNonDifferentiable: call it in forward");
    this.#nonDifferentiable.push(...tensors);
  }

  /** Whether undefined incoming gradients are given to `backward` as zeros (default true) or as null. */
  setMaterializeGrads(value: boolean): void {
    this.#materializeGrads = checkBoolean("setMaterializeGrads", "value", value);
  }

  /** @internal what forward left for the wiring; ends the forward phase. */
  _takeForward(): { toSave: (Tensor | null)[]; dirty: Tensor[]; nonDifferentiable: Tensor[]; materialize: boolean } {
    this.#inForward = false;
    const r = {
      toSave: this.#toSave,
      dirty: this.#dirty,
      nonDifferentiable: this.#nonDifferentiable,
      materialize: this.#materializeGrads,
    };
    this.#toSave = [];
    return r;
  }

  /** @internal sets the unpacked saved tensors for one backward call (null: outside backward). */
  _setSaved(saved: (Tensor | null)[] | null): void {
    this.#saved = saved;
  }
}

/** What `forward` may return. */
export type FunctionOutput = Tensor | Tensor[];

/** What `backward` may return: one gradient (or null) per argument of `apply`. */
export type FunctionGradients = Tensor | null | undefined | (Tensor | null | undefined)[];

/** A subclass of {@linkcode AutogradFunction} (its static side). */
export interface AutogradFunctionClass {
  /** The class name (the node is named `<name>Backward`). */
  readonly name: string;
  /** The computation, with gradients off. */
  forward(ctx: FunctionCtx, ...args: never[]): FunctionOutput;
  /** The gradients of the arguments from the gradients of the outputs. */
  backward(ctx: FunctionCtx, ...grads: never[]): FunctionGradients;
}

function handlesOf(list: readonly (Tensor | null)[]): Float64Array {
  return Float64Array.from(list, (t) => (t === null ? 0 : t.handle));
}

function u8(a: Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * The base of custom autograd functions (PyTorch's `torch.autograd.Function`; see the module notes).
 * Subclasses define static `forward` and `backward`; `apply` runs them.
 */
export abstract class AutogradFunction {
  /**
   * Runs `forward(ctx, ...args)` with gradients off and records the node whose backward is this class's
   * static `backward`. Returns `forward`'s tensor (or tensors), as new tensors in the graph.
   */
  static apply<F extends AutogradFunctionClass>(
    this: F,
    ...args: Parameters<F["forward"]> extends [unknown, ...infer A] ? A : never
  ): FunctionOutput {
    // deno-lint-ignore no-this-alias
    const cls = this;
    if (typeof cls.forward !== "function" || typeof cls.backward !== "function") {
      throw new TypeError(`${cls.name}.apply: the class must define static forward and backward`);
    }
    const allArgs = args as unknown[];
    const isTensor = allArgs.map((a) => a instanceof Tensor);
    const tensorArgs = allArgs.filter((a): a is Tensor => a instanceof Tensor);
    const ctx = new FunctionCtx();
    ctx.needsInputGrad = allArgs.map((a) => a instanceof Tensor && a.requiresGrad);
    const raw = noGrad(() => (cls.forward as (ctx: FunctionCtx, ...a: unknown[]) => unknown)(ctx, ...allArgs));
    const single = raw instanceof Tensor;
    const outs = single ? [raw as Tensor] : raw;
    if (!Array.isArray(outs) || outs.length === 0 || !outs.every((o) => o instanceof Tensor)) {
      throw new TypeError(`${cls.name}.forward must return a Tensor or a non-empty array of Tensors`);
    }
    const { toSave, dirty, nonDifferentiable, materialize } = ctx._takeForward();
    for (const d of dirty) {
      if (!tensorArgs.includes(d)) throw new TypeError(`${cls.name}: markDirty takes inputs of forward only`);
    }
    const nOutputs = outs.length, nArgs = allArgs.length;
    const name = `${cls.name}Backward`;
    const id = registerHandler((inputs, nOut) => {
      const grads = inputs.slice(0, nOutputs);
      ctx._setSaved(inputs.slice(nOutputs));
      try {
        const r = (cls.backward as (ctx: FunctionCtx, ...g: unknown[]) => FunctionGradients)(ctx, ...grads);
        return gradientsForInputs(name, r, isTensor, nArgs, nOut);
      } finally {
        ctx._setSaved(null);
      }
    });
    const wrapped = new Float64Array(nOutputs);
    const r = lib.tt_fn_wrap(
      id,
      cstr(name),
      u8(handlesOf(tensorArgs)),
      tensorArgs.length,
      u8(handlesOf(outs)),
      nOutputs,
      Uint8Array.from(outs, (o) => (nonDifferentiable.includes(o) ? 1 : 0)),
      Uint8Array.from(tensorArgs, (t) => (dirty.includes(t) ? 1 : 0)),
      u8(handlesOf(toSave)),
      toSave.length,
      materialize ? 1 : 0,
      u8(wrapped),
      errBuf,
      ERRCAP,
    );
    if (r < 0) {
      unregisterHandler(id);
      throw new TorchError(readError(), `${cls.name}.apply`);
    }
    if (r === 0) unregisterHandler(id); // no node recorded (grad off, or no input requires grad)
    const results = Array.from(wrapped, (h) => new Tensor(h, OWN_HANDLE));
    // forward's own tensors are replaced by the wired ones (except the caller's inputs, returned as dirty)
    for (const o of new Set(outs)) if (!tensorArgs.includes(o)) o.dispose();
    return single ? results[0] : results;
  }
}

function gradientsForInputs(
  name: string,
  r: FunctionGradients,
  isTensor: boolean[],
  nArgs: number,
  nOut: number,
): (Tensor | null)[] {
  let list = Array.isArray(r) ? [...r] : [r];
  if (list.length > nArgs && list.slice(nArgs).every((g) => g === null || g === undefined)) list = list.slice(0, nArgs);
  if (list.length !== nArgs) {
    throw new RangeError(
      `function ${name} returned an incorrect number of gradients (expected ${nArgs}, got ${list.length})`,
    );
  }
  const out: (Tensor | null)[] = [];
  list.forEach((g, i) => {
    if (g !== null && g !== undefined && !(g instanceof Tensor)) {
      throw new TypeError(`function ${name} returned a gradient that is not a Tensor or null at position ${i + 1}`);
    }
    if (!isTensor[i]) {
      if (g !== null && g !== undefined) {
        throw new TypeError(
          `function ${name} returned a gradient different than null at position ${i + 1}, but the ` +
            "corresponding forward input was not a Tensor",
        );
      }
      return;
    }
    out.push(g ?? null);
  });
  if (out.length !== nOut) throw new RangeError(`function ${name}: ${out.length} gradients for ${nOut} inputs`);
  return out;
}
