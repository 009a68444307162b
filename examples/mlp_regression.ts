/**
 * An MLP regression, ported from its PyTorch twin `mlp_regression.py`: seeded synthetic data
 * y = sin(x0) + 0.5 * x1^2 - 0.3 * x2 + noise over 8 features, a `Sequential` of `Linear` + `ReLU` layers,
 * `MSELoss`, `Adam` with a `StepLR` schedule (stepped each epoch), batches of 32 from a shuffling
 * `data.DataLoader`. The twin prints the same losses to the bit (under the same kernel profile).
 *
 * ```sh
 * deno run -A examples/mlp_regression.ts [steps]   # default 400: 50 epochs of 8 batches
 * ```
 *
 * @module
 */

import {
  Adam,
  data,
  datasets,
  Linear,
  manualSeed,
  MSELoss,
  randn,
  ReLU,
  Sequential,
  StepLR,
  type Tensor,
  tidy,
} from "../mod.ts";

const SEED = 1;
const SAMPLES = 256;
const FEATURES = 8;

/** The inputs [256, 8] and noisy targets [256, 1]. */
export function makeData(): [Tensor, Tensor] {
  return tidy((): [Tensor, Tensor] => {
    const x = randn([SAMPLES, FEATURES]);
    const y = x.narrow(1, 0, 1).sin().add(x.narrow(1, 1, 1).square().mul(0.5)).sub(x.narrow(1, 2, 1).mul(0.3));
    return [x, y.add(randn([SAMPLES, 1]).mul(0.1))];
  });
}

/** Trains `steps` batches (epochs as needed); returns every step's loss. Prints epoch means every `printEvery`. */
export function run(steps: number, printEvery = 0): number[] {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`mlp_regression: steps must be a positive integer, got ${steps}`);
  }
  manualSeed(SEED);
  const [x, y] = makeData();
  using dataset = new data.TensorDataset(x, y); // owns them from here
  using generator = new datasets.SeededGenerator(SEED); // torch.Generator().manual_seed(SEED)
  const loader = new data.DataLoader(dataset, { batchSize: 32, shuffle: true, generator });
  using model = new Sequential(new Linear(FEATURES, 64), new ReLU(), new Linear(64, 64), new ReLU(), new Linear(64, 1));
  const criterion = new MSELoss();
  using optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new StepLR(optimizer, { stepSize: 20, gamma: 0.5 });
  const losses: number[] = [];
  for (let epoch = 1; losses.length < steps; epoch++) {
    let epochLoss = 0, batches = 0;
    for (const [xb, yb] of loader) {
      tidy(() => {
        optimizer.zeroGrad();
        const loss = criterion.forward(model.forward(xb), yb);
        loss.backward();
        optimizer.step();
        losses.push(loss.item() as number);
        xb.dispose();
        yb.dispose();
      });
      epochLoss += losses[losses.length - 1];
      batches++;
      if (losses.length === steps) break;
    }
    scheduler.step();
    if (printEvery && epoch % printEvery === 0) {
      console.log(
        `epoch ${String(epoch).padStart(3)} lr ${scheduler.getLastLr()[0]} mean loss ${epochLoss / batches}`,
      );
    }
  }
  optimizer.zeroGrad();
  return losses;
}

if (import.meta.main) run(Deno.args.length > 0 ? Number(Deno.args[0]) : 400, 5);
