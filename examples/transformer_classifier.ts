/**
 * A small TransformerEncoder text classifier, ported from its PyTorch twin `transformer_classifier.py`. The
 * data are those of `text_lstm.ts` with another seed: random "sentences" of 3 to 8 tokens (right-padded with
 * token 0 to 8) over a vocabulary of 20, labelled 0, 1 or 2 as they hold fewer, as many or more "positive"
 * tokens (1-6) than "negative" ones (7-12). The model adds learned positions to the token embeddings, runs 2
 * `TransformerEncoderLayer`s (2 heads, batch first, dropout 0.1) with a key padding mask over the padding,
 * averages the outputs over the real tokens and classifies with a `Linear` layer; `CrossEntropyLoss`, `AdamW`,
 * batches of 32 from a shuffling `data.DataLoader`. Evaluation runs under `noGrad` (PyTorch 1.13's
 * nested-tensor fast path). The twin prints the same losses to the bit (under the same kernel profile).
 *
 * ```sh
 * deno run -A examples/transformer_classifier.ts [steps]   # default 240: 30 epochs of 8 batches
 * ```
 *
 * @module
 */

import {
  AdamW,
  arange,
  CrossEntropyLoss,
  data,
  datasets,
  Embedding,
  Linear,
  manualSeed,
  Module,
  noGrad,
  randint,
  type Tensor,
  tidy,
  TransformerEncoder,
  TransformerEncoderLayer,
  zeros,
} from "../mod.ts";

const SEED = 3;
const SAMPLES = 256;
const VOCAB = 20;
const LENGTH = 8;
const D_MODEL = 16;

/** Embedding + learned positions -> 2 encoder layers -> mean over the real tokens -> Linear. */
export class TransformerClassifier extends Module {
  emb = this.registerModule("emb", new Embedding(VOCAB, D_MODEL));
  pos = this.registerParameter("pos", zeros([1, LENGTH, D_MODEL]));
  enc = this.registerModule(
    "enc",
    new TransformerEncoder(
      new TransformerEncoderLayer(D_MODEL, 2, { dimFeedforward: 32, dropout: 0.1, batchFirst: true }),
      2,
    ),
  );
  fc = this.registerModule("fc", new Linear(D_MODEL, 3));

  /** Logits [N, 3] of token ids [N, L] and their padding mask [N, L] (true = padding). */
  forward(x: Tensor, padding: Tensor): Tensor {
    return tidy(() => {
      const h = this.enc.forward(this.emb.forward(x).add(this.pos), { srcKeyPaddingMask: padding });
      const pooled = h.maskedFill(padding.unsqueeze(2), 0.0).sum(1).div(
        padding.logicalNot().sum(1, { keepdim: true }),
      );
      return this.fc.forward(pooled);
    });
  }
}

/** Token ids [256, 8], their padding mask (true = padding) and labels [256] in {0, 1, 2}. */
export function makeData(): [Tensor, Tensor, Tensor] {
  return tidy((): [Tensor, Tensor, Tensor] => {
    const lengths = randint(3, LENGTH + 1, [SAMPLES]);
    let tokens = randint(1, VOCAB, [SAMPLES, LENGTH]);
    const padding = arange(LENGTH).unsqueeze(0).ge(lengths.unsqueeze(1));
    tokens = tokens.maskedFill(padding, 0);
    const positive = tokens.ge(1).logicalAnd(tokens.le(6)).sum(1);
    const negative = tokens.ge(7).logicalAnd(tokens.le(12)).sum(1);
    return [tokens, padding, positive.sub(negative).sign().add(1)];
  });
}

/** Trains `steps` batches (epochs as needed); returns every step's loss. Prints epoch means every `printEvery`. */
export function run(steps: number, printEvery = 0): number[] {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`transformer_classifier: steps must be a positive integer, got ${steps}`);
  }
  manualSeed(SEED);
  const [tokens, padding, labels] = makeData();
  using dataset = new data.TensorDataset(tokens, padding, labels); // owns them from here
  using generator = new datasets.SeededGenerator(SEED); // torch.Generator().manual_seed(SEED)
  const loader = new data.DataLoader(dataset, { batchSize: 32, shuffle: true, generator });
  using model = new TransformerClassifier();
  const criterion = new CrossEntropyLoss();
  using optimizer = new AdamW(model.parameters(), { lr: 0.005, weightDecay: 0.01 });
  const losses: number[] = [];
  for (let epoch = 1; losses.length < steps; epoch++) {
    model.train();
    let epochLoss = 0, batches = 0;
    for (const [x, pad, y] of loader) {
      tidy(() => {
        optimizer.zeroGrad();
        const loss = criterion.forward(model.forward(x, pad), y);
        loss.backward();
        optimizer.step();
        losses.push(loss.item() as number);
        x.dispose();
        pad.dispose();
        y.dispose();
      });
      epochLoss += losses[losses.length - 1];
      batches++;
      if (losses.length === steps) break;
    }
    if (printEvery && epoch % printEvery === 0) {
      model.eval();
      const correct = tidy(() => noGrad(() => model.forward(tokens, padding)).argmax(1).eq(labels).sum().item());
      console.log(`epoch ${String(epoch).padStart(3)} mean loss ${epochLoss / batches} correct ${correct}/${SAMPLES}`);
    }
  }
  optimizer.zeroGrad();
  return losses;
}

if (import.meta.main) run(Deno.args.length > 0 ? Number(Deno.args[0]) : 240, 5);
