/**
 * Markers for Python values that JavaScript has no own type for, used when saving: a tuple, and a float
 * whose value happens to be integral.
 *
 * @module
 */

/**
 * A Python tuple, for {@linkcode save}: arrays are saved as lists, a `Tuple` as a tuple. Loading gives
 * arrays for both.
 *
 * @example
 * ```ts
 * import { Tuple } from "./mod.ts";
 * const betas = new Tuple([0.9, 0.999]); // saved as (0.9, 0.999)
 * ```
 */
export class Tuple {
  /** The items. */
  readonly items: readonly unknown[];

  /** A tuple of `items`. */
  constructor(items: readonly unknown[]) {
    if (!Array.isArray(items)) throw new TypeError("Tuple: expected an array of items");
    this.items = items;
  }
}

/**
 * A number saved as a Python float even when it is integral (`new Float(2)` is saved as `2.0`). Plain
 * numbers follow the rule of {@linkcode save}: integral numbers become ints, others floats.
 *
 * @example
 * ```ts
 * import { Float } from "./mod.ts";
 * const group = { lr: new Float(1), momentum: 0.9 }; // lr=1.0, momentum=0.9
 * ```
 */
export class Float {
  /** The value. */
  readonly value: number;

  /** `value` as a Python float. */
  constructor(value: number) {
    if (typeof value !== "number") throw new TypeError("Float: expected a number");
    this.value = value;
  }
}
