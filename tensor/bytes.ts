/**
 * A tensor's elements as raw bytes, for writers of file formats (`serialize/`'s `torch.save` archives): the
 * values it stands for, row-major, in its dtype's own encoding (float16 and bfloat16 bits as they are).
 *
 * @module
 */

import { errBuf, ERRCAP, lib, readError } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import { ITEM_SIZE } from "./dtype.ts";
import type { Tensor } from "./tensor.ts";

/**
 * The bytes of `t`'s elements, row-major (lazily negated or conjugated views and storage-less zero tensors read as
 * the values they stand for; other devices copied to the CPU); a {@linkcode TorchError} naming `what` when they
 * cannot be read.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { elementBytes } from "./bytes.ts";
 * elementBytes(tensor([1], { dtype: "float16" }), "save"); // Uint8Array [0, 60]
 * ```
 */
export function elementBytes(t: Tensor, what: string): Uint8Array {
  const out = new Uint8Array(t.numel() * ITEM_SIZE[t.dtype]);
  if (lib.tt_tensor_copy_to(t.handle, out, out.length, errBuf, ERRCAP) < 0) throw new TorchError(readError(), what);
  return out;
}
