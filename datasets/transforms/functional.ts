/**
 * Deterministic image transforms on batches, as tensor operations through the binding (so they run on any
 * device): torchvision 0.14's `transforms.functional` on tensors, operation for operation, so the results
 * equal torchvision's to the bit (the fixtures test it). Images are `[N, C, H, W]` (a single `[C, H, W]`
 * works too); uint8 images stay uint8 where torchvision keeps them so (rounded after float arithmetic).
 *
 * | here | torchvision |
 * | --- | --- |
 * | `toFloat(x)` | `F.convert_image_dtype(x, torch.float32)`: uint8 / 255 |
 * | `normalize(x, mean, std)` | `F.normalize(x, mean, std)` |
 * | `pad(x, p, { fill, paddingMode })` | `F.pad(x, p, fill, padding_mode)` ("constant", "edge", "reflect") |
 * | `crop(x, top, left, h, w)` | `F.crop(x, top, left, h, w)` (zero-padded outside the image) |
 * | `hflip(x)`, `vflip(x)` | `F.hflip(x)`, `F.vflip(x)` |
 * | `rotate(x, angle, { interpolation, fill })` | `F.rotate(x, angle, interpolation, fill=fill)` (about the centre, no expand) |
 * | `resize(x, size, { interpolation })` | `F.resize(x, size, interpolation)` with antialias off (0.14's tensor default) |
 *
 * `rotate` also takes one angle per image (a tensor `[N]`), which random rotation uses.
 *
 * @module
 */

import { type Arg, callT, callTA, floatArg } from "../../tensor/call.ts";
import { empty, linspace, ones, tensor, zerosLike } from "../../tensor/creation.ts";
import type { Device } from "../../tensor/device.ts";
import type { DType } from "../../tensor/dtype.ts";
import { cat, stack, where } from "../../tensor/functions.ts";
import { keep, tidy } from "../../tensor/memory.ts";
import { op } from "../../tensor/operator.ts";
import type { Tensor } from "../../tensor/tensor.ts";
import { checkOptionsObject, checkTensor, describe } from "../../tensor/checks.ts";
import { checkOptions } from "../../tensor/options.ts";

const OPS = {
  alias: op("aten::alias", ""),
  pad: op("aten::pad", ""),
  gridSampler: op("aten::grid_sampler", ""),
  bilinear: op("aten::upsample_bilinear2d", "vec"),
  nearest: op("aten::upsample_nearest2d", "vec"),
};

/** Resampling of `rotate` and `resize`. */
export type Interpolation = "nearest" | "bilinear";

/** How `pad` fills: a constant, the edge pixels repeated, or a reflection (without the edge). */
export type PaddingMode = "constant" | "edge" | "reflect";

/** A new handle on the same tensor (so a caller may dispose input and output independently). */
function alias(t: Tensor): Tensor {
  return callT(OPS.alias, t);
}

function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64" || dtype === "float16" || dtype === "bfloat16";
}

function checkImages(images: Tensor, what: string): void {
  checkTensor(what, "images", images);
  if (images.ndim !== 3 && images.ndim !== 4) {
    throw new RangeError(`${what}: images must be [N, C, H, W] or [C, H, W], got [${images.shape}]`);
  }
}

/** Runs `fn` on a 4-D batch: a [C, H, W] image is unsqueezed before and squeezed after. */
function batched(images: Tensor, fn: (x: Tensor) => Tensor): Tensor {
  if (images.ndim === 4) return fn(images);
  return tidy(() => fn(images.unsqueeze(0)).squeeze(0));
}

/**
 * torchvision's `_cast_squeeze_in/_out`: an image whose dtype is not in `floats` is computed in the first
 * of them, then rounded and cast back.
 */
function viaFloat(images: Tensor, floats: readonly DType[], fn: (x: Tensor) => Tensor): Tensor {
  if (floats.includes(images.dtype)) return fn(images);
  const out = images.dtype;
  return tidy(() => {
    const y = fn(images.to({ dtype: floats[0] }));
    return (isFloat(out) ? y : y.round()).to({ dtype: out });
  });
}

/**
 * uint8 images (0..255) as float in [0, 1] (`x / 255`, torchvision's `convert_image_dtype`); float images
 * are only converted to `dtype`.
 *
 * @example
 * ```ts
 * import { toFloat } from "./functional.ts";
 * import { zeros } from "../../mod.ts";
 * const x = toFloat(zeros([8, 3, 32, 32], { dtype: "uint8" })); // float32 in [0, 1]
 * ```
 */
