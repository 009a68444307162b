// Parity of MultiheadAttention, TransformerEncoderLayer, TransformerEncoder and TransformerDecoderLayer
// with torch.nn 1.13 to the bit, on the paths 1.13 takes: training (dropout masks from the global
// generator), evaluation with autograd (the composed path) and evaluation under noGrad (the fused
// aten::_native_multi_head_attention / aten::_transformer_encoder_layer_fwd and the nested-tensor path).
// Fixtures: scripts/fixtures/gen_nn_layers.py (LAYER_CASES).

import { loadFixture } from "../fixture.ts";
import { runLayerCase, TRANSFORMER_CASES } from "./layers2_cases.ts";

const f = loadFixture("nn/layers2");

for (const [name, c] of Object.entries(TRANSFORMER_CASES)) {
  Deno.test(`transformer: ${name} matches torch.nn to the bit`, () => runLayerCase(f, name, c));
}
