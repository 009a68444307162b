import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  crop,
  hflip,
  normalize,
  pad,
  resize,
  resizedSize,
  rotate,
  toFloat,
  vflip,
} from "../../datasets/transforms/functional.ts";
import { randomCrop, randomHorizontalFlip, randomRotation } from "../../datasets/transforms/random.ts";
import { compose } from "../../datasets/transforms/compose.ts";
import { liveTensors, manualSeed, rand, type Tensor, tensor, tidy, zeros } from "../../mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

// Every comparison here is exact (bit for bit): the transforms issue the same ATen operations as
// torchvision 0.14 on the same LibTorch.
const fx = loadFixture("datasets/transforms");
const expect = (name: string) => fixtureTensor(fx, name);
const x8 = expect("input"); // 8 CIFAR-10 training images, uint8
const x = x8.narrow(0, 0, 2).contiguous(); // 2 of them
const xf = expect("to_float");

function sha256(t: Tensor): string {
  const d = t.contiguous().data();
  return createHash("sha256").update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest("hex");
}

Deno.test("toFloat and normalize equal torchvision's convert_image_dtype and normalize", () => {
  assertTensorExact(toFloat(x), xf, "toFloat");
  assertTensorExact(normalize(xf, fx.values.cifar_mean, fx.values.cifar_std), expect("normalize_cifar"), "CIFAR stats");
  assertTensorExact(
    normalize(xf, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    expect("normalize_imagenet"),
    "ImageNet stats",
  );
  assert.equal(toFloat(xf).dtype, "float32");
  assert.equal(toFloat(x, { dtype: "float64" }).dtype, "float64");
  assert.throws(() => normalize(x, [0.5], [0.5]), /must be floating point, got uint8; convert with toFloat/);
  assert.throws(() => normalize(xf, [0.5, 0.5], [0.5]), /'mean' must hold 1 or 3 finite numbers/);
  assert.throws(() => normalize(xf, [0.5], [0]), /std \[0\] has a zero/);
});

Deno.test("pad, crop, hflip and vflip equal torchvision's", () => {
  assertTensorExact(pad(x, 4), expect("pad_4"), "pad 4");
  assertTensorExact(pad(x, 3, { fill: 7 }), expect("pad_fill_7"), "pad fill 7");
  assertTensorExact(pad(xf, [2, 1], { paddingMode: "reflect" }), expect("pad_reflect_2_1"), "pad reflect");
  assertTensorExact(pad(x, [1, 2, 3, 4], { paddingMode: "edge" }), expect("pad_edge_1234_uint8"), "pad edge");
  assertTensorExact(crop(xf, 3, 5, 24, 20).contiguous(), expect("crop_3_5_24_20"), "crop");
  assertTensorExact(crop(x, -2, 28, 10, 8), expect("crop_outside"), "crop outside the image");
  assertTensorExact(hflip(xf), expect("hflip"), "hflip");
  assertTensorExact(vflip(x), expect("vflip"), "vflip");
  assert.throws(() => pad(x, -1), /padding must be a non-negative integer/);
  assert.throws(() => pad(x, 1, { paddingMode: "symmetric" as "edge" }), /'paddingMode' must be/);
  assert.deepEqual(pad(x.select(0, 0), 1).shape, [3, 34, 34]);
});

Deno.test("rotate equals torchvision's F.rotate (nearest, bilinear, uint8, fill)", () => {
  assertTensorExact(rotate(xf, 17), expect("rotate_17"), "rotate 17");
  assertTensorExact(rotate(xf, -30.5, { interpolation: "bilinear" }), expect("rotate_bilinear_m30_5"), "bilinear");
  assertTensorExact(rotate(x, 45), expect("rotate_uint8_45"), "uint8");
  assertTensorExact(rotate(xf, 10, { fill: [0.5, 0.25, 1.0] }), expect("rotate_fill_10"), "fill per channel");
  assertTensorExact(
    rotate(xf, 20, { interpolation: "bilinear", fill: 0 }),
    expect("rotate_bilinear_fill0_20"),
    "bilinear with fill 0",
  );
  // one angle per image: the same as rotating each by its own angle
  const both = rotate(xf, tensor([17, -30.5]));
  assertTensorExact(both.narrow(0, 0, 1), expect("rotate_17").narrow(0, 0, 1), "per-image angle 0");
  assertTensorExact(both.narrow(0, 1, 1), rotate(xf.narrow(0, 1, 1), -30.5), "per-image angle 1");
  assertTensorExact(rotate(xf.select(0, 0), 17), expect("rotate_17").select(0, 0), "one [C, H, W] image");
  assert.throws(() => rotate(xf, tensor([1, 2, 3])), /a tensor angle must be \[N\] with N = 2/);
});

Deno.test("resize equals torchvision's F.resize (bilinear without antialias, nearest, uint8)", () => {
  assertTensorExact(resize(xf, [48, 40]), expect("resize_48x40"), "bilinear 48x40");
  assertTensorExact(resize(x, 20, { interpolation: "nearest" }), expect("resize_nearest_20"), "nearest");
  assertTensorExact(resize(x, 50), expect("resize_uint8_50"), "uint8 bilinear");
  tidy(() => {
    const big = resize(xf, 224);
    assert.deepEqual(big.shape, fx.values.resize_224_shape);
    assertTensorExact(big.select(2, 100), expect("resize_224_row100"), "224 row 100");
    assert.equal(sha256(big), fx.values.resize_224_sha256, "224 float32 bytes");
    assert.equal(sha256(resize(x, [224, 224])), fx.values.resize_224_uint8_sha256, "224 uint8 bytes");
  });
  assert.deepEqual(resizedSize([32, 64], 224), [224, 448]);
  assert.deepEqual(resizedSize([64, 32], 16), [32, 16]);
  const same = resize(xf, 32);
  assert.notEqual(same, xf, "a new handle even when nothing changes");
  same.dispose();
  assert.equal(xf.isDisposed, false);
});

Deno.test("random transforms equal torchvision's classes applied image by image after the same seed", () => {
  const next = () => rand([3]);
  manualSeed(123);
  assertTensorExact(randomCrop(x8, 32, { padding: 4 }), expect("random_crop_pad4"), "RandomCrop(32, padding=4)");
  assertTensorExact(next(), expect("random_crop_pad4_next"), "draws after RandomCrop");
  manualSeed(5);
  assertTensorExact(randomCrop(x8, [24, 28]), expect("random_crop_24x28"), "RandomCrop([24, 28])");
  assertTensorExact(next(), expect("random_crop_24x28_next"), "draws after RandomCrop([24, 28])");
  manualSeed(9);
  assertTensorExact(randomHorizontalFlip(x8, { p: 0.3 }), expect("random_hflip_p03"), "RandomHorizontalFlip(0.3)");
  assertTensorExact(next(), expect("random_hflip_p03_next"), "draws after RandomHorizontalFlip");
  manualSeed(11);
  assertTensorExact(randomRotation(x8, 15), expect("random_rotation_15"), "RandomRotation(15)");
  assertTensorExact(next(), expect("random_rotation_15_next"), "draws after RandomRotation");
  manualSeed(13);
  assertTensorExact(
    randomRotation(xf, [-5, 40], { interpolation: "bilinear" }),
    expect("random_rotation_bilinear_m5_40"),
    "RandomRotation([-5, 40], bilinear)",
  );
  manualSeed(7);
  const pipeline = compose(
    (t) => randomCrop(t, 32, { padding: 4 }),
    (t) => randomHorizontalFlip(t),
    (t) => randomRotation(t, 10),
  );
  assertTensorExact(pipeline(x8), expect("random_pipeline_uint8"), "crop, flip, rotation");
  assertTensorExact(next(), expect("random_pipeline_uint8_next"), "draws after the pipeline");
});

Deno.test("random transforms repeat after manualSeed, and a crop without slack draws nothing", () => {
  const run = () => {
    manualSeed(42);
    return randomRotation(randomHorizontalFlip(randomCrop(x8, 32, { padding: 2 })), 30);
  };
  assertTensorExact(run(), run(), "same seed, same batch");
  manualSeed(1);
  const before = rand([2]);
  manualSeed(1);
  assertTensorExact(randomCrop(x8, 32), x8, "crop to the full size");
  assertTensorExact(rand([2]), before, "no draw for a full-size crop");
  assert.throws(() => randomCrop(x8, 40), /larger than the \(padded\) images \[32, 32\]; add padding/);
  assert.throws(() => randomHorizontalFlip(x8.select(0, 0)), /must be a batch \[N, C, H, W\]/);
  assert.throws(() => randomRotation(x8, -3), /degrees must be a non-negative number/);
});

Deno.test("compose frees its intermediates", () => {
  const input = zeros([4, 3, 32, 32], { dtype: "uint8" });
  const t = compose((a) => pad(a, 2), (a) => crop(a, 1, 1, 32, 32), (a) => toFloat(a), (a) => hflip(a));
  t(input).dispose(); // warm up operator lookups
  const live = liveTensors();
  const out = t(input);
  assert.equal(liveTensors(), live + 1);
  assert.deepEqual(out.shape, [4, 3, 32, 32]);
  out.dispose();
  input.dispose();
  assert.throws(
    () => compose(42 as unknown as (t: Tensor) => Tensor),
    /compose: transform 0 must be a function \(images\) => images, got 42/,
  );
});
