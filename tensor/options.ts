/**
 * Options objects, checked: PyTorch's keyword arguments are an options object in denotorch, and a key that
 * is not known (a typo, or PyTorch's snake_case name) is a `TypeError` that names it and the nearest known
 * key, never silently ignored. PyTorch's positional forms (`new MaxPool2d(3, 1)`, `x.sum(1, true)`) are
 * mapped onto the same names by {@linkcode positionalOptions}.
 *
 * @example
 * ```ts
 * import { checkOptions } from "./options.ts";
 * checkOptions("DataLoader", { batchSize: 2 }, ["batchSize", "shuffle"]); // { batchSize: 2 }
 * // checkOptions("DataLoader", { batch_size: 2 }, ["batchSize", "shuffle"]);
 * // TypeError: DataLoader: unknown option 'batch_size' (did you mean 'batchSize'?); the options are batchSize, shuffle
 * ```
 *
 * @module
 */

import { describe } from "./describe.ts";

/** Whether `v` is a plain options object (`{...}`, not an array, a tensor or another class instance). */
export function isOptionsObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The edit distance between `a` and `b`: insertions, deletions, substitutions and swaps of two neighbours
 * (`bais` -> `bias`) each count 1 (optimal string alignment).
 */
export function editDistance(a: string, b: string): number {
  if (typeof a !== "string" || typeof b !== "string") {
    throw new TypeError(`editDistance: expected two strings, got ${describe(a, "typed")} and ${describe(b, "typed")}`);
  }
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i].push(d);
    }
  }
  return rows[a.length][b.length];
}

/**
 * The known name nearest to `name` (case, `_` and `-` ignored: `batch_size` finds `batchSize`; a prefix of
 * three letters or more counts as near), or undefined when none is close (more than a third of the name
 * would have to change).
 *
 * @example
 * ```ts
 * import { nearestName } from "./options.ts";
 * nearestName("batch_size", ["batchSize", "shuffle"]); // "batchSize"
 * nearestName("lerning-rate", ["learningRate"]); // "learningRate"
 * ```
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  checkNames("nearestName", "known", known);
  if (typeof name !== "string") {
    throw new TypeError(`nearestName: name must be a string, got ${describe(name, "typed")}`);
  }
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, "");
  const n = norm(name);
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const m = norm(k);
    // a prefix of 3 or more letters (`descend` for `descending`) counts as a near miss
    const prefix = Math.min(n.length, m.length) >= 3 && (m.startsWith(n) || n.startsWith(m));
    const d = Math.min(editDistance(n, m), prefix ? 0.5 : Infinity);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return bestD <= Math.max(1, Math.floor(n.length / 3)) ? best : undefined;
}

/** The text of an unknown name: `unknown option 'batch_size' (did you mean 'batchSize'?)`. */
export function unknownNameText(what: string, name: string, known: readonly string[]): string {
  if (typeof what !== "string" || typeof name !== "string") {
    throw new TypeError(
      `unknownNameText: what and name must be strings, got ${describe(what, "typed")} and ${describe(name, "typed")}`,
    );
  }
  const near = nearestName(name, known);
  return `unknown ${what} '${name}'${near === undefined ? "" : ` (did you mean '${near}'?)`}`;
}

function checkNames(where: string, what: string, names: unknown): void {
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
    throw new TypeError(
      `${where}: ${what} must be an array of option names (strings), got ${describe(names, "typed")}`,
    );
  }
}

/**
 * Checks that `options` is an options object (or undefined, which gives `{}`) whose keys are all in `known`;
 * returns it. A key that is not known is a `TypeError` naming the nearest known key; anything but a plain
 * object is a `TypeError` that shows `form`, the call with an options object.
 *
 * @example
 * ```ts
 * import { checkOptions } from "./options.ts";
 * const o = checkOptions("StepLR", { stepSize: 10 }, ["stepSize", "gamma", "lastEpoch"]);
 * ```
 */
export function checkOptions<T extends object>(
  owner: string,
  options: T | undefined,
  known: readonly string[],
  form?: string,
): T {
  checkNames("checkOptions", "known", known);
  if (options === undefined) return {} as T;
  if (!isOptionsObject(options)) {
    throw new TypeError(
      `${owner}: options must be an object${form ? ` (as ${form})` : ""}, got ${describe(options, "typed")}`,
    );
  }
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) {
      throw new TypeError(`${owner}: ${unknownNameText("option", k, known)}; the options are ${known.join(", ")}`);
    }
  }
  return options;
}

