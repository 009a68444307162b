/**
 * The public face of the native layer: LibTorch's errors (`TorchError`), what the shim was built from
 * (`buildInfo`) and the kernel profiles that pin the numerics (`kernelInfo`, `KERNEL_PROFILES`). The rest
 * of `ffi/` (the library loader, symbols, wire format) is internal to `tensor/`.
 *
 * @example
 * ```ts
 * import { buildInfo, kernelInfo } from "./mod.ts";
 * console.log(buildInfo().torch, kernelInfo().profile);
 * ```
 *
 * @module
 */

export { TorchError } from "./errors.ts";
export { type BuildInfo, buildInfo, kernelInfo } from "./native.ts";
export { KERNEL_PROFILES, type KernelInfo, type KernelProfile } from "./kernels.ts";
