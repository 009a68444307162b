/**
 * `ScriptModule`: a TorchScript module (from `torch.jit.script` or `torch.jit.trace` in Python) as a
 * {@linkcode Module}: it runs its methods in LibTorch, and exposes its children, parameters and buffers
 * to Module's traversal, so it trains, freezes, moves, switches train/eval, and composes with
 * TypeScript modules like any other.
 *
 * Parameters and buffers are the module's own tensors, shared (same data, gradient and
 * `requiresGrad`), as cached Tensor objects whose identity is stable: an optimizer made from
 * `parameters()` keeps working, and `requiresGrad_(false)` on some of them freezes exactly those.
 *
 * @module
 */

import { CallFlag, JitList } from "../ffi/abi.ts";
import { check, cstr, errBuf, ERRCAP, lib, readError, readString, resultSlots } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import { Tag, WireReader, WireWriter } from "../ffi/wire.ts";
import { Module } from "../nn/module.ts";
import { isGradEnabled } from "../tensor/autograd.ts";
import { type Arg, decodeAll, putArg } from "../tensor/call.ts";
import { OWN_HANDLE } from "../tensor/handle_token.ts";
import { type Device, parseDevice, parseMoveTarget } from "../tensor/device.ts";
import { type DType, DTYPE_CODE, toDType } from "../tensor/dtype.ts";
import { keep } from "../tensor/memory.ts";
import { Tensor } from "../tensor/tensor.ts";
import { isOptionsObject } from "../tensor/options.ts";
import { withAtomicPath } from "../util/fs.ts";
import { Float, Tuple } from "../serialize/values.ts";
import { LinkedTensor } from "./linked_tensor.ts";

/** Frees the native handles of ScriptModules that were never disposed. */
const registry = new FinalizationRegistry<number>((h) => lib.tt_jit_free(h));

const wire = new WireWriter(256);
const outF64 = new Float64Array(1024);

/** Runs a shim call writing wire slots to `out`; returns the slots (a heap result when they did not fit). */
function callSlots(
  fn: (out: Uint8Array, cap: number) => number,
  what: string,
  out: Float64Array = outF64,
  err: Uint8Array = errBuf,
): Float64Array {
  return resultSlots(fn(new Uint8Array(out.buffer), out.length), out, what, err);
}

/**
 * Encodes one method argument: also dicts (plain objects, Maps), tuples and floats, which TorchScript
 * takes. With `shares`, each tensor goes as a new native handle to it (collected there, freed by the
 * caller), so that the call holds its own references whatever happens to the Tensor objects meanwhile.
 */
function putValue(w: WireWriter, v: unknown, what: string, shares?: number[]): void {
  if (shares !== undefined && v instanceof Tensor) {
    const s = lib.tt_tensor_share(v.handle);
    if (s === 0) throw new TorchError("could not take a reference to an input tensor", what);
    shares.push(s);
    w.tensor(s);
  } else if (v instanceof Tuple) {
    w.tuple(v.items.length);
    for (const x of v.items) putValue(w, x, what, shares);
  } else if (v instanceof Float) {
    w.double(v.value);
  } else if (v instanceof Map) {
    w.dict(v.size);
    for (const [k, x] of v) {
      putValue(w, k, what, shares);
      putValue(w, x, what, shares);
    }
  } else if (isOptionsObject(v)) {
    const entries = Object.entries(v);
    w.dict(entries.length);
    for (const [k, x] of entries) {
      w.str(k);
      putValue(w, x, what, shares);
    }
  } else if (Array.isArray(v)) {
    w.list(v.length);
    for (const x of v) putValue(w, x === undefined ? null : x, what, shares);
  } else {
    putArg(w, v as Arg, what);
  }
}

function encodeArgs(w: WireWriter, args: readonly unknown[], what: string, shares?: number[]): void {
  w.reset();
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--; // trailing undefined: the schema's defaults
  for (let i = 0; i < n; i++) putValue(w, args[i], what, shares);
}

/**
 * A TorchScript module. Make one with {@linkcode load} (`jit.load`).
 *
 * @example
 * ```ts
 * import { jit, randn, type Tensor } from "../mod.ts";
 * const model = jit.load("densenet121.pt");
 * model.eval();
 * const logits = model.forward(randn([1, 3, 224, 224])) as Tensor;
 * console.log(model.typeName); // "__torch__.torchvision.models.densenet.DenseNet"
 * ```
 */
