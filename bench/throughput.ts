/**
 * CIFAR-10 decode throughput as a command: prints the figures of `measureDecodeThroughput` (best of 5
 * runs, decoding from memory and reading the files) for the CIFAR-10 folder of `--data DIR` (else
 * `CIFAR10_DIR`).
 *
 * Usage: `deno run -A bench/throughput.ts --data DIR`.
 *
 * @module
 */

import { cifar10Dir, measureDecodeThroughput } from "../datasets/mod.ts";

if (import.meta.main) {
  const t = measureDecodeThroughput(cifar10Dir());
  console.log(
    `CIFAR-10 decode: ${t.records} records (${(t.bytes / 1e6).toFixed(1)} MB): ` +
      `${t.decodeGBps.toFixed(2)} GB/s from memory (${(t.decodeSeconds * 1000).toFixed(1)} ms), ` +
      `${t.readGBps.toFixed(2)} GB/s with file reads (${(t.readSeconds * 1000).toFixed(1)} ms)`,
  );
}