export function toFloat(images: Tensor, options: { dtype?: "float32" | "float64" } = {}): Tensor {
  checkTensor("toFloat", "images", images);
  checkOptionsObject("toFloat", options);
  checkOptions("toFloat", options, ["dtype"], 'toFloat(images, { dtype: "float64" })');
  const dtype = options.dtype ?? "float32";
  if (isFloat(images.dtype)) return images.dtype === dtype ? alias(images) : images.to({ dtype });
  if (images.dtype !== "uint8") {
    throw new TypeError(`toFloat: images must be uint8 or floating point, got ${images.dtype}`);
  }
  return tidy(() => images.to({ dtype }).div(255));
}

/**
 * `(x - mean[c]) / std[c]` per channel, for float images (torchvision's `F.normalize`). `mean` and `std`
 * hold one number per channel (or one for all), converted to the images' dtype.
 *
 * @example
 * ```ts
 * import { normalize, toFloat } from "./functional.ts";
 * import { zeros } from "../../mod.ts";
 * const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
 * const x = normalize(toFloat(zeros([2, 3, 224, 224], { dtype: "uint8" })), IMAGENET.mean, IMAGENET.std);
 * ```
 */
export function normalize(images: Tensor, mean: readonly number[], std: readonly number[]): Tensor {
  checkImages(images, "normalize");
  if (!isFloat(images.dtype)) {
    throw new TypeError(`normalize: images must be floating point, got ${images.dtype}; convert with toFloat first`);
  }
  const channels = images.shape[images.ndim - 3];
  for (const [name, v] of [["mean", mean], ["std", std]] as const) {
    if (!Array.isArray(v) || (v.length !== 1 && v.length !== channels) || !v.every(Number.isFinite)) {
      throw new RangeError(`normalize: '${name}' must hold 1 or ${channels} finite numbers, got ${describe(v)}`);
    }
  }
  const [m, s] = normalizeStats(mean, std, images.dtype, images.device);
  return tidy(() => images.sub(m).div(s));
}

/** The mean and std tensors of `normalize`, made once per values, dtype and device (a few are kept). */
const statsCache = new Map<string, [Tensor, Tensor]>();
const STATS_KEPT = 16;

/** `normalize`'s `[C, 1, 1]` mean and std tensors, from the cache or made (and checked) now. */
function normalizeStats(
  mean: readonly number[],
  std: readonly number[],
  dtype: DType,
  device: Device,
): [Tensor, Tensor] {
  const key = `${dtype}|${device}|${mean.join(",")}|${std.join(",")}`;
  const hit = statsCache.get(key);
  if (hit !== undefined) {
    statsCache.delete(key); // most recently used last
    statsCache.set(key, hit);
    return hit;
  }
  const made = tidy(() => {
    const m = tensor([...mean], { dtype, device }).view([-1, 1, 1]);
    const s = tensor([...std], { dtype, device }).view([-1, 1, 1]);
    if (s.eq(0).any().item()) {
      throw new RangeError(`normalize: std ${JSON.stringify(std)} has a zero in ${dtype}; it would divide by zero`);
    }
    return [keep(m), keep(s)] as [Tensor, Tensor];
  });
  if (statsCache.size >= STATS_KEPT) {
    const [oldest, stats] = statsCache.entries().next().value!;
    statsCache.delete(oldest);
    for (const t of stats) t.dispose();
  }
  statsCache.set(key, made);
  return made;
}

/**
 * Frees the mean and std tensors {@linkcode normalize} keeps (the next call makes them again): a run that
 * frees every tensor it made calls this at its end (the study pipeline does).
 */
export function releaseNormalizeStats(): void {
  for (const stats of statsCache.values()) for (const t of stats) t.dispose();
  statsCache.clear();
}

/** Options of {@linkcode pad}. */
export interface PadOptions {
  /** The value of constant padding (default 0). */
  fill?: number;
  /** `"constant"` (default), `"edge"` (repeat the border pixels) or `"reflect"` (mirror without the border). */
  paddingMode?: PaddingMode;
}

