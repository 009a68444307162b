/**
 * The study's LeNet-5, mirroring `scripts/fixtures/lenet_ref.py` module for module: the same children
 * and key names (`features.0.weight`, `features.1.running_mean`, `classifier.1.weight`, ...), created in
 * the same order, so that after `manualSeed(n)` its initial parameters are PyTorch-Python's exactly, and
 * the same forward pass.
 *
 * @module
 */

import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { ReLU } from "../nn/activation.ts";
import { BatchNorm2d } from "../nn/batchnorm.ts";
import { checkNumber } from "../tensor/checks.ts";
import { Sequential } from "../nn/container.ts";
import { Conv2d } from "../nn/conv.ts";
import { Dropout } from "../nn/dropout.ts";
import { Flatten } from "../nn/flatten.ts";
import { Linear } from "../nn/linear.ts";
import { Module } from "../nn/module.ts";
import { MaxPool2d } from "../nn/pooling.ts";

/** Options of {@linkcode LeNet}. */
export interface LeNetOptions {
  /** The dropout probability of the classifier's two Dropout layers (default 0.5). */
  dropout?: number;
}

/**
 * LeNet-5 for 3 × 32 × 32 images with one logit out:
 * features (conv 3→6 5×5, BatchNorm2d, ReLU, max-pool 2, conv 6→16 5×5, BatchNorm2d, ReLU, max-pool 2)
 * and classifier (flatten, Linear 400→120, ReLU, Dropout, Linear 120→84, ReLU, Dropout, Linear 84→1).
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { LeNet } from "./lenet.ts";
 * manualSeed(0);
 * const model = new LeNet({ dropout: 0.5 }); // the parameters of torch.manual_seed(0); LeNet()
 * const logit = model.forward(randn([8, 3, 32, 32])); // [8, 1]
 * ```
 */
export class LeNet extends Module {
  /** The convolutional part. */
  readonly features: Sequential;
  /** The fully connected part. */
  readonly classifier: Sequential;

  /** A LeNet-5 with freshly drawn parameters. */
  constructor(options: LeNetOptions = {}) {
    super();
    const dropout = checkNumber("LeNet", "dropout", options.dropout ?? 0.5, { min: 0, max: 1 });
    this.features = this.registerModule(
      "features",
      new Sequential(
        new Conv2d(3, 6, 5),
        new BatchNorm2d(6),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(6, 16, 5),
        new BatchNorm2d(16),
        new ReLU(),
        new MaxPool2d(2),
      ),
    );
    this.classifier = this.registerModule(
      "classifier",
      new Sequential(
        new Flatten(),
        new Linear(400, 120),
        new ReLU(),
        new Dropout(dropout),
        new Linear(120, 84),
        new ReLU(),
        new Dropout(dropout),
        new Linear(84, 1),
      ),
    );
  }

  /** The logits [N, 1] of images `x` [N, 3, 32, 32]. */
  forward(x: Tensor): Tensor {
    return tidy(() => this.classifier.forward(this.features.forward(x)));
  }
}
