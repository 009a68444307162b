// Parity of RNN, LSTM and GRU with torch.nn 1.13 to the bit (layers, directions, batchFirst, dropout
// between layers, projections, unbatched input, given initial states): initial parameters after
// manualSeed in PyTorch's order, weight_ih_l0-style keys, outputs, final states and gradients.
// Fixtures: scripts/fixtures/gen_nn_layers.py (LAYER_CASES).

import { loadFixture } from "../fixture.ts";
import { RNN_CASES, runLayerCase } from "./layers2_cases.ts";

const f = loadFixture("nn/layers2");

for (const [name, c] of Object.entries(RNN_CASES)) {
  Deno.test(`rnn: ${name} matches torch.nn to the bit`, () => runLayerCase(f, name, c));
}
