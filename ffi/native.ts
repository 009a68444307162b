/**
 * The loaded shim and the small helpers every caller needs: C strings, the error buffer, the check
 * that turns a failed call into a {@linkcode TorchError}, and heap results.
 *
 * Loading happens once, at import (top-level await), so the first import may build the shim.
 *
 * @module
 */

import { TT_OVERFLOW } from "./abi.ts";
import { TorchError } from "./errors.ts";
import { openLibrary, resolveLibrary, type ShimSymbols } from "./library.ts";
import { applyKernelProfile, KERNEL_PROFILES, type KernelInfo, parseKernelInfo } from "./kernels.ts";

const profile = applyKernelProfile(); // before LibTorch loads: its environment and BLAS

/** The shim's functions. */
export const lib: ShimSymbols = openLibrary(await resolveLibrary());
if (profile.name !== null) lib.tt_set_num_threads(KERNEL_PROFILES[profile.name].threads);

/** Capacity of the error buffer: LibTorch's messages are short, but shapes and schemas can be long. */
export const ERRCAP = 1 << 16;
/** The error buffer of synchronous calls (asynchronous calls bring their own). */
export const errBuf: Uint8Array = new Uint8Array(ERRCAP);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A NUL-terminated UTF-8 copy of `s`, for `const char*` parameters. */
export function cstr(s: string): Uint8Array {
  if (typeof s !== "string") {
    throw new TypeError(`expected a string (a name or a path), got ${typeof s} ${String(s).slice(0, 40)}`);
  }
  const bytes = new Uint8Array(s.length * 3 + 1);
  const { written } = encoder.encodeInto(s, bytes);
  return bytes.subarray(0, written + 1);
}

/** The message in an error buffer. */
export function readError(buf: Uint8Array = errBuf): string {
  const end = buf.indexOf(0);
  return decoder.decode(buf.subarray(0, end < 0 ? buf.length : end));
}

/**
 * Throws the {@linkcode TorchError} in `buf` when `status` reports a failure (`TT_ERROR`, any negative code but
 * `TT_OVERFLOW`); returns `status`.
 */
export function check(status: number, what?: string, buf: Uint8Array = errBuf): number {
  if (status < 0 && status !== TT_OVERFLOW) throw new TorchError(readError(buf), what);
  return status;
}

/** Throws the {@linkcode TorchError} in the error buffer when `handle` is 0; returns `handle`. */
export function checkHandle(handle: number, what?: string): number {
  if (handle === 0) throw new TorchError(readError(), what);
  return handle;
}

let stringBuf = new Uint8Array(4096);

/** Calls a shim function that writes a string (returning its full length), growing the buffer as needed. */
export function readString(fn: (out: Uint8Array, cap: number) => number): string {
  for (;;) {
    const n = fn(stringBuf, stringBuf.length);
    if (n < stringBuf.length) return decoder.decode(stringBuf.subarray(0, n));
    stringBuf = new Uint8Array(n + 1);
  }
}

/** Copies `slots` doubles from a heap buffer that the shim handed over, then frees it. */
export function takeHeapSlots(address: number, slots: number): Float64Array {
  const ptr = Deno.UnsafePointer.create(BigInt(address));
  if (ptr === null) throw new Error("the shim returned a null heap buffer");
  const copy = new Float64Array(Deno.UnsafePointerView.getArrayBuffer(ptr, slots * 8).slice(0));
  lib.tt_blob_free(address);
  return copy;
}

/**
 * Decodes the result code `r` of a shim call that wrote wire results to `out` (`tt_op_call`, `tt_jit_call`,
 * `tt_jit_list`, `tt_grad`): null when the `r` slots are in `out`; the results copied from the heap when `r` is
 * `TT_OVERFLOW` (the heap buffer freed); else (`TT_ERROR`) the {@linkcode TorchError} in `err`, naming `what`.
 * Allocates nothing for results that fit, for the operator path.
 *
 * @example
 * ```ts
 * const heap = heapResult(r, out, "aten::add.Tensor");
 * const slots = heap ?? out.subarray(0, r);
 * ```
 */
export function heapResult(r: number, out: Float64Array, what?: string, err: Uint8Array = errBuf): Float64Array | null {
  if (r >= 0) return null;
  if (r === TT_OVERFLOW) return takeHeapSlots(out[0], out[1]);
  throw new TorchError(readError(err), what);
}

/** The result slots of a shim call that wrote wire results to `out` (see {@linkcode heapResult}). */
export function resultSlots(r: number, out: Float64Array, what?: string, err: Uint8Array = errBuf): Float64Array {
  return heapResult(r, out, what, err) ?? out.subarray(0, r);
}

/** The shim's build information: LibTorch version, whether it was built with CUDA. */
export interface BuildInfo {
  /** Version of the shim's C ABI. */
  abi: number;
  /** The LibTorch version the shim was compiled against. */
  torch: string;
  /** Whether the LibTorch it was built against has CUDA. */
  cudaBuild: boolean;
  /** Whether LibTorch's CUDA backend is loaded at run time. */
  cudaRuntime: boolean;
  /** The settings that decide CPU results now (see {@linkcode kernelInfo}). */
  kernels: KernelInfo;
}

/**
 * The shim's build information.
 *
 * @example
 * ```ts
 * import { buildInfo } from "../mod.ts";
 * console.log(buildInfo().torch); // "1.13.0"
 * ```
 */
export function buildInfo(): BuildInfo {
  const fields = Object.fromEntries(readString(lib.tt_build_info).split(";").map((kv) => kv.split("=")));
  return {
    abi: Number(fields.abi),
    torch: fields.torch,
    cudaBuild: fields.cuda_build === "1",
    cudaRuntime: fields.cuda_runtime === "1",
    kernels: kernelInfo(),
  };
}

/**
 * Whether the loaded shim was built against PyTorch 2 or later: where a release changed what PyTorch computes or
 * writes (torch.optim's arithmetic and state dicts, torch.save's records), the library follows the linked one.
 */
export const TORCH2: boolean = Number(buildInfo().torch.split(".")[0]) >= 2;

/**
 * The settings that decide the last bits of CPU results, as the loaded LibTorch reports them now: the kernel
 * profile (`DENOTORCH_KERNELS`) and whether it is in effect, ATen's CPU capability, oneDNN, the BLAS and
 * LAPACK libraries, every thread pool, and the CPU. Two runs with equal settings give equal bits.
 *
 * @example
 * ```ts
 * import { kernelInfo } from "../mod.ts";
 * const k = kernelInfo();
 * console.log(k.capability, k.blas.vendor, k.threads.intraop, k.cpu.model);
 * ```
 */
export function kernelInfo(): KernelInfo {
  return parseKernelInfo(readString(lib.tt_kernel_info), profile);
}
