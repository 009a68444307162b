/**
 * `autograd`: PyTorch's `torch.autograd` names for the custom-function API: `autograd.Function` (the
 * base class {@linkcode AutogradFunction}), `autograd.FunctionCtx`, `autograd.gradcheck`, `autograd.grad`
 * and `autograd.backward`.
 *
 * @example
 * ```ts
 * import { autograd, type Tensor } from "../mod.ts";
 * class Double extends autograd.Function {
 *   static forward(_ctx: autograd.FunctionCtx, x: Tensor): Tensor {
 *     return x.mul(2);
 *   }
 *   static backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor {
 *     return g.mul(2);
 *   }
 * }
 * ```
 *
 * @module
 */

export { AutogradFunction as Function, FunctionCtx } from "./autograd_function.ts";
export { gradcheck, GradcheckError, type GradcheckOptions } from "./gradcheck.ts";
export { backward, grad, type GradOptions } from "./autograd.ts";
