/**
 * CIFAR-10 decode (+ normalise) throughput, denotorch side: the five training files read and decoded into
 * uint8 images and labels, and then also converted to float and normalised, in GB/s of record bytes per
 * repeat. Prints `{"decode_gbps": [...], "decode_normalize_gbps": [...]}`.
 *
 * @module
 */

import { join } from "node:path";
import { CIFAR10_TRAIN_FILES, normalize, readCifar10Files, toFloat } from "../datasets/mod.ts";
import { tidy } from "../mod.ts";
import { benchArgs } from "./common.ts";

const a = benchArgs();
const paths = CIFAR10_TRAIN_FILES.map((f) => join(a.data, f));
const bytes = paths.reduce((n, p) => n + Deno.statSync(p).size, 0);
const MEAN = [0.4914, 0.4822, 0.4465], STD = [0.247, 0.243, 0.261];
/** Read and decode (GB/s of record bytes), then also convert and normalise. */
function once(normalizeToo: boolean): number {
  const t0 = performance.now();
  let done = 0;
  do { // for at least half a second, so a noisy machine averages out within a repeat
    const { images, labels } = readCifar10Files(paths); // read straight into one buffer, then one tensor copy
    if (normalizeToo) tidy(() => void normalize(toFloat(images), MEAN, STD));
    images.dispose();
    labels.dispose();
    done += bytes;
  } while (performance.now() - t0 < 500);
  return done / ((performance.now() - t0) / 1000) / 1e9;
}
once(true);
console.log(JSON.stringify({
  decode_gbps: Array.from({ length: a.repeats }, () => once(false)),
  decode_normalize_gbps: Array.from({ length: a.repeats }, () => once(true)),
}));
