/**
 * The flags every study task shares (`--data`, `--epochs`, `--batch-size`, `--lr`, `--seed`,
 * `--val-fraction`, `--device`, `--threads`, `--bins`, `--png`, `--out`, `--resume`, `--limit`), their
 * defaults and ranges, and the typed configuration they give.
 *
 * @module
 */

import type { FlagSpecs, FlagValues } from "./flags.ts";

/** The shared configuration of a study run. */
export interface StudyConfig {
  /** The CIFAR-10 binary folder, or null for `CIFAR10_DIR` / the default download folder. */
  data: string | null;
  /** Download CIFAR-10 into a given folder that is missing it (without: only into the default folder). */
  download: boolean;
  /** Training epochs. */
  epochs: number;
  /** Mini-batch size. */
  batchSize: number;
  /** Adam's learning rate. */
  lr: number;
  /** The seed of everything random (split, initialisation, shuffling, dropout, augmentation). */
  seed: number;
  /** Fraction of the training split held out to fit the temperature. */
  valFraction: number;
  /** `cpu`, `cuda` or `auto`. */
  device: "cpu" | "cuda" | "auto";
  /** LibTorch's intra-op threads. */
  threads: number;
  /** Bins of the calibration metrics. */
  bins: number;
  /** Also write the figures as PNG (they are always written as SVG). */
  png: boolean;
  /** The run folder, or null for `runs/<task>-<time>`. */
  out: string | null;
  /** A checkpoint to resume from, or null. */
  resume: string | null;
  /** Only the first `limit` records of each split (0: all). */
  limit: number;
  /** The task's own flags. */
  extra: FlagValues;
}

/** The shared flags, with the task's defaults for epochs, batch size and learning rate. */
export function sharedFlags(
  defaults: { epochs: number; batchSize: number; lr: number },
  task = "<task>",
): FlagSpecs {
  return {
    data: {
      kind: "string",
      default: null,
      defaultText: "$CIFAR10_DIR, else data/cifar-10-batches-bin (downloaded there when missing)",
      help: "CIFAR-10 binary folder (cifar-10-batches-bin); a folder given here or in $CIFAR10_DIR must exist " +
        "(or add --download)",
    },
    download: {
      kind: "boolean",
      default: false,
      help: "download CIFAR-10 (170 MB) into the --data or $CIFAR10_DIR folder when it is missing there",
    },
    epochs: { kind: "int", default: defaults.epochs, min: 1, max: 10_000, help: "training epochs" },
    "batch-size": { kind: "int", default: defaults.batchSize, min: 1, max: 65_536, help: "mini-batch size" },
    lr: { kind: "float", default: defaults.lr, min: 0, max: 10, exclusiveMin: true, help: "Adam learning rate" },
    seed: { kind: "int", default: 0, min: 0, max: 2 ** 53 - 1, help: "seed of split, init, shuffling, dropout" },
    "val-fraction": {
      kind: "float",
      default: 0.1,
      min: 0,
      max: 0.9,
      exclusiveMin: true,
      help: "part of the training split held out to fit the temperature",
    },
    device: { kind: "string", default: "auto", choices: ["cpu", "cuda", "auto"], help: "where to run" },
    threads: { kind: "int", default: 1, min: 1, max: 1024, help: "LibTorch intra-op threads" },
    bins: { kind: "int", default: 10, min: 1, max: 1000, help: "bins of the calibration metrics" },
    png: { kind: "boolean", default: false, help: "also write the figures as PNG (they are always SVG)" },
    out: { kind: "string", default: null, defaultText: `runs/${task}-<time>`, help: "run folder" },
    resume: { kind: "string", default: null, help: "continue from this checkpoint.pt" },
    limit: {
      kind: "int",
      default: 0,
      min: 0,
      max: 1_000_000,
      help: "use only the first N records of each split (0: all), for quick runs",
    },
  };
}

/** The flags whose values a resumed run must share with its checkpoint. */
export const LOCKED_FLAGS: readonly string[] = ["batch-size", "lr", "seed", "val-fraction", "limit"];

/** The typed configuration of parsed flag values. */
export function toConfig(v: FlagValues, shared: FlagSpecs): StudyConfig {
  const extra: FlagValues = {};
  for (const [k, x] of Object.entries(v)) if (!(k in shared)) extra[k] = x;
  return {
    data: v.data as string | null,
    download: v.download as boolean,
    epochs: v.epochs as number,
    batchSize: v["batch-size"] as number,
    lr: v.lr as number,
    seed: v.seed as number,
    valFraction: v["val-fraction"] as number,
    device: v.device as "cpu" | "cuda" | "auto",
    threads: v.threads as number,
    bins: v.bins as number,
    png: v.png as boolean,
    out: v.out as string | null,
    resume: v.resume as string | null,
    limit: v.limit as number,
    extra,
  };
}
