/**
 * Keeping some classes of a dataset, with the labels renumbered in the order the classes are given: with
 * `["bird", "cat"]`, bird (CIFAR-10 label 2) becomes 0 and cat (label 3) becomes 1.
 *
 * @module
 */

import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { ImageDataset } from "./dataset.ts";
import { describe } from "../tensor/checks.ts";

/**
 * The study's classes, in their new label order: bird -> 0, cat -> 1.
 *
 * @deprecated The study's data live in `study/data.ts` (its `BIRD_CAT`); this copy is kept so that
 * `datasets.BIRD_CAT` stays public. Pass the class names to {@linkcode selectClasses} or `loadCifar10`.
 */
export const BIRD_CAT: readonly string[] = Object.freeze(["bird", "cat"]);

/**
 * The label numbers of `classes` (names or label numbers) in `names`, checked.
 *
 * @example
 * ```ts
 * import { classIndices } from "./select.ts";
 * import { CIFAR10_CLASSES } from "./cifar10/format.ts";
 * classIndices(["bird", 3], CIFAR10_CLASSES); // [2, 3]
 * ```
 */
export function classIndices(classes: readonly (string | number)[], names: readonly string[]): number[] {
  if (!Array.isArray(classes)) {
    throw new TypeError(
      `selectClasses: classes must be an array of class names or label numbers, got ${describe(classes)}`,
    );
  }
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
    throw new TypeError(`selectClasses: the class names must be an array of strings, got ${describe(names)}`);
  }
  if (classes.length === 0) throw new RangeError("selectClasses: give at least one class");
  const out = classes.map((c) => {
    if (typeof c === "number") {
      if (!Number.isInteger(c) || c < 0 || c >= names.length) {
        throw new RangeError(`selectClasses: class index ${c} is out of range 0..${names.length - 1}`);
      }
      return c;
    }
    if (typeof c !== "string") {
      throw new TypeError(`selectClasses: a class must be a name or a label number, got ${describe(c)}`);
    }
    const i = names.indexOf(c);
    if (i < 0) throw new RangeError(`selectClasses: unknown class "${c}" (the classes are ${names.join(", ")})`);
    return i;
  });
  const dup = out.find((v, i) => out.indexOf(v) !== i);
  if (dup !== undefined) throw new RangeError(`selectClasses: class "${names[dup]}" is given twice`);
  return out;
}

/**
 * The items of `dataset` whose class is one of `classes` (names or label numbers), in their original
 * order, with label `classes[k]` renumbered to `k` and the class names narrowed to `classes`. All tensor
 * operations, on the dataset's device.
 *
 * @example
 * ```ts
 * import { selectClasses } from "./select.ts";
 * import { readCifar10 } from "./cifar10/reader.ts";
 * import { cifar10Dir } from "./cifar10/data_dir.ts";
 * using cifar = readCifar10(cifar10Dir(), { split: "test" });
 * using birdsCats = selectClasses(cifar, ["bird", "cat"]); // labels: bird 0, cat 1; classes ["bird", "cat"]
 * ```
 */
export function selectClasses(dataset: ImageDataset, classes: readonly (string | number)[]): ImageDataset {
  if (!(dataset instanceof ImageDataset)) {
    throw new TypeError(`selectClasses: dataset must be an ImageDataset, got ${describe(dataset)}`);
  }
  const wanted = classIndices(classes, dataset.classes);
  const { images, labels } = tidy(() => {
    const old = dataset.labels;
    let mask: Tensor = old.eq(wanted[0]);
    for (const c of wanted.slice(1)) mask = mask.logicalOr(old.eq(c));
    const idx = mask.nonzero().select(1, 0);
    const kept = old.indexSelect(0, idx);
    let labels = kept.mul(0);
    for (let k = 1; k < wanted.length; k++) labels = labels.maskedFill(kept.eq(wanted[k]), k);
    return { images: dataset.images.indexSelect(0, idx), labels };
  });
  return new ImageDataset(images, labels, wanted.map((i) => dataset.classes[i]));
}
