/**
 * Random image transforms on batches, reproducible after `manualSeed`. Each makes one draw per image
 * (or per image pair of numbers) from the global CPU generator, in one tensor operation per batch, then
 * moves the drawn parameters to the images' device: the same seed gives the same augmentation on CPU and
 * CUDA. The draws are those torchvision 0.14's transform classes make for one image, in image order, so a
 * batch equals applying the torchvision transform to each image in turn:
 *
 * | here | draws, in order | equals, image by image |
 * | --- | --- | --- |
 * | `randomCrop(x, size, { padding })` | `torch.randint(0, H' - h + 1, (N, 2))`: `(top, left)` per image (none when the padded size equals `size`) | `T.RandomCrop(size, padding)` |
 * | `randomHorizontalFlip(x, { p })` | `torch.rand(N)`; image k is flipped when draw k < p | `T.RandomHorizontalFlip(p)` |
 * | `randomRotation(x, degrees)` | `torch.empty(N).uniform_(lo, hi)`: one angle per image | `T.RandomRotation(degrees, fill=0)` |
 *
 * (`H'`, `W'`: the padded size. When `H' - h != W' - w` the crop draws `randint(0, H' - h + 1, (1,))` then
 * `randint(0, W' - w + 1, (1,))` for each image in turn, as torchvision does.) So the Python reference of
 * a batch pipeline `[t1, t2, ...]` is `for t in [t1, t2, ...]: x = torch.stack([t(img) for img in x])`.
 *
 * @module
 */

import { empty, rand, randint } from "../../tensor/creation.ts";
import { cat, where } from "../../tensor/functions.ts";
import { tidy } from "../../tensor/memory.ts";
import type { Tensor } from "../../tensor/tensor.ts";
import { arange } from "../../tensor/creation.ts";
import { type Interpolation, pad, type PaddingMode, rotate } from "./functional.ts";
import { checkOptionsObject, checkTensor, describe } from "../../tensor/checks.ts";
import { checkOptions } from "../../tensor/options.ts";

function checkBatch(images: Tensor, what: string): [number, number, number, number] {
  checkTensor(what, "images", images);
  if (images.ndim !== 4) throw new RangeError(`${what}: images must be a batch [N, C, H, W], got [${images.shape}]`);
  return images.shape as [number, number, number, number];
}

/** Options of {@linkcode randomCrop}. */
export interface RandomCropOptions {
  /** Padding added first: n for all sides, `[leftRight, topBottom]` or `[left, top, right, bottom]`. */
  padding?: number | readonly number[];
  /** The value of constant padding (default 0). */
  fill?: number;
  /** `"constant"` (default), `"edge"` or `"reflect"`. */
  paddingMode?: PaddingMode;
}

/**
 * Pads the images (optionally), then cuts a random `size` window out of each (torchvision's
 * `T.RandomCrop(size, padding, fill=fill, padding_mode=paddingMode)`, image by image). `size` is one
 * number for a square or `[height, width]`.
 *
 * @example
 * ```ts
 * import { randomCrop } from "./random.ts";
 * import { manualSeed, rand } from "../../mod.ts";
 * manualSeed(0);
 * const x = randomCrop(rand([64, 3, 32, 32]), 32, { padding: 4 }); // the CIFAR augmentation
 * ```
 */
