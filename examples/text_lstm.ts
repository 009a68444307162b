/**
 * An Embedding + LSTM text classifier, ported from its PyTorch twin `text_lstm.py`. The data are seeded
 * random "sentences" of 3 to 8 tokens (right-padded with token 0 to 8) over a vocabulary of 20; the label says
 * whether the sentence holds more "positive" tokens (1-6) than "negative" ones (7-12): 0 fewer, 1 as many,
 * 2 more. The model embeds the tokens (`paddingIdx: 0`), runs a 2-layer `LSTM` (dropout 0.2 between the
 * layers) and classifies the last layer's final hidden state with a `Linear` layer; `CrossEntropyLoss`,
 * `Adam`, the gradient norm clipped to 1 (`clipGradNorm_`) before each step, batches of 32 from a shuffling
 * `data.DataLoader`. The twin prints the same losses to the bit (under the same kernel profile).
 *
 * ```sh
 * deno run -A examples/text_lstm.ts [steps]   # default 240: 30 epochs of 8 batches
 * ```
 *
 * @module
 */

import {
  Adam,
  arange,
  clipGradNorm_,
  CrossEntropyLoss,
  data,
  datasets,
  Embedding,
  Linear,
  LSTM,
  manualSeed,
  Module,
  noGrad,
  randint,
  type Tensor,
  tidy,
} from "../mod.ts";

const SEED = 2;
const SAMPLES = 256;
const VOCAB = 20;
const LENGTH = 8;

/** Embedding -> 2-layer LSTM -> Linear on the last layer's final hidden state. */
export class TextLSTM extends Module {
  emb = this.registerModule("emb", new Embedding(VOCAB, 16, { paddingIdx: 0 }));
  lstm = this.registerModule("lstm", new LSTM(16, 32, { numLayers: 2, dropout: 0.2, batchFirst: true }));
  fc = this.registerModule("fc", new Linear(32, 3));

  /** Logits [N, 3] of token ids [N, L]. */
  forward(x: Tensor): Tensor {
    return tidy(() => {
      const [, [h]] = this.lstm.forward(this.emb.forward(x));
      return this.fc.forward(h.select(0, -1));
    });
  }
}

/** Token ids [256, 8] (0 = padding) and labels [256] in {0, 1, 2}. */
export function makeData(): [Tensor, Tensor] {
  return tidy((): [Tensor, Tensor] => {
    const lengths = randint(3, LENGTH + 1, [SAMPLES]);
    let tokens = randint(1, VOCAB, [SAMPLES, LENGTH]);
    tokens = tokens.maskedFill(arange(LENGTH).unsqueeze(0).ge(lengths.unsqueeze(1)), 0);
    const positive = tokens.ge(1).logicalAnd(tokens.le(6)).sum(1);
    const negative = tokens.ge(7).logicalAnd(tokens.le(12)).sum(1);
    return [tokens, positive.sub(negative).sign().add(1)];
  });
}

/** Trains `steps` batches (epochs as needed); returns every step's loss. Prints epoch means every `printEvery`. */
export function run(steps: number, printEvery = 0): number[] {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`text_lstm: steps must be a positive integer, got ${steps}`);
  }
  manualSeed(SEED);
  const [tokens, labels] = makeData();
  using dataset = new data.TensorDataset(tokens, labels); // owns them from here
  using generator = new datasets.SeededGenerator(SEED); // torch.Generator().manual_seed(SEED)
  const loader = new data.DataLoader(dataset, { batchSize: 32, shuffle: true, generator });
  using model = new TextLSTM();
  const criterion = new CrossEntropyLoss();
  using optimizer = new Adam(model.parameters(), { lr: 0.005 });
  const losses: number[] = [];
  for (let epoch = 1; losses.length < steps; epoch++) {
    model.train();
    let epochLoss = 0, batches = 0;
    for (const [x, y] of loader) {
      tidy(() => {
        optimizer.zeroGrad();
        const loss = criterion.forward(model.forward(x), y);
        loss.backward();
        clipGradNorm_(model.parameters(), 1.0);
        optimizer.step();
        losses.push(loss.item() as number);
        x.dispose();
        y.dispose();
      });
      epochLoss += losses[losses.length - 1];
      batches++;
      if (losses.length === steps) break;
    }
    if (printEvery && epoch % printEvery === 0) {
      model.eval();
      const correct = tidy(() => noGrad(() => model.forward(tokens)).argmax(1).eq(labels).sum().item());
      console.log(`epoch ${String(epoch).padStart(3)} mean loss ${epochLoss / batches} correct ${correct}/${SAMPLES}`);
    }
  }
  optimizer.zeroGrad();
  return losses;
}

if (import.meta.main) run(Deno.args.length > 0 ? Number(Deno.args[0]) : 240, 5);
