/**
 * Samplers of dataset indices (torch.utils.data 1.13's `SequentialSampler`, `RandomSampler` and
 * `BatchSampler`), drawing exactly as PyTorch's do:
 *
 * - `RandomSampler` without a generator draws a seed from the global generator when its iteration
 *   starts (`torch.empty((), dtype=torch.int64).random_()`) and shuffles with a fresh generator seeded
 *   with it; with a generator it draws from that one. Without replacement it yields
 *   `numSamples // n` permutations and then the first `numSamples % n` of one more, which PyTorch draws
 *   even when that is none (so a stream used for several epochs advances two permutations per epoch);
 *   with replacement, `randint` in blocks of 32.
 * - The draws happen lazily, as Python's generators make them.
 *
 * @module
 */

import { positionalOptions } from "../../tensor/options.ts";
import { callV, op } from "../../tensor/call.ts";
import { empty, randint } from "../../tensor/creation.ts";
import type { Tensor } from "../../tensor/tensor.ts";
import { SeededGenerator } from "../seeded.ts";

const random_ = op("aten::random_");

/**
 * `torch.empty((), dtype=torch.int64).random_(generator=g).item()` as an exact bigint (from the global
 * CPU generator, or from `generator`).
 *
 * @example
 * ```ts
 * import { random64 } from "./sampler.ts";
 * const seed = random64(null); // one draw of the global generator, in [0, 2^63)
 * ```
 */
export function random64(generator: SeededGenerator | null): bigint {
  const draw = () => {
    const t = empty([], { dtype: "int64" });
    try {
      callV(random_, t);
      return (t.data() as BigInt64Array)[0];
    } finally {
      t.dispose();
    }
  };
  if (generator !== null && !(generator instanceof SeededGenerator)) {
    throw new TypeError("random64: generator must be a SeededGenerator or null");
  }
  return generator === null ? draw() : generator.draw(draw);
}

/**
 * A generator seeded like `torch.Generator().manual_seed(seed)` for a 64-bit `seed`: the Mersenne
 * Twister takes the seed's low 32 bits, so the stream is `SeededGenerator(seed mod 2^32)`'s.
 *
 * @example
 * ```ts
 * import { generatorFromSeed, random64 } from "./sampler.ts";
 * using g = generatorFromSeed(random64(null));
 * ```
 */
export function generatorFromSeed(seed: bigint): SeededGenerator {
  return new SeededGenerator(Number(BigInt.asUintN(32, seed)));
}

function toNumbers(t: Tensor): number[] {
  try {
    return Array.from(t.data() as BigInt64Array, Number);
  } finally {
    t.dispose();
  }
}

/**
 * The indices 0..n-1 in order (torch.utils.data.SequentialSampler).
 *
 * @example
 * ```ts
 * import { SequentialSampler } from "./sampler.ts";
 * [...new SequentialSampler({ length: 3 })]; // [0, 1, 2]
 * ```
 */
export class SequentialSampler implements Iterable<number> {
  /** A sampler of the indices of `dataSource` (anything with a `length`). */
  constructor(readonly dataSource: { readonly length: number }) {
    const n = (dataSource as { length?: unknown } | null)?.length;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
      throw new TypeError(
        "SequentialSampler: expected a data source with a non-negative integer length (a Dataset or an array)",
      );
    }
  }

  /** The number of indices. */
  get length(): number {
    return this.dataSource.length;
  }

  /** 0, 1, ..., length - 1. */
  *[Symbol.iterator](): Generator<number, void, undefined> {
    const n = this.dataSource.length;
    for (let i = 0; i < n; i++) yield i;
  }
}

/** Options of {@linkcode RandomSampler}. */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** The number of indices per iteration (default the dataset's length). */
  numSamples?: number | null;
  /** The stream to draw from (default: a fresh one per iteration, seeded from the global generator). */
  generator?: SeededGenerator | null;
}

/**
 * Random indices (torch.utils.data.RandomSampler), drawn as PyTorch 1.13 draws them (see the module
 * notes).
 *
 * @example
 * ```ts
 * import { SeededGenerator } from "../seeded.ts";
 * import { RandomSampler } from "./sampler.ts";
 * const order = [...new RandomSampler({ length: 10 }, { generator: new SeededGenerator(0) })];
 * ```
 */
