/**
 * `DistributedSampler`: each rank's share of a dataset's indices, in exactly the order of PyTorch's
 * `torch.utils.data.distributed.DistributedSampler` for the same seed and epoch.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import { randperm } from "../tensor/creation.ts";
import { getRngState, manualSeed, setRngState } from "../tensor/random.ts";
import { cuda } from "../tensor/runtime.ts";
import { getRank, getWorldSize, isInitialized } from "./process_group.ts";

/** Options of {@linkcode DistributedSampler} (PyTorch's arguments, camelCased). */
export interface DistributedSamplerOptions {
  /** The number of ranks sharing the data; default the default group's world size. */
  numReplicas?: number;
  /** This rank; default the default group's rank. */
  rank?: number;
  /** A new order each epoch (`setEpoch`), default true. */
  shuffle?: boolean;
  /** The shuffling seed, the same on every rank; default 0. */
  seed?: number;
  /** Drop the tail so that the length divides evenly, instead of padding with repeated indices; default false. */
  dropLast?: boolean;
}

function int(v: unknown, what: string, min: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) {
    throw new RangeError(`DistributedSampler: ${what} must be an integer >= ${min}, got ${String(v)}`);
  }
  return v;
}

/**
 * The indices of a dataset of `length` items that this rank takes: shuffled with
 * `torch.randperm(length, generator=torch.Generator().manual_seed(seed + epoch))` (the global generator is
 * left as it was), padded with the first indices (or cut, with `dropLast`) to a multiple of `numReplicas`,
 * then every `numReplicas`-th from `rank` on.
 *
 * @example
 * ```ts
 * import { DistributedSampler } from "./sampler.ts";
 * const s = new DistributedSampler(10, { numReplicas: 3, rank: 1, seed: 0 });
 * s.setEpoch(2);
 * const mine = s.indices(); // 4 indices, as PyTorch's sampler gives rank 1 of 3 in epoch 2
 * ```
 */
export class DistributedSampler implements Iterable<number> {
  /** The dataset's length. */
  readonly datasetLength: number;
  /** The number of ranks. */
  readonly numReplicas: number;
  /** This rank. */
  readonly rank: number;
  /** Whether the order is shuffled. */
  readonly shuffle: boolean;
  /** The seed. */
  readonly seed: number;
  /** Whether the tail is dropped. */
  readonly dropLast: boolean;
  /** Indices per rank (PyTorch's `num_samples`, `len(sampler)`). */
  readonly numSamples: number;
  /** numSamples * numReplicas. */
  readonly totalSize: number;
  #epoch = 0;

  /** A sampler over `dataset` (anything with a `length`, or the length itself). */
  constructor(dataset: number | { length: number }, options?: DistributedSamplerOptions);
  /** PyTorch's positional form `DistributedSampler(dataset, num_replicas, rank, shuffle, seed, drop_last)`. */
  constructor(
    dataset: number | { length: number },
    numReplicas?: number,
    rank?: number,
    shuffle?: boolean,
    seed?: number,
    dropLast?: boolean,
  );
  constructor(dataset: number | { length: number }, ...args: unknown[]) {
    const options = positionalOptions<DistributedSamplerOptions>(
      "DistributedSampler",
      args,
      ["numReplicas", "rank", "shuffle", "seed", "dropLast"],
      [],
      "new DistributedSampler(dataset, { numReplicas: 2, rank: 0 })",
    );
    const n = typeof dataset === "number" ? dataset : dataset?.length;
    this.datasetLength = int(n, "the dataset's length", 0);
    const fromGroup = (what: string) => {
      if (!isInitialized()) {
        throw new Error(`DistributedSampler: pass ${what}, or call initProcessGroup first`);
      }
    };
    if (options.numReplicas === undefined) fromGroup("numReplicas");
    this.numReplicas = int(options.numReplicas ?? getWorldSize(), "numReplicas", 1);
    if (options.rank === undefined) fromGroup("rank");
    const rank = options.rank ?? getRank();
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.numReplicas) {
      throw new RangeError(`Invalid rank ${rank}, rank should be in the interval [0, ${this.numReplicas - 1}]`);
    }
    this.rank = rank;
    this.shuffle = options.shuffle ?? true;
    this.seed = int(options.seed ?? 0, "seed", 0);
    this.dropLast = options.dropLast ?? false;
    this.numSamples = this.dropLast && this.datasetLength % this.numReplicas !== 0
      ? Math.max(0, Math.ceil((this.datasetLength - this.numReplicas) / this.numReplicas)) // never -0
      : Math.ceil(this.datasetLength / this.numReplicas);
    this.totalSize = this.numSamples * this.numReplicas;
  }

  /** The epoch whose order `indices()` gives (PyTorch's `set_epoch`): call it at the start of each epoch. */
  setEpoch(epoch: number): void {
    this.#epoch = int(epoch, "epoch", 0);
  }

  /** The current epoch. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Indices per rank. */
  get length(): number {
    return this.numSamples;
  }

  /** This rank's indices for the current epoch. */
  indices(): number[] {
    const n = this.datasetLength;
    let all: number[];
    if (this.shuffle) {
      // A private generator seeded with seed + epoch: the global ones (manualSeed seeds CUDA's too) are put back.
      const saved = getRngState("cpu");
      const gpus = cuda.isAvailable() ? cuda.deviceCount() : 0;
      const cudaStates = Array.from({ length: gpus }, (_, i) => getRngState(`cuda:${i}`));
      try {
        manualSeed(this.seed + this.#epoch);
        using perm = randperm(n);
        all = Array.from(perm.data() as BigInt64Array, Number);
      } finally {
        setRngState(saved, "cpu");
        saved.dispose();
        cudaStates.forEach((s, i) => {
          setRngState(s, `cuda:${i}`);
          s.dispose();
        });
      }
    } else {
      all = Array.from({ length: n }, (_, i) => i);
    }
    if (!this.dropLast) {
      const padding = this.totalSize - all.length;
      if (padding <= all.length) {
        all = all.concat(all.slice(0, padding));
      } else if (all.length > 0) {
        const repeated: number[] = [];
        for (let k = 0; k < Math.ceil(padding / all.length); k++) repeated.push(...all);
        all = all.concat(repeated.slice(0, padding));
      }
    } else {
      all = all.slice(0, this.totalSize);
    }
    const mine: number[] = [];
    for (let i = this.rank; i < this.totalSize; i += this.numReplicas) mine.push(all[i]);
    return mine;
  }

  /** Iterates over `indices()`. */
  [Symbol.iterator](): Iterator<number> {
    return this.indices()[Symbol.iterator]();
  }
}
