/**
 * DenseNet transfer learning for a binary task: the `features` backbone of a TorchScript DenseNet
 * (torchvision's architecture, such as DenseNet-121 with ImageNet weights) and a new head as
 * torchvision's classifier path (ReLU, global average pool, flatten, Linear C -> 1).
 *
 * The backbone is frozen except an optional tail: `trainFrom` "classifier" trains the head only,
 * "denseblock4" also the last dense block and the final norm (`norm5`), "all" everything. Frozen parts stay
 * in evaluation mode (their BatchNorm statistics are not updated) and run without recording gradients.
 * State dict keys are torchvision's (`features.denseblock4...`, `classifier.weight`), so a PyTorch user can
 * load the weights into `torchvision.models.densenet121(num_classes=1)`.
 *
 * @module
 */

import { adaptiveAvgPool2d, relu } from "../nn/functional.ts";
import { Linear } from "../nn/linear.ts";
import { Module, type StateDict } from "../nn/module.ts";
import type { ScriptModule } from "../jit/mod.ts";
import { noGrad } from "../tensor/autograd.ts";
import { zeros } from "../tensor/creation.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";

/** Where fine-tuning starts. */
export type TrainFrom = "classifier" | "denseblock4" | "all";

/** The parts `trainFrom` unfreezes, beyond the head. */
const TAIL: Record<TrainFrom, string[] | null> = {
  classifier: [],
  denseblock4: ["denseblock4", "norm5"],
  all: null, // everything
};

/** Options of {@linkcode DenseNetTransfer.fromScript}. */
export interface DenseNetTransferOptions {
  /** Where fine-tuning starts (default "classifier"). */
  trainFrom?: TrainFrom;
  /** The input size used to probe the feature width (default 64). */
  probeSize?: number;
}

/**
 * A TorchScript DenseNet backbone with a new binary head.
 *
 * @example
 * ```ts
 * import { jit, manualSeed, randn } from "../mod.ts";
 * import { DenseNetTransfer } from "./densenet_transfer.ts";
 * manualSeed(0);
 * const model = DenseNetTransfer.fromScript(jit.load("densenet121.pt"), { trainFrom: "classifier" });
 * const logits = model.forward(randn([4, 3, 64, 64])); // [4, 1]
 * ```
 */
export class DenseNetTransfer extends Module {
  /** The TorchScript backbone (the loaded model's `features`). */
  readonly features: ScriptModule;
  /** The new head, Linear(featureWidth, 1). */
  readonly classifier: Linear;
  /** Where fine-tuning starts. */
  readonly trainFrom: TrainFrom;
  /** The backbone's output channels. */
  readonly featureWidth: number;
  readonly #frozenCount: number;
  readonly #stages: [string, ScriptModule][];

