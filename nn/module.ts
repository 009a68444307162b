/**
 * `Module`: the base of every layer and model, with torch.nn.Module's bookkeeping: registered
 * parameters, buffers and children, train/eval mode, moving, freezing, state dicts with PyTorch's key
 * names, and a printout like PyTorch's.
 *
 * A child module may be registered explicitly (`registerModule`), or simply assigned to a property, as
 * PyTorch's `__setattr__` registers it: the first traversal (`parameters()`, `stateDict()`, `train()`,
 * `to()`, printing...) registers every own property that holds a Module, under the property's name and in
 * the properties' order. An array of modules is not registered (as a Python list is not): it is reported at
 * once with a TypeError that says to use `ModuleList` or `Sequential`. Parameters and buffers are
 * registered explicitly:
 *
 * ```ts
 * import { Module, zeros, type Tensor } from "../mod.ts";
 * class Affine extends Module {
 *   weight = this.registerParameter("weight", zeros([3]));
 *   bias = this.registerParameter("bias", zeros([3]));
 *   forward(x: Tensor): Tensor {
 *     return x.mul(this.weight).add(this.bias);
 *   }
 * }
 * ```
 *
 * Registered tensors are owned by the module: they survive `tidy` scopes (they are kept) and are freed
 * by `dispose()` or, as a backstop, by the garbage collector.
 *
 * @module
 */

import { noGrad } from "../tensor/autograd.ts";
import { type Device, parseMoveTarget } from "../tensor/device.ts";
import type { DType } from "../tensor/dtype.ts";
import { isFloatingPoint } from "../tensor/dtype.ts";
import { keep } from "../tensor/memory.ts";
import { positionalOptions } from "../tensor/options.ts";
import { Tensor } from "../tensor/tensor.ts";
import { moduleBundle } from "./display.ts";

/** Where and in which dtype a layer creates its parameters. */
export interface FactoryOptions {
  /** The device of the parameters (default `"cpu"`). */
  device?: Device;
  /** The dtype of the floating point parameters and buffers (default float32). */
  dtype?: DType;
}

/** A state dict: tensors by PyTorch key name (`features.0.weight`, `bn.running_mean`). */
export type StateDict = Record<string, Tensor>;

/** Options of {@linkcode Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true). */
  strict?: boolean;
}

/** Keys that did not match in {@linkcode Module.loadStateDict}. */
export interface LoadStateDictResult {
  /** Keys of the module absent from the state dict. */
  missingKeys: string[];
  /** Keys of the state dict the module does not have. */
  unexpectedKeys: string[];
}

/**
 * The base class of layers and models (torch.nn.Module).
 *
 * @example
 * ```ts
 * import { Linear, Module, relu, type Tensor } from "../mod.ts";
 * class MLP extends Module {
 *   fc1 = this.registerModule("fc1", new Linear(4, 8));
 *   fc2 = this.registerModule("fc2", new Linear(8, 1));
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.forward(relu(this.fc1.forward(x)));
 *   }
 * }
 * ```
 */
export abstract class Module {
  /** Training mode (Dropout drops, BatchNorm uses batch statistics) or evaluation mode. */
  training = true;
  readonly #parameters = new Map<string, Tensor | null>();
  readonly #buffers = new Map<string, Tensor | null>();
  readonly #nonPersistent = new Set<string>();
  readonly #modules = new Map<string, Module | null>();

  /** The computation of this module. */
  abstract forward(...inputs: unknown[]): unknown;

  /** The class name shown by `toString()` (defaults to the constructor's name). */
  get typeName(): string {
    return this.constructor.name;
  }

  // ---------------------------------------------------------------- registration

