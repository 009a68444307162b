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
import { describe } from "../tensor/checks.ts";
import { Tensor } from "../tensor/tensor.ts";
import type { FlagSpecs } from "./flags.ts";

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
  /** The model's state dict; without the frozen part when {@linkcode Checkpoint.frozen} names one. */
  model: StateDict;
  /**
   * null when `model` is the whole model's state dict; else the key of the frozen part it leaves out (the weights
   * file's digest and the part frozen: those weights come from the file again on resume).
   */
  frozen: string | null;
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
    frozen: c.frozen,
    optimizer: c.optimizer,
    rng_cpu: c.rngCpu,
    rng_cuda: c.rngCuda,
    loader: c.loader,
    running: { ...c.running },
    history: c.history.map((h) => ({ ...h })),
    step_losses: c.stepLosses,
  });
}

/** A checkpoint that cannot be resumed: the message names the file, the field and what is wrong. */
export class CheckpointError extends Error {
  /** An unusable checkpoint `path`: `message` says why. */
  constructor(path: string, message: string) {
    super(`${path} is not a usable checkpoint: ${message}`);
    this.name = "CheckpointError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Tensor);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isFinite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function need(ok: boolean, path: string, key: string, want: string, v: unknown): void {
  if (!ok) throw new CheckpointError(path, `field '${key}' must be ${want}, got ${describe(v)}`);
}

function checkStateDict(path: string, key: string, v: unknown): void {
  need(isObject(v), path, key, "a state dict (an object of tensors)", v);
  for (const [k, t] of Object.entries(v as Record<string, unknown>)) {
    need(t instanceof Tensor, path, `${key}.${k}`, "a Tensor", t);
  }
}

function checkRunning(path: string, v: unknown): RunningSums {
  need(isObject(v), path, "running", "an object of the epoch's sums", v);
  const r = v as Record<string, unknown>;
  need(isFinite(r.lossSum), path, "running.lossSum", "a finite number", r.lossSum);
  for (const k of ["batches", "correct", "seen"]) {
    need(isCount(r[k]), path, `running.${k}`, "a count (an integer >= 0)", r[k]);
  }
  need(isFinite(r.seconds) && (r.seconds as number) >= 0, path, "running.seconds", "a number >= 0", r.seconds);
  need(
    (r.correct as number) <= (r.seen as number),
    path,
    "running.correct",
    `at most running.seen (${r.seen})`,
    r.correct,
  );
  return r as unknown as RunningSums;
}

function checkHistory(path: string, v: unknown): EpochRecord[] {
  need(Array.isArray(v), path, "history", "an array of finished epochs", v);
  const h = v as unknown[];
  h.forEach((e, i) => {
    need(isObject(e), path, `history[${i}]`, "an epoch record", e);
    const r = e as Record<string, unknown>;
    need(r.epoch === i + 1, path, `history[${i}].epoch`, `${i + 1}`, r.epoch);
    for (const k of ["loss", "accuracy", "valLoss", "valAccuracy", "seconds", "imagesPerSecond"]) {
      need(isFinite(r[k]), path, `history[${i}].${k}`, "a finite number", r[k]);
    }
  });
  return h as EpochRecord[];
}

/**
 * Loads a checkpoint written by {@linkcode saveCheckpoint}; a file of another kind, or one with any field of the
 * wrong type or out of range, is a {@linkcode CheckpointError} naming the field.
 */
export function loadCheckpoint(path: string): Checkpoint {
  const doc = load(path);
  try {
    return fromDocument(path, doc);
  } catch (e) {
    disposeAll(doc, new Set()); // a refused checkpoint keeps none of its tensors
    throw e;
  }
}

function disposeAll(v: unknown, seen: Set<unknown>): void {
  if (v instanceof Tensor) v.dispose();
  else if (typeof v === "object" && v !== null && !seen.has(v)) {
    seen.add(v);
    const items = v instanceof Map ? [...v.values()] : Array.isArray(v) ? v : Object.values(v);
    for (const x of items) disposeAll(x, seen);
  }
}

function fromDocument(path: string, doc: unknown): Checkpoint {
  if (!isObject(doc) || doc.format !== FORMAT) {
    throw new Error(`${path} is not a study checkpoint (made by deno task lenet or densenet)`);
  }
  const d = doc;
  need(d.version === 1, path, "version", "1 (this toolkit's checkpoint format)", d.version);
  need(typeof d.task === "string" && d.task !== "", path, "task", "a task name", d.task);
  need(isObject(d.config), path, "config", "an object of flag values", d.config);
  need(isCount(d.epoch), path, "epoch", "a count of finished epochs (an integer >= 0)", d.epoch);
  need(isCount(d.batch), path, "batch", "a count of batches done (an integer >= 0)", d.batch);
  checkStateDict(path, "model", d.model);
  const frozen = d.frozen ?? null;
  need(frozen === null || (typeof frozen === "string" && frozen !== ""), path, "frozen", "null or a key", frozen);
  need(isObject(d.optimizer), path, "optimizer", "an optimizer state dict", d.optimizer);
  const opt = d.optimizer as Record<string, unknown>;
  need(isObject(opt.state), path, "optimizer.state", "an object", opt.state);
  need(Array.isArray(opt.param_groups), path, "optimizer.param_groups", "an array", opt.param_groups);
  const isRng = (t: unknown) => t instanceof Tensor && t.dtype === "uint8" && t.shape.length === 1;
  need(isRng(d.rng_cpu), path, "rng_cpu", "a generator state (a 1-D uint8 Tensor)", d.rng_cpu);
  need(
    d.rng_cuda === null || d.rng_cuda === undefined || isRng(d.rng_cuda),
    path,
    "rng_cuda",
    "null or a generator state",
    d.rng_cuda,
  );
  const loader = d.loader ?? null;
  if (loader !== null) {
    need(isObject(loader), path, "loader", "null or the loader's state", loader);
    const l = loader as Record<string, unknown>;
    need(isCount(l.epoch), path, "loader.epoch", "an integer >= 0", l.epoch);
    need(isRng(l.generator), path, "loader.generator", "a generator state", l.generator);
  }
  const running = checkRunning(path, d.running);
  need(running.batches === d.batch, path, "running.batches", `equal to batch (${d.batch})`, running.batches);
  const history = checkHistory(path, d.history);
  need(history.length === d.epoch, path, "history", `one record per finished epoch (${d.epoch})`, d.history);
  need(Array.isArray(d.step_losses), path, "step_losses", "an array of numbers", d.step_losses);
  const losses = d.step_losses as unknown[];
  const bad = losses.findIndex((x) => !isFinite(x));
  need(bad < 0, path, `step_losses[${bad}]`, "a finite number", losses[bad]);
  return {
    task: d.task as string,
    config: d.config as Record<string, unknown>,
    epoch: d.epoch as number,
    batch: d.batch as number,
    model: d.model as StateDict,
    frozen: frozen as string | null,
    optimizer: d.optimizer as unknown as OptimizerStateDict,
    rngCpu: d.rng_cpu as Tensor,
    rngCuda: (d.rng_cuda as Tensor | null) ?? null,
    loader: loader as { epoch: number; generator: Tensor } | null,
    running,
    history,
    stepLosses: losses as number[],
  };
}

/**
 * Checks a checkpoint's recorded flag values against the task's flag declarations (type, range, choices), as the
 * command line's are checked: a recorded `threads: 1e9` or `epochs: -3` is a {@linkcode CheckpointError}, never a
 * run. Flags the task does not declare are refused too.
 */
export function checkCheckpointConfig(path: string, config: Record<string, unknown>, specs: FlagSpecs): void {
  for (const [name, v] of Object.entries(config)) {
    const spec = specs[name];
    if (spec === undefined) throw new CheckpointError(path, `config has an unknown flag '${name}'`);
    const key = `config.${name}`;
    if (spec.kind === "int" || spec.kind === "float") {
      const what = spec.kind === "int" ? "an integer" : "a number";
      const open = spec.kind === "float" && spec.exclusiveMin;
      const ok = typeof v === "number" && Number.isFinite(v) && (spec.kind === "float" || Number.isInteger(v)) &&
        v >= spec.min && v <= spec.max && !(open && v === spec.min);
      need(ok, path, key, `${what} in ${open ? "(" : "["}${spec.min}, ${spec.max}]`, v);
    } else if (spec.kind === "boolean") {
      need(typeof v === "boolean", path, key, "a boolean", v);
    } else {
      const ok = (v === null && spec.default === null) ||
        (typeof v === "string" && (spec.choices === undefined || spec.choices.includes(v)));
      need(ok, path, key, spec.choices ? `one of ${spec.choices.join(", ")}` : "a string or null", v);
    }
  }
}

/**
 * Checks that a checkpoint's position fits the run it resumes: `epoch` finished epochs of `epochs`, `batch` batches
 * of the next of `batchesPerEpoch`.
 */
export function checkResumePosition(path: string, c: Checkpoint, epochs: number, batchesPerEpoch: number): void {
  need(c.epoch <= epochs, path, "epoch", `at most the run's ${epochs} epochs`, c.epoch);
  if (c.epoch === epochs) need(c.batch === 0, path, "batch", "0 once every epoch is finished", c.batch);
  need(c.batch < batchesPerEpoch, path, "batch", `below the ${batchesPerEpoch} batches of an epoch`, c.batch);
  const steps = c.epoch * batchesPerEpoch + c.batch;
  need(c.stepLosses.length === steps, path, "step_losses", `one loss per step done (${steps})`, c.stepLosses);
}
