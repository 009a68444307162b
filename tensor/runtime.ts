/**
 * Threads, CUDA queries, determinism switches, and Python-float math through the C library.
 *
 * @module
 */

import { MathFn } from "../ffi/abi.ts";
import { describe } from "./checks.ts";
import { cstr, errBuf, ERRCAP, kernelInfo, lib, readError, readString } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import { checkInt } from "./checks.ts";

/**
 * Sets the number of threads LibTorch uses within an operator (PyTorch's `torch.set_num_threads`).
 *
 * @example
 * ```ts
 * import { getNumThreads, setNumThreads } from "../mod.ts";
 * setNumThreads(1);
 * console.log(getNumThreads()); // 1
 * ```
 */
export function setNumThreads(n: number): void {
  checkThreads(n, "setNumThreads");
  lib.tt_set_num_threads(n);
}

/**
 * The largest thread count {@linkcode setNumThreads} accepts: 4 threads per hardware thread of this
 * machine (more only slows operators down, and a huge count makes OpenMP run out of memory and kill the
 * process).
 *
 * @example
 * ```ts
 * import { maxNumThreads } from "../mod.ts";
 * console.log(maxNumThreads()); // 8 on a 2-core machine
 * ```
 */
export function maxNumThreads(): number {
  const cores = Number(globalThis.navigator?.hardwareConcurrency);
  return 4 * (Number.isInteger(cores) && cores > 0 ? cores : 1);
}

function checkThreads(n: unknown, what: string): asserts n is number {
  const max = maxNumThreads();
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > max) {
    throw new RangeError(
      `${what}: the number of threads must be an integer from 1 to ${max} (4 per hardware thread of this ` +
        `machine), got ${typeof n === "number" ? n : `${typeof n} ${String(n)}`}`,
    );
  }
}

/** The number of threads LibTorch uses within an operator. */
export function getNumThreads(): number {
  return lib.tt_get_num_threads();
}

/** Sets the number of inter-op threads (only before any parallel work has started). */
export function setNumInteropThreads(n: number): void {
  checkThreads(n, "setNumInteropThreads");
  if (lib.tt_set_num_interop_threads(n, errBuf, ERRCAP) < 0) throw new TorchError(readError(), "setNumInteropThreads");
}

/** Makes LibTorch use deterministic algorithms where it has them (PyTorch's `torch.use_deterministic_algorithms`). */
export function useDeterministicAlgorithms(flag: boolean): void {
  lib.tt_set_deterministic(flag ? 1 : 0);
}

/** Backend switches, as `torch.backends`. */
export interface Backends {
  /** oneDNN (MKL-DNN), as `torch.backends.mkldnn`. */
  mkldnn: {
    /** Whether LibTorch may use oneDNN kernels (convolutions above all); set it to turn them on or off. */
    enabled: boolean;
  };
}

/**
 * Backend switches, as `torch.backends`: `backends.mkldnn.enabled = false` makes convolutions take ATen's
 * own kernels instead of oneDNN's, as `torch.backends.mkldnn.enabled = False` does.
 *
 * @example
 * ```ts
 * import { backends } from "../mod.ts";
 * const was = backends.mkldnn.enabled;
 * backends.mkldnn.enabled = false;
 * backends.mkldnn.enabled = was;
 * ```
 */
export const backends: Backends = {
  mkldnn: {
    get enabled(): boolean {
      return kernelInfo().mkldnn;
    },
    set enabled(flag: boolean) {
      if (typeof flag !== "boolean") {
        throw new TypeError(`backends.mkldnn.enabled: expected a boolean, got ${typeof flag}`);
      }
      if (lib.tt_set_mkldnn_enabled(flag ? 1 : 0) < 0) throw new TorchError("could not switch oneDNN", "backends");
    },
  },
};

/** CUDA queries and switches, as `torch.cuda`. */
export interface Cuda {
  /** Whether a CUDA device can be used. */
  isAvailable(): boolean;
  /** The number of CUDA devices. */
  deviceCount(): number;
  /** Waits for all work on a device (default: the current one) to finish. */
  synchronize(index?: number): void;
  /** Turns cuDNN's autotuner on or off (`torch.backends.cudnn.benchmark`). */
  setCudnnBenchmark(flag: boolean): void;
}

/** CUDA queries, as `torch.cuda`. */
export const cuda: Cuda = {
  /** Whether a CUDA device can be used. */
  isAvailable(): boolean {
    return lib.tt_cuda_is_available() === 1;
  },
  /** The number of CUDA devices. */
  deviceCount(): number {
    return lib.tt_cuda_device_count();
  },
  /** Waits for all work on a device (default: the current one) to finish. */
  synchronize(index = -1): void {
    checkInt("cuda.synchronize", "index", index, -1, 2 ** 31 - 1);
    if (lib.tt_cuda_synchronize(index, errBuf, ERRCAP) < 0) throw new TorchError(readError(), "cuda.synchronize");
  },
  /** Turns cuDNN's autotuner on or off (`torch.backends.cudnn.benchmark`). */
  setCudnnBenchmark(flag: boolean): void {
    lib.tt_set_cudnn_benchmark(flag ? 1 : 0);
  },
};

