/**
 * What the study needs of a model: the module to checkpoint, the forward pass to logits, which
 * parameters train, how train/eval mode applies (a frozen backbone stays in eval mode), and optionally a
 * frozen part whose outputs can be computed once and cached.
 *
 * @module
 */

import type { Module, StateDict } from "../nn/module.ts";
import { dispose } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";

/** A frozen front part and a trainable head, so the front's outputs can be cached. */
export interface CacheableModel {
  /** Inputs (transformed images) to features `[N, C, 1, 1]`, without gradients, in eval mode. */
  frozen(x: Tensor): Tensor;
  /** Features to logits `[N]`. */
  head(features: Tensor): Tensor;
  /** Identifies the frozen part and the preprocessing (weights file, size, normalisation) for the cache. */
  key: string;
}

/**
 * A frozen part whose weights come from the weights file again on resume, so that a checkpoint holds only the
 * rest (a frozen DenseNet-121 backbone is 28 MB per checkpoint; its head 4 kB).
 */
export interface FrozenPart {
  /** Identifies the frozen weights (the weights file's digest and the part frozen); a resumed run must match it. */
  key: string;
  /** The state dict entries training can change: everything outside the frozen part. */
  trainedState(): StateDict;
}

/** A binary classifier as the study trains and evaluates it. */
export interface StudyModel {
  /** The whole model (its state dict is checkpointed and saved). */
  module: Module;
  /** A short description for the report (`LeNet-5`, `DenseNet-121 (TorchScript), head only`). */
  description: string;
  /** Transformed images to logits `[N]`. */
  forward(x: Tensor): Tensor;
  /** Training mode for training, evaluation mode otherwise (frozen parts may stay in evaluation mode). */
  setTraining(on: boolean): void;
  /** The parameters the optimizer updates. */
  trainable(): Tensor[];
  /** Present when the frozen part's outputs may be cached (no augmentation, frozen backbone). */
  cacheable?: CacheableModel;
  /** Present when part of the model is frozen: checkpoints then leave it out. */
  frozenPart?: FrozenPart;
}

/**
 * The state dict a checkpoint holds: the trained part's when the model has a frozen part, else the whole model's.
 *
 * @example
 * ```ts ignore
 * const state = checkpointState(studyModel); // owned handles: dispose them after saving
 * ```
 */
export function checkpointState(model: StudyModel): StateDict {
  return model.frozenPart?.trainedState() ?? model.module.stateDict();
}

/**
 * Loads a checkpoint's model state into `model`: a whole state dict strictly, or (when `frozen` names a frozen
 * part) exactly the trained part's entries, after checking that this model freezes the same weights. Throws a
 * plain Error saying what differs; the caller names the file.
 */
export function loadCheckpointState(model: StudyModel, state: StateDict, frozen: string | null): void {
  if (frozen === null) {
    model.module.loadStateDict(state);
    return;
  }
  const part = model.frozenPart;
  if (part === undefined || part.key !== frozen) {
    throw new Error(
      `it leaves out frozen weights (${frozen.slice(0, 80)}) that this run's model ` +
        (part === undefined ? "does not freeze" : `does not have (it freezes ${part.key.slice(0, 80)})`) +
        ": resume with the --weights file and --train-from the checkpoint was made with",
    );
  }
  const want = part.trainedState();
  const keys = Object.keys(want);
  dispose(Object.values(want));
  const missing = keys.filter((k) => !(k in state));
  const unexpected = Object.keys(state).filter((k) => !keys.includes(k));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new Error(
      `its model state does not match the trained part of this model (missing: ${missing.join(", ") || "none"}; ` +
        `unexpected: ${unexpected.join(", ") || "none"})`,
    );
  }
  model.module.loadStateDict(state, { strict: false });
}