/**
 * Reads PyTorch's positional arguments into an options object. `args` are the arguments after the required
 * ones; they fill `positional` (the names of PyTorch's positional parameters, in order; `undefined` leaves one
 * at its default), and a plain object last holds the others by name (as Python's keyword arguments). Every
 * key is then checked against `positional` and `keywordOnly`. Too many positional arguments, a value given
 * twice or an unknown key is a `TypeError` that shows `form`, the call with an options object.
 *
 * @example
 * ```ts
 * import { positionalOptions } from "./options.ts";
 * // MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)
 * const names = ["stride", "padding", "dilation", "returnIndices", "ceilMode"];
 * positionalOptions("MaxPool2d", [1], names, [], "new MaxPool2d(3, { stride: 1 })"); // { stride: 1 }
 * positionalOptions("MaxPool2d", [1, { ceilMode: true }], names, [], "..."); // { stride: 1, ceilMode: true }
 * ```
 */
export function positionalOptions<T extends object>(
  owner: string,
  args: readonly unknown[],
  positional: readonly string[],
  keywordOnly: readonly string[],
  form: string,
): T {
  if (!Array.isArray(args)) {
    throw new TypeError(`positionalOptions: args must be an array, got ${describe(args, "typed")}`);
  }
  checkNames("positionalOptions", "positional", positional);
  checkNames("positionalOptions", "keywordOnly", keywordOnly);
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  if (n === 0) return {} as T;
  const last = args[n - 1];
  const hasOptions = isOptionsObject(last);
  const known = [...positional, ...keywordOnly];
  const out: Record<string, unknown> = hasOptions ? { ...checkOptions(owner, last, known, form) } : {};
  const count = hasOptions ? n - 1 : n;
  if (count > positional.length) {
    const extra = args[positional.length];
    throw new TypeError(
      `${owner}: takes ${positional.length === 0 ? "no" : `at most ${positional.length}`} positional option${
        positional.length === 1 ? "" : "s"
      }${positional.length ? ` (${positional.join(", ")})` : ""}, got ${count}${
        isOptionsObject(extra) ? "" : ` (the extra one is ${describe(extra, "typed")})`
      }; pass options by name, as ${form}`,
    );
  }
  for (let i = 0; i < count; i++) {
    const v = args[i];
    if (v === undefined) continue;
    if (isOptionsObject(v)) {
      throw new TypeError(`${owner}: an options object must come last; pass options by name, as ${form}`);
    }
    const name = positional[i];
    if (name in out) throw new TypeError(`${owner}: got two values for '${name}' (by position and by name)`);
    out[name] = v;
  }
  return out as T;
}

/** The options-object form of `known`, shown in messages: `{ lr: ..., momentum: ... }`. */
function formOf(known: readonly string[]): string {
  return `{ ${known.map((k) => `${k}: ...`).join(", ")} }`;
}

/**
 * {@linkcode checkOptions} for an owner whose options are all listed in `known`: a value that is not an options
 * object shows the options-object form built from `known` (`{ stepSize: ..., gamma: ... }`).
 *
 * @example
 * ```ts
 * import { knownOptions } from "./options.ts";
 * const o = knownOptions("StepLR", { stepSize: 10, gamma: 0.5 }, ["stepSize", "gamma", "lastEpoch"]);
 * knownOptions("StepLR", { step: 10 }, ["stepSize", "gamma", "lastEpoch"]); // TypeError: unknown option 'step'
 * ```
 */
export function knownOptions<T extends object>(owner: string, options: T | undefined, known: readonly string[]): T {
  return checkOptions(owner, options, known, formOf(known));
}

/**
 * The options of a constructor from its arguments after the first: PyTorch's positional form (the first
 * `positional` names of `known`, in PyTorch's order: `SGD(params, 0.1, 0.9)`) and/or an options object last, each
 * key checked against `known`.
 *
 * @example
 * ```ts
 * import { optionsFrom } from "./options.ts";
 * optionsFrom("StepLR", [30, { gamma: 0.5 }], ["stepSize", "gamma", "lastEpoch"], 3); // { stepSize: 30, gamma: 0.5 }
 * ```
 */
export function optionsFrom<T extends object>(
  owner: string,
  args: readonly unknown[],
  known: readonly string[],
  positional: number,
): T {
  return positionalOptions<T>(owner, args, known.slice(0, positional), known.slice(positional), formOf(known));
}
