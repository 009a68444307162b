// Wrong-typed arguments are TypeErrors/RangeErrors that name the function, the argument and what was given, never
// V8's own messages ("first is not iterable", "fn is not a function", "Cannot read properties of null"), never
// Deno's FFI ("Invalid FFI i32 type"), never a message that itself throws (a BigInt, a cycle) or says nothing.

import assert from "node:assert/strict";
import {
  backward,
  buildInfo,
  cat,
  cmath,
  cuda,
  fromBytes,
  grad,
  liveTensors,
  manualSeed,
  matmul,
  noGrad,
  ops,
  setRngState,
  stack,
  tensor,
  tidy,
  TorchError,
  zeros,
} from "../../mod.ts";
import { describe } from "../../tensor/checks.ts";
import { pav } from "../../calibration/mod.ts";
import { IsotonicRegression, PlattScaling } from "../../calibration/mod.ts";
import { channelStats, compose, hflip, resizedSize, selectClasses, splitLengths } from "../../datasets/mod.ts";

function throwsWith(fn: () => unknown, type: new (...a: never[]) => Error, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected a ${type.name}, got ${e}`);
    assert.match((e as Error).message, message);
    return true;
  });
}

const cyclic = (): unknown[] => {
  const a: unknown[] = [1, 2];
  a.push(a);
  return a;
};

Deno.test("describe: a safe, short description of any value", () => {
  assert.equal(describe(10n), "10n (a BigInt)");
  assert.equal(describe([1, 2n]), "[1,2n (a BigInt)]");
  assert.equal(describe(Symbol("s")), "a Symbol (s)");
  assert.equal(describe(null), "null");
  assert.equal(describe({}), "an object (Object)");
  assert.equal(describe(Object.create(null)), "an object (null prototype)");
  assert.equal(describe(() => 1), "a function");
  assert.equal(describe(cyclic()), "[1,2,a cyclic reference]");
  assert.equal(describe("x".repeat(100)), JSON.stringify(`${"x".repeat(60)}...`));
  assert.equal(describe(Array.from({ length: 10 }, (_, i) => i)), "[0,1,2,3,4,5,... (10 items)]");
  const hostile = new Proxy({}, {
    getPrototypeOf() {
      throw new Error("no");
    },
  });
  assert.equal(describe(hostile), "an object (unreadable)");
  using t = zeros([2, 3]);
  assert.equal(describe(t), "a float32 Tensor of shape [2, 3]");
  const d = zeros([1]);
  d.dispose();
  assert.equal(describe(d), "a disposed Tensor");
});

Deno.test("Tensor methods: shapes and dims of the wrong kind name what was given", () => {
  using x = zeros([2, 3]);
  throwsWith(
    () => x.flip(undefined as never),
    TypeError,
    /^flip: expected integers or one array of integers, got undefined$/,
  );
  throwsWith(() => x.reshape(null as never), TypeError, /^reshape: expected integers .*got null$/);
  throwsWith(() => x.view([2 ** 64]), TypeError, /^view: expected integers, got \[18446744073709552000\]$/);
  throwsWith(() => x.size({} as never), TypeError, /^size: dim must be an integer, got an object \(Object\)$/);
  throwsWith(() => x.add(cyclic() as never), TypeError, /nested more than 32 deep \(a cyclic array\?\)/);
  throwsWith(() => x.mul(5n as never), TypeError, /aten::mul: cannot pass 5n \(a BigInt\) to an operator/);
  throwsWith(() => x.mul(Symbol() as never), TypeError, /aten::mul: cannot pass a Symbol/);
});

Deno.test("numbers out of range are refused before the FFI, not by Deno's 'Invalid FFI' check", () => {
  using x = zeros([2]);
  throwsWith(() => x.narrow(0, 0, 1e300), TorchError, /argument 'length': expected an int64, got 1e\+300, outside/);
  throwsWith(
    () => cuda.synchronize(1e20),
    RangeError,
    /^cuda\.synchronize: index must be an integer in \[-1, 2147483647\]/,
  );
  throwsWith(() => cmath.exp("1" as never), TypeError, /^cmath\.exp: expected a number, got "1"$/);
  throwsWith(() => cmath.pow(2, undefined as never), TypeError, /^cmath\.pow: expected a number, got undefined$/);
});

Deno.test("functions taking callbacks or tensor lists say what they got", () => {
  throwsWith(() => tidy(5 as never), TypeError, /^tidy: expected a function to run, got 5$/);
  throwsWith(() => noGrad(null as never), TypeError, /^noGrad: expected a function to run, got null$/);
  throwsWith(() => cat(null as never), TypeError, /^cat: tensors must be a non-empty array of Tensors, got null$/);
  throwsWith(() => cat([]), TypeError, /^cat: tensors must be a non-empty array of Tensors, got \[\]$/);
  using a = zeros([1]);
  throwsWith(() => stack([a, 1] as never), TypeError, /^stack: tensors\[1\] must be a Tensor, got 1$/);
  const gone = zeros([1]);
  gone.dispose();
  throwsWith(() => cat([a, gone]), TypeError, /^cat: tensors\[1\] is a disposed Tensor/);
  throwsWith(() => matmul(null as never, a), TypeError, /^matmul: a must be a Tensor, got null$/);
  throwsWith(
    () => backward(a as never),
    TypeError,
    /^backward: tensors must be an array of Tensors, got a float32 Tensor/,
  );
  throwsWith(() => backward([a], 5 as never), TypeError, /^backward: gradTensors must be an array/);
  throwsWith(() => grad(a, [a, 3] as never), TypeError, /^grad: inputs\[1\] must be a Tensor, got 3$/);
  throwsWith(() => setRngState(undefined as never), TypeError, /^setRngState: state must be a Tensor, got undefined$/);
});

Deno.test("BigInts, Symbols and cycles in arguments do not make the message throw", () => {
  throwsWith(
    () => manualSeed(10n as never),
    RangeError,
    /^manualSeed: seed must be an integer in \[0, 2\^53\), got 10n/,
  );
  throwsWith(() => zeros([10n] as never), TypeError, /^zeros: shape must be .*got \[10n \(a BigInt\)\]$/);
  throwsWith(() => zeros(cyclic() as never), TypeError, /^zeros: shape must be .*got \[1,2,a cyclic reference\]$/);
  throwsWith(
    () => fromBytes(new Uint8Array(4), "nope" as never, [1]),
    TypeError,
    /^fromBytes: unknown dtype "nope" \(one of /,
  );
  throwsWith(
    () => fromBytes(null as never, "float32", [1]),
    TypeError,
    /^fromBytes: bytes must be a Uint8Array, got null$/,
  );
});

Deno.test("ops.aten: a BigInt or a wrong type names the argument; a missing CUDA is said to be CUDA", () => {
  using x = zeros([2]);
  // @ts-expect-error: a wrong argument type on purpose (ops.aten is typed); the runtime check is what is tested
  throwsWith(() => ops.aten.add(x, 5n), TypeError, /argument 'other' expects Tensor, got 5n \(a BigInt\)/);
  throwsWith(() => ops.aten.no_such_op(1), TypeError, /unknown operator aten::no_such_op/);
  if (!buildInfo().cudaBuild) {
    // a CPU-only LibTorch: the dispatcher's "could not run ... 'CUDA' backend" is reported as no CUDA
    throwsWith(
      () => zeros([2], { device: "cuda" }),
      TorchError,
      /CUDA is not available for aten::empty\.memory_format: this LibTorch has no CUDA kernel for it/,
    );
  }
  // the shim's message names the operator once, not twice
  // @ts-expect-error: a wrong argument type on purpose (ops.aten is typed); the runtime check is what is tested
  throwsWith(() => ops.aten["full"]([2], "a"), TypeError, /argument 'fill_value' expects Scalar, got "a"/);
});

Deno.test("calibration and datasets: wrong kinds of arguments name them", () => {
  throwsWith(
    () => pav(null as never, [1]),
    TypeError,
    /^pav: xs and ys must be arrays of numbers, got null and \[1\]$/,
  );
  throwsWith(() => new PlattScaling(null as never), TypeError, /^PlattScaling: options must be an object, got null$/);
  throwsWith(
    () => new IsotonicRegression(5 as never),
    TypeError,
    /^IsotonicRegression: options must be an object, got 5$/,
  );
  throwsWith(() => hflip(undefined as never), TypeError, /^hflip: images must be a Tensor, got undefined$/);
  throwsWith(() => channelStats(null as never), TypeError, /^channelStats: images must be a Tensor, got null$/);
  throwsWith(() => resizedSize(5 as never, 3), TypeError, /^resize: the input size must be \[height, width\]/);
  throwsWith(() => selectClasses(null as never, ["cat"]), TypeError, /^selectClasses: dataset must be an ImageDataset/);
  throwsWith(() => splitLengths(10, 5 as never), TypeError, /^randomSplit: lengths must be an array .*got 5$/);
  throwsWith(() => compose(42 as never), TypeError, /^compose: transform 0 must be a function/);
});

Deno.test("argument errors leave no tensor behind", () => {
  const before = liveTensors();
  // @ts-expect-error: a wrong argument type on purpose (ops.aten is typed); the runtime check is what is tested
  for (const f of [() => cat([tensor([1]), 2] as never), () => ops.aten.add(zeros([1]), 5n)]) {
    tidy(() => assert.throws(f));
  }
  assert.equal(liveTensors(), before);
});

Deno.test("more argument checks found by the fuzz test", async () => {
  const { linspace } = await import("../../mod.ts");
  const { ByteProgress, randomRotation, SeededGenerator } = await import("../../datasets/mod.ts");
  throwsWith(() => linspace(2n as never, 1, 3), TypeError, /^linspace: start: expected a number, got 2n \(a BigInt\)$/);
  using x = zeros([1]);
  throwsWith(() => x.cuda({} as never), TypeError, /^cuda: index must be a non-negative integer .*got an object/);
  using imgs = zeros([1, 1, 4, 4]);
  throwsWith(() => randomRotation(imgs, undefined as never), TypeError, /^randomRotation: degrees must be a number or/);
  using g = new SeededGenerator(0);
  throwsWith(() => g.draw(5 as never), TypeError, /^SeededGenerator\.draw: expected a function, got 5$/);
  throwsWith(() => new ByteProgress(null as never), TypeError, /^ByteProgress: options must be an object, got null$/);
});

Deno.test("TorchError: the dispatcher's 'no CUDA kernel' reads as missing CUDA, not as a missing operator", () => {
  const text = (backends: string) =>
    "Could not run 'aten::empty.memory_format' with arguments from the 'CUDA' backend. This could be because the " +
    "operator doesn't exist for this backend, or was omitted during the selective/custom build process. " +
    `'aten::empty.memory_format' is only available for these backends: [${backends}].`;
  const cpuOnly = new TorchError(text("CPU, Meta, QuantizedCPU, AutogradCUDA"), "aten::zeros");
  assert.match(cpuOnly.message, /^aten::zeros: CUDA is not available for aten::empty\.memory_format: /);
  assert.match(cpuOnly.message, /use device "cpu", or a CUDA build of LibTorch/);
  assert.equal(cpuOnly.fullMessage, text("CPU, Meta, QuantizedCPU, AutogradCUDA"), "LibTorch's text is kept");
  // a LibTorch with CUDA kernels: the operator really lacks one, LibTorch's own words stay
  const withCuda = new TorchError(text("CPU, CUDA, Meta"), "aten::zeros");
  assert.match(withCuda.message, /^aten::zeros: Could not run 'aten::empty\.memory_format'/);
  // no doubled operator name, and a non-string text is still a message
  assert.equal(new TorchError("aten::full: argument 'x': bad", "aten::full").message, "aten::full: argument 'x': bad");
  assert.match(new TorchError(5 as never).message, /an error whose text is not a string \(number\)/);
});

Deno.test("image transforms: a size or options object of the wrong kind is named", async () => {
  const { pad, randomCrop } = await import("../../datasets/mod.ts");
  using imgs = zeros([1, 1, 4, 4]);
  throwsWith(
    () => randomCrop(imgs, null as never),
    TypeError,
    /^randomCrop: size must be a positive integer or \[height, width\], got null$/,
  );
  throwsWith(() => pad(imgs, 1, null as never), TypeError, /^pad: options must be an object, got null$/);
});
