// Two small text models built from the new layers, trained a few optimizer steps and evaluated, equal to
// their PyTorch-Python twins to the bit: an Embedding + LSTM classifier (SGD with momentum) and an
// Embedding + TransformerEncoder classifier (Adam, dropout in training, and in evaluation under noGrad
// 1.13's nested-tensor fast path over a padding mask); their trained state dicts, saved by torch.save,
// load into fresh twins under PyTorch's key names. Fixtures: scripts/fixtures/gen_nn_layers.py
// (model_cases).

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  Adam,
  liveTensors,
  load,
  manualSeed,
  noGrad,
  type Optimizer,
  SGD,
  type Tensor,
  tidy,
  zeros,
} from "../../mod.ts";
import {
  crossEntropy,
  Embedding,
  Linear,
  LSTM,
  Module,
  TransformerEncoder,
  TransformerEncoderLayer,
} from "../../nn/mod.ts";
import { fixturePath, fixtureTensor, loadFixture } from "../fixture.ts";
import { assertFixtureExact, assertStateDictExact } from "./helpers.ts";

const f = loadFixture("nn/models2");

/** Embedding -> 2-layer LSTM -> Linear on the last layer's final hidden state. */
class TextLSTM extends Module {
  emb = this.registerModule("emb", new Embedding(20, 8, { paddingIdx: 0 }));
  lstm = this.registerModule("lstm", new LSTM(8, 12, { numLayers: 2, dropout: 0.2, batchFirst: true }));
  fc = this.registerModule("fc", new Linear(12, 3));

  forward(x: Tensor): Tensor {
    return tidy(() => {
      const [, [h]] = this.lstm.forward(this.emb.forward(x));
      return this.fc.forward(h.select(0, h.shape[0] - 1));
    });
  }
}

/** Embedding + learned positions -> 2 encoder layers -> mean over positions -> Linear. */
class TinyTransformer extends Module {
  emb = this.registerModule("emb", new Embedding(20, 8));
  pos = this.registerParameter("pos", zeros([1, 6, 8]));
  enc = this.registerModule(
    "enc",
    new TransformerEncoder(
      new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.1, batchFirst: true }),
      2,
    ),
  );
  fc = this.registerModule("fc", new Linear(8, 3));

  forward(x: Tensor, kpm: Tensor): Tensor {
    return tidy(() => {
      const h = this.enc.forward(this.emb.forward(x).add(this.pos), { srcKeyPaddingMask: kpm });
      return this.fc.forward(h.mean(1));
    });
  }
}

const CASES: [string, number, () => Module, (m: Module) => Optimizer][] = [
  ["text_lstm", 11, () => new TextLSTM(), (m) => new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 })],
  ["tiny_transformer", 12, () => new TinyTransformer(), (m) => new Adam(m.parameters(), { lr: 0.01 })],
];

for (const [name, seed, make, makeOpt] of CASES) {
  Deno.test(`models2: ${name} trains and evaluates as its PyTorch twin, to the bit`, () => {
    const v = f.values[name];
    const before = liveTensors();
    manualSeed(seed);
    const m = make();
    const opt = makeOpt(m);
    try {
      assertEquals(m.toString(), v.repr);
      assertStateDictExact(m, f, `${name}.init.`, v.keys);
      for (let s = 0; s <= v.steps; s++) {
        const p = `${name}.${s}`;
        tidy(() => {
          const x = fixtureTensor(f, `${p}.x`), kpm = fixtureTensor(f, `${p}.kpm`), y = fixtureTensor(f, `${p}.y`);
          const run = () => (m instanceof TextLSTM ? m.forward(x) : (m as TinyTransformer).forward(x, kpm));
          if (s < v.steps) {
            m.train();
            manualSeed(seed * 100 + s);
            opt.zeroGrad();
            const loss = crossEntropy(run(), y);
            loss.backward();
            opt.step();
            assertFixtureExact(loss, f, `${p}.loss`);
          } else {
            m.eval();
            assertFixtureExact(noGrad(run), f, `${p}.logits`);
          }
        });
      }
      assertStateDictExact(m, f, `${name}.final.`, v.keys);
    } finally {
      opt.zeroGrad();
      opt.dispose();
      m.dispose();
    }
    assertEquals(liveTensors(), before, "tensors left behind");
  });
}

for (const [name, , make] of CASES) {
  Deno.test(`models2: ${name}'s torch.save'd state dict loads into a fresh twin and predicts the same`, () => {
    const v = f.values[name];
    const before = liveTensors();
    manualSeed(999);
    const m = make();
    try {
      const sd = load(fixturePath(`nn/${name}_state.pt`)) as Record<string, Tensor>;
      assertEquals(Object.keys(sd), v.keys);
      const result = m.loadStateDict(sd);
      assertEquals(result, { missingKeys: [], unexpectedKeys: [] });
      for (const t of Object.values(sd)) t.dispose();
      m.eval();
      tidy(() => {
        const p = `${name}.${v.steps}`;
        const x = fixtureTensor(f, `${p}.x`), kpm = fixtureTensor(f, `${p}.kpm`);
        const logits = noGrad(() => (m instanceof TextLSTM ? m.forward(x) : (m as TinyTransformer).forward(x, kpm)));
        assertFixtureExact(logits, f, `${p}.logits`);
      });
    } finally {
      m.dispose();
    }
    assertEquals(liveTensors(), before, "tensors left behind");
  });
}
