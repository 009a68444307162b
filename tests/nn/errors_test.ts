// Bad arguments: options of the wrong kind throw TypeError, values out of range RangeError, each naming
// the argument and the bad value; failures inside LibTorch surface as TorchError.

import { match, strictEqual, throws } from "node:assert/strict";
import { randn, tensor, tidy, TorchError, zeros } from "../../mod.ts";
import { LeNet } from "../../models/lenet.ts";
import {
  AdaptiveAvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  BCELoss,
  Conv2d,
  CrossEntropyLoss,
  Dropout,
  functional as F,
  init,
  Linear,
  MaxPool2d,
  ModuleList,
  Sequential,
} from "../../nn/mod.ts";
import "./helpers.ts";

/** Asserts `fn` throws an instance of `type` whose message matches every pattern. */
function throwsWith(fn: () => unknown, type: new (...a: never[]) => Error, ...patterns: RegExp[]): void {
  let caught: unknown;
  try {
    tidy(() => {
      fn();
    });
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof type)) throw new Error(`expected ${type.name}, got ${caught}`);
  for (const p of patterns) match(caught.message, p);
}

Deno.test("errors: layer options of the wrong kind or out of range name the option and the value", () => {
  throwsWith(() => new Linear(-1, 3), RangeError, /Linear/, /inFeatures/, /-1/);
  throwsWith(() => new Linear(2.5, 3), TypeError, /inFeatures/, /2\.5/);
  // @ts-expect-error: a string where a boolean belongs
  throwsWith(() => new Linear(2, 3, { bias: "yes" }), TypeError, /bias/, /"yes"/);
  throwsWith(() => new Conv2d(3, 6, 0), RangeError, /Conv2d/, /kernelSize/, /0/);
  throwsWith(() => new Conv2d(3, 6, 3, { stride: 0 }), RangeError, /stride/, /0/);
  throwsWith(() => new Conv2d(3, 6, 3, { stride: [1, 2, 3] as never }), TypeError, /stride/, /\[1, 2, 3\]/);
  // @ts-expect-error: not a padding string
  throwsWith(() => new Conv2d(3, 6, 3, { padding: "full" }), RangeError, /padding/, /"full"/);
  throwsWith(() => new Conv2d(3, 6, 3, { groups: 2 }), RangeError, /inChannels \(3\)/, /groups \(2\)/);
  throwsWith(() => new Conv2d(4, 6, 3, { groups: 4 }), RangeError, /outChannels \(6\)/, /groups \(4\)/);
  // @ts-expect-error: not a padding mode
  throwsWith(() => new Conv2d(3, 6, 3, { paddingMode: "mirror" }), RangeError, /paddingMode/, /"mirror"/);
  throwsWith(() => new Conv2d(3, 6, 3, { padding: "same", stride: 2 }), RangeError, /same/, /stride/);
  // @ts-expect-error: a string momentum
  throwsWith(() => new BatchNorm2d(3, { momentum: "0.1" }), TypeError, /momentum/, /"0\.1"/);
  throwsWith(() => new Dropout(1.5), RangeError, /Dropout/, /\bp\b/, /1\.5/);
  throwsWith(() => new MaxPool2d(0), RangeError, /MaxPool2d/, /kernelSize/);
  throwsWith(() => new AdaptiveAvgPool2d([1, 2, 3]), TypeError, /outputSize/, /\[1, 2, 3\]/);
  // @ts-expect-error: not a reduction
  throwsWith(() => new BCELoss({ reduction: "avg" }), RangeError, /reduction/, /"avg"/);
  throwsWith(() => new CrossEntropyLoss({ labelSmoothing: 1.5 }), RangeError, /labelSmoothing/, /1\.5/);
  throwsWith(() => new LeNet({ dropout: 2 }), RangeError, /dropout/, /2/);
});

Deno.test("errors: inputs of the wrong rank or shape are RangeErrors as PyTorch's ValueErrors", () => {
  using bn2 = new BatchNorm2d(3);
  throwsWith(() => bn2.forward(randn([2, 3, 4])), RangeError, /expected 4D input \(got 3D input\)/);
  using bn1 = new BatchNorm1d(3);
  throwsWith(() => bn1.forward(randn([2, 3, 4, 4])), RangeError, /expected 2D or 3D input \(got 4D input\)/);
  throwsWith(() => bn1.forward(randn([1, 3])), RangeError, /more than 1 value per channel/, /\[1, 3\]/);
  throwsWith(
    () => F.binaryCrossEntropy(zeros([2, 3]), zeros([3, 2])),
    RangeError,
    /target size \(\[3, 2\]\)/,
    /input size \(\[2, 3\]\)/,
  );
  throwsWith(() => F.binaryCrossEntropyWithLogits(zeros([2]), zeros([3])), RangeError, /Target size/);
  throwsWith(
    () => F.binaryCrossEntropy(zeros([2, 3]), zeros([2, 3]), { weight: zeros([4]) }),
    RangeError,
    /size of tensor a \(3\) must match the size of tensor b \(4\)/,
  );
  throwsWith(() => F.interpolate(randn([1, 2, 4]), { size: 3, mode: "bilinear" }), RangeError, /3D input/, /4D/);
  throwsWith(() => F.interpolate(randn([1, 2, 4, 4]), { size: [3] }), RangeError, /spatial dimensions/);
});

