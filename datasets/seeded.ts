/**
 * Seeded random streams that leave the global generator alone: a {@linkcode SeededGenerator} is PyTorch's
 * `torch.Generator().manual_seed(seed)` on the CPU. Its draws run on the global CPU generator with the
 * stream's state swapped in, and the global state is put back afterwards, so
 *
 * - its first `randperm(n)` equals Python's `torch.manual_seed(seed); torch.randperm(n)`, and its k-th
 *   equals the k-th `torch.randperm(n, generator=g)` with `g = torch.Generator(); g.manual_seed(seed)`;
 * - the draws of the model, dropout and transforms (global generator) are the same whether or not a
 *   seeded stream was used in between.
 *
 * @module
 */

import { randperm } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import { getRngState, manualSeed, setRngState } from "../tensor/random.ts";
import { cuda } from "../tensor/runtime.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { describe } from "../tensor/checks.ts";

/** Seeds `seed` and returns the CPU generator's state then, leaving every global generator as it was. */
function seededState(seed: number): Tensor {
  const cpu = getRngState("cpu");
  const gpus = cuda.isAvailable() ? cuda.deviceCount() : 0;
  // torch::manual_seed also seeds each CUDA device's generator: save and restore them too.
  const cudaStates = Array.from({ length: gpus }, (_, i) => getRngState(`cuda:${i}`));
  try {
    manualSeed(seed);
    return keep(getRngState("cpu"));
  } finally {
    setRngState(cpu, "cpu");
    cpu.dispose();
    cudaStates.forEach((s, i) => {
      setRngState(s, `cuda:${i}`);
      s.dispose();
    });
  }
}

/**
 * A private CPU random stream, seeded like `torch.manual_seed(seed)` (PyTorch's
 * `torch.Generator().manual_seed(seed)`), that does not disturb the global generator.
 *
 * @example
 * ```ts
 * import { SeededGenerator } from "./seeded.ts";
 * const g = new SeededGenerator(0);
 * const first = g.randperm(10);  // = torch.manual_seed(0); torch.randperm(10)
 * const second = g.randperm(10); // the next draw of the same stream
 * ```
 */
export class SeededGenerator {
  #state: Tensor;

  /** A stream seeded with `seed` (an integer in [0, 2^53)). */
  constructor(readonly seed: number) {
    this.#state = seededState(checkSeed(seed, "SeededGenerator"));
  }

  /**
   * Runs `fn` with this stream as the global CPU generator (its CPU draws come from the stream), then puts
   * the global state back. Draws on CUDA inside `fn` use CUDA's generator as usual.
   *
   * @example
   * ```ts
   * import { SeededGenerator } from "./seeded.ts";
   * import { rand } from "../mod.ts";
   * const g = new SeededGenerator(1);
   * const u = g.draw(() => rand([3]));
   * ```
   */
  draw<T>(fn: () => T): T {
    if (typeof fn !== "function") throw new TypeError(`SeededGenerator.draw: expected a function, got ${describe(fn)}`);
    const saved = getRngState("cpu");
    setRngState(this.#state, "cpu");
    try {
      return fn();
    } finally {
      const next = keep(getRngState("cpu"));
      this.#state.dispose();
      this.#state = next;
      setRngState(saved, "cpu");
      saved.dispose();
    }
  }

  /** The next random permutation of `0..n-1` (int64, CPU) from this stream. */
  randperm(n: number): Tensor {
    return this.draw(() => randperm(n));
  }

  /** A copy of the stream's state (a uint8 tensor, as `torch.Generator.get_state()`). */
  getState(): Tensor {
    return this.#state.clone();
  }

  /** Restores a state from {@linkcode SeededGenerator.getState} (for exact resumes). */
  setState(state: Tensor): void {
    const next = keep(state.clone());
    this.#state.dispose();
    this.#state = next;
  }

  /** Frees the stream's state. */
  dispose(): void {
    this.#state.dispose();
  }

  /** `using g = ...` frees the state at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * A random permutation of `0..n-1` (int64) equal to Python's `torch.manual_seed(seed); torch.randperm(n)`,
 * without changing the global generator's state.
 *
 * @example
 * ```ts
 * import { seededRandperm } from "./seeded.ts";
 * const perm = seededRandperm(10000, 0);
 * ```
 */
export function seededRandperm(n: number, seed: number): Tensor {
  using g = new SeededGenerator(seed);
  return g.randperm(n);
}

/**
 * Checks a `seed` option: an integer in [0, 2^53). Returns it.
 *
 * @example
 * ```ts
 * import { checkSeed } from "./seeded.ts";
 * checkSeed(0, "randomSplit"); // 0
 * ```
 */
export function checkSeed(seed: unknown, what: string): number {
  if (typeof what !== "string") what = "checkSeed";
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
    throw new TypeError(`${what}: option 'seed' must be an integer in [0, 2^53), got ${describe(seed)}`);
  }
  return seed;
}
