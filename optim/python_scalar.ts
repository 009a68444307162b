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

/** The value of a 0-dim tensor (as `tensor.item()` gives it) and its dtype. */
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

/** Whether `dtype` is one whose 0-dim arithmetic this module emulates. */
export function isDim0DType(dtype: DType): dtype is Dim0DType {
  return dtype === "float32" || dtype === "float64";
}

/** A 0-dim tensor's value of `dtype` (rounded to it). */
export function dim0(value: number, dtype: Dim0DType): Dim0 {
  return new Dim0(rounder(dtype)(value), dtype);
}

/** The number: a float's value, or a 0-dim tensor's `item()`. */
export function num(a: Py): number {
  return typeof a === "number" ? a : a.value;
}

function binary(a: Py, b: Py, f: (x: number, y: number) => number): Py {
  if (typeof a === "number" && typeof b === "number") return f(a, b);
  const dtype = (typeof a === "number" ? b as Dim0 : a).dtype;
  const r = rounder(dtype);
  return new Dim0(r(f(r(num(a)), r(num(b)))), dtype);
}

/** `a + b`. */
export function add(a: Py, b: Py): Py {
  return binary(a, b, (x, y) => x + y);
}

/** `a - b` (`number - tensor` is ATen's rsub, the same rounding). */
export function sub(a: Py, b: Py): Py {
  return binary(a, b, (x, y) => x - y);
}

/** `a * b`. */
export function mul(a: Py, b: Py): Py {
  return binary(a, b, (x, y) => x * y);
}

/** `a / b`; `number / tensor` is `tensor.reciprocal() * number`, as Tensor.__rtruediv__ computes it. */
export function div(a: Py, b: Py): Py {
  if (typeof a === "number" && b instanceof Dim0) {
    const r = rounder(b.dtype);
    return new Dim0(r(r(1 / b.value) * r(a)), b.dtype);
  }
  return binary(a, b, (x, y) => x / y);
}

/** `-a`. */
export function neg(a: Py): Py {
  return typeof a === "number" ? -a : new Dim0(-a.value, a.dtype);
}

/** Python's `abs(a)` (aten::abs for a tensor). */
export function abs(a: Py): Py {
  return typeof a === "number" ? Math.abs(a) : new Dim0(Math.abs(a.value), a.dtype);
}

/** `a.sqrt()` of a tensor (`math.sqrt` of a float). */
export function sqrt(a: Py): Py {
  return typeof a === "number" ? Math.sqrt(a) : new Dim0(rounder(a.dtype)(Math.sqrt(a.value)), a.dtype);
}

/** `a ** 2`: ATen computes `x * x` for the exponent 2; a Python float uses C's `pow`. */
export function square(a: Py): Py {
  return typeof a === "number" ? cmath.pow(a, 2) : mul(a, a);
}

function compare(a: Py, b: Py): [number, number] {
  if (typeof a === "number" && typeof b === "number") return [a, b];
  const r = rounder((typeof a === "number" ? b as Dim0 : a).dtype);
  return [r(num(a)), r(num(b))];
}

/** `a < b`. */
export function lt(a: Py, b: Py): boolean {
  const [x, y] = compare(a, b);
  return x < y;
}

/** `a <= b`. */
export function le(a: Py, b: Py): boolean {
  const [x, y] = compare(a, b);
  return x <= y;
}

/** `a > b`. */
export function gt(a: Py, b: Py): boolean {
  const [x, y] = compare(a, b);
  return x > y;
}

/** `a >= b`. */
export function ge(a: Py, b: Py): boolean {
  const [x, y] = compare(a, b);
  return x >= y;
}

/** Python's `min(a, b)`: `b` only when `b < a`. */
export function pyMin(a: Py, b: Py): Py {
  return lt(b, a) ? b : a;
}

/** Python's `max(a, b)`: `b` only when `b > a`. */
export function pyMax(a: Py, b: Py): Py {
  return gt(b, a) ? b : a;
}
