import assert from "node:assert/strict";
import { Adam, Linear, liveTensors, Module, ModuleList, ReLU, Sequential, type Tensor, zeros } from "../../mod.ts";

class Plain extends Module {
  fc1 = new Linear(4, 3);
  act = new ReLU();
  fc2 = new Linear(3, 1);
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

Deno.test("a module assigned to a property is registered, as PyTorch's __setattr__ does, in assignment order", () => {
  const before = liveTensors();
  {
    using m = new Plain();
    assert.deepEqual(m.namedChildren().map(([n]) => n), ["fc1", "act", "fc2"]);
    assert.equal(m.parameters().length, 4);
    const sd = m.stateDict();
    assert.deepEqual(Object.keys(sd), ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]);
    for (const t of Object.values(sd)) t.dispose();
    assert.equal(
      String(m),
      "Plain(\n  (fc1): Linear(in_features=4, out_features=3, bias=True)\n  (act): ReLU()\n" +
        "  (fc2): Linear(in_features=3, out_features=1, bias=True)\n)",
    );
    m.eval();
    assert.equal(m.fc1.training, false);
    const opt = new Adam(m.parameters(), { lr: 0.1 });
    assert.equal(opt.paramGroups[0].params.length, 4);
  }
  assert.equal(liveTensors(), before);
});

class Mixed extends Module {
  a = new Linear(1, 1);
  b = this.registerModule("b", new Linear(1, 1));
  c = new Linear(1, 1);
  forward(x: Tensor): Tensor {
    return x;
  }
}

Deno.test("registered and assigned children keep the properties' order; a reassigned property replaces its child", () => {
  using m = new Mixed();
  assert.deepEqual(m.namedChildren().map(([n]) => n), ["a", "b", "c"]);
  const old = m.b;
  const replacement = new Linear(1, 2);
  (m as { b: Linear }).b = replacement;
  assert.equal(m.namedChildren().find(([n]) => n === "b")?.[1], replacement);
  old.dispose();
});

class WithList extends Module {
  layers = [new Linear(2, 2), new Linear(2, 2)];
  forward(x: Tensor): Tensor {
    return x;
  }
}

class WithModuleList extends Module {
  layers = new ModuleList([new Linear(2, 2), new Linear(2, 2)]);
  forward(x: Tensor): Tensor {
    return x;
  }
}

class WithRegisteredArray extends Module {
  blocks = [new Linear(2, 2), new Linear(2, 2)];
  seq = new Sequential(...this.blocks);
  forward(x: Tensor): Tensor {
    return x;
  }
}

Deno.test("an array of unregistered modules is reported at once, with the fix", () => {
  const m = new WithList();
  assert.throws(
    () => m.parameters(),
    (e: Error) =>
      e instanceof TypeError &&
      /^WithList: property 'layers' is an array of modules, which is not registered/.test(e.message) &&
      /use this\.layers = new ModuleList\(\[\.\.\.\]\) or new Sequential/.test(e.message),
  );
  for (const l of m.layers) l.dispose();
  using ok = new WithModuleList();
  assert.equal(ok.parameters().length, 4);
  using reg = new WithRegisteredArray();
  assert.equal(reg.parameters().length, 4);
  assert.deepEqual(reg.namedChildren().map(([n]) => n), ["seq"]);
});

Deno.test("a property holding a module under a parameter's name is an error", () => {
  class Clash extends Module {
    w = this.registerParameter("w", zeros([1]));
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  using c = new Clash();
  const w = c.w;
  (c as unknown as { w: unknown }).w = new ReLU();
  assert.throws(() => c.children(), /Clash: property 'w' holds a Module but 'w' is registered as a parameter/);
  c.w = w;
});
