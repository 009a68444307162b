/**
 * Builds the native shim with CMake. Used on first use by the loader and by `deno task build`.
 *
 * LibTorch is found through the `LIBTORCH` environment variable (an unpacked LibTorch archive or a
 * Python torch install's `share/cmake`), else the system LibTorch (Debian's `libtorch-dev`).
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The folder holding `CMakeLists.txt` and the shim's sources. */
export const NATIVE_DIR: string = fileURLToPath(new URL("../native/", import.meta.url));
/** The CMake build folder. */
export const BUILD_DIR: string = `${NATIVE_DIR}build`;
/** The library file name on this platform. */
export const LIB_NAME: string = Deno.build.os === "darwin"
  ? "libtorchshim.dylib"
  : Deno.build.os === "windows"
  ? "torchshim.dll"
  : "libtorchshim.so";
/** Where the build puts the library. */
export const BUILT_LIB: string = `${BUILD_DIR}/${LIB_NAME}`;

const INSTALL_HINT = "On Debian or Ubuntu: apt-get install cmake g++ libtorch-dev. " +
  "Or unpack a LibTorch archive and set LIBTORCH to its folder (see the README).";

/** Options of {@linkcode buildShim}. */
export interface BuildOptions {
  /** Print CMake's output as it goes (default: only on failure). */
  verbose?: boolean;
  /** Configure from scratch (removes the build folder first). */
  clean?: boolean;
  /** The build folder (default `native/build`). */
  buildDir?: string;
  /** The CMake executable (default `cmake` on the PATH). */
  cmake?: string;
  /** Extra arguments for the configure step (`-DLIBTORCH=...`). */
  configureArgs?: string[];
  /** Environment variables for CMake (added to the current ones). */
  env?: Record<string, string>;
}

async function run(cmd: string, args: string[], verbose: boolean, env?: Record<string, string>): Promise<string> {
  let child;
  try {
    child = new Deno.Command(cmd, {
      args,
      env,
      stdout: verbose ? "inherit" : "piped",
      stderr: verbose ? "inherit" : "piped",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${cmd} is not installed, and it is needed to build the native shim. ${INSTALL_HINT}`);
    }
    throw e;
  }
  const out = await child.output();
  const text = verbose ? "" : new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) {
    if (/Could not find a package configuration file provided by "Torch"|holds no TorchConfig\.cmake/.test(text)) {
      throw new Error(`LibTorch was not found by CMake. ${INSTALL_HINT}\n${text.trim()}`);
    }
    throw new Error(`${cmd} ${args.join(" ")} failed (exit code ${out.code})${text ? `:\n${text.trim()}` : ""}`);
  }
  return text;
}

/** The newest modification time among the shim's sources (to tell a stale build). */
export function newestSourceTime(): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory && entry.name !== "build") visit(path);
      else if (entry.isFile) newest = Math.max(newest, Deno.statSync(path).mtime?.getTime() ?? 0);
    }
  };
  visit(NATIVE_DIR.replace(/\/$/, ""));
  return newest;
}

/**
 * Configures and builds the shim; returns the library's path.
 *
 * @example
 * ```ts
 * import { buildShim } from "./build.ts";
 * const path = await buildShim({ verbose: true });
 * ```
 */
export async function buildShim(options: BuildOptions = {}): Promise<string> {
  const verbose = options.verbose ?? false;
  const buildDir = options.buildDir ?? BUILD_DIR;
  const cmake = options.cmake ?? "cmake";
  if (options.clean) await Deno.remove(buildDir, { recursive: true }).catch(() => {});
  const configure = ["-S", NATIVE_DIR, "-B", buildDir, "-DCMAKE_BUILD_TYPE=Release", ...(options.configureArgs ?? [])];
  await run(cmake, configure, verbose, options.env);
  const jobs = String(Math.max(1, navigator.hardwareConcurrency ?? 1));
  await run(cmake, ["--build", buildDir, "--parallel", jobs], verbose, options.env);
  return `${buildDir}/${LIB_NAME}`;
}
