/**
 * Tensor hooks (PyTorch's `Tensor.register_hook`): a function called with the gradient of a tensor during
 * backward, which may return a replacement gradient. Registered through LibTorch's own hook mechanism;
 * the function runs in JavaScript on the thread running backward (see `js_callback.ts`).
 *
 * @example
 * ```ts
 * import { registerHook, tensor } from "../mod.ts";
 * const x = tensor([1, 2], { dtype: "float32", requiresGrad: true });
 * const handle = registerHook(x, (g) => g.mul(2)); // doubles x's gradient
 * x.mul(3).sum().backward(); // x.grad = [6, 6]
 * handle.remove();
 * ```
 *
 * @module
 */

import { errBuf, ERRCAP, lib, readError } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import { registerHandler, unregisterHandler } from "./js_callback.ts";
import { Tensor } from "./tensor.ts";

/** A hook: the gradient in, a replacement gradient (or nothing, to keep it) out. */
export type TensorHook = (grad: Tensor) => Tensor | null | undefined | void;

/** What `registerHook` returns: `remove()` unregisters the hook (PyTorch's RemovableHandle). */
export interface RemovableHandle {
  /** Unregisters the hook (once; later calls do nothing). */
  remove(): void;
}

/**
 * Registers `hook` on `tensor` (which must require grad), called with its gradient each time one is
 * computed; a tensor it returns replaces the gradient (same shape, dtype and device). The gradient and
 * the tensors the hook creates are freed when it returns: `keep(g.clone())` to hold on to one.
 *
 * @example
 * ```ts
 * import { registerHook, tensor } from "../mod.ts";
 * const w = tensor([0.5], { dtype: "float32", requiresGrad: true });
 * const seen: number[] = [];
 * registerHook(w, (g) => void seen.push(g.item()));
 * ```
 */
export function registerHook(tensor: Tensor, hook: TensorHook): RemovableHandle {
  if (!(tensor instanceof Tensor)) throw new TypeError("registerHook: expected a Tensor");
  if (typeof hook !== "function") throw new TypeError("registerHook: hook must be a function");
  const id = registerHandler(([grad]) => {
    const r = hook(grad!);
    if (r !== undefined && r !== null && !(r instanceof Tensor)) {
      throw new TypeError("registerHook: a hook must return a Tensor, null or nothing");
    }
    return [r ?? null];
  });
  const pos = lib.tt_tensor_register_hook(tensor.handle, id, errBuf, ERRCAP);
  if (pos < 0) {
    unregisterHandler(id);
    throw new TorchError(readError(), "registerHook");
  }
  let removed = false;
  return {
    remove() {
      if (removed || tensor.isDisposed) return;
      removed = true;
      if (lib.tt_tensor_remove_hook(tensor.handle, pos, errBuf, ERRCAP) < 0) {
        throw new TorchError(readError(), "RemovableHandle.remove");
      }
    },
  };
}
