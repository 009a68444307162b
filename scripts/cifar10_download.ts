/**
 * Downloads CIFAR-10's binary version into the folder of `--data DIR` (else `CIFAR10_DIR`), verified by
 * its MD5; `--url URL` names a mirror. Does nothing when the folder already holds the data.
 *
 * Usage: `deno run -A scripts/cifar10_download.ts --data DIR [--url URL]`.
 *
 * @module
 */

import { cifar10Dir, downloadCifar10 } from "../datasets/mod.ts";

if (import.meta.main) {
  const args = Deno.args;
  const i = args.findIndex((a) => a === "--url" || a.startsWith("--url="));
  const url = i < 0 ? undefined : args[i].startsWith("--url=") ? args[i].slice(6) : args[i + 1];
  try {
    const dir = cifar10Dir({ args });
    const { downloaded } = await downloadCifar10({ dir, url });
    console.log(downloaded ? `CIFAR-10 is in ${dir}` : `CIFAR-10 is already in ${dir}; nothing to do`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    Deno.exit(1);
  }
}
