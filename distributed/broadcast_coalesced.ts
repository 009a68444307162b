/**
 * `broadcastCoalesced`: broadcasts many tensors from one rank in a few flat buffers, as c10d's
 * `broadcast_coalesced` (what PyTorch's `DistributedDataParallel` uses to sync module states) does.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { assignBuckets, copyFromFlat, flatten } from "./buckets.ts";
import { broadcast } from "./collectives.ts";

/** PyTorch DDP's bucket size for syncing module states: 250 MiB. */
export const BROADCAST_BUCKET_BYTES = 250 * 1024 * 1024;

/**
 * Broadcasts `tensors` from rank `src` in place, in buckets of at most `bucketBytes` per dtype (sorted by
 * their first tensor), each bucket one flat broadcast, with at most two in flight: the same sequence of
 * collectives as PyTorch-Python's `torch.distributed._broadcast_coalesced(pg, tensors, bucketBytes, src)`,
 * so a Python rank can take part.
 */
export async function broadcastCoalesced(
  tensors: readonly Tensor[],
  src: number,
  bucketBytes = BROADCAST_BUCKET_BYTES,
): Promise<void> {
  if (tensors.length === 0) return;
  const buckets = assignBuckets(tensors, [bucketBytes]);
  const inFlight: { flat: Tensor; members: Tensor[]; done: Promise<void> }[] = [];
  const finish = async () => {
    const w = inFlight.shift()!;
    try {
      await w.done;
      copyFromFlat(w.flat, w.members);
    } finally {
      w.flat.dispose();
    }
  };
  try {
    for (const bucket of buckets) {
      if (inFlight.length >= 2) await finish();
      const members = bucket.map((i) => tensors[i]);
      const flat = flatten(members);
      let done: Promise<void>;
      try {
        done = broadcast(flat, src).wait();
      } catch (e) {
        flat.dispose();
        throw e;
      }
      inFlight.push({ flat, members, done });
    }
    while (inFlight.length > 0) await finish();
  } finally {
    for (const w of inFlight) {
      await w.done.catch(() => {});
      w.flat.dispose();
    }
  }
}
