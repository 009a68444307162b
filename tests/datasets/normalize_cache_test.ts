// normalize makes its mean and std tensors once per values, dtype and device, and keeps only a few of them.
import assert from "node:assert/strict";
import { liveTensors, rand, type Tensor, tensor, tidy } from "../../mod.ts";
import { normalize } from "../../datasets/transforms/functional.ts";
import { assertTensorExact } from "../fixture.ts";

/** `(x - mean) / std` from freshly made tensors. */
function byHand(x: Tensor, mean: number[], std: number[]): Tensor {
  return tidy(() => {
    const m = tensor(mean, { dtype: x.dtype }).view([-1, 1, 1]), s = tensor(std, { dtype: x.dtype }).view([-1, 1, 1]);
    return x.sub(m).div(s);
  });
}

Deno.test("normalize makes its mean and std tensors once and gives (x - mean) / std", () => {
  const mean = [0.4914, 0.4822, 0.4465], std = [0.247, 0.243, 0.261];
  for (const dtype of ["float32", "float64"] as const) {
    const x = tidy(() => rand([2, 3, 4, 4]).to({ dtype }));
    normalize(x, mean, std).dispose(); // made now (or by an earlier test)
    const live = liveTensors();
    const y = normalize(x, mean, std);
    assert.equal(liveTensors(), live + 1, `${dtype}: only the result is new`);
    const want = byHand(x, mean, std);
    assertTensorExact(y, want, `${dtype} normalize`);
    for (const t of [x, y, want]) t.dispose();
  }
});

Deno.test("normalize checks std every time and keeps the tensors of a few (mean, std) only", () => {
  const x = rand([1, 1, 2, 2]);
  for (let i = 0; i < 2; i++) assert.throws(() => normalize(x, [0.5], [0]), /std \[0\] has a zero in float32/);
  const live = liveTensors();
  for (let i = 0; i < 40; i++) normalize(x, [i / 40], [1 + i]).dispose();
  assert.ok(liveTensors() - live <= 32, `at most 16 pairs kept, got ${liveTensors() - live} tensors more`);
  const y = normalize(x, [0.25], [2]);
  const want = byHand(x, [0.25], [2]);
  assertTensorExact(y, want, "after evictions");
  for (const t of [x, y, want]) t.dispose();
});
