/**
 * Python's `str()` of the values that layers print in `extraRepr()`: floats as `repr(float)` does
 * (`0.1`, `1e-05`, `1.0`), tuples as `(5, 5)`, `True`/`False`/`None`, so that a model's `toString()`
 * equals PyTorch-Python's `print(model)`.
 *
 * @module
 */

import { Float } from "../tensor/python_float.ts";

/**
 * Python's `repr(x)` of a float: the shortest digits that round-trip (as JavaScript finds them), in
 * fixed notation when the decimal exponent is in [-4, 16), else in scientific notation with a signed,
 * at least two-digit exponent.
 *
 * @example
 * ```ts
 * import { pyFloat } from "./python_repr.ts";
 * pyFloat(1e-5); // "1e-05"
 * pyFloat(1);    // "1.0"
 * pyFloat(0.1);  // "0.1"
 * ```
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const abs = Math.abs(e);
    return `${sign}${m}e${e < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  if (digits.length <= e + 1) return `${sign}${digits}${"0".repeat(e + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}

/** A value to print as Python does: numbers are ints unless marked as floats by {@linkcode Float}. */
export type PyValue = number | boolean | string | null | Float | readonly PyValue[];

/**
 * Python's `str()` of a value as `'{}'.format(v)` prints it: integers as ints, {@linkcode Float}
 * as floats, booleans as `True`/`False`, null as `None`, strings bare, arrays as tuples.
 *
 * @example
 * ```ts
 * import { pyStr } from "./python_repr.ts";
 * pyStr([5, 5]);  // "(5, 5)"
 * pyStr([3]);     // "(3,)"
 * pyStr(null);    // "None"
 * ```
 */
export function pyStr(v: PyValue): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (v instanceof Float) return pyFloat(v.value);
  const items = v.map((x) => pyStr(x));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

/** A number printed as a Python float, or `None` for null (`momentum=None`). */
export function pyOptionalFloat(v: number | null): PyValue {
  return v === null ? null : new Float(v);
}
