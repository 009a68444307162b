import assert from "node:assert/strict";
import { cat, empty, getRngState, manualSeed, rand, randint, randn, randperm, setRngState } from "../../mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

const fx = loadFixture("tensor/ops");
const expect = (name: string) => fixtureTensor(fx, name);

Deno.test("manualSeed(0); randn([3, 4]) equals PyTorch-Python exactly", () => {
  manualSeed(0);
  assertTensorExact(randn([3, 4]), expect("randn_3x4"), "randn");
  manualSeed(0);
  assertTensorExact(randn([2, 3], { dtype: "float64" }), expect("randn_f64"), "randn float64");
});

Deno.test("rand, randint, randperm and in-place draws equal PyTorch after the same seed", () => {
  manualSeed(0);
  assertTensorExact(rand([5]), expect("rand_5"), "rand");
  manualSeed(0);
  assertTensorExact(randint(0, 10, [6]), expect("randint_0_10"), "randint");
  manualSeed(0);
  assertTensorExact(randperm(10), expect("randperm_10"), "randperm");
  manualSeed(0);
  const a = empty([4, 3]).uniform_(-0.5, 0.5);
  const b = empty([3]).normal_(1.0, 2.0);
  assertTensorExact(a, expect("uniform_then_normal_a"), "uniform_");
  assertTensorExact(b, expect("uniform_then_normal_b"), "normal_");
  manualSeed(123);
  const seq = cat([randn([5]), rand([5]), randint(0, 100, [5]).float()]);
  assertTensorExact(seq, expect("sequence_seed123"), "a sequence of draws");
});

Deno.test("getRngState/setRngState replay the same draws", () => {
  manualSeed(7);
  randn([3]);
  const state = getRngState();
  assert.equal(state.dtype, "uint8");
  const first = randn([4]).toArray();
  setRngState(state);
  assert.deepEqual(randn([4]).toArray(), first);
});

Deno.test("manualSeed rejects seeds it cannot represent", () => {
  assert.throws(() => manualSeed(-1), /seed must be an integer in \[0, 2\^53\), got -1/);
  assert.throws(() => manualSeed(1.5), /got 1.5/);
});
