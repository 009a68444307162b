/**
 * `DistributedDataParallel`: data-parallel training of a Module over the default process group, as
 * PyTorch's `torch.nn.parallel.DistributedDataParallel` does it.
 *
 * What is the same as PyTorch: module states (parameters, then buffers) are broadcast from rank 0 at
 * construction with `broadcastCoalesced` (250 MiB buckets); gradients are averaged in buckets (a first
 * bucket of 1 MiB, then `bucketCapMB`, default 25, per dtype) laid out in reverse parameter order (the order
 * gradients become ready in a sequential network, which is what PyTorch's reducer rebuilds its buckets
 * with after the first iteration); each gradient is multiplied by 1/worldSize as it is copied into its
 * bucket and the bucket is summed with one allreduce, as the reducer does; the results are copied back
 * into `.grad`; `noSync()` accumulates gradients locally and the next synced backward averages the sum.
 *
 * What differs: there are no autograd hooks here, so the allreduces start once the whole backward pass
 * is done (`await ddp.backward(loss)`, or `loss.backward()` then `await ddp.reduceGradients()`) instead of
 * overlapping it; the values are the same. Buffers are broadcast from rank 0 after each synced backward
 * (PyTorch does it before each forward: the next forward sees the same values). Every parameter that
 * requires grad must receive a gradient (PyTorch's `find_unused_parameters` is not supported).
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { Module } from "../nn/module.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { assignBuckets, copyFromFlat, flatten } from "./buckets.ts";
import { BROADCAST_BUCKET_BYTES, broadcastCoalesced } from "./broadcast_coalesced.ts";
import { allReduce } from "./collectives.ts";
import { defaultGroup } from "./process_group.ts";

/** Options of {@linkcode DistributedDataParallel.create}. */
export interface DistributedDataParallelOptions {
  /** The size limit of a gradient bucket in MiB (PyTorch's `bucket_cap_mb`), default 25. */
  bucketCapMB?: number;
  /** Broadcast buffers from rank 0 to keep them equal on every rank (PyTorch's `broadcast_buffers`), default true. */
  broadcastBuffers?: boolean;
}

/** PyTorch's first gradient bucket limit (`torch.distributed._DEFAULT_FIRST_BUCKET_BYTES`): 1 MiB. */
export const FIRST_BUCKET_BYTES = 1024 * 1024;

const token = Symbol("DistributedDataParallel.create");

/**
 * Wraps a Module for data-parallel training: forward runs the module; gradients are averaged over the
 * ranks after backward. Its state dict has the keys of the module under `module.`, as in PyTorch.
 *
 * @example
 * ```ts ignore
 * await initProcessGroup(); // under `deno task launch --nproc 2 train.ts`
 * const ddp = await DistributedDataParallel.create(new LeNet());
 * const opt = new Adam(ddp.parameters(), { lr: 1e-3 });
 * for (const batch of myShardOfTheData) {
 *   opt.zeroGrad();
 *   await ddp.backward(loss(ddp.forward(batch.images), batch.labels)); // gradients averaged over ranks
 *   opt.step();
 * }
 * ```
 */
export class DistributedDataParallel<M extends Module = Module> extends Module {
  /** The wrapped module. */
  readonly module: M;
  /** The gradient buckets: indices into `parameters()` (of those that require grad), in allreduce order. */
  readonly bucketIndices: readonly (readonly number[])[];
  /** The byte limit of buckets after the first. */
  readonly bucketBytesCap: number;
  /** Whether buffers are broadcast from rank 0 after each synced backward. */
  readonly broadcastBuffers: boolean;
  #syncDepth = 0;

