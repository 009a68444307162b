/**
 * The toolkit's argument checks, one vocabulary for every layer (tensor functions, `nn`, `optim`, `datasets`,
 * `calibration`, ...): `checkX(where, name, value, ...)` returns the value when it is acceptable, else throws a
 * `TypeError` (a value of the wrong kind) or a `RangeError` (the right kind, out of range), always as
 * `${where}: ${name} must be ${what}, got ${value}`, e.g. `zeros: shape[1] must be a non-negative integer, got -2` or
 * `Adam: amsgrad must be a boolean, got number 1`.
 *
 * The value is shown by {@linkcode describe} (re-exported here) as it is (`-2`, `"x"`, `[1, 2]`), with its type where
 * the bare value could read as the kind a number or boolean check expects (`number 1` for a boolean, `boolean true`
 * for a number).
 *
 * @module
 */

import { Tensor } from "./tensor.ts";

export { describe, type DescribeForm } from "./describe.ts";
import { describe } from "./describe.ts";

/** A value in a message: as it is when it has the expected kind (`-2`), else with its type (`number 1`). */
function shown(v: unknown, rightKind: boolean): string {
  return describe(v, rightKind ? "size" : "typed");
}

/**
 * A Tensor that is not disposed (or, when `optional`, also null or undefined, giving null), else a TypeError naming
 * `where` and `name`.
 *
 * @example
 * ```ts
 * import { checkTensor } from "./checks.ts";
 * checkTensor("mseLoss", "input", 3); // TypeError: mseLoss: input must be a Tensor, got 3
 * ```
 */
export function checkTensor(where: string, name: string, v: unknown): Tensor;
export function checkTensor(where: string, name: string, v: unknown, optional: true): Tensor | null;
export function checkTensor(where: string, name: string, v: unknown, optional = false): Tensor | null {
  if (optional && (v === null || v === undefined)) return null;
  if (!(v instanceof Tensor)) {
    throw new TypeError(`${where}: ${name} must be a Tensor${optional ? " or null" : ""}, got ${describe(v, "size")}`);
  }
  if (v.isDisposed) throw new TypeError(`${where}: ${name} is a disposed Tensor; it can no longer be used`);
  return v;
}

function intText(min: number, max: number): string {
  if (max >= Number.MAX_SAFE_INTEGER) {
    return min === 0 ? "a non-negative integer" : min === 1 ? "a positive integer" : `an integer >= ${min}`;
  }
  return `an integer in [${min}, ${max}]`;
}

/**
 * An integer in `[min, max]` (a safe integer: at most 2^53 in size), else a TypeError (not an integer) or a
 * RangeError.
 *
 * @example
 * ```ts
 * import { checkInt } from "./checks.ts";
 * checkInt("Conv2d", "groups", 0, 1); // RangeError: Conv2d: groups must be a positive integer, got 0
 * ```
 */
export function checkInt(
  where: string,
  name: string,
  v: unknown,
  min = -Number.MAX_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(`${where}: ${name} must be an integer, got ${shown(v, typeof v === "number")}`);
  }
  if (v < min || v > max) {
    throw new RangeError(`${where}: ${name} must be ${intText(min, max)}, got ${describe(v, "size")}`);
  }
  return v;
}

/** The range a number must fall in ({@linkcode checkNumber}). */
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
  const min = r.min === -Infinity ? undefined : r.min, max = r.max === Infinity ? undefined : r.max;
  if (min !== undefined && max !== undefined) {
    return `in ${r.minExclusive ? "(" : "["}${min}, ${max}${r.maxExclusive ? ")" : "]"}`;
  }
  if (min !== undefined) return `${r.minExclusive ? ">" : ">="} ${min}`;
  if (max !== undefined) return `${r.maxExclusive ? "<" : "<="} ${max}`;
  return "a number";
}

/**
 * A number (never NaN) in `range`, else a TypeError (not a number) or a RangeError.
 *
 * @example
 * ```ts
 * import { checkNumber } from "./checks.ts";
 * checkNumber("Adam", "lr", -1, { min: 0 }); // RangeError: Adam: lr must be >= 0, got -1
 * checkNumber("Dropout", "p", 2, { min: 0, max: 1 }); // RangeError: Dropout: p must be in [0, 1], got 2
 * ```
 */
export function checkNumber(where: string, name: string, v: unknown, range: NumberRange = {}): number {
  if (typeof v !== "number") throw new TypeError(`${where}: ${name} must be a number, got ${shown(v, false)}`);
  const ok = !Number.isNaN(v) &&
    (range.min === undefined || (range.minExclusive ? v > range.min : v >= range.min)) &&
    (range.max === undefined || (range.maxExclusive ? v < range.max : v <= range.max));
  if (!ok) throw new RangeError(`${where}: ${name} must be ${rangeText(range)}, got ${describe(v, "size")}`);
  if (range.integer && !Number.isInteger(v)) {
    throw new RangeError(`${where}: ${name} must be an integer, got ${describe(v, "size")}`);
  }
  return v;
}

/**
 * A boolean, else a TypeError.
 *
 * @example
 * ```ts
 * import { checkBoolean } from "./checks.ts";
 * checkBoolean("Adam", "amsgrad", 1); // TypeError: Adam: amsgrad must be a boolean, got number 1
 * ```
 */
