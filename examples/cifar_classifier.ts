/**
 * The PyTorch 60-minute blitz CIFAR-10 classifier ("Training a classifier"), ported to denotorch: the
 * tutorial's small conv net (10 outputs), `CrossEntropyLoss`, `SGD` (lr 0.001, momentum 0.9), batches of 4
 * drawn by a shuffling `data.DataLoader`, inputs scaled as `ToTensor()` then `Normalize(0.5, 0.5)`. The data
 * are the first 2000 records of the bird/cat CIFAR-10 subset (`data_batch_1.bin` of `$CIFAR10_DIR`, else
 * `../shared/data/cifar-10-batches-bin`; labels 2 = bird and 3 = cat among the tutorial's 10 classes).
 * Its PyTorch twin, `cifar_classifier.py`, prints the same losses to the bit (under the same kernel profile).
 *
 * ```sh
 * deno run -A examples/cifar_classifier.ts [steps]   # default 500: one pass over the 2000 records
 * ```
 *
 * @module
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Conv2d,
  CrossEntropyLoss,
  data,
  datasets,
  fromBytes,
  Linear,
  manualSeed,
  MaxPool2d,
  Module,
  relu,
  SGD,
  type Tensor,
  tidy,
} from "../mod.ts";

const SEED = 0;
const RECORDS = 2000;
const RECORD_BYTES = 3073;

/** The tutorial's network: two conv + max-pool stages, then three linear layers. */
export class Net extends Module {
  conv1 = this.registerModule("conv1", new Conv2d(3, 6, 5));
  pool = this.registerModule("pool", new MaxPool2d(2, { stride: 2 }));
  conv2 = this.registerModule("conv2", new Conv2d(6, 16, 5));
  fc1 = this.registerModule("fc1", new Linear(16 * 5 * 5, 120));
  fc2 = this.registerModule("fc2", new Linear(120, 84));
  fc3 = this.registerModule("fc3", new Linear(84, 10));

  /** Logits [N, 10] of images [N, 3, 32, 32]. */
  forward(x: Tensor): Tensor {
    return tidy(() => {
      x = this.pool.forward(relu(this.conv1.forward(x)));
      x = this.pool.forward(relu(this.conv2.forward(x)));
      x = x.flatten(1);
      x = relu(this.fc1.forward(x));
      x = relu(this.fc2.forward(x));
      return this.fc3.forward(x);
    });
  }
}

function cifarDir(): string {
  return Deno.env.get("CIFAR10_DIR") ||
    fileURLToPath(new URL("../../shared/data/cifar-10-batches-bin", import.meta.url));
}

/** The first `n` records of data_batch_1.bin: images as ToTensor + Normalize(0.5, 0.5) give them, labels. */
export function loadRecords(n: number): [Tensor, Tensor] {
  const path = join(cifarDir(), "data_batch_1.bin");
  if (!existsSync(path)) {
    throw new Error(
      `cifar_classifier: ${path} does not exist; set CIFAR10_DIR to a CIFAR-10 binary folder (cifar-10-batches-bin)`,
    );
  }
  const file = Deno.openSync(path);
  const raw = new Uint8Array(n * RECORD_BYTES);
  try {
    let read = 0;
    while (read < raw.length) {
      const got = file.readSync(raw.subarray(read));
      if (got === null) throw new RangeError(`${path} holds fewer than ${n} CIFAR-10 records`);
      read += got;
    }
  } finally {
    file.close();
  }
  return tidy((): [Tensor, Tensor] => {
    const records = fromBytes(raw, "uint8", [n, RECORD_BYTES]);
    const labels = records.select(1, 0).long();
    const images = records.narrow(1, 1, RECORD_BYTES - 1).reshape([n, 3, 32, 32]).float().div(255).sub(0.5)
      .div(0.5);
    return [images, labels];
  });
}

/** Trains `steps` batches (epochs as needed); returns every step's loss. Prints running means every `printEvery`. */
export function run(steps: number, printEvery = 0): number[] {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`cifar_classifier: steps must be a positive integer, got ${steps}`);
  }
  manualSeed(SEED);
  const [images, labels] = loadRecords(RECORDS);
  using dataset = new data.TensorDataset(images, labels); // owns them from here
  using generator = new datasets.SeededGenerator(SEED); // torch.Generator().manual_seed(SEED)
  const loader = new data.DataLoader(dataset, { batchSize: 4, shuffle: true, generator });
  using net = new Net();
  const criterion = new CrossEntropyLoss();
  using optimizer = new SGD(net.parameters(), { lr: 0.001, momentum: 0.9 });
  const losses: number[] = [];
  let runningLoss = 0;
  for (let epoch = 0; losses.length < steps; epoch++) {
    for (const [inputs, targets] of loader) {
      tidy(() => {
        optimizer.zeroGrad();
        const outputs = net.forward(inputs);
        const loss = criterion.forward(outputs, targets);
        loss.backward();
        optimizer.step();
        losses.push(loss.item() as number);
        inputs.dispose();
        targets.dispose();
      });
      runningLoss += losses[losses.length - 1];
      if (printEvery && losses.length % printEvery === 0) {
        console.log(`[${epoch + 1}, ${String(losses.length).padStart(5)}] loss: ${runningLoss / printEvery}`);
        runningLoss = 0;
      }
      if (losses.length === steps) break;
    }
  }
  optimizer.zeroGrad();
  return losses;
}

if (import.meta.main) run(Deno.args.length > 0 ? Number(Deno.args[0]) : 500, 100);
