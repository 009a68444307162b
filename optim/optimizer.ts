/**
 * `Optimizer`: the base of the optimizers, with torch.optim.Optimizer's bookkeeping: parameter groups
 * with per-group hyperparameters, lazily created per-parameter state, `zeroGrad`, and state dicts with
 * PyTorch's structure and snake_case keys, so that `torch.optim.X.load_state_dict` in Python accepts
 * what `stateDict()` gives (once serialized) and `loadStateDict` accepts what Python saves.
 *
 * Hyperparameters are camelCased in the groups (`group.weightDecay`) and snake_cased in state dicts
 * (`weight_decay`). State tensors belong to the optimizer: they are `keep()`-ed so that no `tidy` scope
 * frees them, and `dispose()` frees them.
 *
 * @module
 */

import { noGrad } from "../tensor/autograd.ts";
import { tensor } from "../tensor/creation.ts";
import { isFloatingPoint } from "../tensor/dtype.ts";
import { keep } from "../tensor/memory.ts";
import { Tensor } from "../tensor/tensor.ts";
import { isOptionsObject } from "../tensor/options.ts";
import { describe } from "../tensor/checks.ts";
import { Dim0 } from "./python_scalar.ts";
import { eachParam, noGradientError, runClosure, updateGroups } from "./step.ts";

/**
 * A group key that PyTorch keeps but this optimizer only has at one value (`capturable`, `differentiable`,
 * `fused`, `maximize` where it is not an option, ...): a saved state dict that asks for another value would
 * train differently, so loading it is an error rather than a silent change. `foreach` only picks the
 * implementation (the bits are the same), so any value loads.
 */
function checkTorchOnlyKey(owner: string, group: number, key: string, saved: unknown, ours: unknown): void {
  if (key === "foreach" || typeof ours !== "boolean" || saved === ours || saved === null || saved === undefined) {
    return;
  }
  const py = (v: unknown) => v === true ? "True" : v === false ? "False" : describe(v, "typed");
  throw new RangeError(
    `${owner}: param_groups[${group}] has ${key}=${py(saved)}, but this optimizer supports only ${key}=${py(ours)}; ` +
      `save the state dict from a PyTorch optimizer made with ${key}=${py(ours)}`,
  );
}

/** A value in an exported optimizer state: tensors, numbers, flags, strings, None, and lists of them. */
export type StateValue = Tensor | number | boolean | string | null | StateValue[];

/** The state of one parameter, by PyTorch's key (`step`, `exp_avg`, `momentum_buffer`, ...). */
export type ParamState = Record<string, unknown>;

/** A parameter group: its parameters and their hyperparameters (camelCased). */
export type ParamGroup<H extends object = Record<string, unknown>> = H & {
  /** The parameters of this group. */
  params: Tensor[];
  /** Other keys: the scheduler's `initialLr`, keys of the user's own. */
  [key: string]: unknown;
};

/** A parameter group as given to a constructor or `addParamGroup`: parameters and overrides. */
export type ParamGroupInput<H extends object = Record<string, unknown>> = Partial<H> & {
  /** The parameters of this group (a tensor or an ordered collection of tensors). */
  params: Tensor | Iterable<Tensor>;
  /** The group's overrides of the defaults, and keys of the user's own. */
  [key: string]: unknown;
};

/** What an optimizer optimizes: parameters, or parameter groups. */
export type Params<H extends object = Record<string, unknown>> = Iterable<Tensor> | Iterable<ParamGroupInput<H>>;

/** A parameter group in a state dict: snake_case hyperparameters and the parameters' indices. */
export interface SavedParamGroup {
  /** Indices of the group's parameters, numbered across all groups in order. */
  params: number[];
  /** The hyperparameters, snake_cased (`lr`, `weight_decay`, `initial_lr`, ...). */
  [key: string]: unknown;
}

/** An optimizer's state dict, structured as PyTorch's `optimizer.state_dict()`. */
export interface OptimizerStateDict {
  /** Per-parameter state by parameter index. */
  state: Map<number, Record<string, StateValue>>;
  /** The parameter groups. */
  param_groups: SavedParamGroup[];
}

