/**
 * `distributed`: PyTorch's `torch.distributed` for denotorch, over LibTorch's c10d (TCPStore and the Gloo
 * process group): the default group, the collectives with async work handles, `DistributedDataParallel`
 * and `DistributedSampler`. Ranks made by PyTorch-Python can join the same group.
 *
 * @example
 * ```ts ignore
 * // deno task launch --nproc 2 script.ts
 * import { distributed as dist, ones } from "../mod.ts";
 * await dist.initProcessGroup({ backend: "gloo" }); // env://: RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT
 * const t = ones([2]);
 * await dist.allReduce(t).wait(); // [2, 2]
 * await dist.destroyProcessGroup();
 * ```
 *
 * @module
 */

export {
  type Backend,
  DEFAULT_TIMEOUT_MS,
  destroyProcessGroup,
  getBackend,
  getRank,
  getWorldSize,
  initProcessGroup,
  type InitProcessGroupOptions,
  isAvailable,
  isInitialized,
} from "./process_group.ts";
export { parseInitMethod, type Rendezvous } from "./init_method.ts";
export { Work } from "./work.ts";
export {
  allGather,
  allReduce,
  barrier,
  broadcast,
  recv,
  ReduceOp,
  type ReduceOpName,
  type ReduceOptions,
  reduceScatter,
  send,
  type TagOptions,
} from "./collectives.ts";
export { assignBuckets } from "./buckets.ts";
export { BROADCAST_BUCKET_BYTES, broadcastCoalesced } from "./broadcast_coalesced.ts";
export { DistributedDataParallel, type DistributedDataParallelOptions, FIRST_BUCKET_BYTES } from "./ddp.ts";
export { DistributedSampler, type DistributedSamplerOptions } from "./sampler.ts";
