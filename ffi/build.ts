/**
 * Builds the native shim with CMake. Used on first use by the loader and by `deno task build`.
 *
 * LibTorch is found through the `LIBTORCH` environment variable (an unpacked LibTorch archive or a
 * Python torch install's `share/cmake`), else the system LibTorch (Debian's `libtorch-dev`).
 *
 * A build folder whose CMake cache was made for another source folder (a checkout copied or moved
 * elsewhere) is cleared and configured again, instead of failing on CMake's "does not match the source"
 * error.
 *
 * @module
 */

import { localPath, NATIVE_URL } from "./native_sources.ts";

/**
 * The local folder holding `CMakeLists.txt` and the shim's sources, or null when the library was imported
 * from a URL that is not a `file:` URL (then the sources are fetched into the per-user cache).
 */
export const NATIVE_DIR: string | null = localPath(NATIVE_URL);
/** The in-tree CMake build folder (`native/build`), or null when the library is not local. */
export const BUILD_DIR: string | null = NATIVE_DIR === null ? null : `${NATIVE_DIR}build`;
/** The library file name on this platform. */
export const LIB_NAME: string = Deno.build.os === "darwin"
  ? "libtorchshim.dylib"
  : Deno.build.os === "windows"
  ? "torchshim.dll"
  : "libtorchshim.so";
/** Where the in-tree build puts the library, or null when the library is not local. */
export const BUILT_LIB: string | null = BUILD_DIR === null ? null : `${BUILD_DIR}/${LIB_NAME}`;

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
  /** The folder of `CMakeLists.txt` (default `native/`). */
  sourceDir?: string;
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

/** The newest modification time among the shim's local sources (to tell a stale build). */
export function newestSourceTime(): number {
  if (NATIVE_DIR === null) throw new Error("the native sources are not local");
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
  const sourceDir = options.sourceDir ?? NATIVE_DIR;
  const buildDir = options.buildDir ?? BUILD_DIR;
  if (sourceDir === null || buildDir === null) {
    throw new Error("buildShim: the library is not local; give sourceDir and buildDir (see resolveLibrary)");
  }
  const cmake = options.cmake ?? "cmake";
  if (options.clean) await Deno.remove(buildDir, { recursive: true }).catch(() => {});
  else if (staleCMakeCache(buildDir, sourceDir)) {
    if (verbose) console.error(`torchshim: ${buildDir} was configured for another folder; configuring it again`);
    await Deno.remove(buildDir, { recursive: true });
  }
  const configure = ["-S", sourceDir, "-B", buildDir, "-DCMAKE_BUILD_TYPE=Release", ...(options.configureArgs ?? [])];
  await run(cmake, configure, verbose, options.env);
  const jobs = String(Math.max(1, navigator.hardwareConcurrency ?? 1));
  await run(cmake, ["--build", buildDir, "--parallel", jobs], verbose, options.env);
  return `${buildDir}/${LIB_NAME}`;
}

function realPath(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return path;
  }
}

/**
 * Whether `buildDir` holds a CMake cache made for another source folder (or in another place), which CMake
 * refuses to reuse.
 */
export function staleCMakeCache(buildDir: string, sourceDir: string): boolean {
  let text: string;
  try {
    text = Deno.readTextFileSync(`${buildDir}/CMakeCache.txt`);
  } catch {
    return false;
  }
  const home = /^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$/m.exec(text)?.[1];
  const cacheDir = /^CMAKE_CACHEFILE_DIR:INTERNAL=(.*)$/m.exec(text)?.[1];
  const same = (a: string | undefined, b: string) =>
    a !== undefined && realPath(a.replace(/\/$/, "")) === realPath(b.replace(/\/$/, ""));
  return !same(home, sourceDir) || !same(cacheDir, buildDir);
}

/**
 * The LibTorch version CMake will find (from `TorchConfigVersion.cmake` under `$LIBTORCH`, else the system's
 * usual places), with a short tag of its folder, as `1.13.0-3f9a2c`; `unknown` when none is found (then the
 * build itself reports what is missing).
 */
export function libtorchTag(libtorch: string | undefined): string {
  const arch = Deno.build.arch === "x86_64" ? "x86_64-linux-gnu" : "aarch64-linux-gnu";
  const candidates = libtorch
    ? [`${libtorch}/share/cmake/Torch`, `${libtorch}/Torch`, libtorch]
    : [`/usr/lib/${arch}/cmake/Torch`, "/usr/share/cmake/Torch", "/usr/local/share/cmake/Torch"];
  for (const dir of candidates) {
    try {
      const text = Deno.readTextFileSync(`${dir}/TorchConfigVersion.cmake`);
      const version = /set\(PACKAGE_VERSION "([^"]+)"\)/.exec(text)?.[1] ?? "unknown";
      let h = 0;
      for (const c of realPath(dir)) h = (h * 31 + c.charCodeAt(0)) >>> 0;
      return `${version}-${h.toString(16).padStart(8, "0").slice(0, 6)}`;
    } catch {
      // the next place
    }
  }
  return "unknown";
}