/** A state dict to load: `state` may also be a plain object keyed by the indices as strings. */
export interface OptimizerStateDictInput {
  /** Per-parameter state by parameter index. */
  state: Map<number, Record<string, unknown>> | Record<string, Record<string, unknown>>;
  /** The parameter groups. */
  param_groups: SavedParamGroup[];
}

/** A function that re-evaluates the model and returns the loss (it calls `backward()` itself). */
export type Closure = () => Tensor;

/**
 * `weightDecay` -> `weight_decay`.
 *
 * @example
 * ```ts
 * toSnakeCase("weightDecay"); // "weight_decay"
 * ```
 */
export function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * `weight_decay` -> `weightDecay`.
 *
 * @example
 * ```ts
 * toCamelCase("initial_lr"); // "initialLr"
 * ```
 */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A dict as a deserializer may give it: a Map with string keys becomes a plain object. */
function asObject(v: unknown): unknown {
  if (v instanceof Map && [...v.keys()].every((k) => typeof k === "string")) return Object.fromEntries(v);
  return v;
}

/** A copy of hyperparameters with arrays (`betas`) copied, so that groups never share them. */
function copyHyperparameters(h: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h)) out[k] = Array.isArray(v) ? [...v] : v;
  return out;
}

function disposeValue(v: unknown): void {
  if (v instanceof Tensor) v.dispose();
  else if (Array.isArray(v)) { for (const x of v) disposeValue(x); }
  else if (isOptionsObject(v)) { for (const x of Object.values(v)) disposeValue(x); }
}

