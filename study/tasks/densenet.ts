/**
 * The DenseNet study task (`deno task densenet`, `scripts/densenet.ts`): a TorchScript DenseNet
 * (torchvision's DenseNet-121, made by `scripts/export_densenet121.py`) with a new binary head, fine-tuned
 * from a chosen layer on CIFAR-10 birds and cats resized and normalised with ImageNet's statistics; a frozen
 * backbone's features are cached when nothing is random.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { normalize, randomCrop, randomHorizontalFlip, randomRotation, resize, toFloat } from "../../datasets/mod.ts";
import { load as loadScript } from "../../jit/mod.ts";
import { DenseNetTransfer, type TrainFrom } from "../../models/densenet_transfer.ts";
import { tidy } from "../../tensor/memory.ts";
import type { Tensor } from "../../tensor/tensor.ts";
import { FlagError } from "../flags.ts";
import type { StudyTask } from "../pipeline.ts";

/** ImageNet's channel statistics, which torchvision's pretrained weights expect. */
export const IMAGENET_MEAN: readonly number[] = [0.485, 0.456, 0.406];
/** ImageNet's channel standard deviations. */
export const IMAGENET_STD: readonly number[] = [0.229, 0.224, 0.225];

const HOW_TO_GET = "Make one with `python3 scripts/export_densenet121.py --out densenet121.pt` (ImageNet weights, " +
  "needs torchvision and internet; add --random for random weights offline), then pass --weights densenet121.pt.";

/** The file's SHA-256, read 1 MiB at a time (a whole DenseNet-121 read at once would stay in the heap). */
async function fileKey(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(1 << 20);
  for (let got = await file.read(buffer); got !== null; got = await file.read(buffer)) {
    hash.update(buffer.subarray(0, got));
  }
  return hash.digest("hex");
}

/** The DenseNet study task. */
export const densenetTask: StudyTask = {
  name: "densenet",
  title: "DenseNet-121 fine-tuned, CIFAR-10 bird vs cat",
  usage: "deno task densenet --weights <densenet121.pt> [flags]\n\nFine-tunes a TorchScript DenseNet's last layers " +
    "on CIFAR-10 birds and cats, then measures and recalibrates its confidence by temperature scaling.",
  notes: "CPU defaults (64 px, 10 epochs, augmentation on, head only) take about 15 minutes on one core: " +
    "DenseNet-121 runs about 160 images/s at 64 px there. With --no-augment and --train-from classifier the " +
    "backbone's features are computed once and cached (in $DENOTORCH_CACHE, default .cache/denotorch), so " +
    "epochs cost almost nothing. --device auto uses CUDA when present, where --image-size defaults to 224.\n" +
    HOW_TO_GET,
  reference: "the study reports for an ImageNet DenseNet-121 top-label ECE 0.093 before and 0.0043 after " +
    "temperature scaling (these runs use other weights when --weights is not the ImageNet export).",
  defaults: { epochs: 10, batchSize: 64, lr: 1e-3 },
  flags: {
    weights: { kind: "string", default: null, defaultText: "$DENSENET_WEIGHTS", help: "TorchScript DenseNet file" },
    "train-from": {
      kind: "string",
      default: "classifier",
      choices: ["classifier", "denseblock4", "all"],
      help: "fine-tune the head only, also the last dense block, or everything",
    },
    "image-size": {
      kind: "int",
      default: 0,
      min: 0,
      max: 1024,
      defaultText: "0, which is 64 on CPU and 224 on CUDA",
      help: "input size in pixels",
    },
    augment: { kind: "boolean", default: true, help: "random rotation (15 degrees), crop and horizontal flip" },
    cache: {
      kind: "boolean",
      default: true,
      help: "compute the frozen backbone's features once and cache them (with --no-augment and the head only)",
    },
  },
  lockedFlags: ["weights", "train-from", "image-size", "augment"],
  async build(config, _data, device, log) {
    const weights = (config.extra.weights as string | null) || Deno.env.get("DENSENET_WEIGHTS") || null;
    if (weights === null) throw new FlagError(`no DenseNet weights given (--weights <file.pt>). ${HOW_TO_GET}`);
    try {
      Deno.statSync(weights);
    } catch {
      throw new FlagError(`--weights ${weights}: no such file. ${HOW_TO_GET}`);
    }
    let scripted;
    try {
      scripted = loadScript(weights, { device });
    } catch (e) {
      throw new Error(`--weights ${weights}: ${(e as Error).message}`);
    }
    const size = (config.extra["image-size"] as number) || (device === "cpu" ? 64 : 224);
    const trainFrom = config.extra["train-from"] as TrainFrom;
    const model = DenseNetTransfer.fromScript(scripted, { trainFrom, probeSize: size }).to(device);
    log.info(`weights: ${weights} (${scripted.typeName}), ${model.featureWidth} feature channels, ${size} px`);
    const augment = config.extra.augment as boolean;
    const scaled = (x: Tensor) => (x.shape[x.ndim - 1] === size && x.shape[x.ndim - 2] === size ? x : resize(x, size));
    const evalTransform = (x: Tensor) => tidy(() => normalize(scaled(toFloat(x)), IMAGENET_MEAN, IMAGENET_STD));
    const pad = Math.max(1, Math.round(size / 8));
    const trainTransform = augment
      ? (x: Tensor) =>
        tidy(() => {
          let y = scaled(toFloat(x));
          y = randomCrop(y, size, { padding: pad });
          y = randomHorizontalFlip(y);
          y = randomRotation(y, 15);
          return normalize(y, IMAGENET_MEAN, IMAGENET_STD);
        })
      : evalTransform;
    const digest = await fileKey(weights);
    const key = `densenet|${digest}|${size}|imagenet-norm|${trainFrom}`;
    return {
      model: {
        module: model,
        description: `DenseNet (${scripted.typeName.replace(/^__torch__\./, "")}) from ${weights}, new head, ` +
          `trained from ${trainFrom}`,
        forward: (x) => model.forward(x).squeeze(1),
        setTraining: (on) => void model.train(on),
        trainable: () => model.trainableParameters(),
        cacheable: model.backboneFrozen
          ? {
            frozen: (x) => model.pool(model.backbone(x)),
            head: (f) => tidy(() => model.head(f).squeeze(1)),
            key,
          }
          : undefined,
        // a checkpoint holds the head (and an unfrozen tail), not the frozen weights the file gives again
        frozenPart: trainFrom === "all"
          ? undefined
          : { key: `densenet|${digest}|frozen-before-${trainFrom}`, trainedState: () => model.trainedStateDict() },
      },
      trainTransform,
      evalTransform,
      cacheFeatures: (config.extra.cache as boolean) && !augment && model.backboneFrozen,
      preprocessing: `resized to ${size}x${size} (bilinear), normalised with ImageNet's mean and std; ` +
        (augment
          ? `augmented with random crop (padding ${pad}), horizontal flip and rotation up to 15 degrees`
          : "no augmentation"),
    };
  },
};
