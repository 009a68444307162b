/**
 * Map-style datasets (torch.utils.data's `Dataset` and `TensorDataset`): anything with a `length` and a
 * `getItem(index)`, or a plain array. Items may be tensors, numbers, strings, or objects and arrays of
 * them; {@linkcode DataLoader} batches them with `defaultCollate`.
 *
 * @module
 */

import { Tensor } from "../../tensor/tensor.ts";
import { keep } from "../../tensor/memory.ts";

/**
 * A map-style dataset (PyTorch's `Dataset`: `__len__` and `__getitem__`).
 *
 * @example
 * ```ts
 * import type { Dataset } from "./dataset.ts";
 * const squares: Dataset<{ x: number; y: number }> = {
 *   length: 100,
 *   getItem: (i) => ({ x: i, y: i * i }),
 * };
 * ```
 */
export interface Dataset<T> {
  /** The number of items. */
  readonly length: number;
  /** The item at `index` (0 <= index < length). */
  getItem(index: number): T;
}

/** A dataset, or a plain array used as one (as a Python list can be). */
export type DatasetLike<T> = Dataset<T> | readonly T[];

/**
 * The item at `index` of a dataset or array, with a RangeError outside it.
 *
 * @example
 * ```ts
 * import { itemOf } from "./dataset.ts";
 * itemOf(["a", "b"], 1); // "b"
 * ```
 */
export function itemOf<T>(dataset: DatasetLike<T>, index: number): T {
  checkDataset(dataset, "itemOf");
  if (!Number.isInteger(index) || index < 0 || index >= dataset.length) {
    throw new RangeError(`Dataset: index ${index} is out of range for a dataset of ${dataset.length} items`);
  }
  return Array.isArray(dataset) ? dataset[index] : (dataset as Dataset<T>).getItem(index);
}

/**
 * Checks that `v` is a dataset (an object with a non-negative integer `length` and a `getItem` method) or
 * an array; returns it.
 *
 * @example
 * ```ts
 * import { checkDataset } from "./dataset.ts";
 * checkDataset([1, 2, 3], "DataLoader");
 * ```
 */
export function checkDataset<T>(v: unknown, where: string): DatasetLike<T> {
  if (typeof where !== "string") where = "checkDataset";
  if (Array.isArray(v)) return v;
  const ok = v !== null && typeof v === "object" && typeof (v as Dataset<T>).getItem === "function" &&
    Number.isInteger((v as Dataset<T>).length) && (v as Dataset<T>).length >= 0;
  if (!ok) {
    throw new TypeError(
      `${where}: dataset must be an array or an object with a non-negative integer length and a getItem(index) ` +
        `method, got ${v === null ? "null" : typeof v}`,
    );
  }
  return v as Dataset<T>;
}

/**
 * A dataset of tensors that share their first dimension (torch.utils.data.TensorDataset): item `i` is
 * the array of every tensor's row `i` (views). It keeps its tensors (`keep()`); `dispose()` frees them.
 *
 * @example
 * ```ts
 * import { randn, randint } from "../../mod.ts";
 * import { TensorDataset } from "./dataset.ts";
 * using ds = new TensorDataset(randn([100, 8]), randint(0, 3, [100]));
 * const [x, y] = ds.getItem(0); // x: [8], y: [] (int64)
 * ```
 */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The tensors, each with `length` rows. */
  readonly tensors: readonly Tensor[];

  /** A dataset of the rows of `tensors` (at least one; all of the same size in dimension 0). */
  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new TypeError("TensorDataset: needs at least one tensor");
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${i} must be a Tensor`);
      if (t.ndim === 0) throw new RangeError(`TensorDataset: tensor ${i} is 0-dimensional (it needs rows)`);
    });
    const n = tensors[0].shape[0];
    tensors.forEach((t, i) => {
      if (t.shape[0] !== n) {
        throw new RangeError(
          `TensorDataset: Size mismatch between tensors: tensor 0 has ${n} rows, tensor ${i} has ${t.shape[0]}`,
        );
      }
    });
    this.tensors = Object.freeze(tensors.map((t) => keep(t)));
  }

  /** The number of rows. */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Row `index` of every tensor (new views). */
  getItem(index: number): Tensor[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`TensorDataset: index ${index} is out of range for ${this.length} rows`);
    }
    return this.tensors.map((t) => t.select(0, index));
  }

  /** Frees the tensors. */
  dispose(): void {
    for (const t of this.tensors) t.dispose();
  }

  /** `using ds = ...` frees the tensors at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
