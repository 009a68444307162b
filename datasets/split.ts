/**
 * Seeded random splits, PyTorch's `torch.utils.data.random_split` with `generator=torch.Generator().manual_seed(seed)`:
 * one permutation `perm = randperm(n)` from a {@linkcode SeededGenerator} (equal to Python's
 * `torch.manual_seed(seed); torch.randperm(n)`; the global generator is left as it was), then consecutive
 * runs of it: part 0 is `perm[0 : len0]`, part 1 `perm[len0 : len0 + len1]`, and so on, in permutation order.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { ImageDataset } from "./dataset.ts";
import { checkSeed, seededRandperm } from "./seeded.ts";
import { checkOptionsObject, describe } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";

/**
 * The part lengths for `n` items: integers as given (they must add up to `n`), or fractions adding up to
 * 1, turned into counts as `random_split` does (each `floor(n * f)`, then the remainder handed out one by
 * one from the first part on).
 *
 * @example
 * ```ts
 * import { splitLengths } from "./split.ts";
 * splitLengths(10, [0.75, 0.25]); // [8, 2]
 * ```
 */
export function splitLengths(n: number, lengths: readonly number[]): number[] {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TypeError(`randomSplit: the number of items must be a non-negative integer, got ${describe(n)}`);
  }
  if (!Array.isArray(lengths) || !lengths.every((l) => typeof l === "number")) {
    throw new TypeError(`randomSplit: lengths must be an array of counts or fractions, got ${describe(lengths)}`);
  }
  if (lengths.length === 0) throw new RangeError("randomSplit: give at least one length");
  const sum = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) <= 1e-9 && sum <= 1) {
    const counts = lengths.map((f, i) => {
      if (!(f >= 0 && f <= 1)) throw new RangeError(`randomSplit: fraction ${i} (${f}) is not between 0 and 1`);
      return Math.floor(n * f);
    });
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length]++;
    return counts;
  }
  if (!lengths.every((l) => Number.isInteger(l) && l >= 0) || sum !== n) {
    throw new RangeError(
      `randomSplit: lengths [${lengths}] must be non-negative integers adding up to ${n} (the number of items), ` +
        `or fractions adding up to 1`,
    );
  }
  return [...lengths];
}

/**
 * The index tensors (int64) of a seeded random split of `0..n-1` into parts of `lengths` (counts, or
 * fractions adding up to 1).
 *
 * @example
 * ```ts
 * import { randomSplitIndices } from "./split.ts";
 * const [trainIdx, valIdx] = randomSplitIndices(10000, [9000, 1000], { seed: 0 });
 * ```
 */
export function randomSplitIndices(n: number, lengths: readonly number[], options: { seed: number }): Tensor[] {
  checkOptions("randomSplitIndices", options, ["seed"], "randomSplitIndices(n, [9000, 1000], { seed: 0 })");
  const counts = splitLengths(n, lengths);
  const perm = seededRandperm(n, checkSeed(options?.seed, "randomSplit"));
  try {
    let start = 0;
    return counts.map((c) => {
      const part = perm.narrow(0, start, c).clone();
      start += c;
      return part;
    });
  } finally {
    perm.dispose();
  }
}

/**
 * A seeded random split of `dataset` into parts of `lengths` (counts, or fractions adding up to 1), as
 * `torch.utils.data.random_split(dataset, lengths, generator=torch.Generator().manual_seed(seed))`.
 *
 * @example
 * ```ts
 * import { randomSplit } from "./split.ts";
 * import { ImageDataset } from "./dataset.ts";
 * import { arange, zeros } from "../mod.ts";
 * using train = new ImageDataset(zeros([100, 3, 32, 32], { dtype: "uint8" }), arange(100).remainder(2), ["bird", "cat"]);
 * const [fit, calib] = randomSplit(train, [0.9, 0.1], { seed: 0 }); // 90 and 10
 * ```
 */
export function randomSplit(
  dataset: ImageDataset,
  lengths: readonly number[],
  options: { seed: number },
): ImageDataset[] {
  if (!(dataset instanceof ImageDataset)) {
    throw new TypeError(`randomSplit: dataset must be an ImageDataset, got ${describe(dataset)}`);
  }
  const parts = randomSplitIndices(dataset.length, lengths, options);
  try {
    return parts.map((idx) => dataset.subset(idx));
  } finally {
    for (const p of parts) p.dispose();
  }
}

/** Options of {@linkcode trainValSplit}: the validation size as a count or a fraction, and the seed. */
export interface TrainValSplitOptions {
  /** The number of validation items. */
  valSize?: number;
  /** The validation share in [0, 1]; the count is `floor(n * valFraction)`. */
  valFraction?: number;
  /** The seed of the permutation. */
  seed: number;
}

/**
 * Splits `dataset` into training and validation parts (the validation part fits the temperature later):
 * with `v` validation items, `perm = torch.manual_seed(seed); torch.randperm(n)`, train = `perm[: n - v]`,
 * val = `perm[n - v :]`, i.e. `random_split(dataset, [n - v, v], generator=torch.Generator().manual_seed(seed))`.
 *
 * @example
 * ```ts
 * import { trainValSplit } from "./split.ts";
 * import { loadCifar10 } from "./cifar10/dataset.ts";
 * import { cifar10Dir } from "./cifar10/data_dir.ts";
 * using full = loadCifar10(cifar10Dir(), { split: "train", classes: ["bird", "cat"] });
 * const { train, val } = trainValSplit(full, { valFraction: 0.1, seed: 0 }); // 9000 / 1000 of 10000
 * ```
 */
export function trainValSplit(dataset: ImageDataset, options: TrainValSplitOptions): {
  train: ImageDataset;
  val: ImageDataset;
} {
  if (!(dataset instanceof ImageDataset)) {
    throw new TypeError(`trainValSplit: dataset must be an ImageDataset, got ${describe(dataset)}`);
  }
  checkOptionsObject("trainValSplit", options);
  const n = dataset.length;
  const v = valCount(n, options);
  const [train, val] = randomSplit(dataset, [n - v, v], { seed: options.seed });
  return { train, val };
}

/** The number of validation items for {@linkcode TrainValSplitOptions} on `n` items. */
export function valCount(n: number, options: Omit<TrainValSplitOptions, "seed">): number {
  checkOptions("trainValSplit", options, ["valSize", "valFraction", "seed"]);
  const { valSize, valFraction } = options ?? {};
  if ((valSize === undefined) === (valFraction === undefined)) {
    throw new TypeError("trainValSplit: give exactly one of the options 'valSize' and 'valFraction'");
  }
  if (valSize !== undefined) {
    if (!Number.isInteger(valSize) || valSize < 0 || valSize > n) {
      throw new RangeError(`trainValSplit: option 'valSize' must be an integer in [0, ${n}], got ${valSize}`);
    }
    return valSize;
  }
  if (!(typeof valFraction === "number" && valFraction >= 0 && valFraction <= 1)) {
    throw new RangeError(`trainValSplit: option 'valFraction' must be in [0, 1], got ${valFraction}`);
  }
  return Math.floor(n * valFraction);
}
