/**
 * Bucket assignment as c10d's `compute_bucket_assignment_by_size` (reducer.cpp) does it, and flattening
 * of tensors into one buffer and back, for `DistributedDataParallel` and `broadcastCoalesced`.
 *
 * @module
 */

import { ITEM_SIZE } from "../tensor/dtype.ts";
import { cat } from "../tensor/functions.ts";
import { noGrad } from "../tensor/autograd.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";

/** The size of a tensor's data in bytes. */
export function nbytes(t: Tensor): number {
  return t.numel() * ITEM_SIZE[t.dtype];
}

/**
 * Groups `tensors` (indices into the list) into buckets per dtype and device: a bucket is closed as soon as
 * its size reaches the current limit, the limits taken in turn from `limits` (the last one repeating), then
 * the open buckets close. With `sortByFirstIndex` (c10d does so when it gets no ready order), the buckets
 * are sorted by the smallest index they hold; otherwise they stay in closing order.
 */
export function assignBuckets(
  tensors: readonly Tensor[],
  limits: readonly number[],
  order: readonly number[] = tensors.map((_, i) => i),
  sortByFirstIndex = true,
): number[][] {
  if (
    !Array.isArray(tensors) || tensors.some((t) => t === null || typeof t !== "object" || typeof t.numel !== "function")
  ) {
    throw new TypeError("assignBuckets: expected an array of Tensors");
  }
  if (!Array.isArray(limits) || limits.some((l) => typeof l !== "number" || !(l > 0))) {
    throw new TypeError("assignBuckets: limits must be an array of positive byte counts");
  }
  const result: number[][] = [];
  const open = new Map<string, { indices: number[]; size: number; limit: number }>();
  for (const i of order) {
    const t = tensors[i];
    const key = `${t.dtype}@${t.device}`;
    let bucket = open.get(key);
    if (bucket === undefined) {
      bucket = { indices: [], size: 0, limit: 0 };
      open.set(key, bucket);
    }
    bucket.indices.push(i);
    bucket.size += nbytes(t);
    if (bucket.size >= limits[Math.min(bucket.limit, limits.length - 1)]) {
      result.push(bucket.indices);
      open.set(key, { indices: [], size: 0, limit: Math.min(bucket.limit + 1, limits.length - 1) });
    }
  }
  for (const b of open.values()) if (b.indices.length > 0) result.push(b.indices);
  if (sortByFirstIndex) result.sort((a, b) => Math.min(...a) - Math.min(...b));
  return result;
}

/** One flat 1-D tensor holding `tensors` one after another (torch.utils's `flatten_dense_tensors`). */
export function flatten(tensors: readonly Tensor[]): Tensor {
  return noGrad(() => tidy(() => cat(tensors.map((t) => t.reshape(-1)))));
}

/** Copies the parts of `flat` back into `tensors`, in order (unflatten, then `copy_`). */
export function copyFromFlat(flat: Tensor, tensors: readonly Tensor[]): void {
  noGrad(() => {
    let offset = 0;
    for (const t of tensors) {
      const n = t.numel();
      if (n > 0) {
        using part = flat.narrow(0, offset, n);
        using shaped = part.view(t.shape);
        t.copy_(shaped);
      }
      offset += n;
    }
  });
}
