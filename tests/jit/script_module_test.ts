/**
 * TorchScript modules: a small model exported by scripts/fixtures/gen_jit.py (torch.jit.script) gives
 * PyTorch's outputs exactly, exposes PyTorch's parameter names, switches train/eval, fine-tunes a part,
 * composes with TypeScript modules, moves, saves, frees, and fails clearly.
 */

import { join } from "node:path";
import {
  callOp,
  dispose,
  liveTensors,
  manualSeed,
  Module,
  noGrad,
  randn,
  type Tensor,
  tidy,
  zeros,
} from "../../mod.ts";
import { liveModules, load, type ScriptModule } from "../../jit/mod.ts";
import { assertTensorExact, fixturePath, fixtureTensor, loadFixture } from "../fixture.ts";
import { assertEquals, assertRejects, assertStrictEquals, assertThrows, assertTrue } from "../serialize/assert.ts";

const MODEL = fixturePath("jit/small.pt");
const f = loadFixture("jit/small");
const fx = (name: string) => fixtureTensor(f, name);

function equal(a: Tensor, b: Tensor): boolean {
  return tidy(() => callOp("aten::equal", a.detach(), b.detach()) as boolean);
}

/** Copies of every parameter and buffer, by name. */
function snapshot(m: Module): Map<string, Tensor> {
  return noGrad(() => new Map([...m.namedParameters(), ...m.namedBuffers()].map(([n, t]) => [n, t.clone()])));
}

Deno.test("jit.load: outputs equal PyTorch's exactly (forward and exported methods)", () => {
  const m = load(MODEL, { device: "cpu" });
  const x = fx("x");
  assertEquals(m.training, false); // saved in eval mode
  tidy(() => {
    assertTensorExact(m.forward(x), fx("out_eval"), "forward");
    assertTensorExact(m.callMethod<Tensor>("embed", x), fx("embed"), "embed");
    const [values, firsts] = m.callMethod<[Tensor, number[]]>("topk", x);
    assertTensorExact(values, fx("top_values"), "topk values");
    assertEquals(firsts, f.values.top_firsts);
    const [values1] = m.callMethod<[Tensor, number[]]>("topk", x, 1); // a non-default int argument
    assertEquals(values1.shape, [2, 1]);
    const s = x.sum();
    const d = m.callMethod<Record<string, Tensor>>("weighted", { a: s, b: x.mean() }, 2);
    assertEquals(Object.keys(d), ["a", "b"]);
    assertTensorExact(d.a, s.mul(2), "weighted dict");
  });
  dispose(x);
  m.dispose();
});

Deno.test("jit.load: names, shapes, children, methods and class name as in PyTorch", () => {
  const m = load(MODEL);
  assertEquals(m.namedParameters().map(([n, t]) => [n, t.shape]), f.values.parameters);
  assertEquals(m.namedBuffers().map(([n, t]) => [n, t.shape]), f.values.buffers);
  assertEquals(m.namedChildren().map(([n]) => n), f.values.children);
  assertEquals(m.methods().sort(), f.values.methods);
  assertEquals(m.typeName, f.values.type_name);
  assertEquals(m.child("features.1").typeName, "__torch__.torch.nn.modules.batchnorm.BatchNorm2d");
  assertEquals(m.child("features.1").originalName, "BatchNorm2d");
  assertEquals(m.namedModules().length, 1 + 1 + 8 + 1 + 5);
  assertEquals(Object.keys(m.stateDict()).length, f.values.parameters.length + f.values.buffers.length);
  assertTrue(String(m).startsWith("RecursiveScriptModule(\n  original_name=SmallNet\n  (features):"));
  m.dispose();
});

Deno.test("ScriptModule: parameters and children are the same objects on every call", () => {
  const m = load(MODEL);
  const a = m.parameters(), b = m.parameters();
  a.forEach((t, i) => assertStrictEquals(t, b[i]));
  assertStrictEquals(m.child("features"), m.namedChildren()[0][1]);
  assertStrictEquals(m.child("features.0"), m.child("features").child("0"));
  const w = m.child("classifier.4").ownParameters()[0][1];
  assertStrictEquals(m.namedParameters().find(([n]) => n === "classifier.4.weight")![1], w);
  m.dispose();
});

Deno.test("ScriptModule: train/eval switches dropout and BatchNorm as in PyTorch", () => {
  const m = load(MODEL);
  const x = fx("x");
  m.train();
  assertTrue(m.modules().every((c) => c.training), "train() reaches every native submodule");
  manualSeed(7);
  tidy(() => assertTensorExact(m.forward(x), fx("out_train"), "forward in train mode (dropout, batch stats)"));
  const bn = m.child("features.1");
  const mean = bn.ownBuffers().find(([n]) => n === "running_mean")![1];
  assertTensorExact(mean, fx("running_mean_after_train"), "running_mean after a train step");
  tidy(() => assertTrue(!equal(m.forward(x), m.forward(x)), "dropout draws anew in train mode"));

  m.eval();
  assertTrue(m.modules().every((c) => !c.training));
  const before = noGrad(() => mean.clone());
  tidy(() => assertTrue(equal(m.forward(x), m.forward(x)), "eval mode is deterministic"));
  assertTrue(equal(mean, before), "eval mode leaves the running statistics alone");
  m.child("classifier").train(); // a subtree only
  assertEquals([m.training, m.child("classifier.1").training, m.child("features.1").training], [false, true, false]);
  dispose([x, before]);
  m.dispose();
});

