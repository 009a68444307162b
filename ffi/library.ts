/**
 * Finds, builds when needed, and loads the native shim; checks that it speaks this binding's ABI.
 *
 * Where the library comes from, in order:
 *
 * 1. `$TORCHSHIM_LIB`, when set: a shim built elsewhere.
 * 2. Imported from a local folder (`file:`): `native/build/libtorchshim.so`, built there with CMake on first
 *    use (and rebuilt when the shim's sources are newer than it), when that folder is writable.
 * 3. Otherwise (a read-only or vendored copy, or an `http(s):` import): a per-user cache,
 *    `$DENOTORCH_CACHE`, else `$XDG_CACHE_HOME/denotorch`, else `~/.cache/denotorch`, in a folder named by
 *    the sources' SHA-256 and the LibTorch version (`torchshim-<hash>-<libtorch>`), built under a file lock
 *    so that two processes never build at once. For an `http(s):` import the sources are fetched first
 *    (`CMakeLists.txt`, the sources it lists and the headers they include); the cache remembers which
 *    folder a URL gave, as Deno's own cache remembers remote modules.
 *
 * A first build says on stderr where it builds and how long it took. Loading an already built shim needs
 * only `--allow-ffi` (and `--allow-read`/`--allow-env` where granted, to check it is fresh); building needs
 * `--allow-run` (CMake), `--allow-read`, `--allow-write` and `--allow-env`, and for a URL `--allow-net`.
 *
 * @module
 */

import { ABI_VERSION, symbols } from "./symbols.ts";
import { typedOpSymbols } from "./typed_ops.ts";
import { buildShim, BUILT_LIB, LIB_NAME, libtorchTag, NATIVE_DIR, newestSourceTime } from "./build.ts";
import { collectNativeSources, NATIVE_URL, nativeSourceHash, writeNativeSources } from "./native_sources.ts";

