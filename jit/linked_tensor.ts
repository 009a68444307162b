/**
 * `LinkedTensor`: a handle to a tensor that a TorchScript module owns (a parameter or buffer).
 *
 * It is an ordinary Tensor sharing the module's tensor (same data, gradient, `requiresGrad`), except for
 * what `Module.to()` does through `_adopt`: replacing its data must reach the module too, so it
 * replaces the data in place (`param.data = new`, LibTorch's `set_data`) instead of switching handles.
 *
 * @module
 */

import { callV, op } from "../tensor/call.ts";
import { noGrad } from "../tensor/autograd.ts";
import { Tensor } from "../tensor/tensor.ts";

const SET_DATA = op("aten::set_data", "");

/**
 * A Tensor shared with a TorchScript module: data changes made through `_adopt` reach the module.
 *
 * @example
 * ```ts
 * import { jit } from "../mod.ts";
 * const m = jit.load("model.pt");
 * const [, w] = m.namedParameters()[0]; // a LinkedTensor
 * m.to("float64"); // w.dtype === "float64", and the module computes with it
 * ```
 */
export class LinkedTensor extends Tensor {
  /** Replaces this tensor's data with `other`'s, in place (the module sees it); `other` is freed. */
  override _adopt(other: Tensor): void {
    if (other === this) return;
    noGrad(() => callV(SET_DATA, this, other));
    other.dispose();
  }
}
