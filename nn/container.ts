/**
 * The containers `Sequential` and `ModuleList`, as torch.nn's: children named "0", "1", ... (or by the
 * given names for a `Sequential` of named layers), indexing with negative indices, appending, inserting,
 * removing and slicing.
 *
 * @module
 */

import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { describe } from "../tensor/checks.ts";
import { Module } from "./module.ts";

function checkModule(where: string, m: unknown): Module {
  if (!(m instanceof Module)) throw new TypeError(`${where}: expected a Module, got ${describe(m, "size")}`);
  return m;
}

/**
 * The list bookkeeping shared by {@linkcode Sequential} and {@linkcode ModuleList}: an ordered list of
 * registered children, re-keyed "0", "1", ... after an insertion or removal, as PyTorch does.
 */
export abstract class ModuleSequence extends Module implements Iterable<Module> {
  #entries: [string, Module][] = [];

  /** Replaces the children by `entries` (names and modules), in order. */
  protected setEntries(entries: [string, Module][]): void {
    // Unregister all, then register in the new order, so traversal order follows the list.
    for (const [n] of this.#entries) this.unregister(n);
    for (const [n, m] of entries) this.registerModule(n, m);
    this.#entries = entries;
  }

  /** The children re-keyed "0", "1", ... */
  #reindex(modules: Module[]): void {
    this.setEntries(modules.map((m, i) => [String(i), m]));
  }

  #index(where: string, index: number): number {
    const length = this.#entries.length;
    if (!Number.isInteger(index)) {
      throw new TypeError(`${where}: index must be an integer, got ${describe(index, "size")}`);
    }
    if (index < -length || index >= length) {
      throw new RangeError(`${where}: index ${index} is out of range for ${this.typeName} of length ${length}`);
    }
    return index < 0 ? index + length : index;
  }

  /** The number of children. */
  get length(): number {
    return this.#entries.length;
  }

  /** The child at `index` (negative counts from the end). */
  at(index: number): Module {
    return this.#entries[this.#index(`${this.typeName}.at`, index)][1];
  }

  /** Replaces the child at `index` (PyTorch's `seq[i] = module`). */
  set(index: number, module: Module): void {
    const i = this.#index(`${this.typeName}.set`, index);
    const entries = [...this.#entries];
    entries[i] = [entries[i][0], checkModule(`${this.typeName}.set`, module)];
    this.setEntries(entries);
  }

  /** Adds `module` at the end, named by its position; returns this. */
  append(module: Module): this {
    checkModule(`${this.typeName}.append`, module);
    this.setEntries([...this.#entries, [String(this.#entries.length), module]]);
    return this;
  }

  /** Appends each of `modules`; returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts `module` before position `index` (which may equal the length); the children are re-keyed. */
  insert(index: number, module: Module): void {
    checkModule(`${this.typeName}.insert`, module);
    const n = this.#entries.length;
    if (!Number.isInteger(index)) {
      throw new TypeError(`${this.typeName}.insert: index must be an integer, got ${describe(index, "size")}`);
    }
    if (index < -n || index > n) {
      throw new RangeError(
        `${this.typeName}.insert: index ${index} is out of range for ${this.typeName} of length ${n}`,
      );
    }
    const modules = this.#entries.map(([, m]) => m);
    modules.splice(index < 0 ? index + n : index, 0, module);
    this.#reindex(modules);
  }

  /** Removes and returns the child at `index` (default the last); the children are re-keyed. */
  pop(index = -1): Module {
    const i = this.#index(`${this.typeName}.pop`, index);
    const modules = this.#entries.map(([, m]) => m);
    const [removed] = modules.splice(i, 1);
    this.#reindex(modules);
    return removed;
  }

  /** The children with their names. */
  entries(): [string, Module][] {
    return this.#entries.map(([n, m]) => [n, m]);
  }

  /** The children in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this.#entries.map(([, m]) => m)[Symbol.iterator]();
  }
}

/**
 * Runs its children one after another, each on the previous one's output (torch.nn.Sequential).
 * Children are named "0", "1", ... or, given one object or Map of named modules, by those names.
 * Intermediate results are freed as soon as `forward` returns (it runs in a `tidy` scope; autograd keeps
 * what backward needs), so a child that stores a tensor it made for later use must `keep()` it.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { ReLU } from "./activation.ts";
 * import { Sequential } from "./container.ts";
 * import { Linear } from "./linear.ts";
 * const mlp = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 1));
 * mlp.forward(randn([2, 4])).shape; // [2, 1]; parameters named "0.weight", "0.bias", "2.weight", ...
 * const named = new Sequential({ fc: new Linear(4, 1), act: new ReLU() }); // "fc.weight", ...
 * ```
 */
export class Sequential extends ModuleSequence {
  /** A sequence of `modules`, or of the named modules of one object or Map. */
  constructor(...modules: Module[] | [Record<string, Module> | Map<string, Module>]) {
    super();
    if (modules.length === 1 && !(modules[0] instanceof Module)) {
      const named = modules[0];
      if (typeof named !== "object" || named === null) {
        throw new TypeError(
          `Sequential: expected Modules, or one object or Map of named Modules, got ${describe(named, "size")}`,
        );
      }
      const entries = named instanceof Map ? [...named.entries()] : Object.entries(named);
      this.setEntries(entries.map(([n, m]) => [n, checkModule("Sequential", m)]));
    } else {
      this.setEntries((modules as unknown[]).map((m, i) => [String(i), checkModule("Sequential", m)]));
    }
  }

  /** A new Sequential of the children `start..end` (Python's `seq[start:end]`), keeping their names. */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(new Map(this.entries().slice(start, end)));
  }

  /** The output of the last child, each child fed the previous one's output. */
  forward(input: Tensor): Tensor {
    return tidy(() => {
      let x: unknown = input;
      for (const m of this) x = m.forward(x);
      return x as Tensor;
    });
  }
}

/**
 * A list of child modules, registered so that their parameters are the owner's (torch.nn.ModuleList).
 * It has no `forward`: iterate it.
 *
 * @example
 * ```ts
 * import { ModuleList } from "./container.ts";
 * import { Linear } from "./linear.ts";
 * const layers = new ModuleList([new Linear(4, 4), new Linear(4, 4)]);
 * layers.append(new Linear(4, 2));
 * for (const layer of layers) console.log(String(layer));
 * ```
 */
export class ModuleList extends ModuleSequence {
  /** A list of `modules` (default empty). */
  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }

  /** A new ModuleList of the children `start..end` (Python's `list[start:end]`). */
  slice(start?: number, end?: number): ModuleList {
    return new ModuleList(this.entries().slice(start, end).map(([, m]) => m));
  }

  /** Throws: a ModuleList is not a layer; call its children. */
  forward(): never {
    throw new TypeError("ModuleList has no forward(); iterate it and call its children");
  }
}