export class RandomSampler implements Iterable<number> {
  /** Whether indices are drawn with replacement. */
  readonly replacement: boolean;
  /** The stream, or null (a fresh one per iteration). */
  readonly generator: SeededGenerator | null;
  readonly #numSamples: number | null;

  /** A sampler of the indices of `dataSource` (anything with a `length`). */
  constructor(dataSource: { readonly length: number }, options?: RandomSamplerOptions);
  /** PyTorch's positional form `RandomSampler(data_source, replacement, num_samples, generator)`. */
  constructor(
    dataSource: { readonly length: number },
    replacement?: boolean,
    numSamples?: number | null,
    generator?: SeededGenerator | null,
  );
  constructor(readonly dataSource: { readonly length: number }, ...args: unknown[]) {
    const options = positionalOptions<RandomSamplerOptions>(
      "RandomSampler",
      args,
      ["replacement", "numSamples", "generator"],
      [],
      "new RandomSampler(dataset, { replacement: true, numSamples: 10 })",
    );
    const n = (dataSource as { length?: unknown } | null | undefined)?.length;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
      throw new TypeError("RandomSampler: dataSource must be a dataset (anything with a non-negative integer length)");
    }
    const replacement = options.replacement ?? false;
    if (typeof replacement !== "boolean") {
      throw new TypeError(`RandomSampler: replacement should be a boolean value, but got replacement=${replacement}`);
    }
    const k = options.numSamples ?? null;
    if (k !== null && (!Number.isInteger(k) || k <= 0)) {
      throw new RangeError(`RandomSampler: numSamples should be a positive integer value, but got numSamples=${k}`);
    }
    const g = options.generator ?? null;
    if (g !== null && !(g instanceof SeededGenerator)) {
      throw new TypeError("RandomSampler: generator must be a SeededGenerator or null");
    }
    this.replacement = replacement;
    this.#numSamples = k;
    this.generator = g;
  }

  /** The number of indices per iteration. */
  get numSamples(): number {
    return this.#numSamples ?? this.dataSource.length;
  }

  /** The number of indices per iteration. */
  get length(): number {
    return this.numSamples;
  }

  /** One iteration's indices (drawn lazily, as PyTorch's generator does). */
  *[Symbol.iterator](): Generator<number, void, undefined> {
    const n = this.dataSource.length;
    const own = this.generator === null ? generatorFromSeed(random64(null)) : null;
    const g = own ?? this.generator!;
    try {
      const k = this.numSamples;
      if (this.replacement) {
        for (let i = 0; i < Math.floor(k / 32); i++) yield* toNumbers(g.draw(() => randint(0, n, [32])));
        yield* toNumbers(g.draw(() => randint(0, n, [k % 32])));
      } else {
        for (let i = 0; i < Math.floor(k / n); i++) yield* toNumbers(g.randperm(n));
        yield* toNumbers(g.randperm(n)).slice(0, k % n);
      }
    } finally {
      own?.dispose();
    }
  }
}

/**
 * Groups the indices of `sampler` into lists of `batchSize` (torch.utils.data.BatchSampler), the last one
 * shorter unless `dropLast`.
 *
 * @example
 * ```ts
 * import { BatchSampler, SequentialSampler } from "./sampler.ts";
 * [...new BatchSampler(new SequentialSampler({ length: 5 }), 2, false)]; // [[0, 1], [2, 3], [4]]
 * ```
 */
export class BatchSampler implements Iterable<number[]> {
  /** Batches of `batchSize` indices of `sampler`. */
  constructor(readonly sampler: Iterable<number>, readonly batchSize: number, readonly dropLast: boolean) {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(
        `BatchSampler: batchSize should be a positive integer value, but got batchSize=${batchSize}`,
      );
    }
    if (typeof dropLast !== "boolean") {
      throw new TypeError(`BatchSampler: dropLast should be a boolean value, but got dropLast=${dropLast}`);
    }
  }

  /** One iteration's batches. */
  *[Symbol.iterator](): Generator<number[], void, undefined> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