export function checkBoolean(where: string, name: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new TypeError(`${where}: ${name} must be a boolean, got ${shown(v, false)}`);
  return v;
}

/**
 * One of `allowed` (strings, and null where null is allowed), else a RangeError (a string, or null, that is not
 * among them) or a TypeError (a value of another kind).
 *
 * @example
 * ```ts
 * import { checkOneOf } from "./checks.ts";
 * checkOneOf("l1Loss", "reduction", "avg", ["none", "mean", "sum"]);
 * // RangeError: l1Loss: reduction must be one of "none", "mean", "sum", got "avg"
 * ```
 */
export function checkOneOf<T extends string | null>(where: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (allowed.includes(v as T)) return v as T;
  const list = allowed.map((c) => (c === null ? "null" : JSON.stringify(c))).join(", ");
  const rightKind = typeof v === "string" || (v === null && allowed.some((c) => typeof c !== "string"));
  throw new (rightKind ? RangeError : TypeError)(
    `${where}: ${name} must be one of ${list}, got ${describe(v, "size")}`,
  );
}

const TUPLE_TEXT = ["", "an array of one", "a pair of them", "an array of three of them"];

/** PyTorch's `_single`/`_pair`/`_triple`: an integer or an array of `n`, each `>= min`, as an array of `n`. */
function checkIntTuple(where: string, name: string, v: unknown, n: 1 | 2 | 3, min: number): number[] {
  const ok = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= min;
  if (ok(v)) return new Array<number>(n).fill(v as number);
  if (Array.isArray(v) && v.length === n && v.every(ok)) return [...v];
  const rightKind = typeof v === "number" ||
    (Array.isArray(v) && v.length === n && v.every((x) => typeof x === "number"));
  throw new (rightKind ? RangeError : TypeError)(
    `${where}: ${name} must be ${intText(min, Infinity)} or ${TUPLE_TEXT[n]}, got ${describe(v, "size")}`,
  );
}

/**
 * PyTorch's `_single`: an integer or an array of one, each `>= min`, as a one-element array. A TypeError or
 * RangeError names the argument otherwise.
 *
 * @example
 * ```ts
 * import { checkSingle } from "./checks.ts";
 * checkSingle("Conv1d", "stride", [2], 1); // [2]
 * ```
 */
export function checkSingle(where: string, name: string, v: unknown, min: number): [number] {
  return checkIntTuple(where, name, v, 1, min) as [number];
}

/**
 * PyTorch's `_pair`: an integer or an array of two, each `>= min`, as a pair. A TypeError or RangeError
 * names the argument otherwise.
 *
 * @example
 * ```ts
 * import { checkPair } from "./checks.ts";
 * checkPair("Conv2d", "stride", 2, 1); // [2, 2]
 * ```
 */
export function checkPair(where: string, name: string, v: unknown, min: number): [number, number] {
  return checkIntTuple(where, name, v, 2, min) as [number, number];
}

/**
 * PyTorch's `_triple`: an integer or an array of three, each `>= min`, as a triple. A TypeError or RangeError
 * names the argument otherwise.
 *
 * @example
 * ```ts
 * import { checkTriple } from "./checks.ts";
 * checkTriple("Conv3d", "kernelSize", 3, 1); // [3, 3, 3]
 * ```
 */
export function checkTriple(where: string, name: string, v: unknown, min: number): [number, number, number] {
  return checkIntTuple(where, name, v, 3, min) as [number, number, number];
}

/**
 * `betas`: a pair of numbers, each in [0, 1).
 *
 * @example
 * ```ts
 * import { checkBetas } from "./checks.ts";
 * const [beta1, beta2] = checkBetas("Adam", [0.9, 0.999]);
 * ```
 */
export function checkBetas(where: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) {
    throw new TypeError(`${where}: betas must be a pair [beta1, beta2], got ${describe(v, "size")}`);
  }
  checkNumber(where, "betas[0]", v[0], { min: 0, max: 1, maxExclusive: true });
  checkNumber(where, "betas[1]", v[1], { min: 0, max: 1, maxExclusive: true });
  return v as [number, number];
}

/** An array, else a TypeError saying what was given. */
export function checkArray(where: string, name: string, v: unknown): readonly unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`${where}: ${name} must be an array, got ${describe(v, "size")}`);
  return v;
}

/** A non-empty array of live Tensors, else a TypeError naming the first bad item. */
export function checkTensorList(where: string, name: string, v: unknown): Tensor[] {
  if (!Array.isArray(v) || v.length === 0) {
    throw new TypeError(`${where}: ${name} must be a non-empty array of Tensors, got ${describe(v, "size")}`);
  }
  for (let i = 0; i < v.length; i++) checkTensor(where, `${name}[${i}]`, v[i]);
  return v as Tensor[];
}

/** A plain options object (or undefined, giving `{}`), else a TypeError. */
export function checkOptionsObject<T extends object>(where: string, v: unknown): T {
  if (v === undefined) return {} as T;
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Tensor) {
    throw new TypeError(`${where}: options must be an object, got ${describe(v, "size")}`);
  }
  return v as T;
}

/**
 * A shape in messages, in PyTorch's `torch.Size([2, 3])` style: `[2, 3]`.
 *
 * @example
 * ```ts
 * import { sizeText } from "./checks.ts";
 * sizeText([2, 3]); // "[2, 3]"
 * ```
 */
export function sizeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
