/**
 * `deno task build`: configures and builds the native shim with CMake (LibTorch from `LIBTORCH`, else the
 * system's). `--clean` starts from an empty build folder.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { buildShim } from "../ffi/build.ts";

const { values } = parseArgs({ options: { clean: { type: "boolean", default: false } } });
const path = await buildShim({ verbose: true, clean: values.clean });
console.error(`built ${path}`);