  /** Use {@linkcode DistributedDataParallel.create} (the constructor cannot wait for the broadcast). */
  constructor(module: M, options: DistributedDataParallelOptions, key: symbol) {
    super();
    if (key !== token) {
      throw new TypeError("DistributedDataParallel: use `await DistributedDataParallel.create(module, options)`");
    }
    this.module = this.registerModule("module", module);
    const cap = options.bucketCapMB ?? 25;
    if (typeof cap !== "number" || !Number.isFinite(cap) || cap <= 0) {
      throw new RangeError(`DistributedDataParallel: bucketCapMB must be a positive number, got ${String(cap)}`);
    }
    this.bucketBytesCap = Math.floor(cap * 1024 * 1024);
    this.broadcastBuffers = options.broadcastBuffers ?? true;
    const params = this.#trainable();
    if (params.length === 0) {
      throw new RangeError("DistributedDataParallel: the module has no parameter that requires grad");
    }
    const reversed = params.map((_, i) => params.length - 1 - i);
    this.bucketIndices = assignBuckets(params, [FIRST_BUCKET_BYTES, this.bucketBytesCap], reversed, false);
  }

  /**
   * Wraps `module` and broadcasts its parameters and buffers from rank 0 (every rank must call it, in the
   * same order as their other collectives).
   */
  static async create<M extends Module>(
    module: M,
    options: DistributedDataParallelOptions = {},
  ): Promise<DistributedDataParallel<M>> {
    if (!(module instanceof Module)) throw new TypeError("DistributedDataParallel: module must be a Module");
    checkOptions("DistributedDataParallel", options, ["bucketCapMB", "broadcastBuffers"]);
    defaultGroup("DistributedDataParallel");
    const ddp = new DistributedDataParallel(module, options, token);
    await broadcastCoalesced([...module.parameters(), ...module.buffers()], 0, BROADCAST_BUCKET_BYTES);
    return ddp;
  }

  #trainable(): Tensor[] {
    return this.module.parameters().filter((p) => p.requiresGrad);
  }

  /** Runs the wrapped module's forward. */
  forward(...inputs: unknown[]): unknown {
    return this.module.forward(...inputs);
  }

  /** Whether the next backward averages gradients (false inside `noSync`). */
  get requireSync(): boolean {
    return this.#syncDepth === 0;
  }

  /**
   * Runs `fn` (sync or async) with gradient averaging off: backward passes inside only accumulate local
   * gradients; the first synced backward after it averages the accumulated sum (PyTorch's `no_sync()`).
   */
  noSync<T>(fn: () => T): T {
    this.#syncDepth++;
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.#syncDepth--;
      throw e;
    }
    if (result instanceof Promise) {
      return result.finally(() => this.#syncDepth--) as T;
    }
    this.#syncDepth--;
    return result;
  }

  /** `loss.backward()`, then, unless inside `noSync`, {@linkcode reduceGradients}. */
  async backward(loss: Tensor): Promise<void> {
    loss.backward();
    if (this.requireSync) await this.reduceGradients();
  }

  /**
   * Averages the gradients of every parameter over the ranks, bucket by bucket (all buckets in flight at
   * once), then broadcasts buffers from rank 0 when `broadcastBuffers`. Every rank must call it.
   */
  async reduceGradients(): Promise<void> {
    const { worldSize } = defaultGroup("DistributedDataParallel.reduceGradients");
    const params = this.#trainable();
    const grads: Tensor[] = [];
    const flats: Tensor[] = [];
    try {
      params.forEach((p, i) => {
        const g = p.grad;
        if (g === null) {
          const name = this.module.namedParameters().find(([, q]) => q === p)?.[0] ?? String(i);
          throw new Error(
            `DistributedDataParallel: parameter "${name}" received no gradient; every parameter that requires ` +
              "grad must take part in the loss (find_unused_parameters is not supported)",
          );
        }
        grads.push(g);
      });
      const works = this.bucketIndices.map((bucket) => {
        const flat = flatten(bucket.map((i) => grads[i]));
        flats.push(flat);
        flat.mul_(1 / worldSize);
        return allReduce(flat, { op: "sum" }).wait();
      });
      const results = await Promise.allSettled(works);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
      this.bucketIndices.forEach((bucket, b) => copyFromFlat(flats[b], bucket.map((i) => grads[i])));
    } finally {
      grads.forEach((g) => g.dispose());
      flats.forEach((f) => f.dispose());
    }
    if (this.broadcastBuffers) {
      const buffers = this.module.buffers();
      if (buffers.length > 0) await broadcastCoalesced(buffers, 0, BROADCAST_BUCKET_BYTES);
    }
  }
}