export class ScriptModule extends Module {
  #h: number;
  readonly #path: string;
  #typeName: string | null = null;
  #children: [string, ScriptModule][] | null = null;
  #parameters: [string, LinkedTensor][] | null = null;
  #buffers: [string, LinkedTensor][] | null = null;

  /**
   * @internal Wraps a fresh native module handle, which this object then owns; only the library calls it
   * (with its private token): load modules with {@linkcode load}. `path` is its dotted name below the
   * loaded module, for messages.
   */
  constructor(handle: number, token: typeof OWN_HANDLE, path = "") {
    if (token !== OWN_HANDLE) {
      throw new TypeError(
        "new ScriptModule(...) cannot wrap a number (a wrong or shared native handle would corrupt memory); " +
          "load a TorchScript file with jit.load(path)",
      );
    }
    super();
    if (typeof handle !== "number" || handle === 0) throw new TypeError("ScriptModule: null module handle");
    this.#h = handle;
    this.#path = path;
    registry.register(this, handle, this);
    // The training flag lives in the native module (train() on a module sets its whole subtree there).
    Object.defineProperty(this, "training", {
      get: () => this.#h !== 0 && lib.tt_jit_is_training(this.#h) === 1,
      set: (mode: boolean) => this.setTrainingFlag(mode),
      enumerable: true,
      configurable: true,
    });
  }

  /** The native handle; throws once disposed. */
  get handle(): number {
    if (this.#h === 0) {
      throw new ReferenceError(
        `this ScriptModule${this.#path ? ` ('${this.#path}')` : ""} was disposed; load the file again to use it`,
      );
    }
    return this.#h;
  }

  /** Whether `dispose()` was called. */
  get isDisposed(): boolean {
    return this.#h === 0;
  }

  /** The TorchScript class name (`__torch__.torchvision.models.densenet.DenseNet`). */
  override get typeName(): string {
    if (this.#typeName === null) {
      const h = this.handle;
      this.#typeName = readString((out, cap) => lib.tt_jit_type_name(h, out, cap));
    }
    return this.#typeName;
  }

