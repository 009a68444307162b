// `toString()` of every layer equals Python's `str(module)`. Fixture: gen_nn.py (repr_cases).

import { strictEqual } from "node:assert/strict";
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
  ModuleList,
  ReLU,
  Sequential,
  Sigmoid,
} from "../../nn/mod.ts";
import { pyFloat } from "../../nn/python_repr.ts";
import { loadFixture } from "../fixture.ts";
import "./helpers.ts";

const f = loadFixture("nn/repr");

const CASES: Record<string, () => Module> = {
  linear: () => new Linear(3, 4),
  linear_nobias: () => new Linear(3, 4, { bias: false }),
  conv: () => new Conv2d(3, 6, 5),
  conv_options: () =>
    new Conv2d(4, 8, [3, 5], { stride: [2, 1], padding: [1, 2], dilation: 2, groups: 4, bias: false }),
  conv_same: () => new Conv2d(2, 2, 3, { padding: "same" }),
  conv_valid: () => new Conv2d(2, 2, 3, { padding: "valid" }),
  conv_reflect: () => new Conv2d(2, 2, 3, { padding: 1, paddingMode: "reflect" }),
  bn2d: () => new BatchNorm2d(6),
  bn2d_options: () => new BatchNorm2d(4, { eps: 1e-3, momentum: null, affine: false, trackRunningStats: false }),
  bn1d: () => new BatchNorm1d(10, { momentum: 0.01, eps: 0.0001 }),
  bn1d_tiny_eps: () => new BatchNorm1d(2, { eps: 1e-12, momentum: 1.0 }),
  dropout: () => new Dropout(),
  dropout_options: () => new Dropout(0.25, { inplace: true }),
  dropout_zero: () => new Dropout(0),
  maxpool: () => new MaxPool2d(2),
  maxpool_options: () => new MaxPool2d([3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2], ceilMode: true }),
  avgpool: () => new AvgPool2d(3, { stride: 2, padding: 1 }),
  avgpool_tuple: () => new AvgPool2d([2, 3]),
  adaptive: () => new AdaptiveAvgPool2d([null, 7]),
  adaptive_one: () => new AdaptiveAvgPool2d(1),
  adaptive_pair: () => new AdaptiveAvgPool2d([5, 7]),
  relu: () => new ReLU(),
  relu_inplace: () => new ReLU({ inplace: true }),
  sigmoid: () => new Sigmoid(),
  flatten: () => new Flatten(),
  flatten_range: () => new Flatten({ startDim: 0, endDim: 2 }),
  identity: () => new Identity(),
  sequential_nested: () =>
    new Sequential(
      new Linear(2, 3),
      new Sequential(new ReLU(), new Dropout(0.1)),
      new ModuleList([new Identity(), new Sigmoid()]),
    ),
  module_list: () => new ModuleList([new Linear(1, 2), new ReLU()]),
  module_list_empty: () => new ModuleList(),
  sequential_empty: () => new Sequential(),
};

Deno.test("repr: every fixture case has a TypeScript twin", () => {
  strictEqual(JSON.stringify(Object.keys(CASES).sort()), JSON.stringify(Object.keys(f.values).sort()));
});

for (const [name, make] of Object.entries(CASES)) {
  Deno.test(`repr: ${name} prints as PyTorch`, () => {
    const m = make();
    strictEqual(m.toString(), f.values[name]);
    m.dispose();
  });
}

Deno.test("repr: pyFloat formats as Python's repr(float)", () => {
  const cases: [number, string][] = [
    [0.1, "0.1"],
    [1e-5, "1e-05"],
    [1e-4, "0.0001"],
    [0.5, "0.5"],
    [1, "1.0"],
    [0, "0.0"],
    [-0, "-0.0"],
    [123.25, "123.25"],
    [1e15, "1000000000000000.0"],
    [1e16, "1e+16"],
    [1.5e300, "1.5e+300"],
    [-2.5e-7, "-2.5e-07"],
    [1 / 3, "0.3333333333333333"],
    [1e-100, "1e-100"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
    [12345678901234567, "1.2345678901234568e+16"],
  ];
  for (const [x, s] of cases) strictEqual(pyFloat(x), s, String(x));
});
