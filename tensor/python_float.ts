/**
 * The marker for a Python float whose value happens to be integral. JavaScript cannot tell `2.0` from `2`, so the
 * toolkit treats integral numbers as Python ints (in `ops.aten` calls, in {@linkcode save}); `new Float(2)` says
 * "the float 2.0".
 *
 * @module
 */

/**
 * A number passed as a Python float even when it is integral: saved as `2.0` by `save`, and sent as a float to an
 * `ops.aten` operator's `Scalar`, `float` or number-as-Tensor argument (`ops.aten.add(intTensor, new Float(1))` is
 * float32, as `torch.add(int_tensor, 1.0)` is; `ops.aten.add(intTensor, 1)` stays int64). Plain numbers follow the
 * toolkit's rule: integral numbers within ±2^53 are ints, others floats.
 *
 * @example
 * ```ts
 * import { Float } from "../mod.ts";
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
