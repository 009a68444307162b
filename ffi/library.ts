/**
 * Finds, builds when needed, and loads the native shim; checks that it speaks this binding's ABI.
 *
 * The library is `$TORCHSHIM_LIB` when set, else `native/build/libtorchshim.so`, which is built with
 * CMake on first use (and rebuilt when the shim's sources are newer than it), saying so on stderr.
 *
 * @module
 */

import { ABI_VERSION, symbols } from "./symbols.ts";
import { buildShim, BUILT_LIB, NATIVE_DIR, newestSourceTime } from "./build.ts";

function mtime(path: string): number | null {
  try {
    return Deno.statSync(path).mtime?.getTime() ?? 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/**
 * Serializes builds across processes (test files and tasks may start together) with an advisory file
 * lock, which the system releases if the holder dies.
 */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  Deno.mkdirSync(NATIVE_DIR, { recursive: true });
  const file = await Deno.open(`${NATIVE_DIR}.build-lock`, { create: true, write: true });
  try {
    await file.lock(true);
    return await fn();
  } finally {
    file.close(); // releases the lock
  }
}

async function ensureBuilt(): Promise<string> {
  const fresh = () => {
    const lib = mtime(BUILT_LIB);
    return lib !== null && lib >= newestSourceTime();
  };
  if (fresh()) return BUILT_LIB;
  return await withBuildLock(async () => {
    if (fresh()) return BUILT_LIB; // another process built it meanwhile
    const why = mtime(BUILT_LIB) === null ? "is not built yet" : "is older than its sources";
    console.error(`torchshim: the native shim ${why}; building it with CMake (takes a minute)...`);
    const t0 = performance.now();
    await buildShim();
    console.error(`torchshim: built ${BUILT_LIB} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    return BUILT_LIB;
  });
}

/** Resolves the library path: `TORCHSHIM_LIB`, else the build folder (building it if needed). */
export async function resolveLibrary(): Promise<string> {
  const env = Deno.env.get("TORCHSHIM_LIB");
  if (env) {
    if (mtime(env) === null) {
      throw new Error(`TORCHSHIM_LIB=${env} does not exist: unset it to build the shim, or point it at a built one`);
    }
    return env;
  }
  return await ensureBuilt();
}

/** The loaded shim's symbols. */
export type ShimSymbols = Deno.DynamicLibrary<typeof symbols>["symbols"];

/** Opens the library at `path` and checks its ABI version. */
export function openLibrary(path: string): ShimSymbols {
  let lib;
  try {
    lib = Deno.dlopen(path, symbols);
  } catch (e) {
    throw new Error(
      `could not load the native shim ${path}: ${(e as Error).message}. ` +
        "Rebuild it with `deno task build`; if LibTorch's libraries are not found, install libtorch-dev " +
        "or add the LibTorch lib folder to LD_LIBRARY_PATH.",
    );
  }
  const abi = lib.symbols.tt_abi_version();
  if (abi !== ABI_VERSION) {
    lib.close();
    throw new Error(
      `the native shim ${path} speaks ABI ${abi} but this binding expects ${ABI_VERSION}: rebuild it with \`deno task build\``,
    );
  }
  return lib.symbols;
}
