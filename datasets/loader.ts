/**
 * Mini-batches of an {@linkcode ImageDataset}: a batch size, seeded shuffling, `dropLast`, and a batch
 * transform applied to each batch.
 *
 * Order and random draws, precisely (the PyTorch-Python reference must make the same ones):
 *
 * - Each iteration of the loader (`for (const batch of loader)`) is one epoch. With `shuffle` and a
 *   `seed`, the epoch's order is drawn when the iteration starts, as the next `randperm(n)` of the loader's
 *   own {@linkcode SeededGenerator}: epoch e's order is the (e+1)-th `torch.randperm(n, generator=g)` with
 *   `g = torch.Generator(); g.manual_seed(seed)`, so epoch 0's is `torch.manual_seed(seed);
 *   torch.randperm(n)`. These draws never touch the global generator. (PyTorch 1.13's `RandomSampler`
 *   with a generator draws a second, unused randperm per epoch, so only its first epoch agrees; the
 *   reference should loop over `torch.randperm(n, generator=g)` itself.)
 * - With `shuffle` and no `seed`, the order is `randperm(n)` from the global generator, drawn when the
 *   iteration starts (after whatever was drawn before).
 * - Without `shuffle`, the order is 0..n-1.
 * - Batch b holds the items `order[b * batchSize : (b + 1) * batchSize]` (the last one shorter unless
 *   `dropLast`). Its images are gathered on the dataset's device, then `transform` runs on them when the
 *   batch is produced (at the iterator's `next()`), so its draws from the global generator come batch by
 *   batch, between whatever the consumer draws while handling the previous batch.
 *
 * @module
 */