Deno.test("ScriptModule: fine-tuning only the last layer changes only it, as in PyTorch", () => {
  const m = load(MODEL);
  m.eval();
  const x = fx("x"), target = fx("target");
  for (const [name, p] of m.namedParameters()) p.requiresGrad_(name.startsWith("classifier.4."));
  const before = snapshot(m);
  const losses: Tensor[] = [];
  for (let step = 0; step < 3; step++) {
    losses.push(tidy(() => {
      const loss = m.forward(x).sub(target).square().mean();
      loss.backward();
      noGrad(() => {
        for (const p of m.parameters()) {
          const g = p.grad;
          if (g === null) continue;
          p.sub_(g, { alpha: 0.1 });
          p.grad = null;
        }
      });
      return loss.detach();
    }));
  }
  tidy(() => assertTensorExact(callOp("aten::stack", losses, 0) as Tensor, fx("losses"), "losses"));
  const w = m.child("classifier.4").ownParameters();
  assertTensorExact(w[0][1], fx("tuned_weight"), "tuned weight");
  assertTensorExact(w[1][1], fx("tuned_bias"), "tuned bias");
  for (const [name, t] of [...m.namedParameters(), ...m.namedBuffers()]) {
    const changed = !equal(t, before.get(name)!);
    assertEquals(changed, name.startsWith("classifier.4."), `${name} ${changed ? "changed" : "did not change"}`);
  }
  dispose([x, target, losses, [...before.values()]]);
  m.dispose();
});

/** A TypeScript head on a TorchScript backbone. */
class Composite extends Module {
  backbone: ScriptModule;
  weight: Tensor;
  bias: Tensor;
  constructor(backbone: ScriptModule) {
    super();
    this.backbone = this.registerModule("backbone", backbone);
    manualSeed(3);
    this.weight = this.registerParameter("weight", randn([2, 8]).mul(0.1));
    this.bias = this.registerParameter("bias", zeros([2]));
  }
  forward(x: Tensor): Tensor {
    return this.backbone.forward(x).flatten(1).matmul(this.weight.t()).add(this.bias);
  }
}

Deno.test("ScriptModule: a TorchScript backbone with a TypeScript head trains end to end", () => {
  const m = load(MODEL);
  const net = new Composite(m.child("features"));
  net.train();
  assertTrue(m.child("features.1").training && !m.training, "train() on the TS parent reaches the native subtree");
  const keys = Object.keys(net.stateDict());
  assertTrue(keys.includes("backbone.0.weight") && keys.includes("backbone.1.num_batches_tracked"), keys.join());
  manualSeed(5);
  const x = randn([4, 3, 8, 8]), y = randn([4, 2]);
  const before = snapshot(net);
  const losses: number[] = [];
  for (let step = 0; step < 8; step++) {
    tidy(() => {
      net.zeroGrad();
      const loss = net.forward(x).sub(y).square().mean();
      loss.backward();
      losses.push(loss.item());
      for (const [name, p] of net.namedParameters()) assertTrue(p.grad !== null, `${name} has a gradient`);
      noGrad(() => {
        for (const p of net.parameters()) p.sub_(p.grad!, { alpha: 0.05 });
      });
    });
  }
  assertTrue(losses[losses.length - 1] < losses[0], `the loss goes down: ${losses.join(", ")}`);
  for (const [name, p] of net.namedParameters()) assertTrue(!equal(p, before.get(name)!), `${name} was trained`);
  // The TS parent's to() reaches the native module (through the shared tensors).
  net.to("float64");
  assertEquals(m.child("features.0").ownParameters()[0][1].dtype, "float64");
  tidy(() => assertEquals(net.forward(x.to("float64")).dtype, "float64"));
  dispose([x, y, [...before.values()]]);
  dispose([net.weight, net.bias]);
  m.dispose();
});

Deno.test("ScriptModule: to(dtype) converts floating point tensors in place, keeping their objects", () => {
  const m = load(MODEL);
  const params = m.parameters(), buffers = m.namedBuffers();
  m.to("float64");
  m.parameters().forEach((p, i) => assertStrictEquals(p, params[i]));
  assertTrue(params.every((p) => p.dtype === "float64"));
  assertEquals(
    buffers.map(([n, b]) => [n, b.dtype]).filter(([n]) => (n as string).endsWith("num_batches_tracked")),
    [["features.1.num_batches_tracked", "int64"], ["features.5.num_batches_tracked", "int64"]],
  );
  const x = fx("x");
  tidy(() => {
    const y64 = m.forward(x.to("float64"));
    assertEquals(y64.dtype, "float64");
    m.to({ dtype: "float32", device: "cpu" });
    assertTensorExact(m.forward(x), fx("out_eval"), "float32 again");
  });
  dispose(x);
  m.dispose();
});

