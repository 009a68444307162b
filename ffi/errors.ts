/**
 * The error raised when LibTorch reports a failure.
 *
 * @module
 */

/**
 * A failure reported by LibTorch (a C++ exception caught in the shim). `message` is the first line of
 * LibTorch's text, prefixed with the operator when one is known; `fullMessage` keeps the whole text.
 *
 * @example
 * ```ts
 * import { TorchError, randn } from "../mod.ts";
 * try {
 *   randn([2, 3]).matmul(randn([4, 5]));
 * } catch (e) {
 *   if (e instanceof TorchError) console.error(e.message); // "aten::matmul: mat1 and mat2 shapes ..."
 * }
 * ```
 */
export class TorchError extends Error {
  /** LibTorch's whole message, all lines. */
  readonly fullMessage: string;
  /** The operator that failed (`aten::mm`), when the failure came from an operator call. */
  readonly op?: string;

  /** Wraps LibTorch's text; `op` names the operator or entry point that failed. */
  constructor(text: string, op?: string) {
    if (typeof text !== "string") text = `an error whose text is not a string (${typeof text})`;
    if (op !== undefined && typeof op !== "string") op = undefined;
    const first = cudaMissing(text) ??
      (text.split("\n", 1)[0].trim() || "LibTorch reported an error without a message");
    // the shim's own messages may name the operator already ("aten::full: argument 'fill_value': ...")
    super(op && !first.startsWith(`${op}:`) ? `${op}: ${first}` : first);
    this.name = "TorchError";
    this.fullMessage = text;
    this.op = op;
  }
}

/**
 * LibTorch's "Could not run 'aten::empty.memory_format' with arguments from the 'CUDA' backend. This could be because
 * the operator doesn't exist for this backend..." read as what it is: no CUDA kernel, which on a CPU-only LibTorch
 * means no CUDA at all, not a missing operator.
 */
function cudaMissing(text: string): string | undefined {
  const m = /^Could not run '([^']+)' with arguments from the 'CUDA' backend/.exec(text.trim());
  if (!m) return undefined;
  const backends = /only available for these backends: \[([^\]]*)\]/.exec(text)?.[1].split(", ") ?? [];
  if (backends.includes("CUDA")) return undefined;
  return `CUDA is not available for ${m[1]}: this LibTorch has no CUDA kernel for it (a CPU-only LibTorch has ` +
    `none at all); use device "cpu", or a CUDA build of LibTorch (LIBTORCH=...) on a machine with an NVIDIA GPU`;
}
