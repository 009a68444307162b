// Parity of nn/functional.ts with torch.nn.functional: outputs, input gradients and in-place effects
// (batch norm's running statistics), to the bit. Fixtures: scripts/fixtures/gen_nn.py (functional_cases).

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { manualSeed, type Tensor, tidy } from "../../mod.ts";
import * as F from "../../nn/functional.ts";
import { fixtureTensor, loadFixture } from "../fixture.ts";
import { assertFixtureExact } from "./helpers.ts";

const f = loadFixture("nn/functional");

type Fn = (...inputs: Tensor[]) => Tensor | [Tensor, Tensor];

/** The twins of gen_nn.py's functional cases: seed and call. */
const CASES: Record<string, [number, Fn]> = {
  relu: [1, (x) => F.relu(x)],
  sigmoid: [2, (x) => F.sigmoid(x)],
  softmax: [3, (x) => F.softmax(x, 1)],
  softmax_dim0_f64: [4, (x) => F.softmax(x, 0, { dtype: "float64" })],
  softmax_implicit_3d: [5, (x) => F.softmax(x)],
  log_softmax: [6, (x) => F.logSoftmax(x, 1)],
  log_softmax_neg_dim: [7, (x) => F.logSoftmax(x, -1)],
  dropout: [8, (x) => F.dropout(x, 0.3)],
  dropout_eval: [9, (x) => F.dropout(x, 0.3, { training: false })],
  dropout_p0: [10, (x) => F.dropout(x, 0)],
  dropout_p1: [11, (x) => F.dropout(x, 1)],
  linear: [12, (x, w, b) => F.linear(x, w, b)],
  linear_nobias: [13, (x, w) => F.linear(x, w)],
  conv2d: [14, (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1 })],
  conv2d_same: [15, (x, w) => F.conv2d(x, w, null, { padding: "same", dilation: 2 })],
  conv2d_valid_groups: [16, (x, w) => F.conv2d(x, w, null, { padding: "valid", groups: 2 })],
  batch_norm_train: [
    17,
    (x, rm, rv, w, b) => F.batchNorm(x, rm, rv, { weight: w, bias: b, training: true, momentum: 0.2, eps: 1e-4 }),
  ],
  batch_norm_eval: [18, (x, rm, rv, w, b) => F.batchNorm(x, rm, rv, { weight: w, bias: b })],
  batch_norm_no_stats: [19, (x) => F.batchNorm(x, null, null, { training: true })],
  max_pool2d: [20, (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true })],
  max_pool2d_indices: [21, (x) => F.maxPool2d(x, 2, { returnIndices: true })],
  max_pool2d_dilation: [22, (x) => F.maxPool2d(x, 2, { stride: 1, padding: 0, dilation: 2 })],
  avg_pool2d: [23, (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false })],
  avg_pool2d_divisor: [24, (x) => F.avgPool2d(x, 2, { divisorOverride: 3 })],
  adaptive_avg_pool2d: [25, (x) => F.adaptiveAvgPool2d(x, [3, null])],
  interp_nearest_scale: [26, (x) => F.interpolate(x, { scaleFactor: 2 })],
  interp_nearest_size: [27, (x) => F.interpolate(x, { size: [5, 7] })],
  interp_nearest_1d: [28, (x) => F.interpolate(x, { scaleFactor: 1.5 })],
  interp_bilinear_align: [29, (x) => F.interpolate(x, { size: [6, 5], mode: "bilinear", alignCorners: true })],
  interp_bilinear_scale: [30, (x) => F.interpolate(x, { scaleFactor: 1.5, mode: "bilinear" })],
  interp_bilinear_recompute: [
    31,
    (x) => F.interpolate(x, { scaleFactor: [1.7, 2.3], mode: "bilinear", recomputeScaleFactor: true }),
  ],
  interp_bilinear_aa: [32, (x) => F.interpolate(x, { size: [3, 5], mode: "bilinear", antialias: true })],
  interp_bicubic: [33, (x) => F.interpolate(x, { scaleFactor: 2, mode: "bicubic" })],
  interp_nearest_exact: [34, (x) => F.interpolate(x, { size: [7, 3], mode: "nearest-exact" })],
  interp_area: [35, (x) => F.interpolate(x, { scaleFactor: 0.5, mode: "area" })],
  interp_linear: [36, (x) => F.interpolate(x, { size: 8, mode: "linear", alignCorners: false })],
  pad_constant: [37, (x) => F.pad(x, [1, 2, 0, 1], { value: 1.5 })],
  pad_constant_negative: [38, (x) => F.pad(x, [-1, 2])],
  pad_reflect: [39, (x) => F.pad(x, [2, 1, 1, 3], { mode: "reflect" })],
  pad_replicate: [40, (x) => F.pad(x, [1, 1, 2, 0], { mode: "replicate" })],
  pad_circular: [41, (x) => F.pad(x, [1, 2, 1, 1], { mode: "circular" })],
  pad_reflect_3d: [42, (x) => F.pad(x, [2, 3], { mode: "reflect" })],
  one_hot: [43, (t) => F.oneHot(t)],
  one_hot_classes: [44, (t) => F.oneHot(t, 5)],
};

Deno.test("functional: every fixture case has a TypeScript twin", () => {
  assertEquals(Object.keys(CASES).sort(), Object.keys(f.values).sort());
});

for (const [name, [seed, fn]] of Object.entries(CASES)) {
  Deno.test(`functional: ${name} matches torch.nn.functional to the bit`, () => {
    const v = f.values[name];
    tidy(() => {
      const inputs = Array.from({ length: v.inputs }, (_, i) => {
        const t = fixtureTensor(f, `${name}.in${i}`);
        return v.grad.includes(i) ? t.requiresGrad_() : t;
      });
      manualSeed(seed);
      const result = fn(...inputs);
      const outs = Array.isArray(result) ? result : [result];
      assertEquals(outs.length, v.outputs);
      outs.forEach((o, i) => assertFixtureExact(o, f, `${name}.out${i}`));
      if (`${name}.g` in f.tensors) {
        outs[0].backward(fixtureTensor(f, `${name}.g`));
        for (const i of v.grad) assertFixtureExact(inputs[i].grad, f, `${name}.in${i}.grad`);
      } else {
        assertEquals(outs[0].requiresGrad, false);
      }
      inputs.forEach((t, i) => {
        if (`${name}.in${i}.after` in f.tensors) assertFixtureExact(t.detach(), f, `${name}.in${i}.after`);
      });
    });
  });
}

Deno.test("functional: inplace relu and dropout overwrite and return their input", () => {
  tidy(() => {
    const x = fixtureTensor(f, "relu.in0");
    const y = F.relu(x, { inplace: true });
    assertEquals(y, x);
    assertFixtureExact(x, f, "relu.out0");
    const z = fixtureTensor(f, "dropout.in0");
    manualSeed(8);
    assertEquals(F.dropout(z, 0.3, { inplace: true }), z);
    assertFixtureExact(z, f, "dropout.out0");
  });
});