import type { Device } from "../tensor/device.ts";
import { arange, randperm } from "../tensor/creation.ts";
import { tidy } from "../tensor/memory.ts";
import { positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import type { ImageDataset } from "./dataset.ts";
import { checkSeed, SeededGenerator } from "./seeded.ts";
import type { Transform } from "./transforms/compose.ts";

/** One mini-batch. `using batch = ...` (or `dispose()`) frees both tensors. */
export interface Batch extends Disposable {
  /** The (transformed) images. */
  images: Tensor;
  /** The labels, int64 or float32 as the loader's `labelDType` says. */
  labels: Tensor;
  /** The dataset positions of the items, int64 on the CPU. */
  indices: Tensor;
  /** Frees the batch's tensors. */
  dispose(): void;
}

/** Options of {@linkcode DataLoader}. */
export interface DataLoaderOptions {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** A new random order each epoch (default false). */
  shuffle?: boolean;
  /** The seed of the loader's own shuffling stream (see the module notes); without it, the global generator. */
  seed?: number;
  /** Leave out the last batch when it is shorter than `batchSize` (default false). */
  dropLast?: boolean;
  /** Applied to each batch's images (for example `compose(randomCrop..., toFloat, normalize...)`). */
  transform?: Transform;
  /** The labels' dtype: "int64" (default) or "float32" (for a binary logit with BCE). */
  labelDType?: "int64" | "float32";
}

/**
 * Iterates over a dataset in mini-batches; each `for...of` is an epoch.
 *
 * @example
 * ```ts
 * import { DataLoader } from "./loader.ts";
 * import { toFloat } from "./transforms/functional.ts";
 * import { ImageDataset } from "./dataset.ts";
 * import { randint } from "../mod.ts";
 * using train = new ImageDataset(randint(0, 256, [200, 3, 32, 32], { dtype: "uint8" }), randint(0, 2, [200]), ["bird", "cat"]);
 * const loader = new DataLoader(train, { batchSize: 64, shuffle: true, seed: 0, transform: toFloat, labelDType: "float32" });
 * for (let epoch = 0; epoch < 2; epoch++) {
 *   for (using batch of loader) {
 *     // batch.images: float32 [64, 3, 32, 32], batch.labels: float32 [64]
 *   }
 * }
 * ```
 */
export class DataLoader implements Iterable<Batch> {
  /** The dataset. */
  readonly dataset: ImageDataset;
  /** Items per batch. */
  readonly batchSize: number;
  /** Whether each epoch has a new random order. */
  readonly shuffle: boolean;
  /** Whether a short last batch is left out. */
  readonly dropLast: boolean;
  /** The labels' dtype. */
  readonly labelDType: "int64" | "float32";
  readonly #transform?: Transform;
  readonly #generator: SeededGenerator | null;
  #epoch = 0;

  /** A loader over `dataset` (see {@linkcode DataLoaderOptions}). */
  constructor(dataset: ImageDataset, options?: DataLoaderOptions);
  /**
   * PyTorch's positional form `DataLoader(dataset, batch_size=1, shuffle=False)`, optionally followed by the
   * other options by name.
   */
  constructor(
    dataset: ImageDataset,
    batchSize: number,
    shuffle?: boolean | Omit<DataLoaderOptions, "batchSize">,
    options?: Omit<DataLoaderOptions, "batchSize" | "shuffle">,
  );
  constructor(dataset: ImageDataset, ...args: unknown[]) {
    this.dataset = dataset;
    const options = positionalOptions<DataLoaderOptions>(
      "DataLoader",
      args,
      ["batchSize", "shuffle"],
      ["seed", "dropLast", "transform", "labelDType"],
      "new DataLoader(dataset, { batchSize: 64, shuffle: true, seed: 0, dropLast: false })",
    );
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`DataLoader: option 'batchSize' must be a positive integer, got ${batchSize}`);
    }
    const labelDType = options.labelDType ?? "int64";
    if (labelDType !== "int64" && labelDType !== "float32") {
      throw new TypeError(`DataLoader: option 'labelDType' must be "int64" or "float32", got ${labelDType}`);
    }
    if (options.transform !== undefined && typeof options.transform !== "function") {
      throw new TypeError("DataLoader: option 'transform' must be a function from images to images");
    }
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    for (const [name, v] of [["shuffle", this.shuffle], ["dropLast", this.dropLast]] as const) {
      if (typeof v !== "boolean") {
        throw new TypeError(`DataLoader: option '${name}' must be a boolean, got ${String(v)}`);
      }
    }
    this.labelDType = labelDType;
    this.#transform = options.transform;
    if (options.seed !== undefined && !this.shuffle) {
      throw new TypeError("DataLoader: option 'seed' only applies with shuffle: true");
    }
    this.#generator = options.seed === undefined ? null : new SeededGenerator(checkSeed(options.seed, "DataLoader"));
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The number of epochs started so far. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * The next epoch's order (int64 on the CPU), drawing it as iterating does: a permutation from the
   * loader's stream (or the global generator), or 0..n-1 without shuffling.
   */
  nextOrder(): Tensor {
    const n = this.dataset.length;
    this.#epoch++;
    if (!this.shuffle) return arange(n);
    return this.#generator !== null ? this.#generator.randperm(n) : randperm(n);
  }

  /**
   * The state of the loader's shuffling stream and its epoch count, for exact resumes; null for a loader
   * without its own stream.
   */
  getState(): { epoch: number; generator: Tensor } | null {
    return this.#generator === null ? null : { epoch: this.#epoch, generator: this.#generator.getState() };
  }

  /** Restores a state from {@linkcode DataLoader.getState}. */
  setState(state: { epoch: number; generator: Tensor }): void {
    if (this.#generator === null) throw new TypeError("DataLoader.setState: this loader has no seed (no own stream)");
    this.#generator.setState(state.generator);
    this.#epoch = state.epoch;
  }

  /** One epoch of batches; the order is drawn when this is called. */
  *[Symbol.iterator](): Generator<Batch, void, undefined> {
    const order = this.nextOrder();
    try {
      const n = this.dataset.length, count = this.length;
      for (let b = 0; b < count; b++) {
        const size = Math.min(this.batchSize, n - b * this.batchSize);
        yield this.#batch(order.narrow(0, b * this.batchSize, size));
      }
    } finally {
      order.dispose();
    }
  }

  #batch(positions: Tensor): Batch {
    const { images, labels, indices } = tidy(() => {
      const indices = positions.clone();
      const onDevice = indices.to({ device: this.dataset.device as Device });
      let images = this.dataset.images.indexSelect(0, onDevice);
      if (this.#transform) images = this.#transform(images);
      let labels = this.dataset.labels.indexSelect(0, onDevice);
      if (this.labelDType === "float32") labels = labels.to({ dtype: "float32" });
      return { images, labels, indices };
    });
    positions.dispose();
    const dispose = () => {
      images.dispose();
      labels.dispose();
      indices.dispose();
    };
    return { images, labels, indices, dispose, [Symbol.dispose]: dispose };
  }
}
