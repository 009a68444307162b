/**
 * Where the CIFAR-10 binary folder is: the `--data DIR` flag of a task, else the environment variable
 * `CIFAR10_DIR` (see {@linkcode dataDir}).
 *
 * @module
 */

import { dataDir, type DataDirOptions } from "../data_dir.ts";
import { CIFAR10_DIR_ENV, cifar10HowToGet } from "./format.ts";

/**
 * The CIFAR-10 binary folder named by `--data` in `args`, else by `$CIFAR10_DIR`. Throws, saying how to
 * get CIFAR-10, when neither is given. (The folder's contents are checked when it is read.)
 *
 * @example
 * ```ts
 * import { cifar10Dir } from "./data_dir.ts";
 * import { readCifar10 } from "./reader.ts";
 * using train = readCifar10(cifar10Dir(), { split: "train" }); // deno run -A task.ts --data ./cifar
 * ```
 */
export function cifar10Dir(options: DataDirOptions = {}): string {
  return dataDir("cifar10Dir", options, { name: "CIFAR-10", env: CIFAR10_DIR_ENV, howToGet: cifar10HowToGet });
}
