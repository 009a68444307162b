/**
 * Where the CIFAR-10 binary folder is: the `--data DIR` flag of a task, else the environment variable
 * `CIFAR10_DIR`. No path is written into the code; without either, the error says how to get the data.
 *
 * @module
 */

import { CIFAR10_DIR_ENV, cifar10HowToGet } from "./cifar10_format.ts";
import { describe } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";

/** Options of {@linkcode cifar10Dir}. */
export interface DataDirOptions {
  /** Command-line arguments to search for `--data DIR` or `--data=DIR` (default `Deno.args`). */
  args?: readonly string[];
  /** The environment variable to fall back on (default `CIFAR10_DIR`). */
  env?: string;
}

/**
 * The value of a `--data DIR` / `--data=DIR` flag in `args`, or undefined when it is absent.
 *
 * @example
 * ```ts
 * import { dataFlag } from "./data_dir.ts";
 * dataFlag(["--epochs", "3", "--data=/tmp/cifar"]); // "/tmp/cifar"
 * ```
 */
export function dataFlag(args: readonly string[]): string | undefined {
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) {
    throw new TypeError(`dataFlag: args must be the command line's arguments (strings), got ${describe(args)}`);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--data") {
      const v = args[i + 1];
      if (v === undefined || v.startsWith("--")) throw new TypeError("--data needs a folder: --data DIR");
      return v;
    }
    if (a.startsWith("--data=")) {
      const v = a.slice("--data=".length);
      if (v === "") throw new TypeError("--data needs a folder: --data=DIR");
      return v;
    }
  }
  return undefined;
}

/**
 * The CIFAR-10 binary folder named by `--data` in `args`, else by `$CIFAR10_DIR`. Throws, saying how to
 * get CIFAR-10, when neither is given. (The folder's contents are checked when it is read.)
 *
 * @example
 * ```ts
 * import { cifar10Dir } from "./data_dir.ts";
 * import { readCifar10 } from "./cifar10_reader.ts";
 * using train = readCifar10(cifar10Dir(), { split: "train" }); // deno run -A task.ts --data ./cifar
 * ```
 */
export function cifar10Dir(options: DataDirOptions = {}): string {
  checkOptions("cifar10Dir", options, ["args", "env"]);
  const flag = dataFlag(options.args ?? Deno.args);
  if (flag !== undefined) return flag;
  const name = options.env ?? CIFAR10_DIR_ENV;
  const value = Deno.env.get(name);
  if (value !== undefined && value !== "") return value;
  throw new Error(
    `CIFAR-10: no data folder given: pass --data DIR or set the environment variable ${name}.\n${cifar10HowToGet()}`,
  );
}