function num(x: unknown, what: string): number {
  if (typeof x !== "number") throw new TypeError(`cmath.${what}: expected a number, got ${describe(x)}`);
  return x;
}

/**
 * Python float math with the C library, so that hyperparameter arithmetic (`beta ** step`,
 * `math.cos`) gives CPython's results to the bit, which JavaScript's `Math` does not promise.
 */
export const cmath: Readonly<
  & Record<"pow", (x: number, y: number) => number>
  & Record<"exp" | "log" | "cos" | "sin" | "sqrt" | "tanh" | "log1p" | "expm1", (x: number) => number>
> = {
  /** C's `pow(x, y)` (Python's `x ** y` for floats). */
  pow: (x: number, y: number): number => lib.tt_math(MathFn.POW, num(x, "pow"), num(y, "pow")),
  /** C's `exp`. */
  exp: (x: number): number => lib.tt_math(MathFn.EXP, num(x, "exp"), 0),
  /** C's `log`. */
  log: (x: number): number => lib.tt_math(MathFn.LOG, num(x, "log"), 0),
  /** C's `cos`. */
  cos: (x: number): number => lib.tt_math(MathFn.COS, num(x, "cos"), 0),
  /** C's `sin`. */
  sin: (x: number): number => lib.tt_math(MathFn.SIN, num(x, "sin"), 0),
  /** C's `sqrt` (IEEE, the same as `Math.sqrt`). */
  sqrt: (x: number): number => lib.tt_math(MathFn.SQRT, num(x, "sqrt"), 0),
  /** C's `tanh`. */
  tanh: (x: number): number => lib.tt_math(MathFn.TANH, num(x, "tanh"), 0),
  /** C's `log1p`. */
  log1p: (x: number): number => lib.tt_math(MathFn.LOG1P, num(x, "log1p"), 0),
  /** C's `expm1`. */
  expm1: (x: number): number => lib.tt_math(MathFn.EXPM1, num(x, "expm1"), 0),
};

/**
 * Returns the native heap's freed memory to the operating system (glibc's `malloc_trim(0)`). After a
 * phase that allocates and frees a lot (decoding a dataset, normalising it, dropping raw copies), glibc
 * keeps the freed pages in the process, so the resident size stays at its peak; this hands them back.
 * Results are unaffected: only memory no tensor uses is returned. Returns `true` when some memory was
 * returned, `false` when none could be or the C library has no such call (not glibc: a no-op).
 *
 * @example
 * ```ts
 * import { releaseMemory } from "./runtime.ts";
 * // ... load and preprocess a dataset, dispose the raw copies ...
 * releaseMemory();
 * ```
 */
export function releaseMemory(): boolean {
  return lib.tt_release_memory() === 1;
}

/** This process's resident memory (Linux `/proc/self/status`), MiB. */
export interface ResidentMemory {
  /** Resident now (`VmRSS`). */
  currentMiB: number;
  /** The peak so far (`VmHWM`). */
  peakMiB: number;
  /** Anonymous memory resident now (`RssAnon`: heaps and tensors, not the mapped library files). */
  anonymousMiB: number;
}

/**
 * This process's resident memory now and at its peak, or null where `/proc/self/status` cannot be read (not
 * Linux, or no read permission). A study run records its peak in `report.json`.
 *
 * @example
 * ```ts
 * import { residentMemory } from "./runtime.ts";
 * const m = residentMemory(); // { currentMiB: 230.1, peakMiB: 412.7, anonymousMiB: 98.2 } on Linux
 * ```
 */
export function residentMemory(): ResidentMemory | null {
  let status: string;
  try {
    status = Deno.readTextFileSync("/proc/self/status");
  } catch {
    return null;
  }
  const kib = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  };
  const r = { currentMiB: kib("VmRSS"), peakMiB: kib("VmHWM"), anonymousMiB: kib("RssAnon") };
  return Number.isFinite(r.currentMiB) && Number.isFinite(r.peakMiB) ? r : null;
}

/**
 * The combined hash of record names (in the order written) that PyTorch 2.x's `torch.save` puts in the first half
 * of `.data/serialization_id`, as decimal digits: the shim computes it, as it follows C++'s `std::unordered_set`
 * order and `std::hash`.
 *
 * @example
 * ```ts
 * import { recordNamesHash } from "./runtime.ts";
 * recordNamesHash(["data.pkl", "byteorder", "data/0", "version"]); // digits
 * ```
 */
export function recordNamesHash(names: readonly string[]): string {
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
    throw new TypeError(`recordNamesHash: names must be an array of strings, got ${describe(names)}`);
  }
  const joined = cstr(names.join("\n"));
  return readString((out, cap) => lib.tt_record_names_hash(joined, out, cap));
}
