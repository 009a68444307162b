// Sequential and ModuleList bookkeeping (names, indexing, re-keying, slicing), train/eval propagation
// (Dropout is the identity in eval mode; BatchNorm uses and updates its running statistics only as
// PyTorch does), state dict round trips and device/dtype options.

import { deepStrictEqual as assertEquals, notStrictEqual, strictEqual } from "node:assert/strict";
import { liveTensors, manualSeed, Module, ones, randn, type Tensor, tidy } from "../../mod.ts";
import {
  BatchNorm2d,
  Dropout,
  Identity,
  Linear,
  MaxPool2d,
  ModuleList,
  ReLU,
  Sequential,
  Sigmoid,
} from "../../nn/mod.ts";
import { assertTensorExact } from "../fixture.ts";
import "./helpers.ts";

Deno.test("containers: Sequential names its children 0, 1, ... and runs them in order", () => {
  using seq = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
  assertEquals(Object.keys(tidy(() => seq.stateDict())), ["0.weight", "0.bias", "2.weight", "2.bias"]);
  strictEqual(seq.length, 3);
  strictEqual(seq.at(-1), seq.at(2));
  assertEquals([...seq].map((m) => m.typeName), ["Linear", "ReLU", "Linear"]);
  tidy(() => {
    const x = randn([5, 3]);
    const a = seq.forward(x);
    const l0 = seq.at(0) as Linear, l2 = seq.at(2) as Linear;
    const b = l2.forward(l0.forward(x).relu());
    assertTensorExact(a, b, "sequential forward");
  });
});

Deno.test("containers: a Sequential of named modules keeps the names", () => {
  using seq = new Sequential({ fc: new Linear(2, 2), act: new Sigmoid() });
  assertEquals(seq.namedChildren().map(([k]) => k), ["fc", "act"]);
  assertEquals(seq.namedParameters().map(([k]) => k), ["fc.weight", "fc.bias"]);
  using fromMap = new Sequential(new Map([["b", new Identity()], ["a", new Linear(1, 1)]]));
  assertEquals(fromMap.namedParameters().map(([k]) => k), ["a.weight", "a.bias"]);
  const sliced = seq.slice(1);
  assertEquals(sliced.namedChildren().map(([k]) => k), ["act"]);
});

Deno.test("containers: append, insert, set and pop re-key the children as PyTorch does", () => {
  const a = new Linear(1, 1), b = new ReLU(), c = new Linear(1, 2), d = new Sigmoid();
  using seq = new Sequential(a, b);
  seq.append(c);
  assertEquals(seq.namedChildren().map(([k, m]) => [k, m]), [["0", a], ["1", b], ["2", c]]);
  seq.insert(1, d);
  assertEquals(seq.namedChildren().map(([k, m]) => [k, m]), [["0", a], ["1", d], ["2", b], ["3", c]]);
  strictEqual(seq.pop(0), a);
  assertEquals(seq.namedChildren().map(([k, m]) => [k, m]), [["0", d], ["1", b], ["2", c]]);
  assertEquals(seq.namedParameters().map(([k]) => k), ["2.weight", "2.bias"]);
  seq.set(-1, a);
  assertEquals(seq.namedChildren().map(([k, m]) => [k, m]), [["0", d], ["1", b], ["2", a]]);
  strictEqual(
    seq.toString(),
    "Sequential(\n  (0): Sigmoid()\n  (1): ReLU()\n  (2): Linear(in_features=1, out_features=1, bias=True)\n)",
  );
  seq.insert(-1, c);
  assertEquals(seq.namedChildren().map(([, m]) => m), [d, b, c, a]);
  c.dispose();
});