function formatHyper(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(formatHyper).join(", ")}]`;
  if (v === null) return "null";
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/**
 * The base class of optimizers (torch.optim.Optimizer). Subclasses give the defaults, check
 * hyperparameters and implement `step`.
 *
 * @example
 * ```ts
 * import { Adam, BCEWithLogitsLoss, LeNet, randint, randn, tidy } from "../mod.ts";
 * const model = new LeNet();
 * const lossFn = new BCEWithLogitsLoss();
 * const batches = [[randn([8, 3, 32, 32]), randint(2, [8, 1]).float()]];
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * for (const [x, y] of batches) {
 *   tidy(() => {
 *     opt.zeroGrad();
 *     lossFn.forward(model.forward(x), y).backward();
 *     opt.step();
 *   });
 * }
 * ```
 */
export abstract class Optimizer<H extends object = Record<string, unknown>> {
  /** The hyperparameters a group gets unless it overrides them. */
  readonly defaults: Readonly<H>;
  /** The parameter groups, in order; change `group.lr` to change the learning rate. */
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Per-parameter state (created by the first `step` that updates the parameter). */
  readonly state: Map<Tensor, ParamState> = new Map();

  /**
   * Checks `defaults`, then adds `params`: an ordered collection of tensors (one group), or of parameter
   * groups `{ params, ...overrides }`.
   */
  protected constructor(params: Params<H>, defaults: H) {
    this.checkHyperparameters(defaults, this.typeName, true);
    this.defaults = copyHyperparameters(defaults) as H;
    const name = this.typeName;
    if (params instanceof Tensor) {
      throw new TypeError(`${name}: params must be an array of Tensors or of parameter groups, got a single Tensor`);
    }
    if (params === null || typeof params !== "object" || !(Symbol.iterator in params)) {
      throw new TypeError(
        `${name}: params must be an array of Tensors or of parameter groups, got ${describe(params, "typed")}`,
      );
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new RangeError(`${name}: got an empty parameter list`);
    const groups = list[0] instanceof Tensor ? [{ params: list }] : list;
    for (const g of groups) this.addParamGroup(g as ParamGroupInput<H>);
  }

  /** The optimizer's name in messages (the class name). */
  get typeName(): string {
    return this.constructor.name;
  }

  /**
   * Checks the hyperparameters of a group (or, with `isDefaults`, the constructor's options); throws a
   * TypeError or RangeError naming the option and value.
   */
  protected abstract checkHyperparameters(h: Partial<H>, owner: string, isDefaults: boolean): void;

  /** Keys PyTorch keeps in each group that have no meaning here, with the values exported for them. */
  protected torchOnlyKeys(): Record<string, unknown> {
    return {};
  }

  /**
   * Adds a parameter group (PyTorch's `add_param_group`), e.g. to train layers unfrozen later. Its
   * hyperparameters default to the optimizer's.
   *
   * @example
   * ```ts
   * import { Adam, LeNet } from "../mod.ts";
   * const model = new LeNet();
   * const opt = new Adam(model.classifier.parameters(), { lr: 1e-3 });
   * opt.addParamGroup({ params: model.features.parameters(), lr: 1e-4 }); // unfreeze the backbone
   * ```
   */
  addParamGroup(group: ParamGroupInput<H>): void {
    const index = this.paramGroups.length;
    const owner = `${this.typeName} (param group ${index})`;
    if (!isOptionsObject(group) || !("params" in group)) {
      throw new TypeError(
        `${this.typeName}: a parameter group must be an object with 'params', got ${describe(group, "typed")}`,
      );
    }
    const given = group.params as unknown;
    let params: unknown[];
    if (given instanceof Tensor) params = [given];
    else if (given instanceof Set) {
      throw new TypeError(
        `${owner}: params must be an ordered collection (an array), not a Set: its order may change between runs`,
      );
    } else if (given !== null && typeof given === "object" && Symbol.iterator in given) {
      params = [...(given as Iterable<unknown>)];
    } else throw new TypeError(`${owner}: params must be an array of Tensors, got ${describe(given, "typed")}`);
    const seen = new Set<Tensor>();
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) {
        throw new TypeError(`${owner}: params[${i}] must be a Tensor, got ${describe(p, "typed")}`);
      }
      if (!p.isLeaf) {
        throw new TypeError(
          `${owner}: params[${i}] is not a leaf Tensor (it was computed by ${p.gradFn}); optimize the leaves ` +
            "(created with requiresGrad, or registered parameters), or detach() it and set requiresGrad",
        );
      }
      if (seen.has(p)) throw new TypeError(`${owner}: params[${i}] appears twice in the group`);
      seen.add(p);
    });
    for (const [j, g] of this.paramGroups.entries()) {
      for (const p of g.params) {
        if (seen.has(p)) {
          throw new TypeError(`${owner}: a parameter of this group is already in param group ${j}`);
        }
      }
    }
    const merged = copyHyperparameters(this.defaults);
    for (const [k, v] of Object.entries(group)) {
      if (k !== "params") merged[k] = Array.isArray(v) ? [...v] : v;
    }
    this.checkHyperparameters(merged as Partial<H>, owner, false);
    merged.params = params;
    this.paramGroups.push(merged as ParamGroup<H>);
  }

  /**
   * Clears the gradients of all parameters: to null (the default), or to zeros in place.
   *
   * @example
   * ```ts
   * import { LeNet, SGD } from "../mod.ts";
   * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
   * opt.zeroGrad();                      // grads become null
   * opt.zeroGrad({ setToNone: false });  // grads are zeroed in place
   * ```
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) {
          p.grad = null;
          continue;
        }
        const g = p.grad;
        if (g !== null) {
          try {
            if (g.gradFn !== null) g.detach_();
            else g.requiresGrad = false;
            noGrad(() => g.zero_());
          } finally {
            g.dispose();
          }
        }
      }
    }
  }

  /**
   * Performs one optimization step. With a `closure` (which re-evaluates the model, calls `backward()`
   * and returns the loss), the closure runs first, with gradients enabled, and its loss is returned.
   */
  abstract step(closure?: Closure): Tensor | null;

  /** Runs the closure (if any) with gradients enabled. */
  protected evaluateClosure(closure: Closure | undefined): Tensor | null {
    return runClosure(this.typeName, closure);
  }

  /**
   * Runs `update` for every parameter that has a gradient, in group order, each in its own `tidy` scope
   * (temporaries are freed; state tensors must be `keep()`-ed) with gradients disabled. The parameter's
   * state record is created empty on first use. Returns the number of parameters updated.
   */
  protected forEachParamWithGrad(
    update: (p: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<H>) => void,
  ): number {
    return updateGroups(this, eachParam(update));
  }

  /** The error for a step where no parameter has a gradient. */
  protected noGradientError(): TypeError {
    return noGradientError(this);
  }

  // ---------------------------------------------------------------- state dicts

  /**
   * The state, structured as PyTorch's `state_dict()`: `state` maps parameter indices (numbered across
   * the groups in order) to their state, `param_groups` holds each group's hyperparameters (snake_case,
   * with PyTorch's extra keys) and parameter indices. State `step` counts are float32 0-dim tensors, as
   * PyTorch stores them. The tensors are new handles sharing the optimizer's storage (dispose them when
   * done; that does not free the optimizer's own).
   *
   * @example
   * ```ts
   * import { Adam, LeNet } from "../mod.ts";
   * const opt = new Adam(new LeNet().parameters(), { lr: 1e-3 });
   * const sd = opt.stateDict();
   * console.log(sd.param_groups[0].lr, sd.state.get(0)?.exp_avg); // 0.001, and a Tensor after the first step
   * ```
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const torchOnly = this.torchOnlyKeys();
    const defaultKeys = Object.keys(this.defaults);
    const paramGroups = this.paramGroups.map((g) => {
      const packed: Record<string, unknown> = {};
      const put = (k: string) => {
        if (k in g) packed[toSnakeCase(k)] = Array.isArray(g[k]) ? [...(g[k] as unknown[])] : g[k];
      };
      for (const k of defaultKeys) put(k);
      // a key both here and in PyTorch (`foreach`, when given) keeps its value and PyTorch's position
      for (const [k, v] of Object.entries(torchOnly)) if (!(k in packed)) packed[k] = v;
      for (const k of Object.keys(g)) if (k !== "params" && !defaultKeys.includes(k)) put(k);
      packed.params = g.params.map((p) => {
        let i = index.get(p);
        if (i === undefined) index.set(p, i = index.size);
        return i;
      });
      return packed as SavedParamGroup;
    });
    const state = new Map<number, Record<string, StateValue>>();
    for (const [p, s] of this.state) {
      const i = index.get(p);
      // an optimizer that keeps nothing for a parameter (PyTorch 2's SGD without momentum) exports no entry
      if (i === undefined || Object.keys(s).length === 0) continue;
      const out: Record<string, StateValue> = {};
      for (const [k, v] of Object.entries(s)) out[k] = this.exportValue(k, v);
      state.set(i, out);
    }
    return { state, param_groups: paramGroups };
  }

  /** A state value as exported: tensors as new handles, `step` counts and 0-dim values as tensors. */
  protected exportValue(key: string, v: unknown): StateValue {
    if (v instanceof Tensor) return v.detach();
    if (v instanceof Dim0) {
      const data = v.dtype === "float32" ? new Float32Array([v.value]) : new Float64Array([v.value]);
      return tensor(data, { shape: [] });
    }
    if (key === "step" && typeof v === "number") return tensor(new Float32Array([v]), { shape: [] });
    if (Array.isArray(v)) return v.map((x) => this.exportValue("", x));
    if (v === undefined) return null;
    return v as StateValue;
  }

  /**
   * Loads a state dict from `stateDict()` (here or, deserialized, from PyTorch), replacing the state
   * and the groups' hyperparameters. Tensors are copied, converted to their parameter's dtype (for
   * floating point parameters) and device, as PyTorch does; `step` counts become numbers.
   *
   * @example
   * ```ts
   * import { Adam, LeNet } from "../mod.ts";
   * const model = new LeNet();
   * const opt = new Adam(model.parameters(), { lr: 1e-4 });
   * const fresh = new Adam(model.parameters());
   * fresh.loadStateDict(opt.stateDict()); // fresh.paramGroups[0].lr === 1e-4
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDictInput | OptimizerStateDict | Map<string, unknown>): void {
    const name = `${this.typeName}.loadStateDict`;
    stateDict = asObject(stateDict) as OptimizerStateDictInput;
    if (!isOptionsObject(stateDict)) {
      throw new TypeError(`${name}: expected a state dict, got ${describe(stateDict, "typed")}`);
    }
    const saved = stateDict.param_groups as unknown;
    if (!Array.isArray(saved)) {
      throw new TypeError(`${name}: param_groups must be an array, got ${describe(saved, "typed")}`);
    }
    if (saved.length !== this.paramGroups.length) {
      throw new RangeError(
        `${name}: the state dict has ${saved.length} parameter groups, this optimizer ${this.paramGroups.length}`,
      );
    }
    const idMap = new Map<number, Tensor>();
    const torchOnly = this.torchOnlyKeys();
    const newHypers = saved.map((group: unknown, i) => {
      const sg = asObject(group);
      if (!isOptionsObject(sg) || !Array.isArray(sg.params)) {
        throw new TypeError(`${name}: param_groups[${i}] must be an object with a params array`);
      }
      const ours = this.paramGroups[i].params;
      if (sg.params.length !== ours.length) {
        throw new RangeError(
          `${name}: param_groups[${i}] has ${sg.params.length} parameters, this optimizer's group ${ours.length}`,
        );
      }
      sg.params.forEach((id: unknown, j: number) => idMap.set(Number(id), ours[j]));
      const h = copyHyperparameters(this.defaults);
      for (const [k, v] of Object.entries(sg)) {
        if (k in torchOnly) checkTorchOnlyKey(name, i, k, v, torchOnly[k]);
        if (k === "params" || k in torchOnly) continue;
        h[toCamelCase(k)] = Array.isArray(v) ? [...v] : v;
      }
      this.checkHyperparameters(h as Partial<H>, `${name} (param group ${i})`, false);
      return h;
    });
    const rawState = stateDict.state as unknown;
    let entries: [unknown, unknown][];
    if (rawState instanceof Map) entries = [...rawState];
    else if (isOptionsObject(rawState)) entries = Object.entries(rawState);
    else throw new TypeError(`${name}: state must be a Map or an object, got ${describe(rawState, "typed")}`);
    const newState = new Map<Tensor, ParamState>();
    try {
      noGrad(() => {
        for (const [k, entry] of entries) {
          const p = idMap.get(Number(k));
          const v = asObject(entry);
          if (p === undefined) continue;
          if (!isOptionsObject(v)) throw new TypeError(`${name}: state[${String(k)}] must be an object`);
          const s: ParamState = {};
          newState.set(p, s);
          for (const [key, value] of Object.entries(v)) s[key] = this.importValue(p, key, value);
        }
      });
    } catch (e) {
      for (const s of newState.values()) disposeValue(Object.values(s));
      throw e;
    }
    this.disposeState();
    for (const [p, s] of newState) this.state.set(p, s);
    this.paramGroups.forEach((g, i) => {
      const params = g.params;
      for (const k of Object.keys(g)) delete g[k];
      Object.assign(g, newHypers[i], { params });
    });
  }

  /**
   * A loaded state value for parameter `param`: tensors copied (to the parameter's dtype when it is
   * floating point, and to its device), `step` as a number.
   */
  protected importValue(param: Tensor, key: string, v: unknown): unknown {
    if (key === "step") {
      if (v instanceof Tensor) return Math.fround(v.item());
      if (typeof v === "number") return Math.fround(v);
      throw new TypeError(
        `${this.typeName}.loadStateDict: step must be a Tensor or a number, got ${describe(v, "typed")}`,
      );
    }
    if (v instanceof Tensor) {
      const dtype = isFloatingPoint(param.dtype) ? param.dtype : undefined;
      return keep(v.to({ dtype, device: param.device, copy: true }));
    }
    if (Array.isArray(v)) return v.map((x) => this.importValue(param, "", x));
    return v;
  }

  /** Frees the state tensors and forgets the state. */
  protected disposeState(): void {
    for (const s of this.state.values()) disposeValue(Object.values(s));
    this.state.clear();
  }

  /** Frees the optimizer's state tensors (not the parameters); the optimizer starts afresh. */
  dispose(): void {
    this.disposeState();
  }

  /** `using opt = new Adam(...)` frees the state at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** A printout like PyTorch's: each group's hyperparameters, sorted by name. */
  toString(): string {
    let s = `${this.typeName} (`;
    this.paramGroups.forEach((g, i) => {
      s += `\nParameter Group ${i}\n`;
      for (const k of Object.keys(g).sort()) if (k !== "params") s += `    ${k}: ${formatHyper(g[k])}\n`;
    });
    return s + ")";
  }
}