/** torchvision's padding forms: n (all sides), [leftRight, topBottom] or [left, top, right, bottom]. */
function parsePadding(padding: number | readonly number[], what: string): [number, number, number, number] {
  const p = typeof padding === "number" ? [padding] : [...padding];
  if (!p.every((v) => Number.isInteger(v) && v >= 0) || ![1, 2, 4].includes(p.length)) {
    throw new RangeError(
      `${what}: padding must be a non-negative integer, [leftRight, topBottom] or [left, top, right, bottom], ` +
        `got ${describe(padding)}`,
    );
  }
  if (p.length === 1) return [p[0], p[0], p[0], p[0]];
  if (p.length === 2) return [p[0], p[1], p[0], p[1]];
  return p as [number, number, number, number];
}

/**
 * Pads the image borders (torchvision's `F.pad`): `padding` is n for all sides, `[leftRight, topBottom]`
 * or `[left, top, right, bottom]`.
 *
 * @example
 * ```ts
 * import { pad } from "./functional.ts";
 * import { zeros } from "../../mod.ts";
 * const x = pad(zeros([8, 3, 32, 32]), 4); // [8, 3, 40, 40]
 * const y = pad(zeros([8, 3, 32, 32]), [2, 1], { paddingMode: "reflect" }); // [8, 3, 34, 36]
 * ```
 */
export function pad(images: Tensor, padding: number | readonly number[], options: PadOptions = {}): Tensor {
  checkOptionsObject("pad", options);
  checkOptions("pad", options, ["fill", "paddingMode"], 'pad(images, 4, { fill: 0, paddingMode: "constant" })');
  checkImages(images, "pad");
  const [left, top, right, bottom] = parsePadding(padding, "pad");
  const mode = options.paddingMode ?? "constant";
  const p = [left, right, top, bottom];
  if (mode === "constant") return callTA(OPS.pad, [images, p, "constant", floatArg(options.fill ?? 0)]);
  if (mode !== "edge" && mode !== "reflect") {
    throw new RangeError(
      `pad: option 'paddingMode' must be "constant", "edge" or "reflect", got ${describe(mode)}`,
    );
  }
  const aten = mode === "edge" ? "replicate" : "reflect";
  // torchvision computes reflect/edge padding in float32 for other dtypes (the values are only copied).
  return viaFloat(images, ["float32", "float64"], (x) => callTA(OPS.pad, [x, p, aten, null] as Arg[]));
}

/**
 * The `height` x `width` window at (`top`, `left`) of every image (torchvision's `F.crop`); parts outside
 * the image are zeros. Inside the image the result is a view.
 *
 * @example
 * ```ts
 * import { crop } from "./functional.ts";
 * import { zeros } from "../../mod.ts";
 * const x = crop(zeros([8, 3, 32, 32]), 4, 4, 24, 24); // the central 24x24
 * ```
 */
export function crop(images: Tensor, top: number, left: number, height: number, width: number): Tensor {
  checkImages(images, "crop");
  for (const [name, v] of [["top", top], ["left", left], ["height", height], ["width", width]] as const) {
    if (!Number.isInteger(v) || ((name === "height" || name === "width") && v < 0)) {
      throw new RangeError(`crop: ${name} must be an integer${name.length > 4 ? " >= 0" : ""}, got ${describe(v)}`);
    }
  }
  const h = images.shape[images.ndim - 2], w = images.shape[images.ndim - 1];
  const right = left + width, bottom = top + height;
  if (left < 0 || top < 0 || right > w || bottom > h) {
    const ltrb = [
      Math.max(-left + Math.min(0, right), 0),
      Math.max(-top + Math.min(0, bottom), 0),
      Math.max(right - Math.max(w, left), 0),
      Math.max(bottom - Math.max(h, top), 0),
    ];
    return tidy(() => {
      const inside = images.slice(-2, Math.max(top, 0), bottom).slice(-1, Math.max(left, 0), right);
      return pad(inside, ltrb);
    });
  }
  return images.narrow(-2, top, height).narrow(-1, left, width);
}

/**
 * Mirrors the images left to right (torchvision's `F.hflip`).
 *
 * @example
 * ```ts
 * import { hflip } from "./functional.ts";
 * import { arange } from "../../mod.ts";
 * hflip(arange(4).reshape([1, 1, 1, 4])); // [[[[3, 2, 1, 0]]]]
 * ```
 */
export function hflip(images: Tensor): Tensor {
  checkImages(images, "hflip");
  return images.flip([-1]);
}