  /**
   * Registers a parameter under `name` and returns it: a floating point tensor becomes a leaf that
   * requires grad; it is kept out of `tidy` scopes. `null` registers an absent parameter (a layer
   * without bias), which state dicts skip.
   */
  registerParameter<T extends Tensor | null>(name: string, value: T): T {
    checkName(name, this.#parameters.has(name) ? null : this.#buffers.has(name) || this.#modules.has(name));
    if (value !== null) {
      if (!(value instanceof Tensor)) throw new TypeError(`registerParameter: '${name}' must be a Tensor or null`);
      keep(value);
      if (isFloatingPoint(value.dtype) && !value.requiresGrad) value.requiresGrad = true;
    }
    this.#parameters.set(name, value);
    return value;
  }

  /**
   * Registers a buffer (state that is not trained, such as BatchNorm's running statistics) and returns
   * it. Non-persistent buffers are left out of state dicts.
   */
  registerBuffer<T extends Tensor | null>(
    name: string,
    value: T,
    persistent?: boolean | { persistent?: boolean },
  ): T {
    const options = positionalOptions<{ persistent?: boolean }>(
      "registerBuffer",
      [persistent],
      ["persistent"],
      [],
      'registerBuffer("name", t, { persistent: false })',
    );
    checkName(name, this.#buffers.has(name) ? null : this.#parameters.has(name) || this.#modules.has(name));
    if (value !== null) {
      if (!(value instanceof Tensor)) throw new TypeError(`registerBuffer: '${name}' must be a Tensor or null`);
      keep(value);
    }
    this.#buffers.set(name, value);
    if (options.persistent === false) this.#nonPersistent.add(name);
    else this.#nonPersistent.delete(name);
    return value;
  }

  /** Registers a child module under `name` and returns it. */
  registerModule<M extends Module | null>(name: string, module: M): M {
    checkName(name, this.#modules.has(name) ? null : this.#parameters.has(name) || this.#buffers.has(name));
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`registerModule: '${name}' must be a Module or null`);
    }
    this.#modules.set(name, module);
    return module;
  }

  /**
   * Removes a registered parameter, buffer or child module (Python's `del module.name`); returns what
   * was registered, or undefined. The removed tensors are not freed: the caller owns them now.
   */
  unregister(name: string): Tensor | Module | null | undefined {
    for (const map of [this.#parameters, this.#buffers, this.#modules] as Map<string, Tensor | Module | null>[]) {
      if (map.has(name)) {
        const value = map.get(name);
        map.delete(name);
        this.#nonPersistent.delete(name);
        return value;
      }
    }
    return undefined;
  }

  /**
   * Replaces a registered parameter or buffer's tensor (the old one is freed unless it is the same).
   * Used by loaders and by `to()`.
   */
  protected replaceTensor(name: string, value: Tensor): void {
    const map = this.#parameters.has(name) ? this.#parameters : this.#buffers.has(name) ? this.#buffers : null;
    if (map === null) throw new Error(`${this.typeName} has no parameter or buffer '${name}'`);
    const old = map.get(name);
    if (old !== null && old !== undefined && old !== value) old._adopt(value);
    else if (old === null) map.set(name, keep(value));
  }

  // ---------------------------------------------------------------- traversal

  /** The direct children, with their names. */
  namedChildren(): [string, Module][] {
    this.#adoptAttributes();
    return [...this.#modules].filter((e): e is [string, Module] => e[1] !== null);
  }

  /**
   * PyTorch's `__setattr__` for modules, done at traversal: own properties holding a Module that is not a
   * child yet are registered under the property's name, in the properties' order; a property that
   * replaced a registered child replaces it; an array holding modules that are not registered anywhere
   * below is a TypeError (PyTorch ignores a Python list of modules, and the model trains without them).
   */
  #adoptAttributes(): void {
    const self = this as unknown as Record<string, unknown>;
    let added: [string, Module, number][] | null = null;
    let arrays: string[] | null = null;
    const keys = Object.keys(self);
    const registered = new Set<Module | null>(this.#modules.values());
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const v = self[key];
      if (v instanceof Module) {
        const current = this.#modules.get(key);
        if (current === v) continue;
        if (current !== undefined) {
          this.#modules.set(key, v); // a property that replaced its registered child
          continue;
        }
        if (registered.has(v)) continue; // the same child under another name
        if (this.#parameters.has(key) || this.#buffers.has(key)) {
          throw new TypeError(
            `${this.typeName}: property '${key}' holds a Module but '${key}' is registered as a parameter or buffer`,
          );
        }
        (added ??= []).push([key, v, i]);
        registered.add(v);
      } else if (Array.isArray(v) && v.some((m) => m instanceof Module)) {
        (arrays ??= []).push(key);
      }
    }
    if (added !== null) {
      const position = new Map(keys.map((k, i) => [k, i]));
      const merged = new Map<string, Module | null>();
      let next = 0;
      for (const [name, m] of this.#modules) {
        const p = position.get(name);
        if (p !== undefined) {
          while (next < added.length && added[next][2] < p) merged.set(added[next][0], added[next++][1]);
        }
        merged.set(name, m);
      }
      while (next < added.length) merged.set(added[next][0], added[next++][1]);
      this.#modules.clear();
      for (const [k, m] of merged) this.#modules.set(k, m);
    }
    if (arrays !== null) {
      const below = this.#descendants();
      for (const key of arrays) {
        const loose = (self[key] as unknown[]).some((m) => m instanceof Module && m !== this && !below.has(m));
        if (loose) {
          throw new TypeError(
            `${this.typeName}: property '${key}' is an array of modules, which is not registered (their parameters ` +
              `would be missing from parameters() and stateDict()); use this.${key} = new ModuleList([...]) or ` +
              `new Sequential(...), as in PyTorch`,
          );
        }
      }
    }
  }

  /** Every module registered below this one (the children's own properties adopted first). */
  #descendants(): Set<Module> {
    const out = new Set<Module>();
    const visit = (children: Iterable<Module | null>) => {
      for (const c of children) {
        if (c === null || out.has(c)) continue;
        out.add(c);
        visit(c.namedChildren().map(([, m]) => m));
      }
    };
    visit(this.#modules.values());
    return out;
  }

  /** The direct children. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and all below it, with dotted names (`""` for this one). */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (m: Module, name: string) => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [child, c] of m.namedChildren()) visit(c, name ? `${name}.${child}` : child);
    };
    visit(this, prefix);
    return out;
  }

  /** This module and all below it. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** The parameters (of this module and, with `recurse`, of all below), with dotted names, each once. */
  namedParameters(prefix?: string | { prefix?: string; recurse?: boolean }, recurse?: boolean): [string, Tensor][] {
    return this.#collect((m) => m.ownParameters(), traversalOptions("namedParameters", prefix, recurse));
  }

  /** The parameters (of this module and, with `recurse`, of all below), each once. */
  parameters(recurse = true): Tensor[] {
    return this.namedParameters({ recurse }).map(([, t]) => t);
  }

  /** The buffers with dotted names, each once. */
  namedBuffers(prefix?: string | { prefix?: string; recurse?: boolean }, recurse?: boolean): [string, Tensor][] {
    return this.#collect((m) => m.ownBuffers(), traversalOptions("namedBuffers", prefix, recurse));
  }

  /** The buffers, each once. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers({ recurse }).map(([, t]) => t);
  }

  /**
   * This module's own parameters, not its children's. Subclasses that hold parameters elsewhere (a
   * TorchScript module) override it.
   */
  ownParameters(): [string, Tensor][] {
    return [...this.#parameters].filter((e): e is [string, Tensor] => e[1] !== null);
  }

  /** This module's own buffers (with whether each is persistent), not its children's. */
  ownBuffers(): [string, Tensor][] {
    return [...this.#buffers].filter((e): e is [string, Tensor] => e[1] !== null);
  }

  /** Whether the own buffer `name` is saved in state dicts. */
  isPersistentBuffer(name: string): boolean {
    return !this.#nonPersistent.has(name);
  }

  #collect(
    own: (m: Module) => [string, Tensor][],
    options: { prefix?: string; recurse?: boolean },
  ): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const mods = options.recurse === false ? [[options.prefix ?? "", this] as [string, Module]] : this.namedModules(
      options.prefix ?? "",
    );
    for (const [prefix, m] of mods) {
      for (const [name, t] of own(m)) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([prefix ? `${prefix}.${name}` : name, t]);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- modes

  /** Sets training mode (default) or evaluation mode on this module and all below; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.setTrainingFlag(mode);
    return this;
  }

  /** Evaluation mode (`train(false)`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Sets this module's own training flag (subclasses wrapping native modules forward it). */
  protected setTrainingFlag(mode: boolean): void {
    this.training = mode;
  }

  /** Turns gradient recording of every parameter on or off (to freeze a part); returns this. */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad = flag;
    return this;
  }

  /** Clears the gradients of every parameter: to null (default), or to zeros in place. */
  zeroGrad(setToNone?: boolean | { setToNone?: boolean }): void {
    const options = positionalOptions<{ setToNone?: boolean }>(
      "zeroGrad",
      [setToNone],
      ["setToNone"],
      [],
      "model.zeroGrad({ setToNone: false })",
    );
    const toNone = options.setToNone ?? true;
    for (const p of this.parameters()) {
      if (toNone) {
        p.grad = null;
      } else {
        const g = p.grad;
        if (g !== null) {
          noGrad(() => g.zero_());
          g.dispose();
        }
      }
    }
  }

  /**
   * Moves and/or converts every parameter and buffer in place (tensor identities are kept, so an
   * optimizer made earlier still holds them). A dtype applies to floating point tensors only, as in
   * PyTorch. Returns this.
   */
  to(target: DType | Device | { dtype?: DType; device?: Device }): this {
    const t = parseMoveTarget(target, `${this.constructor.name}.to`);
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [, tensor] of [...m.ownParameters(), ...m.ownBuffers()]) {
          const dtype = t.dtype !== undefined && isFloatingPoint(tensor.dtype) ? t.dtype : undefined;
          if (dtype === undefined && t.device === undefined) continue;
          const requiresGrad = tensor.requiresGrad;
          const moved = tensor.to({ dtype, device: t.device });
          if (moved.handle === tensor.handle) continue;
          tensor._adopt(moved);
          if (requiresGrad) tensor.requiresGrad = true;
        }
      }
    });
    return this;
  }

  // ---------------------------------------------------------------- state dicts

  /**
   * The parameters and persistent buffers by PyTorch key name, in PyTorch's order (each module's
   * parameters, then its buffers, then its children). Values are new detached tensors sharing the
   * module's storage: dispose them when done; they do not free the module's own.
   */
  stateDict(prefix = ""): StateDict {
    const out: StateDict = {};
    for (const [name, m] of this.namedModules(prefix)) {
      const p = name ? `${name}.` : "";
      for (const [k, t] of m.ownParameters()) out[p + k] = t.detach();
      for (const [k, t] of m.ownBuffers()) if (m.isPersistentBuffer(k)) out[p + k] = t.detach();
    }
    return out;
  }

  /**
   * Copies tensors from a state dict into this module's parameters and buffers (shapes must match;
   * values are converted to each tensor's dtype and device). With `strict` (default) missing and
   * unexpected keys are errors.
   */
  loadStateDict(stateDict: StateDict, strictOrOptions?: boolean | LoadStateDictOptions): LoadStateDictResult {
    const options = positionalOptions<LoadStateDictOptions>(
      "loadStateDict",
      [strictOrOptions],
      ["strict"],
      [],
      "model.loadStateDict(sd, { strict: false })",
    );
    const strict = options.strict ?? true;
    const own = new Map<string, Tensor>();
    for (const [name, m] of this.namedModules()) {
      const p = name ? `${name}.` : "";
      for (const [k, t] of m.ownParameters()) own.set(p + k, t);
      for (const [k, t] of m.ownBuffers()) if (m.isPersistentBuffer(k)) own.set(p + k, t);
    }
    const missingKeys = [...own.keys()].filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !own.has(k));
    const errors: string[] = [];
    if (strict) {
      if (missingKeys.length) {
        errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}.`);
      }
      if (unexpectedKeys.length) {
        errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}.`);
      }
    }
    for (const [key, target] of own) {
      const src = stateDict[key];
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) {
        errors.push(`value of "${key}" is not a Tensor`);
        continue;
      }
      const a = src.shape, b = target.shape;
      if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
        errors.push(
          `size mismatch for ${key}: copying a param with shape [${a.join(", ")}] from checkpoint, ` +
            `the shape in current model is [${b.join(", ")}].`,
        );
      }
    }
    if (errors.length) {
      throw new Error(`Error(s) in loading state_dict for ${this.typeName}:\n\t${errors.join("\n\t")}`);
    }
    noGrad(() => {
      for (const [key, target] of own) {
        const src = stateDict[key];
        if (src !== undefined) target.copy_(src);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---------------------------------------------------------------- lifecycle and printing

  /** Frees every parameter and buffer of this module and all below (and what else each one owns). */
  dispose(): void {
    for (const m of this.modules()) m.disposeOwn();
  }

  /**
   * Frees what this module itself owns, not its children: its parameters and buffers, and in subclasses
   * anything native (a TorchScript module's handle). `dispose()` calls it for every module below.
   */
  protected disposeOwn(): void {
    for (const [, t] of [...this.ownParameters(), ...this.ownBuffers()]) t.dispose();
  }

  /** `using model = ...` frees the module's tensors at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The part of the printout inside the parentheses (`in_features=4, out_features=8, bias=True`). */
  extraRepr(): string {
    return "";
  }

  /** A printout like PyTorch's `print(model)`. */
  toString(): string {
    const extra = this.extraRepr();
    const children = this.namedChildren();
    if (children.length === 0) {
      // as Python: a multi-line extra representation goes on its own indented lines
      return extra.includes("\n")
        ? `${this.typeName}(\n  ${extra.split("\n").join("\n  ")}\n)`
        : `${this.typeName}(${extra})`;
    }
    const lines: string[] = [];
    if (extra) lines.push(...extra.split("\n"));
    for (const [name, m] of children) lines.push(`(${name}): ${String(m).replace(/\n/g, "\n  ")}`);
    return `${this.typeName}(\n  ${lines.join("\n  ")}\n)`;
  }

  /** Deno's `console.log` rendering. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Rich display in Deno's Jupyter kernel: the printout with parameter counts (see `display.ts`). */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return moduleBundle(this);
  }
}

/** `prefix` and `recurse` of the named traversals, by position (PyTorch's order) or in an options object. */
function traversalOptions(owner: string, prefix: unknown, recurse: unknown): { prefix?: string; recurse?: boolean } {
  return positionalOptions(
    owner,
    [prefix, recurse],
    ["prefix", "recurse"],
    [],
    `model.${owner}({ prefix: "", recurse: true })`,
  );
}

function checkName(name: string, clash: boolean | null): void {
  if (typeof name !== "string" || name === "" || name.includes(".")) {
    throw new TypeError(`module attribute names must be non-empty and contain no ".", got ${JSON.stringify(name)}`);
  }
  if (clash) throw new Error(`attribute '${name}' is already registered as another kind (parameter, buffer or module)`);
}