  /**
   * Wraps `features` (whose output has `featureWidth` channels) with a new head. Use
   * {@linkcode DenseNetTransfer.fromScript} to take both from a loaded model.
   */
  constructor(features: ScriptModule, featureWidth: number, trainFrom: TrainFrom = "classifier") {
    super();
    if (!(trainFrom in TAIL)) {
      throw new TypeError(`DenseNetTransfer: trainFrom must be classifier, denseblock4 or all, got ${trainFrom}`);
    }
    this.features = this.registerModule("features", features);
    this.classifier = this.registerModule("classifier", new Linear(featureWidth, 1));
    this.trainFrom = trainFrom;
    this.featureWidth = featureWidth;
    const stages = features.namedChildren() as [string, ScriptModule][];
    // a backbone that is not a Sequential of stages runs as one stage
    this.#stages = stages.length > 0 ? stages : [["features", features]];
    const tail = TAIL[trainFrom];
    if (tail === null) {
      this.#frozenCount = 0;
    } else if (tail.length === 0) {
      this.#frozenCount = this.#stages.length;
    } else {
      const first = this.#stages.findIndex(([n]) => n === tail[0]);
      const names = this.#stages.map(([n]) => n);
      if (first < 0 || !tail.every((t) => names.includes(t))) {
        throw new Error(
          `DenseNetTransfer: trainFrom "${trainFrom}" needs the backbone children ${tail.join(" and ")}; ` +
            `this backbone has ${names.join(", ") || "no children"}`,
        );
      }
      this.#frozenCount = first;
    }
    features.requiresGrad_(false);
    for (const [, m] of this.#stages.slice(this.#frozenCount)) m.requiresGrad_(true);
    if (tail === null) features.requiresGrad_(true);
  }

  /**
   * Takes `features` from a loaded TorchScript DenseNet, checks it (a `features` child whose output is
   * `[N, C, h, w]`, and C equal to the `classifier`'s input width when there is a classifier), and adds
   * a new head. Call `manualSeed` before, for a reproducible head.
   */
  static fromScript(model: ScriptModule, options: DenseNetTransferOptions = {}): DenseNetTransfer {
    const children = model.namedChildren().map(([n]) => n);
    if (!children.includes("features")) {
      throw new Error(
        `the TorchScript model ${model.typeName} has no 'features' child (it has ${children.join(", ") || "none"}); ` +
          "expected torchvision's DenseNet layout (features + classifier)",
      );
    }
    const features = model.child("features");
    const size = options.probeSize ?? 64;
    const shape = tidy(() =>
      noGrad(() => {
        const wasTraining = features.training;
        features.eval();
        try {
          using probe = zeros([1, 3, size, size], { device: features.parameters()[0]?.device ?? "cpu" });
          return features.forward(probe).shape;
        } finally {
          features.train(wasTraining);
        }
      })
    );
    if (shape.length !== 4) {
      throw new Error(
        `the 'features' of ${model.typeName} return a tensor of shape [${shape.join(", ")}] for a ` +
          `${size}x${size} image; expected [N, C, h, w] feature maps`,
      );
    }
    const width = shape[1];
    if (children.includes("classifier")) {
      const w = model.child("classifier").ownParameters().find(([n]) => n === "weight")?.[1];
      if (w !== undefined && w.ndim === 2 && w.shape[1] !== width) {
        throw new Error(
          `unexpected feature width: the 'features' of ${model.typeName} give ${width} channels but its ` +
            `classifier takes ${w.shape[1]} inputs`,
        );
      }
    }
    return new DenseNetTransfer(features, width, options.trainFrom ?? "classifier");
  }

  /** Images to backbone feature maps `[N, C, h, w]`; the frozen stages run without recording gradients. */
  backbone(x: Tensor): Tensor {
    return tidy(() => {
      // each stage's output is freed as soon as the next stage has run (autograd keeps what it needs): a
      // batch holds one stage's maps at a time, not all twelve
      const run = (h: Tensor, stages: [string, ScriptModule][]) => {
        for (const [, m] of stages) {
          const next = m.forward(h);
          if (h !== x) h.dispose();
          h = next;
        }
        return h;
      };
      const h = this.#frozenCount > 0 ? noGrad(() => run(x, this.#stages.slice(0, this.#frozenCount))) : x;
      return run(h, this.#stages.slice(this.#frozenCount));
    });
  }

  /** Feature maps to pooled features `[N, C, 1, 1]`: ReLU and global average pooling. */
  pool(maps: Tensor): Tensor {
    return tidy(() => adaptiveAvgPool2d(relu(maps), [1, 1]));
  }

  /** Pooled features `[N, C, 1, 1]` to logits `[N, 1]`. */
  head(pooled: Tensor): Tensor {
    return tidy(() => this.classifier.forward(pooled.flatten(1)));
  }

  /** Images to logits `[N, 1]`. */
  forward(x: Tensor): Tensor {
    return tidy(() => this.head(this.pool(this.backbone(x))));
  }

  /** Training mode for the trainable parts; frozen stages stay in evaluation mode. */
  override train(mode = true): this {
    super.train(mode);
    if (mode) { for (const [, m] of this.#stages.slice(0, this.#frozenCount)) m.eval(); }
    return this;
  }

  /** The parameters fine-tuning updates (the head and the unfrozen tail). */
  trainableParameters(): Tensor[] {
    return this.parameters().filter((p) => p.requiresGrad);
  }

  /**
   * The state dict entries fine-tuning can change: the head's, and the unfrozen stages' parameters and buffers
   * (everything with `trainFrom: "all"`). A checkpoint of a frozen backbone needs no more: its weights are the
   * weights file's.
   */
  trainedStateDict(): StateDict {
    if (this.#frozenCount === 0) return this.stateDict();
    const state: StateDict = {};
    const add = (prefix: string, m: Module) => {
      for (const [k, t] of Object.entries(m.stateDict())) state[prefix + k] = t;
    };
    for (const [n, m] of this.#stages.slice(this.#frozenCount)) add(`features.${n}.`, m);
    add("classifier.", this.classifier);
    return state;
  }

  /** Whether the whole backbone is frozen (so its outputs can be cached when nothing is random). */
  get backboneFrozen(): boolean {
    return this.#frozenCount === this.#stages.length;
  }

  /** `trainFrom=...` for the printout. */
  override extraRepr(): string {
    return `trainFrom=${this.trainFrom}, featureWidth=${this.featureWidth}`;
  }
}
