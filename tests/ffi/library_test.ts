import assert from "node:assert/strict";
import { buildShim } from "../../ffi/build.ts";
import { openLibrary, resolveLibrary } from "../../ffi/library.ts";
import { ABI_VERSION } from "../../ffi/symbols.ts";
import { buildInfo } from "../../mod.ts";

Deno.test("the loaded shim reports its ABI and the LibTorch it was built against", () => {
  const info = buildInfo();
  assert.equal(info.abi, ABI_VERSION);
  assert.equal(typeof info.kernels.capability, "string");
  assert.match(info.torch, /^\d+\.\d+\.\d+/);
  assert.equal(typeof info.cudaBuild, "boolean");
});

Deno.test("a missing CMake is named, with what to install", async () => {
  await assert.rejects(
    () => buildShim({ cmake: "cmake-that-does-not-exist", buildDir: Deno.makeTempDirSync() }),
    /cmake-that-does-not-exist is not installed, and it is needed to build the native shim\. On Debian or Ubuntu: apt-get install cmake g\+\+ libtorch-dev/,
  );
});

Deno.test("a LibTorch that cannot be found is named, with what to install", async () => {
  const buildDir = Deno.makeTempDirSync();
  try {
    await assert.rejects(
      () => buildShim({ buildDir, env: { LIBTORCH: "/nonexistent/libtorch" } }),
      /LibTorch was not found by CMake\. On Debian or Ubuntu: apt-get install cmake g\+\+ libtorch-dev\. Or unpack a LibTorch archive and set LIBTORCH/,
    );
    await assert.rejects(
      // as on a machine without libtorch-dev: CMake searches no system prefix
      () =>
        buildShim({
          buildDir,
          clean: true,
          configureArgs: ["-DCMAKE_IGNORE_PREFIX_PATH=/usr;/"],
          env: { LIBTORCH: "" },
        }),
      /LibTorch was not found by CMake/,
    );
  } finally {
    Deno.removeSync(buildDir, { recursive: true });
  }
});

Deno.test("TORCHSHIM_LIB pointing nowhere, and a library that is not the shim, give clear errors", async () => {
  const saved = Deno.env.get("TORCHSHIM_LIB");
  try {
    Deno.env.set("TORCHSHIM_LIB", "/nonexistent/libtorchshim.so");
    await assert.rejects(() => resolveLibrary(), /TORCHSHIM_LIB=\/nonexistent\/libtorchshim\.so does not exist/);
  } finally {
    if (saved === undefined) Deno.env.delete("TORCHSHIM_LIB");
    else Deno.env.set("TORCHSHIM_LIB", saved);
  }
  const libc = ["/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/libm.so.6", "/lib/libm.so.6"].find((p) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  });
  if (libc) {
    assert.throws(() => openLibrary(libc), /could not load the native shim .*Rebuild it with `deno task build`/);
  }
});
