/**
 * Python's scalar arithmetic as torch.optim's LBFGS does it, where a value is either a Python float (a JS
 * number) or a 0-dim tensor (`Dim0`, its value and dtype). Mixed and tensor operations round like ATen
 * does on a 0-dim float32/float64 tensor: the Python number is cast to the tensor's dtype, the operation
 * is done in that dtype; `number / tensor` is `tensor.reciprocal() * number` (Tensor.__rtruediv__). For
 * `+ - * /` and `sqrt` on float32 values, computing in double and rounding once is exactly IEEE float32
 * arithmetic, so these give ATen's results to the bit without a native call per scalar.
 *
 * Internal to optim/.
 *
 * @module
 */

import type { DType } from "../tensor/dtype.ts";
import { cmath } from "../tensor/runtime.ts";

/** The dtypes whose 0-dim arithmetic is emulated exactly. */
export type Dim0DType = "float32" | "float64";

/**
 * The value of a 0-dim tensor (as `tensor.item()` gives it) and its dtype.
 *
 * @example
 * ```ts
 * const t = new Dim0(Math.fround(0.1), "float32"); // torch.tensor(0.1)
 * ```
 */
export class Dim0 {
  /** A 0-dim tensor holding `value` (already representable in `dtype`). */
  constructor(readonly value: number, readonly dtype: Dim0DType) {}
}

/** A Python float/int (number) or a 0-dim tensor. */
export type Py = number | Dim0;

const identity = (x: number): number => x;

function rounder(dtype: Dim0DType): (x: number) => number {
  return dtype === "float32" ? Math.fround : identity;
}

/**
 * Whether `dtype` is one whose 0-dim arithmetic this module emulates.
 *
 * @example
 * ```ts
 * isDim0DType("float16"); // false
 * ```
 */
export function isDim0DType(dtype: DType): dtype is Dim0DType {
  return dtype === "float32" || dtype === "float64";
}

/**
 * A 0-dim tensor's value of `dtype` (rounded to it).
 *
 * @example
 * ```ts
 * dim0(0.1, "float32").value; // 0.10000000149011612
 * ```
 */
export function dim0(value: number, dtype: Dim0DType): Dim0 {
  return new Dim0(rounder(dtype)(value), dtype);
}

/**
 * The number: a float's value, or a 0-dim tensor's `item()`.
 *
 * @example
 * ```ts
 * num(dim0(0.5, "float32")); // 0.5
 * ```
 */
export function num(a: Py): number {
  return typeof a === "number" ? a : a.value;
}

function binary(a: Py, b: Py, f: (x: number, y: number) => number): Py {
  if (typeof a === "number" && typeof b === "number") return f(a, b);
  const dtype = (typeof a === "number" ? b as Dim0 : a).dtype;
  const r = rounder(dtype);
  return new Dim0(r(f(r(num(a)), r(num(b)))), dtype);
}

/**
 * `a + b`.
 *
 * @example
 * ```ts
 * add(0.1, dim0(0.2, "float32")); // float32 0.1 + float32 0.2, rounded to float32
 * ```
 */
export function add(a: Py, b: Py): Py {
  return binary(a, b, (x, y) => x + y);
}

/**
 * `a - b` (`number - tensor` is ATen's rsub, the same rounding).
 *
 * @example
 * ```ts
 * sub(0, dim0(0.25, "float32")); // rsub: a Dim0 of -0.25
 * ```
 */
export function sub(a: Py, b: Py): Py {
  return binary(a, b, (x, y) => x - y);
}

/**
 * `a * b`.
 *
 * @example
 * ```ts
 * mul(1e-4, dim0(2, "float32")); // float32(1e-4) * 2 in float32
 * ```
 */
export function mul(a: Py, b: Py): Py {
  return binary(a, b, (x, y) => x * y);
}

/**
 * `a / b`; `number / tensor` is `tensor.reciprocal() * number`, as Tensor.__rtruediv__ computes it.
 *
 * @example
 * ```ts
 * div(1, dim0(3, "float32")); // torch.tensor(3.).reciprocal() * 1
 * ```
 */
export function div(a: Py, b: Py): Py {
  if (typeof a === "number" && b instanceof Dim0) {
    const r = rounder(b.dtype);
    return new Dim0(r(r(1 / b.value) * r(a)), b.dtype);
  }
  return binary(a, b, (x, y) => x / y);
}

/**
 * `-a`.
 *
 * @example
 * ```ts
 * neg(dim0(2, "float32")); // Dim0 -2
 * ```
 */
export function neg(a: Py): Py {
  return typeof a === "number" ? -a : new Dim0(-a.value, a.dtype);
}

/**
 * Python's `abs(a)` (aten::abs for a tensor).
 *
 * @example
 * ```ts
 * abs(-3); // 3
 * ```
 */
export function abs(a: Py): Py {
  return typeof a === "number" ? Math.abs(a) : new Dim0(Math.abs(a.value), a.dtype);
}

/**
 * `a.sqrt()` of a tensor (`math.sqrt` of a float).
 *
 * @example
 * ```ts
 * sqrt(dim0(2, "float32")); // float32 sqrt(2)
 * ```
 */
export function sqrt(a: Py): Py {
  return typeof a === "number" ? Math.sqrt(a) : new Dim0(rounder(a.dtype)(Math.sqrt(a.value)), a.dtype);
}

/**
 * `a ** 2`: ATen computes `x * x` for the exponent 2; a Python float uses C's `pow`.
 *
 * @example
 * ```ts
 * square(dim0(3, "float32")); // Dim0 9
 * ```
 */
export function square(a: Py): Py {
  return typeof a === "number" ? cmath.pow(a, 2) : mul(a, a);
}

function compare(a: Py, b: Py): [number, number] {
  if (typeof a === "number" && typeof b === "number") return [a, b];
  const r = rounder((typeof a === "number" ? b as Dim0 : a).dtype);
  return [r(num(a)), r(num(b))];
}

/**
 * `a < b`.
 *
 * @example
 * ```ts
 * lt(dim0(0.1, "float32"), 0.1); // false: 0.1 is cast to float32 first
 * ```
 */
export function lt(a: Py, b: Py): boolean {
  const [x, y] = compare(a, b);
  return x < y;
}

/**
 * `a <= b`.
 *
 * @example
 * ```ts
 * le(dim0(0.1, "float32"), 0.1); // true
 * ```
 */
export function le(a: Py, b: Py): boolean {
  const [x, y] = compare(a, b);
  return x <= y;
}

/**
 * `a > b`.
 *
 * @example
 * ```ts
 * gt(dim0(1e-9, "float32"), 1e-10); // true
 * ```
 */
export function gt(a: Py, b: Py): boolean {
  const [x, y] = compare(a, b);
  return x > y;
}

/**
 * `a >= b`.
 *
 * @example
 * ```ts
 * ge(2, 2); // true
 * ```
 */
export function ge(a: Py, b: Py): boolean {
  const [x, y] = compare(a, b);
  return x >= y;
}

/**
 * Python's `min(a, b)`: `b` only when `b < a`.
 *
 * @example
 * ```ts
 * pyMin(1, dim0(0.5, "float32")); // the Dim0: min(1., tensor(0.5))
 * ```
 */
export function pyMin(a: Py, b: Py): Py {
  return lt(b, a) ? b : a;
}

/**
 * Python's `max(a, b)`: `b` only when `b > a`.
 *
 * @example
 * ```ts
 * pyMax(dim0(1, "float32"), 1); // the Dim0 (ties keep the first)
 * ```
 */
export function pyMax(a: Py, b: Py): Py {
  return gt(b, a) ? b : a;
}
