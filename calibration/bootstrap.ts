/**
 * A seeded bootstrap confidence interval for the ECE: resample the N (prediction, label) pairs with
 * replacement `resamples` times, compute the ECE of each resample (batched tensor operations over
 * resamples and bins), and take the percentile interval (Efron & Tibshirani 1993) with `torch.quantile`'s
 * linear interpolation.
 *
 * Reproducible: the resample indices are `randint(0, N, [resamples, N])` drawn on the CPU right after
 * `manualSeed(seed)` (the same as PyTorch's `torch.manual_seed(seed); torch.randint(0, N, (B, N))`), in
 * chunks of at most 2^20 indices, which draws the same stream; the global generators' states (CPU and
 * every CUDA device) are restored afterwards, so the caller's random stream is not disturbed.
 *
 * @module
 */

import { callOp } from "../tensor/aten.ts";
import { randint, tensor } from "../tensor/creation.ts";
import { cat } from "../tensor/functions.ts";
import { tidy } from "../tensor/memory.ts";
import { getRngState, manualSeed, setRngState } from "../tensor/random.ts";
import { cuda } from "../tensor/runtime.ts";
import type { Device } from "../tensor/device.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { binIndex, binSums, checkBinOptions } from "./binning.ts";
import { binnedErrors } from "./errors.ts";
import { prepareInputs } from "./inputs.ts";
import type { CalibrationOptions } from "./metrics.ts";
import { checkOptionsObject, describe } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { BOOTSTRAP_KEYS } from "./option_keys.ts";

/** Options of {@linkcode eceBootstrap}. */
export interface BootstrapOptions extends CalibrationOptions {
  /** Number of bootstrap resamples (default 1000). */
  resamples?: number;
  /** Coverage of the interval, in (0, 1) (default 0.95). */
  level?: number;
  /** Seed of the resampling (default 0). */
  seed?: number;
}

/** A bootstrap interval of the ECE. */
export interface BootstrapInterval {
  /** The ECE of the full sample. */
  ece: number;
  /** Lower end of the percentile interval. */
  lower: number;
  /** Upper end of the percentile interval. */
  upper: number;
  /** Standard deviation of the resampled ECEs (the bootstrap standard error). */
  std: number;
  /** The coverage asked for. */
  level: number;
  /** The number of resamples. */
  resamples: number;
  /** The seed used. */
  seed: number;
}

/**
 * Runs `fn` right after `manualSeed(seed)`, then restores every global generator's state.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { withSeed } from "./bootstrap.ts";
 * const a = withSeed(1, () => randn([2])); // the same two numbers every time; the global stream is untouched
 * ```
 */
export function withSeed<T>(seed: number, fn: () => T): T {
  const devices: Device[] = ["cpu"];
  if (cuda.isAvailable()) { for (let i = 0; i < cuda.deviceCount(); i++) devices.push(`cuda:${i}`); }
  const states = devices.map((d) => getRngState(d));
  try {
    manualSeed(seed);
    return fn();
  } finally {
    devices.forEach((d, i) => setRngState(states[i], d));
    for (const s of states) s.dispose();
  }
}

/**
 * The ECE with a seeded bootstrap percentile interval. Takes the same options as the ECE (bins, edges,
 * input reading), plus `resamples` (1000), `level` (0.95) and `seed` (0).
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { eceBootstrap } from "./bootstrap.ts";
 * const ci = eceBootstrap(randn([500, 10]).mul(3), randint(0, 10, [500]), { input: "logits", seed: 1 });
 * console.log(`ECE ${ci.ece} [${ci.lower}, ${ci.upper}]`);
 * ```
 */
export function eceBootstrap(preds: Tensor, labels: Tensor, options: BootstrapOptions = {}): BootstrapInterval {
  checkOptionsObject("eceBootstrap", options);
  checkOptions("eceBootstrap", options, BOOTSTRAP_KEYS);
  const what = "eceBootstrap";
  const { nBins, binEdges } = checkBinOptions(options, what);
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`${what}: resamples must be an integer >= 1, got ${describe(resamples)}`);
  }
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    throw new RangeError(`${what}: level must be in (0, 1), got ${describe(level)}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${what}: seed must be an integer >= 0, got ${describe(seed)}`);
  }
  return tidy(() => {
    const p = prepareInputs(preds, labels, options, what);
    const n = p.n;
    const bins = binIndex(p.confidence, nBins, binEdges);
    const full = binnedErrors(binSums(bins, p.confidence, p.target, nBins), n).ece;
    const chunk = Math.max(1, Math.floor(2 ** 18 / n)); // draws per chunk: its copies stay near 10 MB
    const eces: Tensor[] = withSeed(seed, () => {
      const out: Tensor[] = [];
      for (let start = 0; start < resamples; start += chunk) {
        const r = Math.min(chunk, resamples - start);
        // a scope per chunk: its resampled copies (about 10 MB at 2^18 draws) go before the next chunk's
        out.push(tidy(() => {
          const idx = randint(0, n, [r, n]).to({ device: p.confidence.device });
          return binnedErrors(binSums(bins.index([idx]), p.confidence.index([idx]), p.target.index([idx]), nBins), n)
            .ece;
        }));
      }
      return out;
    });
    const all = cat(eces);
    const alpha = (1 - level) / 2;
    const q = callOp(
      "aten::quantile",
      all,
      tensor([alpha, 1 - alpha], { dtype: "float64", device: all.device }),
    ) as Tensor;
    const [ece, lower, upper, std] = cat([
      full.reshape([1]),
      q,
      all.std(null, { correction: resamples > 1 ? 1 : 0 }).reshape([1]),
    ])
      .data() as Float64Array;
    return { ece, lower, upper, std, level, resamples, seed };
  });
}
