// train()/eval() skip setting the flags when the module set the same mode on all below it and nothing changed
// since; whatever changed in between (a flag set directly, a child's own train(), a child assigned, replaced or
// removed, a TorchScript module's native flags) makes the next call set every flag again, as PyTorch's does.
import assert from "node:assert/strict";
import { jit, LeNet, Linear, type Module, ReLU, Sequential } from "../../mod.ts";
import { fixturePath } from "../fixture.ts";

const allIn = (m: Module, mode: boolean) => m.modules().every((x) => x.training === mode);

/** A module whose setTrainingFlag counts its calls (the flags train() sets). */
class Counting extends Linear {
  calls = 0;
  protected override setTrainingFlag(mode: boolean): void {
    this.calls++;
    super.setTrainingFlag(mode);
  }
}

Deno.test("train(mode) on a tree that has the mode from its own last call sets no flag again", () => {
  const leaf = new Counting(2, 2);
  const net = new Sequential(new Linear(2, 2), new Sequential(leaf, new ReLU()));
  net.eval();
  assert.equal(leaf.calls, 1);
  net.eval();
  net.eval();
  assert.equal(leaf.calls, 1, "nothing changed: no flag set again");
  net.train();
  assert.equal(leaf.calls, 2);
  assert.ok(allIn(net, true));
  net.train();
  assert.equal(leaf.calls, 2);
  net.dispose();
});

Deno.test("train(mode) sets every flag again after any change below", () => {
  const m = new LeNet();
  m.eval();
  // a flag set directly
  m.classifier.training = true;
  m.eval();
  assert.ok(allIn(m, false), "a flag set directly");
  // a child's own train()
  m.features.train();
  m.eval();
  assert.ok(allIn(m, false), "a child's train()");
  // a grandchild's flag
  m.features.children()[1].train();
  m.eval();
  assert.ok(allIn(m, false), "a grandchild's train()");
  // a child assigned to a property (registered at the next traversal), in training mode
  const extra = new Linear(2, 2);
  (m as unknown as Record<string, unknown>).extra = extra;
  m.eval();
  assert.equal(extra.training, false, "an assigned child");
  // a replaced child
  const head = new Sequential(new Linear(1, 1));
  (m as unknown as { classifier: Module }).classifier = head;
  m.eval();
  assert.ok(allIn(head, false), "a replaced child");
  // a registered child
  const reg = m.registerModule("reg", new Linear(1, 1));
  m.eval();
  assert.equal(reg.training, false, "a registered child");
  // a shared child set through another parent
  const other = new Sequential(m.features);
  other.train();
  m.eval();
  assert.ok(allIn(m, false), "a child shared with another tree");
  m.train();
  assert.ok(allIn(m, true));
  m.dispose();
});

Deno.test("a TorchScript module's native flags, set directly, are seen by its parent's next train()", () => {
  const sm = jit.load(fixturePath("jit/small.pt"));
  try {
    sm.eval();
    assert.ok(allIn(sm, false));
    const child = sm.children()[0];
    child.training = true; // the native subtree of the child
    assert.equal(child.training, true);
    sm.eval();
    assert.ok(allIn(sm, false), "the child's native flag was set back");
    sm.train();
    assert.ok(allIn(sm, true));
  } finally {
    sm.dispose();
  }
});