Deno.test("containers: a ModuleList registers its children under the owner", () => {
  class Stack extends Module {
    layers = this.registerModule("layers", new ModuleList([new Linear(2, 3), new Linear(3, 1)]));
    forward(x: Tensor): Tensor {
      for (const layer of this.layers) x = (layer as Linear).forward(x);
      return x;
    }
  }
  using net = new Stack();
  assertEquals(net.namedParameters().map(([k]) => k), [
    "layers.0.weight",
    "layers.0.bias",
    "layers.1.weight",
    "layers.1.bias",
  ]);
  net.layers.extend([new Linear(1, 1)]);
  strictEqual(net.layers.length, 3);
  strictEqual(net.layers.slice(0, 2).length, 2);
  strictEqual(tidy(() => net.forward(randn([4, 2])).shape.join()), "4,1");
});

Deno.test("modes: train()/eval() reach every child; Dropout is the identity in eval mode", () => {
  using seq = new Sequential(new Linear(4, 4), new Dropout(0.5));
  strictEqual(seq.training, true);
  seq.eval();
  assertEquals(seq.modules().map((m) => m.training), [false, false, false]);
  tidy(() => {
    const drop = seq.at(1);
    const x = randn([64]);
    assertTensorExact(drop.forward(x) as Tensor, x, "eval dropout");
    seq.train();
    manualSeed(0);
    const y = drop.forward(ones([1000])) as Tensor;
    const zeros = y.eq(0).sum().item() as number;
    strictEqual(zeros > 400 && zeros < 600, true);
    strictEqual(y.eq(0).logicalOr(y.eq(2)).all().item(), true);
  });
});

Deno.test("modes: BatchNorm updates running stats and num_batches_tracked only in training mode", () => {
  using bn = new BatchNorm2d(3);
  tidy(() => {
    const x = randn([4, 3, 2, 2]).mul(3).add(1);
    bn.forward(x);
    bn.forward(x);
    strictEqual(bn.numBatchesTracked!.item(), 2);
    const mean = bn.runningMean!.clone(), variance = bn.runningVar!.clone();
    notStrictEqual(mean.abs().sum().item(), 0);
    bn.eval();
    const y = bn.forward(x);
    strictEqual(bn.numBatchesTracked!.item(), 2);
    assertTensorExact(bn.runningMean!, mean, "running_mean unchanged in eval");
    assertTensorExact(bn.runningVar!, variance, "running_var unchanged in eval");
    // eval normalises with the running statistics
    const expected = x.sub(mean.reshape([1, 3, 1, 1])).div(variance.reshape([1, 3, 1, 1]).add(1e-5).sqrt());
    strictEqual(y.allclose(expected, { atol: 1e-5 }), true);
  });
});

Deno.test("state dicts: a round trip through stateDict/loadStateDict copies every value", () => {
  manualSeed(0);
  using a = new Sequential(new Linear(3, 4), new BatchNorm2d(4), new MaxPool2d(2));
  manualSeed(1);
  using b = new Sequential(new Linear(3, 4), new BatchNorm2d(4), new MaxPool2d(2));
  tidy(() => {
    const sd = a.stateDict();
    b.loadStateDict(sd);
    const sb = b.stateDict();
    for (const k of Object.keys(sd)) assertTensorExact(sb[k], sd[k], k);
  });
});

Deno.test("factory options: parameters and buffers take the dtype; num_batches_tracked stays int64", () => {
  using fc = new Linear(2, 3, { dtype: "float64" });
  strictEqual(fc.weight.dtype, "float64");
  strictEqual(fc.bias!.dtype, "float64");
  using bn = new BatchNorm2d(2, { dtype: "float64" });
  assertEquals(bn.buffers().map((t) => t.dtype), ["float64", "float64", "int64"]);
  strictEqual(fc.weight.requiresGrad, true);
  strictEqual(fc.weight.isLeaf, true);
});

Deno.test("memory: building and disposing layers leaves no native tensors behind", () => {
  const before = liveTensors();
  tidy(() => {
    const seq = new Sequential(new Linear(3, 4), new BatchNorm2d(4), new ReLU());
    seq.dispose();
  });
  strictEqual(liveTensors(), before);
});