Deno.test("errors: functional options name the argument and the value", () => {
  const x = randn([1, 2, 4, 4]);
  throwsWith(() => F.dropout(x, -0.1), RangeError, /dropout/, /\bp\b/, /-0\.1/);
  throwsWith(() => F.interpolate(x, { size: 8, scaleFactor: 2 }), TypeError, /only one of size and scaleFactor/);
  throwsWith(() => F.interpolate(x), TypeError, /either size or scaleFactor/);
  throwsWith(() => F.interpolate(x, { size: 8, alignCorners: true }), TypeError, /alignCorners/, /"nearest"/);
  // @ts-expect-error: not a mode
  throwsWith(() => F.interpolate(x, { size: 8, mode: "cubic" }), RangeError, /mode/, /"cubic"/);
  throwsWith(() => F.pad(x, [1, 2, 3]), RangeError, /pad/, /even/, /\[1, 2, 3\]/);
  // @ts-expect-error: not a mode
  throwsWith(() => F.pad(x, [1, 1], { mode: "wrap" }), RangeError, /mode/, /"wrap"/);
  throwsWith(() => F.pad(x, [1, 1], { mode: "reflect", value: 2 }), TypeError, /reflect/, /value/);
  throwsWith(() => F.maxPool2d(x, 2, { padding: -1 }), RangeError, /maxPool2d/, /padding/, /-1/);
  throwsWith(() => F.avgPool2d(x, 2, { divisorOverride: 0 }), RangeError, /divisorOverride/, /0/);
  // @ts-expect-error: not a reduction
  throwsWith(() => F.mseLoss(x, x, { reduction: "average" }), RangeError, /reduction/, /"average"/);
  throwsWith(() => F.crossEntropy(x, x, { ignoreIndex: 0.5 }), TypeError, /ignoreIndex/, /0\.5/);
  // @ts-expect-error: not a tensor
  throwsWith(() => F.linear(x, [1, 2]), TypeError, /linear/, /weight/, /\[1, 2\]/);
  throwsWith(() => F.softmax(x, 1.5), TypeError, /dim/, /1\.5/);
  x.dispose();
});

Deno.test("errors: init rejects what torch.nn.init rejects", () => {
  // @ts-expect-error: not a nonlinearity
  throwsWith(() => init.calculateGain("swish"), RangeError, /nonlinearity/, /"swish"/);
  // @ts-expect-error: not a mode
  throwsWith(() => init.kaimingUniform_(zeros([2, 2]), { mode: "fan_avg" }), RangeError, /mode/, /"fan_avg"/);
  throwsWith(() => init.xavierUniform_(zeros([3])), RangeError, /fewer than 2 dimensions/, /\[3\]/);
  throwsWith(() => init.normal_(zeros([3]), 0, -1), RangeError, /std/, /-1/);
});

Deno.test("errors: failures inside LibTorch surface as TorchError naming the operator", () => {
  using fc = new Linear(4, 2);
  throwsWith(() => fc.forward(randn([3, 5])), TorchError, /aten::linear/);
  using conv = new Conv2d(3, 6, 5);
  throwsWith(() => conv.forward(randn([1, 4, 8, 8])), TorchError, /aten::conv2d/);
  throwsWith(() => conv.forward(randn([1, 3, 4, 4])), TorchError, /aten::conv2d/);
  throwsWith(() => F.crossEntropy(randn([2, 3]), tensor([0, 3])), TorchError, /aten::cross_entropy_loss/);
  throwsWith(() => F.nllLoss(randn([2, 3]), randn([2])), TorchError, /aten::nll_loss_nd/);
  throwsWith(() => F.oneHot(tensor([0.5, 1.5])), TorchError, /aten::one_hot/);
});

Deno.test("errors: containers check their arguments and indices", () => {
  // @ts-expect-error: not a module
  throwsWith(() => new Sequential(new Linear(1, 1), "relu"), TypeError, /Sequential/, /"relu"/);
  // @ts-expect-error: not a module
  throwsWith(() => new Sequential("relu"), TypeError, /Sequential/, /"relu"/);
  const seq = new Sequential(new Linear(1, 1));
  throwsWith(() => seq.at(1), RangeError, /index 1 is out of range/, /length 1/);
  throwsWith(() => seq.insert(3, new Linear(1, 1)), RangeError, /index 3/);
  throwsWith(() => new ModuleList().forward(), TypeError, /ModuleList has no forward/);
  strictEqual(seq.length, 1);
  seq.dispose();
});

Deno.test("errors: a TorchError names the operator and keeps LibTorch's message", () => {
  throws(() => tidy(() => F.linear(randn([3, 5]), randn([2, 4]))), (e: unknown) => {
    if (!(e instanceof TorchError)) return false;
    strictEqual(e.op, "aten::linear");
    match(e.message, /^aten::linear: mat1 and mat2 shapes cannot be multiplied \(3x5 and 4x2\)/);
    match(e.fullMessage, /mat1 and mat2 shapes cannot be multiplied/);
    return true;
  });
});
