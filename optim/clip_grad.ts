/**
 * Gradient clipping, `clipGradNorm_` and `clipGradValue_` (torch.nn.utils.clip_grad_norm_ and
 * clip_grad_value_ 1.13): the same operators in the same order (the norm of the per-gradient norms, the
 * coefficient `max_norm / (total + 1e-6)` clamped to 1, each gradient scaled in place), so clipped
 * gradients equal PyTorch's to the bit.
 *
 * @example
 * ```ts
 * import { Linear, mseLoss, randn } from "../mod.ts";
 * import { clipGradNorm_ } from "./clip_grad.ts";
 * const net = new Linear(4, 2);
 * mseLoss(net.forward(randn([8, 4])), randn([8, 2])).backward();
 * const total = clipGradNorm_(net.parameters(), 1.0); // the norm before clipping
 * ```
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import { noGrad } from "../tensor/autograd.ts";
import { callT, floatArg, op } from "../tensor/call.ts";
import { tensor } from "../tensor/creation.ts";
import { stack } from "../tensor/functions.ts";
import { tidy } from "../tensor/memory.ts";
import { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber, describe } from "../tensor/checks.ts";

const OPS = {
  norm: op("aten::norm", "ScalarOpt_dim"),
  max: op("aten::max"),
};

/** Options of {@linkcode clipGradNorm_}. */
export interface ClipGradNormOptions {
  /** The p of the p-norm, `Infinity` for the largest absolute value (default 2). */
  normType?: number;
  /** Throw when the total norm is NaN or infinite (default false). */
  errorIfNonfinite?: boolean;
}

function parameterList(where: string, parameters: Tensor | Iterable<Tensor>): Tensor[] {
  if (parameters instanceof Tensor) return [parameters];
  if (parameters === null || typeof parameters !== "object" || !(Symbol.iterator in parameters)) {
    throw new TypeError(
      `${where}: parameters must be a Tensor or an iterable of Tensors, got ${describe(parameters, "typed")}`,
    );
  }
  const list = [...parameters];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) {
      throw new TypeError(`${where}: parameters[${i}] must be a Tensor, got ${describe(p, "typed")}`);
    }
  });
  return list;
}

/** `torch.norm(t, p)` as PyTorch's default case calls it: `aten::norm(t, p, dim=all dims)`. */
function pNorm(t: Tensor, p: number): Tensor {
  return callT(OPS.norm, t, floatArg(p), Array.from({ length: t.ndim }, (_, i) => i), false);
}

/**
 * Scales the gradients of `parameters` in place so that their total p-norm (of all gradients together)
 * is at most `maxNorm`; returns the total norm before clipping (a 0-dim tensor, 0 when no parameter has
 * a gradient).
 *
 * @example
 * ```ts
 * import { Linear, mseLoss, randn } from "../mod.ts";
 * import { clipGradNorm_ } from "./clip_grad.ts";
 * const net = new Linear(3, 1);
 * mseLoss(net.forward(randn([5, 3])), randn([5, 1])).backward();
 * clipGradNorm_(net.parameters(), 0.5, { normType: Infinity });
 * ```
 */
export function clipGradNorm_(
  parameters: Tensor | Iterable<Tensor>,
  maxNorm: number,
  options?: ClipGradNormOptions,
): Tensor;
/** PyTorch's positional form `clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite)`. */
export function clipGradNorm_(
  parameters: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType?: number,
  errorIfNonfinite?: boolean,
): Tensor;
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, ...args: unknown[]): Tensor {
  const where = "clipGradNorm_";
  const options = positionalOptions<ClipGradNormOptions>(
    where,
    args,
    ["normType", "errorIfNonfinite"],
    [],
    "clipGradNorm_(parameters, 1.0, { normType: 2 })",
  );
  const params = parameterList(where, parameters);
  checkNumber(where, "maxNorm", maxNorm);
  const normType = checkNumber(where, "normType", options.normType ?? 2);
  const errorIfNonfinite = checkBoolean(where, "errorIfNonfinite", options.errorIfNonfinite ?? false);
  return noGrad(() =>
    tidy(() => {
      const grads = params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
      if (grads.length === 0) return tensor(new Float32Array([0]), { shape: [] });
      let total: Tensor;
      if (normType === Infinity) {
        const norms = grads.map((g) => callT(OPS.max, g.detach().abs()));
        total = norms.length === 1 ? norms[0] : callT(OPS.max, stack(norms));
      } else {
        total = pNorm(stack(grads.map((g) => pNorm(g.detach(), normType))), normType);
      }
      if (errorIfNonfinite && !Number.isFinite(total.item())) {
        throw new RangeError(
          `${where}: The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it ` +
            "cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, " +
            "set errorIfNonfinite to false",
        );
      }
      // max_norm / (total_norm + 1e-6) is Tensor.__rtruediv__: reciprocal() * max_norm
      const coef = total.add(1e-6).reciprocal().mul(maxNorm);
      const clamped = coef.clamp(null, 1);
      for (const g of grads) g.detach().mul_(clamped);
      return total;
    })
  );
}

/**
 * Clamps the gradients of `parameters` in place to `[-clipValue, clipValue]`.
 *
 * @example
 * ```ts
 * import { Linear, mseLoss, randn } from "../mod.ts";
 * import { clipGradValue_ } from "./clip_grad.ts";
 * const net = new Linear(3, 1);
 * mseLoss(net.forward(randn([5, 3])), randn([5, 1])).backward();
 * clipGradValue_(net.parameters(), 0.1);
 * ```
 */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  const where = "clipGradValue_";
  const params = parameterList(where, parameters);
  checkNumber(where, "clipValue", clipValue);
  noGrad(() =>
    tidy(() => {
      for (const p of params) {
        const g = p.grad;
        if (g !== null) g.detach().clamp_(-clipValue, clipValue);
      }
    })
  );
}