  #what(method: string): string {
    return `${this.typeName}.${method}`;
  }

  // ---------------------------------------------------------------- calling

  /**
   * Runs `forward` on `inputs` (tensors, numbers, booleans, strings, null, arrays as lists,
   * {@linkcode Tuple}, plain objects and Maps as dicts; `undefined` at the end takes the default). The
   * result is a Tensor, or arrays (lists, tuples), plain objects or Maps (dicts), numbers... as the
   * method returns; `T` only types it. Wrong arguments raise LibTorch's message.
   */
  override forward<T = Tensor>(...inputs: unknown[]): T {
    return this.callMethod<T>("forward", ...inputs);
  }

  /**
   * Runs the method `name` (an exported method such as `embed`, or `forward`).
   *
   * @example
   * ```ts
   * import { jit, randn } from "../mod.ts";
   * const m = jit.load("model.pt");
   * const features = m.callMethod("embed", randn([1, 3, 32, 32]));
   * ```
   */
  callMethod<T = unknown>(name: string, ...args: unknown[]): T {
    const h = this.handle;
    const what = this.#what(name);
    encodeArgs(wire, args, what);
    const method = cstr(name);
    const slots = callSlots(
      (out, cap) => lib.tt_jit_call(h, method, wire.u8, wire.n, out, cap, 0, errBuf, ERRCAP),
      what,
    );
    return decodeAll(slots, slots.length)[0] as T;
  }

  /**
   * `forward` on another thread (Deno's nonblocking FFI): the event loop keeps running meanwhile. The
   * grad mode of the calling code is carried over. The call holds its own references to the module and
   * to the input tensors: disposing them (or ending the `tidy` scope that owns them) while it runs is
   * safe, the native objects live until the call is done.
   */
  forwardAsync<T = Tensor>(...inputs: unknown[]): Promise<T> {
    return this.callMethodAsync<T>("forward", ...inputs);
  }

  /** {@linkcode callMethod} on another thread (see {@linkcode forwardAsync}). */
  async callMethodAsync<T = unknown>(name: string, ...args: unknown[]): Promise<T> {
    const what = this.#what(name);
    if (typeof name !== "string") throw new TypeError(`callMethodAsync: the method name must be a string`);
    const w = new WireWriter(64);
    const shares: number[] = [];
    let h = 0;
    try {
      encodeArgs(w, args, what, shares);
      h = lib.tt_jit_share(this.handle); // the call's own reference: dispose() meanwhile is safe
      if (h === 0) throw new TorchError("could not take a reference to the module", what);
      const method = cstr(name);
      const out = new Float64Array(1024);
      const err = new Uint8Array(ERRCAP);
      const flags = CallFlag.SET_GRAD_MODE | (isGradEnabled() ? CallFlag.GRAD_ENABLED : 0);
      const r = await lib.tt_jit_call_async(
        h,
        method,
        w.u8,
        w.n,
        new Uint8Array(out.buffer),
        out.length,
        flags,
        err,
        ERRCAP,
      );
      const slots = resultSlots(r, out, what, err);
      return decodeAll(slots, slots.length)[0] as T;
    } finally {
      for (const s of shares) lib.tt_tensor_free(s);
      if (h !== 0) lib.tt_jit_free(h);
    }
  }

  /** The names of the methods that can be called (`forward` and the exported ones). */
  methods(): string[] {
    const h = this.handle;
    const slots = callSlots(
      (out, cap) => lib.tt_jit_list(h, JitList.METHODS, 0, out, cap, errBuf, ERRCAP),
      this.#what("methods"),
    );
    return decodeAll(slots, slots.length)[0] as string[];
  }

  // ---------------------------------------------------------------- structure

  /** The direct children, as ScriptModules (the same objects on every call). */
  override namedChildren(): [string, Module][] {
    if (this.#children === null) {
      const h = this.handle;
      const slots = callSlots(
        (out, cap) => lib.tt_jit_list(h, JitList.CHILDREN, 0, out, cap, errBuf, ERRCAP),
        this.#what("children"),
      );
      const names = decodeAll(slots, slots.length)[0] as string[];
      this.#children = names.map((name) => {
        const c = lib.tt_jit_child(h, cstr(name), errBuf, ERRCAP);
        if (c === 0) throw new TorchError(readError(), this.#what("child"));
        return [name, new ScriptModule(c, OWN_HANDLE, this.#path ? `${this.#path}.${name}` : name)];
      });
    }
    return [...this.#children];
  }

  /**
   * The child module at the dotted path `name` (`"features"`, `"features.denseblock1"`), the same
   * object as in `namedChildren()`. Throws an Error listing the children when there is none.
   *
   * @example
   * ```ts
   * import { jit } from "../mod.ts";
   * const backbone = jit.load("densenet121.pt").child("features");
   * ```
   */
  child(name: string): ScriptModule {
    const parts = name.split(".");
    return parts.reduce<ScriptModule>((cur, part, i) => {
      const next = cur.namedChildren().find(([n]) => n === part)?.[1];
      if (next instanceof ScriptModule) return next;
      const names = cur.namedChildren().map(([n]) => n).join(", ") || "none";
      const where = i === 0 ? "it" : `'${parts.slice(0, i).join(".")}' (${cur.typeName})`;
      throw new Error(
        `${this.typeName} has no child '${name}': ${where} has no '${part}' (its children: ${names})`,
      );
    }, this);
  }

  #list(what: number, label: string): [string, LinkedTensor][] {
    const h = this.handle;
    const slots = callSlots((out, cap) => lib.tt_jit_list(h, what, 0, out, cap, errBuf, ERRCAP), this.#what(label));
    const r = new WireReader(slots, slots.length);
    const out: [string, LinkedTensor][] = [];
    if (r.next() !== Tag.LIST) throw new Error(`${this.#what(label)}: unexpected reply from the shim`);
    const n = r.next();
    for (let i = 0; i < n; i++) {
      r.next(); // TUPLE
      r.next(); // 2
      r.next(); // STR
      const name = r.str();
      r.next(); // TENSOR
      out.push([name, keep(new LinkedTensor(r.next(), OWN_HANDLE))]);
    }
    return out;
  }

  /** This module's own parameters (not its children's), as stable Tensor objects shared with the module. */
  override ownParameters(): [string, Tensor][] {
    if (this.#parameters === null || this.#parameters.some(([, t]) => t.isDisposed)) {
      for (const [, t] of this.#parameters ?? []) t.dispose();
      this.#parameters = this.#list(JitList.PARAMETERS, "parameters");
    }
    return [...this.#parameters];
  }

  /** This module's own buffers (not its children's), as stable Tensor objects shared with the module. */
  override ownBuffers(): [string, Tensor][] {
    if (this.#buffers === null || this.#buffers.some(([, t]) => t.isDisposed)) {
      for (const [, t] of this.#buffers ?? []) t.dispose();
      this.#buffers = this.#list(JitList.BUFFERS, "buffers");
    }
    return [...this.#buffers];
  }

  /** Refused: a TorchScript module's structure is fixed by its code (wrap it in a TypeScript Module). */
  override registerParameter<T extends Tensor | null>(name: string, _value: T): T {
    throw this.#fixed("parameter", name);
  }

  /** Refused, as {@linkcode registerParameter}. */
  override registerBuffer<T extends Tensor | null>(name: string, _value: T): T {
    throw this.#fixed("buffer", name);
  }

  /** Refused, as {@linkcode registerParameter}. */
  override registerModule<M extends Module | null>(name: string, _module: M): M {
    throw this.#fixed("module", name);
  }

  #fixed(kind: string, name: string): Error {
    return new TypeError(
      `cannot register the ${kind} '${name}' on the TorchScript module ${this.typeName}: its parameters, ` +
        "buffers and children are fixed by its code; make a TypeScript Module holding it and register there",
    );
  }

  // ---------------------------------------------------------------- modes, devices, saving

  /** Sets train/eval mode in the native module (its whole subtree). */
  protected override setTrainingFlag(mode: boolean): void {
    check(lib.tt_jit_train(this.handle, mode ? 1 : 0, errBuf, ERRCAP), this.#what("train"));
  }

  /**
   * Moves and/or converts the parameters and buffers of this module and all below, in place (a dtype
   * applies to floating point tensors only, as in PyTorch); the Tensor objects of `parameters()` stay
   * the same and see the change. Returns this.
   */
  override to(target: DType | Device | { dtype?: DType; device?: Device }): this {
    const t = parseMoveTarget(target, this.#what("to"));
    const [type, index] = t.device === undefined ? [-1, -1] : parseDevice(t.device, "to");
    const dtype = t.dtype === undefined ? -1 : DTYPE_CODE[toDType(t.dtype, "to")];
    check(lib.tt_jit_to(this.handle, type, index, dtype, errBuf, ERRCAP), this.#what("to"));
    return this;
  }

  /**
   * Saves the module (code, parameters, buffers) as `torch.jit.save` does, atomically (a temporary
   * file renamed into place). Python loads it with `torch.jit.load`.
   *
   * @example
   * ```ts
   * import { jit } from "../mod.ts";
   * const m = jit.load("model.pt");
   * await m.save("runs/finetuned.pt");
   * ```
   */
  async save(path: string): Promise<void> {
    const h = this.handle;
    await withAtomicPath(path, (tmp) => check(lib.tt_jit_save(h, cstr(tmp), errBuf, ERRCAP), this.#what("save")));
  }

  /** Frees this module's native handle and cached tensors, not its children's (see `Module.dispose`). */
  protected override disposeOwn(): void {
    if (this.#h === 0) return;
    for (const [, t] of [...(this.#parameters ?? []), ...(this.#buffers ?? [])]) t.dispose();
    this.#parameters = this.#buffers = null;
    registry.unregister(this);
    lib.tt_jit_free(this.#h);
    this.#h = 0;
  }

  /** Frees the native module handles of this module and its children, and their cached tensors. */
  override dispose(): void {
    if (this.#h === 0) return;
    for (const [, c] of this.#children ?? []) c.dispose();
    for (const [, t] of [...(this.#parameters ?? []), ...(this.#buffers ?? [])]) t.dispose();
    this.#children = this.#parameters = this.#buffers = null;
    registry.unregister(this);
    lib.tt_jit_free(this.#h);
    this.#h = 0;
  }

  /** The class name without its `__torch__.` qualification (`DenseNet`). */
  get originalName(): string {
    const n = this.typeName;
    return n.slice(n.lastIndexOf(".") + 1);
  }

  /** A printout like PyTorch's for scripted modules: `RecursiveScriptModule(original_name=...)`. */
  override toString(): string {
    if (this.#h === 0) return "RecursiveScriptModule(disposed)";
    const children = this.namedChildren();
    if (children.length === 0) return `RecursiveScriptModule(original_name=${this.originalName})`;
    const lines = [`original_name=${this.originalName}`];
    for (const [name, m] of children) lines.push(`(${name}): ${String(m).replace(/\n/g, "\n  ")}`);
    return `RecursiveScriptModule(\n  ${lines.join("\n  ")}\n)`;
  }
}

/**
 * The number of native TorchScript module handles alive (loaded modules and child wrappers not yet
 * disposed), to check that code frees what it loads.
 *
 * @example
 * ```ts
 * import { jit } from "../mod.ts";
 * const before = jit.liveModules();
 * jit.load("model.pt").dispose();
 * console.log(jit.liveModules() === before); // true
 * ```
 */
export function liveModules(): number {
  return lib.tt_jit_live();
}
