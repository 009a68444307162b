/**
 * The global random generators: seeding and saving/restoring their state (for exact resumes).
 *
 * @module
 */

import { errBuf, ERRCAP, lib, readError } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import { type Device, parseDevice } from "./device.ts";
import { type Tensor, wrapHandle } from "./tensor.ts";
import { describe } from "./checks.ts";
import { checkTensor } from "./checks.ts";

/**
 * Seeds LibTorch's generators (CPU, and CUDA when present), as `torch.manual_seed(seed)` does: the
 * random functions then give exactly PyTorch-Python's values.
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * manualSeed(0);
 * randn([3, 4]); // the same as torch.manual_seed(0); torch.randn(3, 4)
 * ```
 */
export function manualSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`manualSeed: seed must be an integer in [0, 2^53), got ${describe(seed)}`);
  }
  lib.tt_manual_seed(seed);
}

/** The state of the default generator of `device` as a uint8 tensor (PyTorch's `torch.get_rng_state`). */
export function getRngState(device: Device = "cpu"): Tensor {
  const [type, index] = parseDevice(device);
  return wrapHandle(lib.tt_rng_get_state(type, index, errBuf, ERRCAP), "getRngState");
}

/** Restores a state from {@linkcode getRngState} (PyTorch's `torch.set_rng_state`). */
export function setRngState(state: Tensor, device: Device = "cpu"): void {
  checkTensor("setRngState", "state", state);
  const [type, index] = parseDevice(device);
  if (lib.tt_rng_set_state(type, index, state.handle, errBuf, ERRCAP) < 0) {
    throw new TorchError(readError(), "setRngState");
  }
}
