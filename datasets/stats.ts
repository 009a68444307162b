/**
 * Per-channel mean and standard deviation of uint8 images on the [0, 1] scale (pixel / 255), for
 * normalisation. The sums are taken exactly, in int64 tensor operations over chunks of images (so the
 * result does not depend on the chunking, the thread count or the device), and the final mean and
 * variance are formed from those exact integers: the mean is the correctly rounded float64 value, the
 * standard deviation within an ulp or two of it.
 *
 * @module
 */

import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkOptionsObject, checkTensor } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";

/** Per-channel statistics on the [0, 1] scale. */
export interface ChannelStats {
  /** The mean of each channel. */
  mean: number[];
  /** The standard deviation of each channel (population, or as `correction` says). */
  std: number[];
}

/** Options of {@linkcode channelStats}. */
export interface ChannelStatsOptions {
  /**
   * Subtracted from the count in the variance's denominator: 0 (the default) for the population standard
   * deviation (NumPy's `std()`, `torch.std(correction=0)`), 1 for Bessel's (`torch.std()`'s default).
   */
  correction?: number;
  /** Images summed per tensor operation (default 128; bounds the int64 temporaries' memory). */
  chunk?: number;
}

/**
 * The per-channel mean and standard deviation of uint8 images `[N, C, H, W]` as values in [0, 1], over
 * all images and pixels: `mean[c] = sum(x) / (255 M)`, `std[c] = sqrt((M sum(x^2) - sum(x)^2) / (M (M -
 * correction))) / 255` with `M = N H W`.
 *
 * @example
 * ```ts
 * import { channelStats } from "./stats.ts";
 * import { readCifar10 } from "./cifar10/reader.ts";
 * import { cifar10Dir } from "./cifar10/data_dir.ts";
 * using train = readCifar10(cifar10Dir(), { split: "train" });
 * const { mean, std } = channelStats(train.images); // e.g. for normalize(x, mean, std)
 * ```
 */
export function channelStats(images: Tensor, options: ChannelStatsOptions = {}): ChannelStats {
  checkTensor("channelStats", "images", images);
  checkOptionsObject("channelStats", options);
  checkOptions("channelStats", options, ["correction", "chunk"]);
  if (images.ndim !== 4) throw new RangeError(`channelStats: images must be [N, C, H, W], got [${images.shape}]`);
  if (images.dtype !== "uint8") {
    throw new TypeError(`channelStats: images must be uint8 (0..255), got ${images.dtype}; compute on the raw images`);
  }
  const correction = options.correction ?? 0;
  // small chunks: 25 MB int64 chunks (1024 images) fragment glibc's heap, and the peak grew by 190 MB for the
  // study's 9,000 images; 128 images (3 MB) keep it within a few MB of the images themselves
  const chunk = options.chunk ?? 128;
  const [n, c, h, w] = images.shape;
  const m = n * h * w;
  if (m - correction <= 0) throw new RangeError(`channelStats: ${m} pixels per channel are too few`);
  const s = new Array<bigint>(c).fill(0n), ss = new Array<bigint>(c).fill(0n);
  for (let start = 0; start < n; start += chunk) {
    const [sums, squares] = tidy(() => {
      const x = images.narrow(0, start, Math.min(chunk, n - start)).to({ dtype: "int64" });
      return [x.sum([0, 2, 3]).cpu().data(), x.square().sum([0, 2, 3]).cpu().data()] as BigInt64Array[];
    });
    for (let k = 0; k < c; k++) {
      s[k] += sums[k];
      ss[k] += squares[k];
    }
  }
  const mean = s.map((v) => Number(v) / (m * 255));
  const std = s.map((v, k) => {
    const numerator = BigInt(m) * ss[k] - v * v; // exact: M^2 * (population variance in pixel units)
    return Math.sqrt(Number(numerator) / (m * (m - correction))) / 255;
  });
  return { mean, std };
}
