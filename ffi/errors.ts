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
    const first = text.split("\n", 1)[0].trim() || "LibTorch reported an error without a message";
    super(op ? `${op}: ${first}` : first);
    this.name = "TorchError";
    this.fullMessage = text;
    this.op = op;
  }
}
