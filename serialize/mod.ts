/**
 * Saving and loading in the format of `torch.save` / `torch.load` (PyTorch >= 1.6 zip files).
 *
 * @example
 * ```ts
 * import { load, save, tensor } from "../mod.ts";
 * await save("runs/ckpt.pt", { step: 100, weight: tensor([1, 2], { dtype: "float32" }) });
 * const ckpt = load("runs/ckpt.pt"); // { step: 100, weight: Tensor }
 * ```
 *
 * @module
 */

export { load, loadFromBytes, type LoadFromBytesOptions, type LoadOptions } from "./load.ts";
export { save, saveToBytes, type SaveToBytesOptions } from "./save.ts";
export { Float, Tuple } from "./values.ts";
