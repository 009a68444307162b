/**
 * Where a dataset's folder is: the `--data DIR` flag of a task, else an environment variable named by the
 * dataset (`CIFAR10_DIR` for CIFAR-10, see `cifar10/data_dir.ts`). No path is written into the code;
 * without either, the error says how to get the data.
 *
 * @module
 */

import { describe } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";

/** Options of a dataset's folder lookup ({@linkcode dataDir}, `cifar10Dir`). */
export interface DataDirOptions {
  /** Command-line arguments to search for `--data DIR` or `--data=DIR` (default `Deno.args`). */
  args?: readonly string[];
  /** The environment variable to fall back on (default: the dataset's, `CIFAR10_DIR` for CIFAR-10). */
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

/** What {@linkcode dataDir} needs to know about a dataset. */
export interface DatasetLocation {
  /** The dataset's name in messages, e.g. `"CIFAR-10"`. */
  name: string;
  /** The environment variable used when `options.env` is not given, e.g. `"CIFAR10_DIR"`. */
  env: string;
  /** Says how to get the data (appended to the error when no folder is given). */
  howToGet: () => string;
}

/**
 * The folder named by `--data` in `options.args`, else by the environment variable `options.env` (default
 * `dataset.env`). Throws, saying how to get the dataset, when neither is given. `owner` names the caller
 * in option errors.
 *
 * @example
 * ```ts
 * import { dataDir } from "./data_dir.ts";
 * const dir = dataDir("mnistDir", {}, { name: "MNIST", env: "MNIST_DIR", howToGet: () => "see README" });
 * ```
 */
export function dataDir(owner: string, options: DataDirOptions, dataset: DatasetLocation): string {
  checkOptions(owner, options, ["args", "env"]);
  const flag = dataFlag(options.args ?? Deno.args);
  if (flag !== undefined) return flag;
  const name = options.env ?? dataset.env;
  const value = Deno.env.get(name);
  if (value !== undefined && value !== "") return value;
  throw new Error(
    `${dataset.name}: no data folder given: pass --data DIR or set the environment variable ${name}.\n` +
      dataset.howToGet(),
  );
}