function mtime(path: string): number | null {
  try {
    return Deno.statSync(path).mtime?.getTime() ?? 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** An environment variable, or undefined when it is unset or reading it is not permitted (never a prompt). */
function env(name: string): string | undefined {
  if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") return undefined;
  return Deno.env.get(name) || undefined;
}

function granted(name: "read" | "write", path: string): boolean {
  return Deno.permissions.querySync({ name, path }).state === "granted";
}

/**
 * Serializes builds across processes (test files and tasks may start together) with an advisory file
 * lock, which the system releases if the holder dies.
 */
async function withBuildLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  Deno.mkdirSync(lockPath.slice(0, lockPath.lastIndexOf("/")), { recursive: true });
  const file = await Deno.open(lockPath, { create: true, write: true });
  try {
    await file.lock(true);
    return await fn();
  } finally {
    file.close(); // releases the lock
  }
}

/** Whether a file can be made in `dir` (a read-only copy or file system says no). */
function writable(dir: string): boolean {
  if (!granted("write", dir)) return false;
  try {
    const probe = `${dir}.write-probe-${Deno.pid}`;
    Deno.writeFileSync(probe, new Uint8Array(0));
    Deno.removeSync(probe);
    return true;
  } catch {
    return false;
  }
}

async function timedBuild(where: string, why: string, build: () => Promise<string>): Promise<string> {
  console.error(`torchshim: the native shim ${why}; building it with CMake in ${where} (takes a minute)...`);
  const t0 = performance.now();
  const lib = await build();
  console.error(`torchshim: built ${lib} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return lib;
}

/** The in-tree library of a local copy, built or rebuilt when stale and the folder is writable; else null. */
async function inTree(nativeDir: string, builtLib: string): Promise<string | null> {
  // without read permission nothing can be checked: use the in-tree library as it is (dlopen needs ffi only)
  if (!granted("read", nativeDir)) return builtLib;
  const fresh = () => {
    const lib = mtime(builtLib);
    return lib !== null && lib >= newestSourceTime();
  };
  if (fresh()) return builtLib;
  if (!writable(nativeDir)) return null;
  return await withBuildLock(`${nativeDir}.build-lock`, async () => {
    if (fresh()) return builtLib; // another process built it meanwhile
    const why = mtime(builtLib) === null ? "is not built yet" : "is older than its sources";
    return await timedBuild(`${nativeDir}build`, why, () => buildShim());
  });
}

/** The per-user cache folder of built shims: `$DENOTORCH_CACHE`, `$XDG_CACHE_HOME/denotorch`, `~/.cache/denotorch`. */
export function cacheRoot(): string {
  const explicit = env("DENOTORCH_CACHE");
  if (explicit) return explicit.replace(/\/$/, "");
  const xdg = env("XDG_CACHE_HOME");
  if (xdg) return `${xdg.replace(/\/$/, "")}/denotorch`;
  const home = env("HOME");
  if (home) return `${home}/.cache/denotorch`;
  throw new Error(
    `denotorch (imported from ${NATIVE_URL.href.replace(/native\/$/, "")}) builds its native shim into a per-user ` +
      "cache, but neither DENOTORCH_CACHE, XDG_CACHE_HOME nor HOME can be read: allow them with --allow-env, " +
      "or set TORCHSHIM_LIB to a built libtorchshim.so (--allow-env=TORCHSHIM_LIB)",
  );
}

async function hashKey(url: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(url)));
  return [...digest.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The library in the per-user cache for the sources at `NATIVE_URL`, built there when missing. */
async function inCache(): Promise<string> {
  const root = cacheRoot();
  const libtorch = libtorchTag(env("LIBTORCH"));
  const remote = NATIVE_DIR === null;
  // a URL's sources are fetched once: the index file names the folder they gave (delete it to fetch again)
  const index = remote ? `${root}/url-${await hashKey(`${NATIVE_URL.href}|${libtorch}`)}.txt` : null;
  if (index !== null) {
    try {
      const dir = Deno.readTextFileSync(index).trim();
      if (mtime(`${dir}/build/${LIB_NAME}`) !== null) return `${dir}/build/${LIB_NAME}`;
    } catch {
      // not built yet
    }
  }
  const files = await collectNativeSources(NATIVE_URL);
  const dir = `${root}/torchshim-${(await nativeSourceHash(files)).slice(0, 16)}-${libtorch}`;
  const lib = `${dir}/build/${LIB_NAME}`;
  const done = () => mtime(lib) !== null;
  if (!done()) {
    await withBuildLock(`${dir}.lock`, async () => {
      if (done()) return; // another process built it meanwhile
      let sourceDir = NATIVE_DIR;
      if (sourceDir === null) {
        sourceDir = `${dir}/src`;
        writeNativeSources(sourceDir, files);
      }
      const why = remote ? `of ${NATIVE_URL.href} is not built yet` : `in the read-only ${NATIVE_DIR} is not built`;
      await timedBuild(dir, why, () => buildShim({ sourceDir: sourceDir!, buildDir: `${dir}/build` }));
    });
  }
  if (index !== null) Deno.writeTextFileSync(index, dir);
  return lib;
}

/**
 * Resolves the library path: `TORCHSHIM_LIB`, else the in-tree build of a local, writable copy, else the
 * per-user cache (building it if needed; see the module notes).
 */
export async function resolveLibrary(): Promise<string> {
  const fromEnv = env("TORCHSHIM_LIB");
  if (fromEnv) {
    if (granted("read", fromEnv) && mtime(fromEnv) === null) {
      throw new Error(
        `TORCHSHIM_LIB=${fromEnv} does not exist: unset it to build the shim, or point it at a built one`,
      );
    }
    return fromEnv;
  }
  if (NATIVE_DIR !== null && BUILT_LIB !== null) {
    const local = await inTree(NATIVE_DIR, BUILT_LIB);
    if (local !== null) return local;
  }
  return await inCache();
}

/** The shim's whole symbol table: the hand-written entry points and the generated typed ones. */
const allSymbols = { ...symbols, ...typedOpSymbols } as const;

/** The loaded shim's symbols. */
export type ShimSymbols = Deno.DynamicLibrary<typeof allSymbols>["symbols"];

/** Opens the library at `path` and checks its ABI version. */
export function openLibrary(path: string): ShimSymbols {
  let lib;
  try {
    lib = Deno.dlopen(path, allSymbols);
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
