/**
 * Argument checks shared by the layers and functions of `nn`: each throws a `TypeError` (wrong kind of
 * value) or a `RangeError` (a value out of range) that names the function, the argument and the bad
 * value, as `Conv2d: stride must be a positive integer or a pair of them, got 0`.
 *
 * @module
 */

import { Tensor } from "../tensor/tensor.ts";

/** A value as it appears in an error message. */
export function show(v: unknown, depth = 0): string {
  if (v instanceof Tensor) return v.isDisposed ? "a disposed Tensor" : `a Tensor of shape [${v.shape.join(", ")}]`;
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);
  if (typeof v === "bigint") return `${v}n (a BigInt)`;
  if (typeof v === "number" || typeof v === "boolean" || v === null || v === undefined) return String(v);
  // bounded: a cyclic or deeply nested array must not overflow the stack while the message is built
  if (Array.isArray(v)) {
    return depth > 3
      ? "[...]"
      : `[${v.slice(0, 8).map((x) => show(x, depth + 1)).join(", ")}${v.length > 8 ? ", ..." : ""}]`;
  }
  if (typeof v === "object") return `an object (${v.constructor?.name ?? "null prototype"})`;
  return `${typeof v} ${String(v)}`;
}

/** An integer `>= min`, else a TypeError (not an integer) or RangeError (too small). */
export function checkInt(where: string, name: string, v: unknown, min = -Infinity): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(`${where}: ${name} must be an integer, got ${show(v)}`);
  }
  if (v < min) {
    const what = min === 1 ? "a positive integer" : min === 0 ? "a non-negative integer" : `an integer >= ${min}`;
    throw new RangeError(`${where}: ${name} must be ${what}, got ${show(v)}`);
  }
  return v;
}

/** A finite number in `[min, max]`, else a TypeError (not a number) or RangeError. */
export function checkNumber(where: string, name: string, v: unknown, min = -Infinity, max = Infinity): number {
  if (typeof v !== "number" || Number.isNaN(v)) {
    throw new TypeError(`${where}: ${name} must be a number, got ${show(v)}`);
  }
  if (v < min || v > max) {
    const range = max === Infinity ? `>= ${min}` : min === -Infinity ? `<= ${max}` : `between ${min} and ${max}`;
    throw new RangeError(`${where}: ${name} must be ${range}, got ${show(v)}`);
  }
  return v;
}

/** A boolean, else a TypeError. */
export function checkBool(where: string, name: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new TypeError(`${where}: ${name} must be a boolean, got ${show(v)}`);
  return v;
}

/** One of `allowed` (strings), else a TypeError (not a string) or RangeError. */
export function checkOneOf<T extends string>(where: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== "string") {
    throw new TypeError(`${where}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${show(v)}`);
  }
  if (!allowed.includes(v as T)) {
    throw new RangeError(`${where}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${show(v)}`);
  }
  return v as T;
}

/** A Tensor (or null when `optional`), else a TypeError. */
export function checkTensor(where: string, name: string, v: unknown): Tensor;
export function checkTensor(where: string, name: string, v: unknown, optional: true): Tensor | null;
export function checkTensor(where: string, name: string, v: unknown, optional = false): Tensor | null {
  if (optional && (v === null || v === undefined)) return null;
  if (!(v instanceof Tensor)) {
    throw new TypeError(`${where}: ${name} must be a Tensor${optional ? " or null" : ""}, got ${show(v)}`);
  }
  return v;
}

/**
 * PyTorch's `_pair`: an integer or an array of two, each `>= min`, as a pair. A TypeError or RangeError
 * names the argument otherwise.
 */
export function checkPair(where: string, name: string, v: unknown, min: number): [number, number] {
  const ok = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= min;
  if (ok(v)) return [v as number, v as number];
  if (Array.isArray(v) && v.length === 2 && v.every(ok)) return [v[0], v[1]];
  const what = min === 1 ? "a positive integer" : min === 0 ? "a non-negative integer" : `an integer >= ${min}`;
  const err = typeof v === "number" || (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number"))
    ? RangeError
    : TypeError;
  throw new err(`${where}: ${name} must be ${what} or a pair of them, got ${show(v)}`);
}

/** The reductions of the losses. */
export type Reduction = "none" | "mean" | "sum";

const REDUCTION_ENUM: Record<Reduction, number> = { none: 0, mean: 1, sum: 2 };

/** ATen's reduction enum of `reduction` (none 0, mean 1, sum 2), checked. */
export function reductionEnum(where: string, reduction: unknown): number {
  return REDUCTION_ENUM[checkOneOf(where, "reduction", reduction, ["none", "mean", "sum"])];
}

/** `[2, 3]` for error messages in PyTorch's `torch.Size([2, 3])` style. */
export function sizeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
