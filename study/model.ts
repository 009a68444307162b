/**
 * What the study needs of a model: the module to checkpoint, the forward pass to logits, which
 * parameters train, how train/eval mode applies (a frozen backbone stays in eval mode), and optionally a
 * frozen part whose outputs can be computed once and cached.
 *
 * @module
 */

import type { Module } from "../nn/module.ts";
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
}
