/**
 * The study's data-parallel mode: when started by `deno task launch` (or `deno task lenet --nproc N`), the
 * environment holds WORLD_SIZE > 1 and each process is one rank. Every rank trains the same model on its
 * share of the training split (a DistributedSampler share: every WORLD_SIZE-th item from its rank on,
 * shuffled each epoch by its own seeded loader), with batch size / WORLD_SIZE per rank, so the effective
 * batch is the configured one; gradients are averaged by DistributedDataParallel after each backward.
 * Rank 0 evaluates, calibrates and writes the run folder; the other ranks stop after training.
 *
 * @module
 */

import * as dist from "../distributed/mod.ts";
import type { Module } from "../nn/module.ts";

/** This process's place in a data-parallel run, or null when it runs alone. */
export interface DataParallel {
  rank: number;
  worldSize: number;
  ddp: dist.DistributedDataParallel;
}

/** Whether the environment asks for a data-parallel run (WORLD_SIZE > 1, as the launcher sets it). */
export function dataParallelRequested(): boolean {
  return Number(Deno.env.get("WORLD_SIZE") ?? "1") > 1;
}

/** Joins the group (env://) and wraps `module`: its parameters and buffers become rank 0's. */
export async function startDataParallel(module: Module, batchSize: number): Promise<DataParallel> {
  if (!dist.isInitialized()) await dist.initProcessGroup({ backend: "gloo", initMethod: "env://" });
  const worldSize = dist.getWorldSize();
  if (batchSize % worldSize !== 0) {
    throw new RangeError(`--batch-size ${batchSize} must be a multiple of the number of processes (${worldSize})`);
  }
  return { rank: dist.getRank(), worldSize, ddp: await dist.DistributedDataParallel.create(module) };
}

/** This rank's share of `n` training items (PyTorch's DistributedSampler without shuffling, padded). */
export function shardIndices(n: number, p: DataParallel): number[] {
  return new dist.DistributedSampler(n, { numReplicas: p.worldSize, rank: p.rank, shuffle: false }).indices();
}

/** Leaves the group. */
export async function stopDataParallel(): Promise<void> {
  if (dist.isInitialized()) await dist.destroyProcessGroup();
}