export function randomCrop(images: Tensor, size: number | readonly number[], options: RandomCropOptions = {}): Tensor {
  checkOptionsObject("randomCrop", options);
  checkOptions("randomCrop", options, ["padding", "fill", "paddingMode"], "randomCrop(images, 32, { padding: 4 })");
  checkBatch(images, "randomCrop");
  if (typeof size !== "number" && !Array.isArray(size)) {
    throw new TypeError(`randomCrop: size must be a positive integer or [height, width], got ${describe(size)}`);
  }
  const s = typeof size === "number" ? [size, size] : [...size];
  if (s.length !== 2 || !s.every((v) => Number.isInteger(v) && v > 0)) {
    throw new RangeError(`randomCrop: size must be a positive integer or [height, width], got ${describe(size)}`);
  }
  const [th, tw] = s;
  return tidy(() => {
    const padded = options.padding === undefined
      ? images
      : pad(images, options.padding, { fill: options.fill, paddingMode: options.paddingMode });
    const [n, c, h, w] = padded.shape;
    if (h < th || w < tw) {
      throw new RangeError(
        `randomCrop: the crop [${th}, ${tw}] is larger than the (padded) images [${h}, ${w}]; add padding`,
      );
    }
    if (h === th && w === tw) return padded === images ? images.narrow(0, 0, n) : padded;
    // (top, left) per image, drawn on the CPU generator in torchvision's order.
    const corners = h - th === w - tw
      ? randint(0, h - th + 1, [n, 2])
      : cat(Array.from({ length: n }, () => cat([randint(0, h - th + 1, [1]), randint(0, w - tw + 1, [1])])))
        .view([n, 2]);
    const device = images.device;
    const at = corners.to({ device });
    const rows = at.narrow(1, 0, 1).add(arange(th, { device }).view([1, th])); // [N, th]
    const cols = at.narrow(1, 1, 1).add(arange(tw, { device }).view([1, tw])); // [N, tw]
    const byRow = padded.gather(2, rows.view([n, 1, th, 1]).expand([n, c, th, w]));
    return byRow.gather(3, cols.view([n, 1, 1, tw]).expand([n, c, th, tw]));
  });
}

/**
 * Mirrors each image left to right with probability `p` (default 0.5), torchvision's
 * `T.RandomHorizontalFlip(p)` image by image.
 *
 * @example
 * ```ts
 * import { randomHorizontalFlip } from "./random.ts";
 * import { manualSeed, rand } from "../../mod.ts";
 * manualSeed(0);
 * const x = randomHorizontalFlip(rand([64, 3, 32, 32]));
 * ```
 */
export function randomHorizontalFlip(images: Tensor, options: { p?: number } = {}): Tensor {
  checkOptionsObject("randomHorizontalFlip", options);
  checkOptions("randomHorizontalFlip", options, ["p"], "randomHorizontalFlip(images, { p: 0.5 })");
  const [n] = checkBatch(images, "randomHorizontalFlip");
  const p = options.p ?? 0.5;
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`randomHorizontalFlip: option 'p' must be in [0, 1], got ${describe(p)}`);
  }
  return tidy(() => {
    const flip = rand([n]).lt(p).to({ device: images.device }).view([n, 1, 1, 1]);
    return where(flip, images.flip([-1]), images);
  });
}

/** Options of {@linkcode randomRotation}. */
export interface RandomRotationOptions {
  /** `"nearest"` (default) or `"bilinear"`. */
  interpolation?: Interpolation;
  /** The value outside the rotated image: a number or one per channel (default 0, as torchvision). */
  fill?: number | readonly number[];
}

/**
 * Rotates each image by an angle drawn uniformly from `[-degrees, degrees]` (or `[min, max]`), torchvision's
 * `T.RandomRotation(degrees, interpolation, fill=fill)` image by image.
 *
 * @example
 * ```ts
 * import { randomRotation } from "./random.ts";
 * import { manualSeed, rand } from "../../mod.ts";
 * manualSeed(0);
 * const x = randomRotation(rand([64, 3, 32, 32]), 15);
 * ```
 */
export function randomRotation(
  images: Tensor,
  degrees: number | readonly [number, number],
  options: RandomRotationOptions = {},
): Tensor {
  checkOptionsObject("randomRotation", options);
  checkOptions("randomRotation", options, ["interpolation", "fill"], "randomRotation(images, 15, { fill: 0 })");
  const [n] = checkBatch(images, "randomRotation");
  if (typeof degrees !== "number" && !(Array.isArray(degrees) && degrees.length === 2)) {
    throw new TypeError(`randomRotation: degrees must be a number or [min, max], got ${describe(degrees)}`);
  }
  const [lo, hi] = typeof degrees === "number" ? [-degrees, degrees] : degrees;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi || (typeof degrees === "number" && degrees < 0)) {
    throw new RangeError(
      `randomRotation: degrees must be a non-negative number or [min, max] with min <= max, got ${
        JSON.stringify(degrees)
      }`,
    );
  }
  return tidy(() => {
    const angles = empty([n]).uniform_(lo, hi);
    return rotate(images, angles, { interpolation: options.interpolation, fill: options.fill ?? 0 });
  });
}
