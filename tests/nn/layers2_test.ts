// Parity of the activation, normalisation, embedding, 1-D convolution, transposed convolution, pooling,
// upsampling and channel-dropout layers with torch.nn 1.13 to the bit: initial parameters after
// manualSeed, printout, state-dict keys, outputs, gradients and buffers over train and eval steps.
// Fixtures: scripts/fixtures/gen_nn_layers.py (LAYER_CASES).

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { loadFixture } from "../fixture.ts";
import { LAYER_CASES, RNN_CASES, runLayerCase, TRANSFORMER_CASES } from "./layers2_cases.ts";

const f = loadFixture("nn/layers2");

Deno.test("layers2: every fixture case has a TypeScript twin", () => {
  const twins = [...Object.keys(LAYER_CASES), ...Object.keys(RNN_CASES), ...Object.keys(TRANSFORMER_CASES)];
  assertEquals(twins.sort(), Object.keys(f.values).sort());
});

for (const [name, c] of Object.entries(LAYER_CASES)) {
  Deno.test(`layers2: ${name} matches torch.nn to the bit`, () => runLayerCase(f, name, c));
}
