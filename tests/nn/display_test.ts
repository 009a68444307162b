// Rich display of modules in Deno's Jupyter kernel: PyTorch's printout with parameter counts.

import assert from "node:assert/strict";
import { LeNet, Linear, manualSeed, Sequential } from "../../mod.ts";
import { parameterCounts } from "../../nn/display.ts";

const display = (x: unknown) => (x as { [k: symbol]: () => Record<string, string> })[Symbol.for("Jupyter.display")]();

Deno.test("Module display: the printout, the totals, each module's parameter count", () => {
  manualSeed(0);
  using m = new LeNet();
  const b = display(m);
  // 456 + 12 + 2,416 + 32 (features) + 48,120 + 10,164 + 85 (classifier) = 61,285
  assert.equal(
    b["text/plain"],
    `${m.toString()}\n61,285 parameters (61,285 trainable), 46 buffer elements, training mode`,
  );
  const html = b["text/html"];
  assert.ok(html.includes("<b>LeNet</b>: 61,285 parameters (61,285 trainable)"), html);
  assert.ok(html.includes('(features): Sequential(  <span style="color:#888"># 2,916 params</span>'), html);
  assert.ok(
    html.includes(
      '(7): Linear(in_features=84, out_features=1, bias=True)  <span style="color:#888"># 85 params</span>',
    ),
  );
  assert.ok(html.includes("(2): ReLU()\n"), "modules without parameters carry no note");
  m.features.requiresGrad_(false);
  m.eval();
  assert.deepEqual(parameterCounts(m), { parameters: 61285, trainable: 58369, buffers: 46 });
  const frozen = display(m)["text/html"];
  assert.ok(frozen.includes("# 2,916 params, frozen"), frozen);
  assert.ok(frozen.includes("# 61,285 params, 58,369 trainable"));
  assert.ok(frozen.includes("evaluation mode"));
  using l = new Linear(4, 2);
  assert.deepEqual(parameterCounts(l), { parameters: 10, trainable: 10, buffers: 0 });
});

Deno.test("Module display: a long printout is folded under a table of the direct children", () => {
  using m = new Sequential(...Array.from({ length: 50 }, () => new Linear(2, 2)));
  const html = display(m)["text/html"];
  assert.ok(html.includes("<details><summary"), "folded");
  assert.ok(html.includes("the printout (52 lines)"), html.slice(0, 400));
  assert.equal((html.match(/<tr><td /g) ?? []).length, 50, "one table row per child");
  assert.ok(
    html.includes('>Linear</td><td style="padding:2px 8px;text-align:right;border-bottom:1px solid #ddd">6</td>'),
  );
  using small = new Sequential(new Linear(2, 2));
  assert.ok(!display(small)["text/html"].includes("<details>"));
});
