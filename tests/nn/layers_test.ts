// Parity of every layer with torch.nn: initial parameters after manualSeed, printout, forward outputs,
// input and parameter gradients, and buffers (BatchNorm running statistics, num_batches_tracked) over
// train and eval steps, all to the bit. Fixtures: scripts/fixtures/gen_nn.py (LAYER_CASES).

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { manualSeed, type Tensor, tidy } from "../../mod.ts";
import {
  AdaptiveAvgPool2d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Identity,
  Linear,
  MaxPool2d,
  type Module,
  ReLU,
  Sequential,
  Sigmoid,
} from "../../nn/mod.ts";
import { fixtureTensor, loadFixture } from "../fixture.ts";
import { assertFixtureExact, assertStateDictExact } from "./helpers.ts";

const f = loadFixture("nn/layers");

/** The twins of gen_nn.py's LAYER_CASES: seed and factory. */
const CASES: Record<string, [number, () => Module]> = {
  linear: [1, () => new Linear(5, 3)],
  linear_nobias_3d: [2, () => new Linear(4, 2, { bias: false })],
  conv_basic: [3, () => new Conv2d(3, 6, 5)],
  conv_strided_groups: [4, () => new Conv2d(4, 6, 3, { stride: 2, padding: 1, groups: 2, bias: false })],
  conv_same_dilated: [5, () => new Conv2d(2, 4, 3, { padding: "same", dilation: 2 })],
  conv_valid_rect: [6, () => new Conv2d(2, 3, [3, 2], { stride: [2, 1], padding: "valid" })],
  conv_reflect: [7, () => new Conv2d(2, 2, 3, { padding: 1, paddingMode: "reflect" })],
  conv_replicate: [8, () => new Conv2d(2, 2, 3, { padding: [2, 1], paddingMode: "replicate" })],
  conv_circular: [9, () => new Conv2d(2, 2, 3, { padding: 1, paddingMode: "circular" })],
  conv_unbatched: [10, () => new Conv2d(3, 2, 3)],
  bn2d: [11, () => new BatchNorm2d(3)],
  bn2d_cumulative: [12, () => new BatchNorm2d(3, { momentum: null })],
  bn2d_no_affine: [13, () => new BatchNorm2d(2, { affine: false, eps: 1e-3, momentum: 0.3 })],
  bn2d_no_stats: [14, () => new BatchNorm2d(2, { trackRunningStats: false })],
  bn1d_2d: [15, () => new BatchNorm1d(4)],
  bn1d_3d: [16, () => new BatchNorm1d(3, { momentum: 0.5 })],
  dropout: [17, () => new Dropout(0.3)],
  dropout_default: [18, () => new Dropout()],
  maxpool: [19, () => new MaxPool2d(2)],
  maxpool_options: [
    20,
    () => new MaxPool2d([3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2], ceilMode: true }),
  ],
  avgpool: [21, () => new AvgPool2d(2)],
  avgpool_options: [22, () => new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false })],
  avgpool_divisor: [23, () => new AvgPool2d([2, 3], { divisorOverride: 4 })],
  adaptive: [24, () => new AdaptiveAvgPool2d([3, 2])],
  adaptive_one: [25, () => new AdaptiveAvgPool2d(1)],
  adaptive_none: [26, () => new AdaptiveAvgPool2d([null, 2])],
  relu: [27, () => new ReLU()],
  sigmoid: [28, () => new Sigmoid()],
  flatten: [29, () => new Flatten()],
  flatten_range: [30, () => new Flatten({ startDim: 0, endDim: 2 })],
  identity: [31, () => new Identity()],
  sequential: [
    32,
    () => new Sequential(new Linear(4, 6), new BatchNorm1d(6), new ReLU(), new Dropout(0.4), new Linear(6, 2)),
  ],
};

Deno.test("layers: every fixture case has a TypeScript twin", () => {
  assertEquals(Object.keys(CASES).sort(), Object.keys(f.values).sort());
});

for (const [name, [seed, make]] of Object.entries(CASES)) {
  Deno.test(`layers: ${name} matches torch.nn to the bit`, () => {
    const v = f.values[name];
    manualSeed(seed);
    const m = make();
    try {
      assertEquals(m.toString(), v.repr);
      assertEquals(m.namedParameters().map(([k]) => k), v.params);
      assertEquals(m.namedBuffers().map(([k]) => k), v.buffers);
      assertStateDictExact(m, f, `${name}.init.`, v.keys);
      for (let s = 0; s < v.steps; s++) {
        const p = `${name}.${s}`;
        tidy(() => {
          m.train(v.modes[s] === "train");
          const x = fixtureTensor(f, `${p}.x`).requiresGrad_();
          manualSeed(seed * 100 + s);
          const y = m.forward(x) as Tensor;
          y.backward(fixtureTensor(f, `${p}.g`));
          assertFixtureExact(y, f, `${p}.y`);
          assertFixtureExact(x.grad, f, `${p}.x.grad`);
          for (const [k, param] of m.namedParameters()) assertFixtureExact(param.grad, f, `${p}.grad.${k}`);
          m.zeroGrad();
          for (const [k, b] of m.namedBuffers()) assertFixtureExact(b, f, `${p}.after.${k}`);
        });
      }
    } finally {
      m.dispose();
    }
  });
}
