/**
 * Helpers shared by the denotorch side of the benchmarks: arguments, the CIFAR-10 bird/cat data, peak
 * memory.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { loadCifar10 } from "../datasets/mod.ts";
import { BIRD_CAT } from "../study/data.ts";
import { arange, setNumThreads, type Tensor } from "../mod.ts";
import { residentMemory } from "../tensor/runtime.ts";

/** Parsed benchmark arguments. */
export interface BenchArgs {
  /** Threads (pinned). */
  threads: number;
  /** Repeats after the warm-up. */
  repeats: number;
  /** The CIFAR-10 folder. */
  data: string;
  /** The case's own options, as given. */
  opt: Record<string, string>;
}

/** Parses `--threads`, `--repeats`, `--data` and the case's own options (with their defaults). */
export function benchArgs(extra: Record<string, string> = {}): BenchArgs {
  const options: Record<string, { type: "string"; default?: string }> = {
    threads: { type: "string", default: "1" },
    repeats: { type: "string", default: "5" },
    data: { type: "string", default: Deno.env.get("CIFAR10_DIR") ?? "" },
  };
  for (const [k, v] of Object.entries(extra)) options[k] = { type: "string", default: v };
  const { values } = parseArgs({ args: Deno.args, options });
  const v = values as Record<string, string>;
  const threads = Number(v.threads);
  setNumThreads(threads);
  return { threads, repeats: Number(v.repeats), data: v.data, opt: v };
}

/** uint8 images and 0/1 labels (bird 0, cat 1) of a split (its first `limit` records when > 0). */
export function readSplit(dir: string, split: "train" | "test", limit = 0): { images: Tensor; labels: Tensor } {
  const ds = loadCifar10(dir, { split, classes: BIRD_CAT });
  if (limit > 0 && limit < ds.length) {
    using idx = arange(limit);
    const sub = ds.subset(idx);
    ds.dispose();
    return { images: sub.images, labels: sub.labels };
  }
  return { images: ds.images, labels: ds.labels };
}

/** Peak resident memory of this process, MiB (Linux `VmHWM`; NaN elsewhere). */
export function peakRssMiB(): number {
  return residentMemory()?.peakMiB ?? NaN;
}

/** Resident memory of this process now, MiB (Linux `VmRSS`; NaN elsewhere). */
export function rssMiB(): number {
  return residentMemory()?.currentMiB ?? NaN;
}
