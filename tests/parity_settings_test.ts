// The kernel settings of this process reproduce those the parity fixtures were made with (kernel profile,
// ATen's CPU capability, oneDNN, the BLAS, threads, the LibTorch version); when not, this test says which
// setting differs and why, so that the exact comparisons failing elsewhere are explained in one place.

import assert from "node:assert/strict";
import { kernelInfo } from "../mod.ts";
import { loadFixture, unreproducedSettings } from "./fixture.ts";

Deno.test("this process reproduces the kernel settings the parity fixtures were made with", () => {
  const f = loadFixture("tensor/ops");
  assert.ok(f.settings, "tests/fixtures/tensor/ops.json records no settings: regenerate it (deno task parity --write)");
  const why = unreproducedSettings(f.settings);
  assert.deepEqual(why, [], `cannot reproduce the fixtures here: ${why.join("; ")}`);
});

Deno.test("kernelInfo reports the portable profile in effect under deno task test", () => {
  const k = kernelInfo();
  assert.equal(k.profile, "portable");
  assert.deepEqual(k.profileProblems, []);
  assert.equal(k.capability, "avx2");
  assert.equal(k.blas.vendor, "reference");
  assert.equal(k.threads.intraop, 1);
  assert.equal(k.threads.openmp, 1);
  assert.match(k.blas.path, /\/blas\/libblas\.so/);
});
