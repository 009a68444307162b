import assert from "node:assert/strict";
import { join } from "node:path";
import { buildShim, libtorchTag, NATIVE_DIR, staleCMakeCache } from "../../ffi/build.ts";
import { cacheRoot } from "../../ffi/library.ts";
import {
  cmakeSources,
  collectNativeSources,
  localPath,
  nativeSourceHash,
  quotedIncludes,
  writeNativeSources,
} from "../../ffi/native_sources.ts";

Deno.test("the native sources are read from CMakeLists.txt and the headers they include; their hash keys the cache", async () => {
  assert.deepEqual(cmakeSources("add_library(torchshim SHARED\n  src/a.cpp\n  src/b.cpp)"), ["src/a.cpp", "src/b.cpp"]);
  assert.throws(() => cmakeSources("project(x)"), /no add_library\(torchshim SHARED/);
  assert.deepEqual(quotedIncludes('#include "common.h"\n#include <torch/torch.h>\n  # include "../include/x.h"'), [
    "common.h",
    "../include/x.h",
  ]);
  const files = await collectNativeSources();
  assert.ok(files.has("CMakeLists.txt") && files.has("include/torchshim.h") && files.has("src/common.h"));
  for (const [rel] of files) assert.ok(Deno.statSync(join(NATIVE_DIR!, rel)).isFile, rel);
  const hash = await nativeSourceHash(files);
  assert.match(hash, /^[0-9a-f]{64}$/);
  // a copy elsewhere has the same hash; one changed byte changes it
  const dir = Deno.makeTempDirSync();
  try {
    writeNativeSources(dir, files);
    const copy = await collectNativeSources(new URL(`file://${dir}/`));
    assert.equal(await nativeSourceHash(copy), hash);
    const changed = new Map(files);
    changed.set("src/common.h", new Uint8Array([...files.get("src/common.h")!, 10]));
    assert.notEqual(await nativeSourceHash(changed), hash);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  assert.equal(localPath(new URL("https://jsr.io/@denotorch/denotorch/0.1.0/native/")), null);
  assert.equal(localPath(new URL("file:///a/b/")), "/a/b/");
});

Deno.test("the LibTorch tag names the version CMake finds", () => {
  const tag = libtorchTag(undefined);
  assert.match(tag, /^(\d+\.\d+\.\d+-[0-9a-f]{6}|unknown)$/);
  assert.equal(libtorchTag("/nonexistent/libtorch"), "unknown");
});

Deno.test("the per-user cache: DENOTORCH_CACHE, else XDG_CACHE_HOME/denotorch, else ~/.cache/denotorch", () => {
  const names = ["DENOTORCH_CACHE", "XDG_CACHE_HOME", "HOME"];
  const saved = names.map((n) => Deno.env.get(n));
  try {
    Deno.env.set("DENOTORCH_CACHE", "/c/denotorch/");
    Deno.env.set("XDG_CACHE_HOME", "/xdg");
    Deno.env.set("HOME", "/home/u");
    assert.equal(cacheRoot(), "/c/denotorch");
    Deno.env.delete("DENOTORCH_CACHE");
    assert.equal(cacheRoot(), "/xdg/denotorch");
    Deno.env.delete("XDG_CACHE_HOME");
    assert.equal(cacheRoot(), "/home/u/.cache/denotorch");
    Deno.env.delete("HOME");
    assert.throws(() => cacheRoot(), /neither DENOTORCH_CACHE, XDG_CACHE_HOME nor HOME can be read.*TORCHSHIM_LIB/);
  } finally {
    names.forEach((n, i) => saved[i] === undefined ? Deno.env.delete(n) : Deno.env.set(n, saved[i]!));
  }
});

Deno.test("a build folder configured for another source folder is cleared and configured again, not an error", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const src = join(dir, "native"), build = join(src, "build");
    writeNativeSources(src, await collectNativeSources());
    Deno.mkdirSync(build);
    // as a checkout copied from /old/checkout: CMake's cache names the old folder
    Deno.writeTextFileSync(
      join(build, "CMakeCache.txt"),
      "CMAKE_CACHEFILE_DIR:INTERNAL=/old/checkout/native/build\nCMAKE_HOME_DIRECTORY:INTERNAL=/old/checkout/native\n",
    );
    Deno.writeTextFileSync(join(build, "marker"), "");
    assert.equal(staleCMakeCache(build, src), true);
    await assert.rejects(
      () => buildShim({ sourceDir: src, buildDir: build, cmake: "cmake-that-does-not-exist" }),
      /cmake-that-does-not-exist is not installed/,
    );
    assert.throws(
      () => Deno.statSync(join(build, "marker")),
      Deno.errors.NotFound,
      "the stale build folder was cleared",
    );
    Deno.mkdirSync(build, { recursive: true });
    Deno.writeTextFileSync(
      join(build, "CMakeCache.txt"),
      `CMAKE_CACHEFILE_DIR:INTERNAL=${build}\nCMAKE_HOME_DIRECTORY:INTERNAL=${src}\n`,
    );
    assert.equal(staleCMakeCache(build, src), false);
    assert.equal(staleCMakeCache(join(dir, "none"), src), false);
    // the in-tree build of this checkout is not stale
    assert.equal(staleCMakeCache(`${NATIVE_DIR}build`, NATIVE_DIR!), false);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("importing the root asks for no permission but FFI once the shim is built", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const script = join(dir, "main.ts");
    Deno.writeTextFileSync(
      script,
      `import * as torch from "${new URL("../../mod.ts", import.meta.url).href}";\n` +
        `console.log(JSON.stringify(torch.ones([2]).add(1).toArray()));\n`,
    );
    const o = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-lock", "--no-config", "--no-prompt", "--allow-ffi", script],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
    assert.equal(new TextDecoder().decode(o.stdout).trim(), "[2,2]");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
