import assert from "node:assert/strict";
import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  BCELoss,
  BCEWithLogitsLoss,
  Conv2d,
  CrossEntropyLoss,
  Dropout,
  Flatten,
  Linear,
  liveTensors,
  manualSeed,
  MaxPool2d,
  MSELoss,
  NLLLoss,
  ReLU,
  tensor,
} from "../../mod.ts";

function typeError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof TypeError, `${e.name}: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("MaxPool2d(3, 1) has stride 1, as PyTorch's; every positional slot lands where PyTorch puts it", () => {
  const p = new MaxPool2d(3, 1);
  assert.equal(p.stride, 1);
  assert.equal(String(p), "MaxPool2d(kernel_size=3, stride=1, padding=0, dilation=1, ceil_mode=False)");
  const q = new MaxPool2d(3, 2, 1, 2, true, true);
  assert.deepEqual([q.stride, q.padding, q.dilation, q.returnIndices, q.ceilMode], [2, 1, 2, true, true]);
  const r = new MaxPool2d(3, null, 1, 1, false, true);
  assert.deepEqual([r.stride, r.padding, r.ceilMode], [3, 1, true]);
  // @ts-expect-error: one positional argument too many
  typeError(() => new MaxPool2d(3, 1, 0, 1, false, false, 7), /at most 5 positional options.*new MaxPool2d\(3, \{/);
  typeError(() => new MaxPool2d(3, { strides: 1 } as never), /unknown option 'strides' \(did you mean 'stride'\?\)/);
  typeError(
    () => new MaxPool2d(3, { ceil_mode: true } as never),
    /unknown option 'ceil_mode' \(did you mean 'ceilMode'\?\)/,
  );
});

Deno.test("AvgPool2d(kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)", () => {
  const p = new AvgPool2d(3, 2, 1, true, false, 4);
  assert.deepEqual([p.stride, p.padding, p.ceilMode, p.countIncludePad, p.divisorOverride], [2, 1, true, false, 4]);
  typeError(() => new AvgPool2d(3, { count_include_pad: false } as never), /did you mean 'countIncludePad'/);
});

Deno.test("Conv2d(1, 1, 3, 2, 1) has stride 2 and padding 1 and the same weights as the options form", () => {
  const before = liveTensors();
  {
    manualSeed(0);
    using a = new Conv2d(1, 2, 3, 2, 1, 1, 1, false, "reflect");
    manualSeed(0);
    using b = new Conv2d(1, 2, 3, { stride: 2, padding: 1, bias: false, paddingMode: "reflect" });
    assert.deepEqual(a.stride, [2, 2]);
    assert.deepEqual(a.padding, [1, 1]);
    assert.equal(a.bias, null);
    assert.equal(a.paddingMode, "reflect");
    assert.equal(String(a), String(b));
    assert.ok(a.weight.equal(b.weight));
    using c = new Conv2d(4, 4, 3, 1, "same", 2, 2, true, "zeros", { dtype: "float64" });
    assert.deepEqual([c.padding, c.dilation, c.groups, c.weight.dtype], ["same", [2, 2], 2, "float64"]);
  }
  assert.equal(liveTensors(), before);
  typeError(() => new Conv2d(1, 1, 3, { padding_mode: "zeros" } as never), /did you mean 'paddingMode'/);
  typeError(() => new Conv2d(1, 1, 3, 1, { stride: 2 } as never), /got two values for 'stride'/);
});

Deno.test("Linear(4, 2, false) has no bias; Linear's other options are checked", () => {
  using a = new Linear(4, 2, false);
  assert.equal(a.bias, null);
  assert.equal(String(a), "Linear(in_features=4, out_features=2, bias=False)");
  using b = new Linear(4, 2, true, { dtype: "float64" });
  assert.equal(b.weight.dtype, "float64");
  assert.equal(b.bias?.dtype, "float64");
  typeError(() => new Linear(4, 2, { bais: false } as never), /unknown option 'bais' \(did you mean 'bias'\?\)/);
  // @ts-expect-error: PyTorch's Linear takes bias, device and dtype by position, nothing more
  typeError(() => new Linear(4, 2, false, "cpu", "float32", 1), /at most 3 positional options/);
});

Deno.test("BatchNorm(num_features, eps, momentum, affine, track_running_stats)", () => {
  using a = new BatchNorm2d(3, 1e-3, 0.2, false, false);
  assert.deepEqual([a.eps, a.momentum, a.affine, a.trackRunningStats], [1e-3, 0.2, false, false]);
  assert.equal(a.weight, null);
  assert.equal(a.runningMean, null);
  using b = new BatchNorm1d(3, 1e-5, null, true, true, { dtype: "float64" });
  assert.equal(b.momentum, null);
  assert.equal(b.weight?.dtype, "float64");
  typeError(() => new BatchNorm2d(3, { track_running_stats: false } as never), /did you mean 'trackRunningStats'/);
});

Deno.test("Dropout(p, inplace), ReLU(inplace), Flatten(start_dim, end_dim)", () => {
  const d = new Dropout(0.2, true);
  assert.deepEqual([d.p, d.inplace], [0.2, true]);
  const e = new Dropout({ p: 0.3 });
  assert.deepEqual([e.p, e.inplace], [0.3, false]);
  assert.equal(new Dropout().p, 0.5);
  assert.equal(new ReLU(true).inplace, true);
  assert.equal(new ReLU({ inplace: true }).inplace, true);
  const f = new Flatten(0, 2);
  assert.deepEqual([f.startDim, f.endDim], [0, 2]);
  typeError(() => new Dropout(0.5, { in_place: true } as never), /did you mean 'inplace'/);
  typeError(() => new ReLU({ inPlace: true } as never), /unknown option 'inPlace' \(did you mean 'inplace'\?\)/);
  typeError(() => new Flatten({ start_dim: 0 } as never), /did you mean 'startDim'/);
});

Deno.test("losses: weight by position, every other option by name and checked", () => {
  const before = liveTensors();
  {
    using w = tensor([1, 2], { dtype: "float32" });
    using a = new CrossEntropyLoss(w, { labelSmoothing: 0.1 });
    assert.equal(a.weight, w);
    assert.equal(a.labelSmoothing, 0.1);
    using b = new NLLLoss(w, { ignoreIndex: 1 });
    assert.equal(b.ignoreIndex, 1);
    using c = new BCELoss(w, { reduction: "sum" });
    assert.equal(c.reduction, "sum");
    using d = new BCEWithLogitsLoss(null, { posWeight: w });
    assert.equal(d.posWeight, w);
    typeError(() => new CrossEntropyLoss({ label_smoothing: 0.1 } as never), /did you mean 'labelSmoothing'/);
    typeError(() => new NLLLoss({ ignore_index: 1 } as never), /did you mean 'ignoreIndex'/);
    typeError(() => new BCEWithLogitsLoss({ pos_weight: w } as never), /did you mean 'posWeight'/);
    typeError(() => new MSELoss("sum" as never), /MSELoss: takes no positional options.*new MSELoss\(\{ reduction/);
    typeError(() => new MSELoss({ reduce: "sum" } as never), /unknown option 'reduce'/);
    typeError(() => new BCELoss(w, true as never), /at most 1 positional option \(weight\)/);
  }
  assert.equal(liveTensors(), before);
});