Deno.test("ScriptModule: save and load round trip (atomic)", async () => {
  const m = load(MODEL);
  const x = fx("x");
  const dir = Deno.makeTempDirSync();
  try {
    noGrad(() => m.child("classifier.4").ownParameters()[1][1].add_(1)); // a change to keep
    const file = join(dir, "sub", "tuned.pt");
    await m.save(file);
    assertEquals([...Deno.readDirSync(join(dir, "sub"))].map((e) => e.name), ["tuned.pt"]);
    const back = load(file);
    tidy(() => assertTensorExact(back.forward(x), m.forward(x), "outputs after a round trip"));
    for (const [[n, a], [n2, b]] of m.namedParameters().map((e, i) => [e, back.namedParameters()[i]] as const)) {
      assertEquals(n2, n);
      assertTrue(equal(a, b), n);
    }
    back.dispose();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  dispose(x);
  m.dispose();
});

Deno.test("ScriptModule: loadStateDict copies into the native module; structure cannot be extended", () => {
  const a = load(MODEL), b = load(MODEL);
  const x = fx("x");
  noGrad(() => a.child("features.0").ownParameters()[0][1].mul_(2));
  const sd = a.stateDict();
  b.loadStateDict(sd);
  tidy(() => assertTensorExact(b.forward(x), a.forward(x), "after loadStateDict"));
  b.zeroGrad();
  assertThrows(() => b.registerParameter("extra", zeros([1])), TypeError, "cannot register the parameter 'extra'");
  assertThrows(() => b.registerModule("head", null), TypeError, "make a TypeScript Module holding it");
  dispose([x, Object.values(sd)]);
  a.dispose();
  b.dispose();
});

Deno.test("ScriptModule: forwardAsync equals forward and carries the grad mode", async () => {
  const m = load(MODEL);
  const x = fx("x");
  const sync = m.forward(x);
  const y = await m.forwardAsync(x);
  assertTrue(equal(y, sync));
  assertEquals(y.requiresGrad, true);
  const z = await noGrad(() => m.forwardAsync(x));
  assertEquals(z.requiresGrad, false);
  await assertRejects(() => m.forwardAsync("not a tensor"), Error, "__torch__.SmallNet.forward");
  dispose([x, sync, y, z]);
  m.dispose();
});

Deno.test("ScriptModule: dispose frees the module handles and tensors", () => {
  const tensors = liveTensors(), modules = liveModules();
  const m = load(MODEL);
  const x = fx("x");
  tidy(() => {
    m.forward(x);
    m.namedParameters();
    m.namedBuffers();
    m.child("classifier.4");
    m.stateDict(); // detached copies, freed by the scope
  });
  assertTrue(liveModules() > modules);
  m.dispose();
  m.dispose(); // twice is fine
  x.dispose();
  assertEquals(liveModules(), modules);
  assertEquals(liveTensors(), tensors);
  assertThrows(() => m.forward(x), ReferenceError, "this ScriptModule was disposed");
});

// ---------------------------------------------------------------------------------------- errors

Deno.test("jit.load: a missing file names the path and how to make one", () => {
  assertThrows(() => load("/nonexistent/model.pt"), Error, "/nonexistent/model.pt: no such file; export one");
});

Deno.test("jit.load: a torch.save state dict or a foreign file is recognized", () => {
  assertThrows(
    () => load(fixturePath("serialize/model_state.pt")),
    Error,
    "is a torch.save file (a state dict or pickled object), not a TorchScript module",
  );
  const tmp = Deno.makeTempFileSync({ suffix: ".pt" });
  try {
    Deno.writeTextFileSync(tmp, "hello");
    assertThrows(() => load(tmp), Error, `${tmp} is not a TorchScript file`);
  } finally {
    Deno.removeSync(tmp);
  }
});

Deno.test("ScriptModule: a missing child lists the children", () => {
  const m = load(MODEL);
  assertThrows(() => m.child("head"), Error, "has no 'head' (its children: features, classifier)");
  assertThrows(() => m.child("features.9"), Error, "'features' (__torch__.torch.nn.modules.container.Sequential)");
  assertThrows(() => m.child("features.9"), Error, "(its children: 0, 1, 2, 3, 4, 5, 6, 7)");
  m.dispose();
});

Deno.test("ScriptModule: wrong arguments and methods raise LibTorch's message", () => {
  const m = load(MODEL);
  const x = fx("x");
  assertThrows(() => m.forward(), Error, "__torch__.SmallNet.forward: missing argument 'x'");
  assertThrows(() => m.forward("a string"), Error, "expected Tensor, got");
  assertThrows(() => m.forward(x, x), Error, "too many arguments");
  assertThrows(() => m.callMethod("predict", x), Error, "has no method 'predict' (methods: forward, embed");
  tidy(() => assertThrows(() => m.forward(x.reshape([2, 192])), Error, "__torch__.SmallNet.forward"));
  dispose(x);
  m.dispose();
});