/**
 * Mirrors the images top to bottom (torchvision's `F.vflip`).
 *
 * @example
 * ```ts
 * import { vflip } from "./functional.ts";
 * import { zeros } from "../../mod.ts";
 * const y = vflip(zeros([2, 3, 32, 32]));
 * ```
 */
export function vflip(images: Tensor): Tensor {
  checkImages(images, "vflip");
  return images.flip([-2]);
}

/** Options of {@linkcode rotate}. */
export interface RotateOptions {
  /** `"nearest"` (default, as torchvision) or `"bilinear"`. */
  interpolation?: Interpolation;
  /**
   * The value of the area outside the rotated image: null (default) samples zeros; a number or one per
   * channel blends it in through a mask, as torchvision does whenever `fill` is given.
   */
  fill?: number | readonly number[] | null;
}

/**
 * The sampling grid of torchvision's `_gen_affine_grid` for one 2x3 inverse-affine matrix per image
 * (`theta` `[N, 2, 3]`), output size = input size: `[N, H, W, 2]`.
 */
function affineGrid(theta: Tensor, h: number, w: number): Tensor {
  const dtype = theta.dtype, device = theta.device, n = theta.shape[0];
  const base = empty([1, h, w, 3], { dtype, device });
  base.select(-1, 0).copy_(linspace(-w * 0.5 + 0.5, w * 0.5 + 0.5 - 1, w, { device }));
  base.select(-1, 1).copy_(linspace(-h * 0.5 + 0.5, h * 0.5 + 0.5 - 1, h, { device }).unsqueeze(-1));
  base.select(-1, 2).fill_(1);
  const rescaled = theta.transpose(1, 2).div(tensor([0.5 * w, 0.5 * h], { dtype, device }));
  return base.view([1, h * w, 3]).expand([n, h * w, 3]).bmm(rescaled).view([n, h, w, 2]);
}

/**
 * Rotates the images counter-clockwise by `angle` degrees about their centres, keeping the size
 * (torchvision's `F.rotate(x, angle, interpolation, expand=False, center=None, fill)`). `angle` is one
 * number for all images or a tensor `[N]` with one angle per image (on any device). The rotation matrix is
 * formed in float64 tensor operations, like torchvision's Python floats.
 *
 * @example
 * ```ts
 * import { rotate } from "./functional.ts";
 * import { rand, tensor } from "../../mod.ts";
 * const x = rand([2, 3, 32, 32]);
 * const a = rotate(x, 10);                                  // both by 10 degrees
 * const b = rotate(x, tensor([-5, 5]), { interpolation: "bilinear" }); // one angle each
 * ```
 */
export function rotate(images: Tensor, angle: number | Tensor, options: RotateOptions = {}): Tensor {
  checkOptionsObject("rotate", options);
  checkOptions(
    "rotate",
    options,
    ["interpolation", "fill"],
    'rotate(images, 15, { interpolation: "bilinear", fill: 0 })',
  );
  checkImages(images, "rotate");
  const interpolation = options.interpolation ?? "nearest";
  if (interpolation !== "nearest" && interpolation !== "bilinear") {
    throw new RangeError(`rotate: option 'interpolation' must be "nearest" or "bilinear", got ${interpolation}`);
  }
  const fill = options.fill ?? null;
  return batched(images, (x) => {
    const [n, c, h, w] = x.shape;
    const fillList = fill === null ? null : typeof fill === "number" ? [fill] : [...fill];
    if (fillList !== null && (fillList.length === 0 || (fillList.length > 1 && fillList.length !== c))) {
      throw new RangeError(`rotate: option 'fill' must be one number or ${c} (one per channel), got ${fill}`);
    }
    const dtype: DType = isFloat(x.dtype) && x.dtype !== "float16" && x.dtype !== "bfloat16" ? x.dtype : "float32";
    return tidy(() => {
      const device = x.device;
      let degrees: Tensor;
      if (typeof angle === "number") {
        if (!Number.isFinite(angle)) throw new RangeError(`rotate: angle must be finite, got ${angle}`);
        degrees = tensor(new Float64Array(n).fill(angle), { device });
      } else {
        if (angle.ndim !== 1 || angle.shape[0] !== n) {
          throw new RangeError(`rotate: a tensor angle must be [N] with N = ${n}, got [${angle.shape}]`);
        }
        degrees = angle.to({ dtype: "float64", device });
      }
      // torchvision: matrix = _get_inverse_affine_matrix(center 0, -angle, ...) = [cos r, sin r, 0, -sin r, cos r, 0]
      // with r = math.radians(-angle) = -angle * (pi / 180), in Python floats (float64).
      const r = degrees.neg().mul(Math.PI / 180);
      const cos = r.cos(), sin = r.sin(), zero = zerosLike(r);
      const theta = stack([cos, sin, zero, sin.neg(), cos, zero], 1).to({ dtype }).view([n, 2, 3]);
      const grid = affineGrid(theta, h, w);
      return viaFloat(x, [dtype], (img) => {
        const mode = interpolation === "nearest" ? 1 : 0;
        if (fillList === null) return callT(OPS.gridSampler, img, grid, mode, 0, false);
        const withMask = cat([img, ones([n, 1, h, w], { dtype, device })], 1);
        const sampled = callT(OPS.gridSampler, withMask, grid, mode, 0, false);
        const mask = sampled.narrow(1, c, 1).expand([n, c, h, w]);
        const out = sampled.narrow(1, 0, c);
        const fillImg = tensor(fillList, { dtype, device }).view([1, fillList.length, 1, 1]).expand([n, c, h, w]);
        if (interpolation === "nearest") return where(mask.lt(0.5), fillImg, out);
        return out.mul(mask).add(mask.rsub(1).mul(fillImg));
      });
    });
  });
}

