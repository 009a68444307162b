/**
 * `gradcheck` (PyTorch's `torch.autograd.gradcheck`, its default slow mode): compares the analytical
 * Jacobian that autograd computes (one `grad` call per output element, with a one-hot gradient) with
 * the numerical one from central differences `(f(x + eps) - f(x - eps)) / (2 eps)`, each input element
 * perturbed in place in turn, for every input that requires grad; they must agree within
 * `atol + rtol |numerical|`. Meant for float64 inputs (float32 differences are too coarse, as PyTorch warns).
 *
 * @example
 * ```ts
 * import { gradcheck, randn } from "../mod.ts";
 * const x = randn([3], { dtype: "float64" }).requiresGrad_();
 * gradcheck((x) => x.sin().mul(x), [x]); // true, or a GradcheckError naming the mismatch
 * ```
 *
 * @module
 */

import { grad, noGrad } from "./autograd.ts";
import { zerosLike } from "./creation.ts";
import { tidy } from "./memory.ts";
import { Tensor } from "./tensor.ts";

/** Options of {@linkcode gradcheck}. */
export interface GradcheckOptions {
  /** The finite-difference step (default 1e-6). */
  eps?: number;
  /** The absolute tolerance (default 1e-5). */
  atol?: number;
  /** The relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw a GradcheckError on a mismatch (default true); false returns false instead. */
  raiseException?: boolean;
}

/** A Jacobian mismatch found by {@linkcode gradcheck}. */
export class GradcheckError extends Error {
  /** The message names the output and input and shows both Jacobians. */
  constructor(message: string) {
    super(message);
    this.name = "GradcheckError";
  }
}

function outputsOf(r: Tensor | Tensor[]): Tensor[] {
  const list = r instanceof Tensor ? [r] : r;
  if (!Array.isArray(list) || !list.every((t) => t instanceof Tensor)) {
    throw new TypeError("gradcheck: fn must return a Tensor or an array of Tensors");
  }
  return list;
}

function values(t: Tensor): number[] {
  return Array.from(t.to({ dtype: "float64" }).contiguous().reshape(-1).data() as Float64Array);
}

function format(m: number[][]): string {
  return "[" + m.map((row) => "[" + row.map((v) => v.toPrecision(6)).join(", ") + "]").join(",\n ") + "]";
}

/**
 * Checks the gradients of `fn` at `inputs` against finite differences (see the module notes). Returns
 * true, or throws a {@linkcode GradcheckError} (false with `raiseException: false`).
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  options: GradcheckOptions = {},
): boolean {
  const eps = options.eps ?? 1e-6, atol = options.atol ?? 1e-5, rtol = options.rtol ?? 1e-3;
  const raise = options.raiseException ?? true;
  const ins = inputs instanceof Tensor ? [inputs] : inputs;
  if (typeof fn !== "function") throw new TypeError("gradcheck: fn must be a function");
  if (!Array.isArray(ins) || !ins.every((t) => t instanceof Tensor)) {
    throw new TypeError("gradcheck: inputs must be a Tensor or an array of Tensors");
  }
  const diff = ins.map((t, i) => ({ t, i })).filter(({ t }) => t.requiresGrad);
  if (diff.length === 0) {
    throw new RangeError("gradcheck expects at least one input tensor to require gradient, but none of them do");
  }
  for (const { t, i } of diff) {
    if (t.dtype !== "float64") {
      console.warn(
        `gradcheck: Input #${i} requires gradient and is not a double precision floating point. ` +
          "This check will likely fail if all the inputs are not of double precision floating point.",
      );
    }
  }
  return tidy(() => {
    const outs = outputsOf(fn(...ins));
    // analytical[o][k]: rows = input elements, columns = output elements
    const analytical = outs.map((o) =>
      diff.map(({ t }) => Array.from({ length: t.numel() }, () => new Array<number>(o.numel()).fill(0)))
    );
    outs.forEach((o, oi) => {
      if (!o.requiresGrad) return; // an output that does not depend on the inputs: zero Jacobian
      const flatShape = o.shape;
      for (let j = 0; j < o.numel(); j++) {
        tidy(() => {
          const onehot = noGrad(() => {
            const z = zerosLike(o).reshape(-1);
            z.select(0, j).fill_(1);
            return z.reshape(flatShape);
          });
          const gs = grad([o], diff.map(({ t }) => t), { gradOutputs: [onehot], retainGraph: true, allowUnused: true });
          gs.forEach((g, k) => {
            if (g === null) return;
            values(g).forEach((v, e) => (analytical[oi][k][e][j] = v));
          });
        });
      }
    });
    // numerical, by central differences on each input element in place
    const numerical = outs.map((o) =>
      diff.map(({ t }) => Array.from({ length: t.numel() }, () => new Array<number>(o.numel()).fill(0)))
    );
    diff.forEach(({ t }, k) => {
      if (t.stride().some((s, d) => t.shape[d] > 1 && s !== contiguousStride(t.shape, d))) {
        throw new RangeError(`gradcheck: input #${diff[k].i} must be contiguous (it is perturbed in place)`);
      }
      const flat = t.detach().reshape(-1);
      const base = values(t);
      for (let e = 0; e < base.length; e++) {
        const outsAt = (v: number) =>
          tidy(() => {
            noGrad(() => flat.select(0, e).fill_(v));
            return noGrad(() => outputsOf(fn(...ins)).map(values));
          });
        const minus = outsAt(base[e] - eps), plus = outsAt(base[e] + eps);
        noGrad(() => flat.select(0, e).fill_(base[e]));
        plus.forEach((p, oi) => p.forEach((pv, j) => (numerical[oi][k][e][j] = (pv - minus[oi][j]) / (2 * eps))));
      }
    });
    for (let oi = 0; oi < outs.length; oi++) {
      for (let k = 0; k < diff.length; k++) {
        const a = analytical[oi][k], n = numerical[oi][k];
        const ok = a.every((row, e) => row.every((v, j) => Math.abs(v - n[e][j]) <= atol + rtol * Math.abs(n[e][j])));
        if (!ok) {
          if (!raise) return false;
          throw new GradcheckError(
            `Jacobian mismatch for output ${oi} with respect to input ${diff[k].i},\n` +
              `numerical:${format(n)}\nanalytical:${format(a)}\n`,
          );
        }
      }
    }
    return true;
  });
}

function contiguousStride(shape: readonly number[], d: number): number {
  let s = 1;
  for (let i = d + 1; i < shape.length; i++) s *= shape[i];
  return s;
}
