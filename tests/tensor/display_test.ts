// Rich display of tensors in Deno's Jupyter kernel: the MIME bundle's header, printout and 2-D heatmap.

import assert from "node:assert/strict";
import { liveTensors, ones, tensor, zeros } from "../../mod.ts";

const display = (x: unknown) => (x as { [k: symbol]: () => Record<string, string> })[Symbol.for("Jupyter.display")]();

Deno.test("Tensor display: shape, dtype, device, PyTorch's printout, a heatmap table of a small 2-D tensor", () => {
  const before = liveTensors();
  using t = tensor([[1, -2], [3, 0.5]], { dtype: "float32", requiresGrad: true });
  const b = display(t);
  assert.deepEqual(Object.keys(b).sort(), ["text/html", "text/plain"]);
  assert.equal(b["text/plain"], t.toString());
  const html = b["text/html"];
  assert.ok(html.includes("Tensor [2, 2] · float32 · cpu · requires_grad=True · 4 elements"), html);
  assert.ok(html.includes('<pre style="margin:2px 0">tensor([[ 1.0000, -2.0000],'), html);
  assert.equal((html.match(/<td /g) ?? []).length, 4);
  assert.ok(html.includes(">-2.0000</td>") && html.includes(">0.5000</td>"));
  // signed data: -2 is the strongest blue, 3 the strongest red
  assert.ok(
    html.includes(
      'title="[1, 0] = 3.0000" style="padding:2px 6px;text-align:right;font:11px monospace;' +
        "border:1px solid #fff;background:rgb(214, 39, 40)",
    ),
    html,
  );
  assert.ok(html.includes("blue negative, white 0, red positive; min -2.0000, max 3.0000"));
  assert.equal(liveTensors(), before + 1, "no temporary left alive");
});

Deno.test("Tensor display: no table for 1-D, colour-only cells past 24 x 24, none past 128, escaped text", () => {
  using v = tensor([1, 2, 3]);
  assert.ok(!display(v)["text/html"].includes("<table"));
  assert.ok(display(v)["text/html"].includes("Tensor [3] · int64 · cpu · 3 elements"));
  using mid = ones([30, 30]);
  const html = display(mid)["text/html"];
  assert.equal((html.match(/<td /g) ?? []).length, 900);
  assert.ok(html.includes("heatmap, white lowest, blue highest"));
  using big = zeros([200, 3]);
  assert.ok(!display(big)["text/html"].includes("<table"));
  const gone = tensor([1]);
  gone.dispose();
  assert.ok(display(gone)["text/html"].includes("Tensor (disposed)"));
  using b = tensor([true, false]);
  assert.ok(display(b)["text/html"].includes("bool"));
});
