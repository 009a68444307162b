/**
 * `deno task build`: configures and builds the native shim with CMake (LibTorch from `LIBTORCH`, else the
 * system's). `--clean` starts from an empty build folder.
 *
 * @module
 */

import { buildShim } from "../ffi/build.ts";
import { FlagError, type FlagSpecs, helpText, parseFlags } from "../study/flags.ts";

const SPECS: FlagSpecs = { clean: { kind: "boolean", default: false, help: "start from an empty build folder" } };
let parsed;
try {
  parsed = parseFlags(Deno.args, SPECS);
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  console.error(`deno task build: ${e.message}`);
  Deno.exit(2);
}
if (parsed === null) {
  console.log(helpText("deno task build [--clean]\n\nBuilds the native shim with CMake.", SPECS));
  Deno.exit(0);
}
const path = await buildShim({ verbose: true, clean: parsed.values.clean as boolean });
console.error(`built ${path}`);
