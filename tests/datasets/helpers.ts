/**
 * Shared helpers of the dataset tests: the CIFAR-10 folder from `CIFAR10_DIR`, and small synthetic
 * CIFAR-10 folders written to temporary directories.
 *
 * @module
 */

import { join } from "node:path";
import { CIFAR10_CLASSES, CIFAR10_RECORD_BYTES } from "../../datasets/cifar10/format.ts";

/** The shared CIFAR-10 bird/cat folder, from `CIFAR10_DIR` (set by `deno task test`). */
export function sharedCifarDir(): string {
  const dir = Deno.env.get("CIFAR10_DIR");
  if (!dir) {
    throw new Error(
      "this test needs the shared CIFAR-10 records: set CIFAR10_DIR=../shared/data/cifar-10-batches-bin " +
        "(deno task test does)",
    );
  }
  return dir;
}

/** `labels.length` synthetic records: record i has label labels[i] and pixel bytes (i * 7 + j) % 256. */
export function records(labels: readonly number[]): Uint8Array {
  const out = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
  labels.forEach((label, i) => {
    const base = i * CIFAR10_RECORD_BYTES;
    out[base] = label;
    for (let j = 1; j < CIFAR10_RECORD_BYTES; j++) out[base + j] = (i * 7 + j) % 256;
  });
  return out;
}

/**
 * A temporary CIFAR-10 binary folder: the five training files with `perFile` records each (labels cycling
 * through 0..9), a test file, and the class list. `edit` may change files before it is returned.
 */
export function syntheticCifarDir(perFile = 3, edit?: (dir: string) => void): string {
  const dir = Deno.makeTempDirSync({ prefix: "cifar-synthetic-" });
  let k = 0;
  for (let b = 1; b <= 5; b++) {
    const labels = Array.from({ length: perFile }, () => (k++) % 10);
    Deno.writeFileSync(join(dir, `data_batch_${b}.bin`), records(labels));
  }
  Deno.writeFileSync(join(dir, "test_batch.bin"), records([3, 2]));
  Deno.writeTextFileSync(join(dir, "batches.meta.txt"), CIFAR10_CLASSES.join("\n") + "\n\n");
  edit?.(dir);
  return dir;
}
