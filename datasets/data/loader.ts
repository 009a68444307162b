/**
 * `DataLoader` over any map-style dataset (torch.utils.data.DataLoader, single process): a sampler
 * (sequential, PyTorch's `RandomSampler` when shuffling, or one given), batches of `batchSize` indices
 * (`dropLast`), and a collate function (default {@linkcode defaultCollate}). Each `for...of` is an epoch
 * and draws what PyTorch 1.13's iterator draws, in the same order:
 *
 * 1. at the start, `_base_seed`: one `random_()` int64 of `generator` (or of the global generator), even
 *    without shuffling (PyTorch gives it to worker processes; here it is drawn and unused, so that the
 *    global stream stays PyTorch's);
 * 2. with `shuffle`, the `RandomSampler`'s draws (see `sampler.ts`), from `generator` when given.
 *
 * So with the same seeds, the batches and every later draw (dropout, initialisation) equal PyTorch's.
 * A `TensorDataset` with the default collate is batched by `index_select`, which gives the same tensors
 * as stacking the rows, faster. The image loader of `../loader.ts` stays the fast path for CIFAR.
 *
 * @example
 * ```ts
 * import { randn, randint } from "../../mod.ts";
 * import { SeededGenerator } from "../seeded.ts";
 * import { TensorDataset } from "./dataset.ts";
 * import { DataLoader } from "./loader.ts";
 * const ds = new TensorDataset(randn([100, 8]), randint(0, 3, [100]));
 * const loader = new DataLoader(ds, { batchSize: 16, shuffle: true, generator: new SeededGenerator(0) });
 * for (const [x, y] of loader) {
 *   // x: float32 [16, 8], y: int64 [16] (the last batch has 4)
 * }
 * ```
 *
 * @module
 */

import { tensor } from "../../tensor/creation.ts";
import { tidy } from "../../tensor/memory.ts";
import { positionalOptions } from "../../tensor/options.ts";
import { checkSeed, SeededGenerator } from "../seeded.ts";
import { type Collated, defaultCollate } from "./collate.ts";
import { checkDataset, type DatasetLike, itemOf, TensorDataset } from "./dataset.ts";
import { BatchSampler, random64, RandomSampler, SequentialSampler } from "./sampler.ts";

/** Options of {@linkcode DataLoader}. */
export interface GenericDataLoaderOptions<T, B> {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** A new random order each epoch (PyTorch's `RandomSampler`; default false). */
  shuffle?: boolean;
  /** The indices to load, in order, each epoch (instead of `shuffle`; an iterable re-iterated per epoch). */
  sampler?: Iterable<number> | null;
  /** The random stream of the shuffling and of the per-epoch seed (PyTorch's `generator`). */
  generator?: SeededGenerator | null;
  /** A shorthand for `generator: new SeededGenerator(seed)` (`torch.Generator().manual_seed(seed)`). */
  seed?: number;
  /** Leave out the last batch when it is shorter than `batchSize` (default false). */
  dropLast?: boolean;
  /** Merges a list of items into a batch (default {@linkcode defaultCollate}). */
  collateFn?: ((items: T[]) => B) | null;
}

const KEYS = ["batchSize", "shuffle", "sampler", "generator", "seed", "dropLast", "collateFn"];

/**
 * Iterates over a dataset in batches, as torch.utils.data.DataLoader (see the module notes). The tensors of
 * each batch belong to the caller (free them with `dispose(batch)`, or iterate inside `tidy`).
 *
 * @example
 * ```ts
 * import { dispose } from "../../mod.ts";
 * import { DataLoader } from "./loader.ts";
 * const items = [{ text: "a", label: 0 }, { text: "bb", label: 1 }, { text: "ccc", label: 0 }];
 * for (const batch of new DataLoader(items, { batchSize: 2 })) {
 *   // batch.text: ["a", "bb"], batch.label: int64 [0, 1]
 *   dispose(batch);
 * }
 * ```
 */
export class DataLoader<T = unknown, B = Collated> implements Iterable<B> {
  /** The dataset. */
  readonly dataset: DatasetLike<T>;
  /** Items per batch. */
  readonly batchSize: number;
  /** Whether a short last batch is left out. */
  readonly dropLast: boolean;
  /** The sampler of the indices. */
  readonly sampler: Iterable<number>;
  /** The random stream (or null: the global generator). */
  readonly generator: SeededGenerator | null;
  /** The collate function. */
  readonly collateFn: (items: T[]) => B;
  readonly #fast: boolean;

