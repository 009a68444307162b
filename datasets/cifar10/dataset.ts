/**
 * The study's entry point to CIFAR-10: read a split of the binary folder and keep some classes, with
 * labels renumbered (for the bird/cat task: bird -> 0, cat -> 1).
 *
 * @module
 */

import { readCifar10 } from "./reader.ts";
import type { ImageDataset } from "../dataset.ts";
import { selectClasses } from "../select.ts";
import { checkOptions } from "../../tensor/options.ts";

/** Options of {@linkcode loadCifar10}. */
export interface LoadCifar10Options {
  /** `"train"` (`data_batch_1..5.bin`) or `"test"` (`test_batch.bin`). */
  split: "train" | "test";
  /** Classes to keep (names or label numbers), renumbered 0, 1, ... in this order; default: all ten. */
  classes?: readonly (string | number)[];
}

/**
 * One split of the CIFAR-10 binary folder `dir` as uint8 images `[N, 3, 32, 32]` and int64 labels,
 * narrowed to `classes` when given.
 *
 * @example
 * ```ts
 * import { loadCifar10 } from "./dataset.ts";
 * import { cifar10Dir } from "./data_dir.ts";
 * using train = loadCifar10(cifar10Dir(), { split: "train", classes: ["bird", "cat"] }); // labels: bird 0, cat 1
 * ```
 */
export function loadCifar10(dir: string, options: LoadCifar10Options): ImageDataset {
  checkOptions(
    "loadCifar10",
    options,
    ["split", "classes"],
    'loadCifar10(dir, { split: "train", classes: ["bird", "cat"] })',
  );
  const all = readCifar10(dir, { split: options?.split });
  if (options.classes === undefined) return all;
  try {
    return selectClasses(all, options.classes);
  } finally {
    all.dispose();
  }
}
