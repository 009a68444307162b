/**
 * TorchScript: loading modules exported from PyTorch-Python and using them as Modules.
 *
 * @example
 * ```ts
 * import { jit, randn } from "../mod.ts";
 * const model = jit.load("model.pt");
 * model.eval();
 * const y = model.forward(randn([1, 3, 32, 32]));
 * model.dispose();
 * ```
 *
 * @module
 */

export { type JitLoadOptions, load } from "./load.ts";
export { LinkedTensor } from "./linked_tensor.ts";
export { liveModules, ScriptModule } from "./script_module.ts";
