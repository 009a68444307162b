/**
 * Checks of optimizer and scheduler options: a TypeError for a value of the wrong kind, a RangeError for a
 * number out of range, each naming the owner, the option and the value.
 *
 * @module
 */

import { checkOptions as checkKnownOptions, positionalOptions } from "../tensor/options.ts";
import { Tensor } from "../tensor/tensor.ts";

/**
 * A short description of a value for error messages.
 *
 * @example
 * ```ts
 * describeValue([1, 2]); // "an array ([1,2])"
 * ```
 */
export function describeValue(v: unknown): string {
  if (v instanceof Tensor) return "a Tensor";
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) {
    try {
      return `an array (${JSON.stringify(v)})`;
    } catch {
      return `an array of ${v.length} (one that JSON cannot show: a BigInt or a cycle in it)`;
    }
  }
  if (typeof v === "object") return `an object (${v.constructor?.name ?? "null prototype"})`;
  if (typeof v === "string") return JSON.stringify(v);
  return `${typeof v} ${String(v)}`;
}

/** The range a number must fall in. */
export interface NumberRange {
  /** Smallest allowed value. */
  min?: number;
  /** `min` itself is not allowed. */
  minExclusive?: boolean;
  /** Largest allowed value. */
  max?: number;
  /** `max` itself is not allowed. */
  maxExclusive?: boolean;
  /** Must be an integer. */
  integer?: boolean;
}

function rangeText(r: NumberRange): string {
  if (r.min !== undefined && r.max !== undefined) {
    return `in ${r.minExclusive ? "(" : "["}${r.min}, ${r.max}${r.maxExclusive ? ")" : "]"}`;
  }
  if (r.min !== undefined) return `${r.minExclusive ? ">" : ">="} ${r.min}`;
  if (r.max !== undefined) return `${r.maxExclusive ? "<" : "<="} ${r.max}`;
  return "a number";
}

/**
 * Checks that option `name` of `owner` is a number in `range`; returns it.
 *
 * @example
 * ```ts
 * checkNumber("Adam", "lr", -1, { min: 0 }); // RangeError: Adam: lr must be >= 0, got -1
 * ```
 */
export function checkNumber(owner: string, name: string, v: unknown, range: NumberRange = {}): number {
  if (typeof v !== "number") throw new TypeError(`${owner}: ${name} must be a number, got ${describeValue(v)}`);
  const ok = !Number.isNaN(v) &&
    (range.min === undefined || (range.minExclusive ? v > range.min : v >= range.min)) &&
    (range.max === undefined || (range.maxExclusive ? v < range.max : v <= range.max));
  if (!ok) throw new RangeError(`${owner}: ${name} must be ${rangeText(range)}, got ${v}`);
  if (range.integer && !Number.isInteger(v)) {
    throw new RangeError(`${owner}: ${name} must be an integer, got ${v}`);
  }
  return v;
}

/**
 * Checks that option `name` of `owner` is a boolean; returns it.
 *
 * @example
 * ```ts
 * checkBoolean("Adam", "amsgrad", 1); // TypeError: Adam: amsgrad must be a boolean, got number 1
 * ```
 */
export function checkBoolean(owner: string, name: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new TypeError(`${owner}: ${name} must be a boolean, got ${describeValue(v)}`);
  return v;
}

/**
 * Checks that option `name` of `owner` is one of `choices`; returns it.
 *
 * @example
 * ```ts
 * checkChoice("LBFGS", "lineSearchFn", "wolfe", ["strong_wolfe", null]); // RangeError
 * ```
 */
export function checkChoice<T extends string | null>(
  owner: string,
  name: string,
  v: unknown,
  choices: readonly T[],
): T {
  if (!choices.includes(v as T)) {
    const list = choices.map((c) => (c === null ? "null" : JSON.stringify(c))).join(", ");
    throw new (typeof v === "string" || v === null ? RangeError : TypeError)(
      `${owner}: ${name} must be one of ${list}, got ${describeValue(v)}`,
    );
  }
  return v as T;
}

/**
 * Checks `betas`: a pair of numbers, each in [0, 1).
 *
 * @example
 * ```ts
 * const [beta1, beta2] = checkBetas("Adam", [0.9, 0.999]);
 * ```
 */
export function checkBetas(owner: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) {
    throw new TypeError(`${owner}: betas must be a pair [beta1, beta2], got ${describeValue(v)}`);
  }
  checkNumber(owner, "betas[0]", v[0], { min: 0, max: 1, maxExclusive: true });
  checkNumber(owner, "betas[1]", v[1], { min: 0, max: 1, maxExclusive: true });
  return v as [number, number];
}

/**
 * The options of an optimizer or scheduler from its constructor's arguments after the first: PyTorch's
 * positional form (the first `positional` names of `known`, in PyTorch's order: `SGD(params, 0.1, 0.9)`)
 * and/or an options object last, each key checked against `known`.
 *
 * @example
 * ```ts
 * import { optionsFrom } from "./checks.ts";
 * optionsFrom("StepLR", [30, { gamma: 0.5 }], ["stepSize", "gamma", "lastEpoch"], 3); // { stepSize: 30, gamma: 0.5 }
 * ```
 */
export function optionsFrom<T extends object>(
  owner: string,
  args: readonly unknown[],
  known: readonly string[],
  positional: number,
): T {
  const form = `{ ${known.map((k) => `${k}: ...`).join(", ")} }`;
  return positionalOptions<T>(owner, args, known.slice(0, positional), known.slice(positional), form);
}

/**
 * Checks that `options` is an object (or undefined) with no keys but `known`; returns it (or `{}`). A key
 * that is not known names the nearest known one (`weight_decay` -> `weightDecay`); a number where the
 * options object belongs (PyTorch's positional `SGD(params, 0.1)`) shows the options-object form.
 *
 * @example
 * ```ts
 * import { checkOptions } from "./checks.ts";
 * const o = checkOptions("StepLR", { stepSize: 10, gamma: 0.5 }, ["stepSize", "gamma", "lastEpoch"]);
 * checkOptions("StepLR", { step: 10 }, ["stepSize", "gamma", "lastEpoch"]); // TypeError: unknown option 'step'
 * ```
 */
export function checkOptions<T extends object>(owner: string, options: T | undefined, known: readonly string[]): T {
  return checkKnownOptions(owner, options, known, `{ ${known.map((k) => `${k}: ...`).join(", ")} }`);
}
