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

export { Float } from "../tensor/python_float.ts";
