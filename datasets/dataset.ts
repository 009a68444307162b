/**
 * An in-memory image dataset: one image tensor `[N, C, H, W]` (uint8 as decoded, or any dtype), one int64
 * label tensor `[N]`, and the class names the labels index.
 *
 * @module
 */

import type { Device } from "../tensor/device.ts";
import { keep } from "../tensor/memory.ts";
import { tensor } from "../tensor/creation.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkTensor, describe } from "../tensor/checks.ts";

/**
 * Images, labels and class names. The dataset owns its two tensors: they are `keep()`-ed, so no `tidy`
 * scope frees them, and `dispose()` (or `using`) frees them.
 *
 * @example
 * ```ts
 * import { ImageDataset } from "./dataset.ts";
 * import { randint, zeros } from "../mod.ts";
 * using ds = new ImageDataset(zeros([4, 3, 32, 32], { dtype: "uint8" }), randint(0, 2, [4]), ["bird", "cat"]);
 * using firstTwo = ds.subset([0, 1]);
 * ```
 */
export class ImageDataset {
  /** The images, `[N, C, H, W]`. */
  readonly images: Tensor;
  /** The labels, int64 `[N]`, each an index into `classes`. */
  readonly labels: Tensor;
  /** The class names; label `k` means `classes[k]`. */
  readonly classes: readonly string[];

  /** Wraps `images` `[N, C, H, W]` and int64 `labels` `[N]` (both are kept; the dataset owns them). */
  constructor(images: Tensor, labels: Tensor, classes: readonly string[]) {
    checkTensor("ImageDataset", "images", images);
    checkTensor("ImageDataset", "labels", labels);
    if (!Array.isArray(classes) || !classes.every((c) => typeof c === "string")) {
      throw new TypeError(`ImageDataset: classes must be an array of class names, got ${describe(classes)}`);
    }
    if (images.ndim !== 4) throw new RangeError(`ImageDataset: images must be [N, C, H, W], got [${images.shape}]`);
    if (labels.ndim !== 1 || labels.shape[0] !== images.shape[0]) {
      throw new RangeError(
        `ImageDataset: labels must be [N] with N = ${images.shape[0]} (the number of images), got [${labels.shape}]`,
      );
    }
    if (labels.dtype !== "int64") throw new TypeError(`ImageDataset: labels must be int64, got ${labels.dtype}`);
    this.images = keep(images);
    this.labels = keep(labels);
    this.classes = Object.freeze([...classes]);
  }

  /** The number of images. */
  get length(): number {
    return this.labels.shape[0];
  }

  /** The device the tensors are on. */
  get device(): Device {
    return this.images.device;
  }

  /**
   * The images and labels at `indices` (int64 tensor or numbers), in that order, as a new dataset (copies).
   *
   * @example
   * ```ts
   * import { ImageDataset } from "./dataset.ts";
   * import { arange, zeros } from "../mod.ts";
   * using ds = new ImageDataset(zeros([5, 3, 32, 32], { dtype: "uint8" }), arange(5), ["a", "b", "c", "d", "e"]);
   * using head = ds.subset([0, 1, 2]);
   * ```
   */
  subset(indices: Tensor | readonly number[]): ImageDataset {
    const idx = Array.isArray(indices) ? tensor(indices as number[], { dtype: "int64" }) : indices as Tensor;
    const onDevice = idx.device === this.device ? idx : idx.to({ device: this.device });
    try {
      return new ImageDataset(
        this.images.indexSelect(0, onDevice),
        this.labels.indexSelect(0, onDevice),
        this.classes,
      );
    } finally {
      if (onDevice !== idx) onDevice.dispose();
      if (idx !== indices) idx.dispose();
    }
  }

  /**
   * The dataset on `device` (a new dataset with copies; this one when it is already there).
   *
   * @example
   * ```ts
   * import { ImageDataset } from "./dataset.ts";
   * import { cuda, zeros } from "../mod.ts";
   * using ds = new ImageDataset(zeros([2, 3, 32, 32], { dtype: "uint8" }), zeros([2], { dtype: "int64" }), ["a"]);
   * if (cuda.isAvailable()) ds.to("cuda").dispose();
   * ```
   */
  to(device: Device): ImageDataset {
    if (device === this.device) return this;
    return new ImageDataset(this.images.to({ device }), this.labels.to({ device }), this.classes);
  }

  /** Frees the image and label tensors. */
  dispose(): void {
    this.images.dispose();
    this.labels.dispose();
  }

  /** `using ds = ...` frees the tensors at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
