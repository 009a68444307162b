import assert from "node:assert/strict";
import { Adam, liveTensors, NAdam, SGD, tensor } from "../../mod.ts";

function param() {
  return tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
}

Deno.test("loadStateDict rejects a PyTorch-only group key at a value this optimizer does not implement", () => {
  const live = liveTensors();
  const p = param();
  const opt = new Adam([p], { lr: 0.1 });
  const saved = opt.stateDict();
  (saved.param_groups[0] as Record<string, unknown>).capturable = true;
  assert.throws(
    () => opt.loadStateDict(saved),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        "Adam.loadStateDict: param_groups[0] has capturable=True, but this optimizer supports only " +
          "capturable=False; save the state dict from a PyTorch optimizer made with capturable=False",
  );
  (saved.param_groups[0] as Record<string, unknown>).capturable = false;
  (saved.param_groups[0] as Record<string, unknown>).differentiable = true;
  assert.throws(() => opt.loadStateDict(saved), /param_groups\[0\] has differentiable=True/);
  opt.dispose();
  p.dispose();
  assert.equal(liveTensors(), live);
});

Deno.test("loadStateDict takes foreach at any value (it only picks the implementation) and the default values", () => {
  const p = param();
  const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
  for (const foreach of [true, false, null]) {
    const saved = opt.stateDict();
    (saved.param_groups[0] as Record<string, unknown>).foreach = foreach;
    opt.loadStateDict(saved);
    assert.equal(opt.paramGroups[0].lr, 0.1);
  }
  const nadam = new NAdam([p]);
  nadam.loadStateDict(nadam.stateDict());
  opt.dispose();
  nadam.dispose();
  p.dispose();
});
