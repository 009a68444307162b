/**
 * Training checkpoints, in `torch.save`'s format (PyTorch-Python can `torch.load` them): the model and
 * optimizer state dicts, the random generators' states, where in which epoch training stopped, the
 * running sums of that epoch, the history so far and the configuration, so that `--resume` continues to
 * exactly the result of an uninterrupted run.
 *
 * @module
 */

import { load, save } from "../serialize/mod.ts";
import type { OptimizerStateDict } from "../optim/mod.ts";
import type { StateDict } from "../nn/module.ts";
import { Tensor } from "../tensor/tensor.ts";

/** One finished epoch. */
export interface EpochRecord {
  /** The epoch, from 1. */
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Training accuracy over the epoch. */
  accuracy: number;
  /** Validation loss (evaluation mode) after the epoch. */
  valLoss: number;
  /** Validation accuracy after the epoch. */
  valAccuracy: number;
  /** Seconds the epoch's training took. */
  seconds: number;
  /** Training images per second. */
  imagesPerSecond: number;
}

/** The sums of an epoch in progress. */
export interface RunningSums {
  /** Sum of batch losses. */
  lossSum: number;
  /** Batches done. */
  batches: number;
  /** Right predictions. */
  correct: number;
  /** Images seen. */
  seen: number;
  /** Seconds spent. */
  seconds: number;
}

/** Everything needed to resume training. */
export interface Checkpoint {
  /** The task (`lenet`, `densenet`). */
  task: string;
  /** The configuration it ran with. */
  config: Record<string, unknown>;
  /** The epoch in progress (0-based); equals the number of epochs when training finished. */
  epoch: number;
  /** Batches done in that epoch. */
  batch: number;
  /** The model's state dict. */
  model: StateDict;
  /** The optimizer's state dict. */
  optimizer: OptimizerStateDict;
  /** The global CPU generator's state now. */
  rngCpu: Tensor;
  /** The CUDA generator's state, when training on CUDA. */
  rngCuda: Tensor | null;
  /** The data loader's stream state at the start of the epoch in progress. */
  loader: { epoch: number; generator: Tensor } | null;
  /** The sums of the epoch in progress. */
  running: RunningSums;
  /** The finished epochs. */
  history: EpochRecord[];
  /** The training losses of every step so far (for parity checks and curves). */
  stepLosses: number[];
}

const FORMAT = "denotorch-study-checkpoint";

/** Saves a checkpoint atomically to `path`. */
export async function saveCheckpoint(path: string, c: Checkpoint): Promise<void> {
  await save(path, {
    format: FORMAT,
    version: 1,
    task: c.task,
    config: c.config,
    epoch: c.epoch,
    batch: c.batch,
    model: c.model,
    optimizer: c.optimizer,
    rng_cpu: c.rngCpu,
    rng_cuda: c.rngCuda,
    loader: c.loader,
    running: { ...c.running },
    history: c.history.map((h) => ({ ...h })),
    step_losses: c.stepLosses,
  });
}

function field<T>(doc: Record<string, unknown>, key: string, check: (v: unknown) => boolean, path: string): T {
  const v = doc[key];
  if (!check(v)) throw new Error(`${path} is not a usable checkpoint: field '${key}' is missing or malformed`);
  return v as T;
}

const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
const isNumber = (v: unknown) => typeof v === "number";

/** Loads a checkpoint written by {@linkcode saveCheckpoint}; a file of another kind is a clear error. */
export function loadCheckpoint(path: string): Checkpoint {
  const doc = load(path);
  if (!isObject(doc) || (doc as Record<string, unknown>).format !== FORMAT) {
    throw new Error(`${path} is not a study checkpoint (made by deno task lenet or densenet)`);
  }
  const d = doc as Record<string, unknown>;
  const loader = d.loader as { epoch: number; generator: Tensor } | null;
  return {
    task: field(d, "task", (v) => typeof v === "string", path),
    config: field(d, "config", isObject, path),
    epoch: field(d, "epoch", isNumber, path),
    batch: field(d, "batch", isNumber, path),
    model: field(d, "model", isObject, path),
    optimizer: field(d, "optimizer", isObject, path),
    rngCpu: field(d, "rng_cpu", (v) => v instanceof Tensor, path),
    rngCuda: (d.rng_cuda as Tensor | null) ?? null,
    loader: loader ?? null,
    running: field(d, "running", isObject, path),
    history: field(d, "history", Array.isArray, path),
    stepLosses: field(d, "step_losses", Array.isArray, path),
  };
}
