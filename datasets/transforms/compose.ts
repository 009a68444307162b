/**
 * Chaining batch transforms: a transform is a function from an image batch to a new batch.
 *
 * @module
 */

import { tidy } from "../../tensor/memory.ts";
import type { Tensor } from "../../tensor/tensor.ts";
import { describe } from "../../tensor/checks.ts";

/** A batch transform: images `[N, C, H, W]` in, a new tensor out (the input is left alone). */
export type Transform = (images: Tensor) => Tensor;

/**
 * One transform running `transforms` in order (torchvision's `T.Compose`, on whole batches); the
 * intermediate tensors are freed as it goes.
 *
 * @example
 * ```ts
 * import { compose } from "./compose.ts";
 * import { normalize, toFloat } from "./functional.ts";
 * import { randomCrop, randomHorizontalFlip } from "./random.ts";
 * const train = compose(
 *   (x) => randomCrop(x, 32, { padding: 4 }),
 *   (x) => randomHorizontalFlip(x),
 *   (x) => toFloat(x),
 *   (x) => normalize(x, [0.49, 0.48, 0.45], [0.25, 0.24, 0.26]),
 * );
 * ```
 */
export function compose(...transforms: Transform[]): Transform {
  for (const [i, t] of transforms.entries()) {
    if (typeof t !== "function") {
      throw new TypeError(`compose: transform ${i} must be a function (images) => images, got ${describe(t)}`);
    }
  }
  return (images: Tensor) =>
    tidy(() => {
      let x = images;
      for (const t of transforms) x = t(x);
      return x === images ? images.narrow(0, 0, images.shape[0]) : x;
    });
}