  /** A loader over `dataset` (a {@linkcode Dataset} or an array). */
  constructor(dataset: DatasetLike<T>, options?: GenericDataLoaderOptions<T, B>);
  /**
   * PyTorch's positional form `DataLoader(dataset, batch_size=1, shuffle=False, sampler=None)`, optionally
   * followed by the other options by name.
   */
  constructor(
    dataset: DatasetLike<T>,
    batchSize: number,
    shuffle?: boolean,
    sampler?: Iterable<number> | null,
    options?: Omit<GenericDataLoaderOptions<T, B>, "batchSize" | "shuffle" | "sampler">,
  );
  constructor(dataset: DatasetLike<T>, ...args: unknown[]) {
    const where = "DataLoader";
    // PyTorch's 4th positional argument, batch_sampler, has no counterpart here
    const options = positionalOptions<GenericDataLoaderOptions<T, B>>(
      where,
      args,
      ["batchSize", "shuffle", "sampler"],
      KEYS.slice(3),
      "new DataLoader(dataset, { batchSize: 4, shuffle: true, seed: 0 })",
    );
    this.dataset = checkDataset<T>(dataset, where);
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`${where}: option 'batchSize' must be a positive integer, got ${batchSize}`);
    }
    const shuffle = options.shuffle ?? false;
    if (typeof shuffle !== "boolean") throw new TypeError(`${where}: option 'shuffle' must be a boolean`);
    const dropLast = options.dropLast ?? false;
    if (typeof dropLast !== "boolean") throw new TypeError(`${where}: option 'dropLast' must be a boolean`);
    if (options.seed !== undefined && options.generator != null) {
      throw new TypeError(`${where}: give either 'seed' or 'generator', not both`);
    }
    let generator = options.generator ?? null;
    if (generator !== null && !(generator instanceof SeededGenerator)) {
      throw new TypeError(`${where}: option 'generator' must be a SeededGenerator`);
    }
    if (options.seed !== undefined) generator = new SeededGenerator(checkSeed(options.seed, where));
    const sampler = options.sampler ?? null;
    if (sampler !== null) {
      if (shuffle) throw new TypeError(`${where}: sampler option is mutually exclusive with shuffle`);
      if (typeof (sampler as Iterable<number>)[Symbol.iterator] !== "function") {
        throw new TypeError(`${where}: option 'sampler' must be an iterable of indices`);
      }
    }
    const collateFn = options.collateFn ?? null;
    if (collateFn !== null && typeof collateFn !== "function") {
      throw new TypeError(`${where}: option 'collateFn' must be a function from a list of items to a batch`);
    }
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.generator = generator;
    this.sampler = sampler ??
      (shuffle ? new RandomSampler(this.dataset, { generator }) : new SequentialSampler(this.dataset));
    this.collateFn = collateFn ?? (defaultCollate as (items: T[]) => B);
    this.#fast = collateFn === null && this.dataset instanceof TensorDataset;
  }

  /** The number of batches per epoch (from the sampler's `length`, when it has one). */
  get length(): number {
    const n = (this.sampler as { length?: number }).length ?? this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One epoch of batches (see the module notes for the draws). */
  *[Symbol.iterator](): Generator<B, void, undefined> {
    random64(this.generator); // PyTorch's _base_seed
    for (const indices of new BatchSampler(this.sampler, this.batchSize, this.dropLast)) {
      yield this.fetch(indices);
    }
  }

  /** The batch of the items at `indices`, collated. */
  fetch(indices: readonly number[]): B {
    if (this.#fast) {
      const ds = this.dataset as unknown as TensorDataset;
      for (const i of indices) {
        if (!Number.isInteger(i) || i < 0 || i >= ds.length) {
          throw new RangeError(`TensorDataset: index ${i} is out of range for ${ds.length} rows`);
        }
      }
      return tidy(() => {
        const idx = tensor(BigInt64Array.from(indices, (i) => BigInt(i)));
        return ds.tensors.map((t) => t.indexSelect(0, idx.device === t.device ? idx : idx.to({ device: t.device })));
      }) as unknown as B;
    }
    return tidy(() => this.collateFn(indices.map((i) => itemOf(this.dataset, i))));
  }
}