/** Options of {@linkcode resize}. */
export interface ResizeOptions {
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: Interpolation;
}

/**
 * The output size `[h, w]` of torchvision's resize: `size` `[h, w]` as given, or one number for the
 * smaller edge (the other scaled and truncated, keeping the aspect ratio).
 *
 * @example
 * ```ts
 * import { resizedSize } from "./functional.ts";
 * resizedSize([32, 64], 224); // [224, 448]
 * ```
 */
export function resizedSize(
  input: readonly [number, number] | number[],
  size: number | readonly number[],
): [number, number] {
  if (!Array.isArray(input) || input.length < 2 || !input.every((v) => Number.isSafeInteger(v) && v > 0)) {
    throw new TypeError(`resize: the input size must be [height, width] (positive integers), got ${describe(input)}`);
  }
  if (typeof size !== "number" && !Array.isArray(size)) {
    throw new TypeError(`resize: size must be a positive integer or [height, width], got ${describe(size)}`);
  }
  const [h, w] = input;
  const s = typeof size === "number" ? [size] : [...size];
  if (!s.every((v) => Number.isInteger(v) && v > 0) || (s.length !== 1 && s.length !== 2)) {
    throw new RangeError(`resize: size must be a positive integer or [height, width], got ${describe(size)}`);
  }
  if (s.length === 2) return [s[0], s[1]];
  const [short, long] = w <= h ? [w, h] : [h, w];
  const newShort = s[0], newLong = Math.trunc((newShort * long) / short);
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

/**
 * Resizes the images (torchvision's `F.resize` on tensors, antialias off as 0.14 does by default):
 * bilinear with `align_corners=False`, or nearest. `size` is `[h, w]`, or one number for the smaller edge.
 * uint8 images are resized in float32, then rounded.
 *
 * @example
 * ```ts
 * import { resize } from "./functional.ts";
 * import { rand } from "../../mod.ts";
 * const x = resize(rand([4, 3, 32, 32]), 224); // [4, 3, 224, 224], for DenseNet
 * ```
 */
export function resize(images: Tensor, size: number | readonly number[], options: ResizeOptions = {}): Tensor {
  checkOptionsObject("resize", options);
  checkOptions("resize", options, ["interpolation"], 'resize(images, 64, { interpolation: "bilinear" })');
  checkImages(images, "resize");
  const interpolation = options.interpolation ?? "bilinear";
  if (interpolation !== "nearest" && interpolation !== "bilinear") {
    throw new RangeError(`resize: option 'interpolation' must be "bilinear" or "nearest", got ${interpolation}`);
  }
  const h = images.shape[images.ndim - 2], w = images.shape[images.ndim - 1];
  const [oh, ow] = resizedSize([h, w], size);
  if (oh === h && ow === w) return alias(images);
  return batched(
    images,
    (x) =>
      viaFloat(
        x,
        ["float32", "float64"],
        (f) =>
          interpolation === "bilinear"
            ? callT(OPS.bilinear, f, [oh, ow], false, null)
            : callT(OPS.nearest, f, [oh, ow], null),
      ),
  );
}
