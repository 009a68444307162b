// The generic DataLoader and samplers against torch.utils.data 1.13: the batches of several epochs
// (shuffled from the global generator or from a seeded one, dropLast or not, sequential) to the bit, the
// state of the global generator after each epoch (what the loader drew from it), RandomSampler with and
// without replacement, and default_collate of nested items. Fixture: scripts/fixtures/gen_surface.py.

import assert from "node:assert/strict";
import { dispose, liveTensors, manualSeed, rand, type Tensor, tensor, tidy } from "../../mod.ts";
import { SeededGenerator } from "../../datasets/seeded.ts";
import {
  BatchSampler,
  DataLoader,
  defaultCollate,
  RandomSampler,
  SequentialSampler,
  TensorDataset,
} from "../../datasets/data/mod.ts";
import { arange } from "../../tensor/creation.ts";
import { assertTensorExact, type Fixture, fixtureTensor, loadFixture } from "../fixture.ts";

const fx = loadFixture("datasets/generic_loader");
const N = 10;

function dataset(): TensorDataset {
  return tidy(() => new TensorDataset(arange(N).mul(10), arange(N, { dtype: "float32" }).div(4)));
}

/** The generator's `epochs`: `count` epochs after `manualSeed(seed)`, each batch and a global draw after each. */
function checkEpochs(name: string, loader: DataLoader<Tensor[]>, count: number, seed: number): void {
  manualSeed(seed);
  const expected = fx.values[name] as number[][][];
  assert.equal(expected.length, count);
  for (let e = 0; e < count; e++) {
    const seen: number[][] = [];
    let i = 0;
    for (const batch of loader) {
      tidy(() => {
        const [a, b] = batch as Tensor[];
        assertTensorExact(a, fixtureTensor(fx, `${name}.${e}.${i}.a`), `${name} epoch ${e} batch ${i} (a)`);
        assertTensorExact(b, fixtureTensor(fx, `${name}.${e}.${i}.b`), `${name} epoch ${e} batch ${i} (b)`);
        seen.push(Array.from(a.data() as BigInt64Array, Number));
      });
      dispose(batch);
      i++;
    }
    assert.deepEqual(seen, expected[e], `${name}: epoch ${e}`);
    tidy(() =>
      assertTensorExact(rand([2]), fixtureTensor(fx, `${name}.${e}.after`), `${name}: global draw after ${e}`)
    );
  }
}

Deno.test("DataLoader: shuffling from the global generator equals PyTorch's, and so do the draws after", () => {
  using ds = dataset();
  const before = liveTensors();
  checkEpochs("shuffle_global", new DataLoader(ds, { batchSize: 3, shuffle: true }), 3, 7);
  assert.equal(liveTensors(), before);
});

Deno.test("DataLoader: shuffling from a seeded generator (dropLast) equals PyTorch's and leaves the global one alone", () => {
  using ds = dataset();
  checkEpochs(
    "shuffle_generator",
    new DataLoader(ds, { batchSize: 4, shuffle: true, dropLast: true, seed: 123 }),
    3,
    8,
  );
  const g = new SeededGenerator(5);
  checkEpochs("shuffle_generator_keep_last", new DataLoader(ds, { batchSize: 4, shuffle: true, generator: g }), 3, 9);
  checkEpochs("shuffle_exact_batches", new DataLoader(ds, { batchSize: 5, shuffle: true, seed: 77 }), 2, 10);
});

Deno.test("DataLoader: without shuffling, batches in order; one global draw per epoch, as PyTorch", () => {
  using ds = dataset();
  checkEpochs("sequential", new DataLoader(ds, { batchSize: 4 }), 2, 11);
  const loader = new DataLoader(ds, { batchSize: 4, dropLast: true });
  assert.equal(loader.length, 2);
  checkEpochs("sequential_drop_last", loader, 2, 12);
});

Deno.test("DataLoader: a TensorDataset through a custom collateFn (rows stacked) gives the fast path's tensors", () => {
  using ds = dataset();
  const slow = new DataLoader(ds, {
    batchSize: 3,
    seed: 123,
    shuffle: true,
    collateFn: (items) => defaultCollate(items) as Tensor[],
  });
  const fast = new DataLoader(ds, { batchSize: 3, seed: 123, shuffle: true });
  const a = [...slow], b = [...fast];
  assert.equal(a.length, 4);
  a.forEach((batch, i) => batch.forEach((t: Tensor, j: number) => assertTensorExact(t, b[i][j], `batch ${i}.${j}`)));
  dispose([a, b]);
});

Deno.test("RandomSampler: with replacement, with numSamples, and from the global generator, as PyTorch's", () => {
  const src = { length: N };
  assert.deepEqual(
    [...new RandomSampler(src, { replacement: true, numSamples: 45, generator: new SeededGenerator(3) })],
    fx.values.sampler_replacement,
  );
  assert.deepEqual(
    [...new RandomSampler(src, { numSamples: 23, generator: new SeededGenerator(4) })],
    fx.values.sampler_num_samples,
  );
  manualSeed(13);
  const s = new RandomSampler(src);
  assert.deepEqual([[...s], [...s]], fx.values.sampler_global);
  tidy(() => assertTensorExact(rand([2]), fixtureTensor(fx, "sampler_global.after"), "global draw after"));
  assert.deepEqual([...new SequentialSampler({ length: 4 })], fx.values.sampler_sequential);
  assert.deepEqual([...new BatchSampler(new SequentialSampler({ length: 5 }), 2, true)], [[0, 1], [2, 3]]);
  assert.throws(() => new RandomSampler(src, { numSamples: 0 }), /numSamples should be a positive integer/);
  assert.throws(() => new BatchSampler([], 0, false), /batchSize should be a positive integer value/);
});

// deno-lint-ignore no-explicit-any
function assertCollated(actual: any, described: any, f: Fixture, path: string): void {
  if (Array.isArray(described)) {
    assert.ok(Array.isArray(actual), `${path}: expected a list`);
    assert.equal(actual.length, described.length, `${path}: length`);
    described.forEach((d, i) => assertCollated(actual[i], d, f, `${path}.${i}`));
  } else if ("tensor" in described) assertTensorExact(actual, fixtureTensor(f, described.tensor), path);
  else if ("str" in described) assert.equal(actual, described.str, path);
  else {
    assert.deepEqual(Object.keys(actual), Object.keys(described), `${path}: keys`);
    for (const k of Object.keys(described)) assertCollated(actual[k], described[k], f, `${path}.${k}`);
  }
}

Deno.test("defaultCollate: tensors stacked, numbers to PyTorch's dtypes, objects and arrays recursively", () => {
  tidy(() => {
    const f32 = { dtype: "float32" } as const;
    const items = [
      { x: tensor([1.5, 2.0], f32), label: 3, weight: 0.25, name: "a", pair: [1, 2.5], flag: true },
      { x: tensor([-1.0, 0.5], f32), label: 1, weight: 1.5, name: "b", pair: [3, 4.0], flag: false },
      { x: tensor([0.0, 7.0], f32), label: 2, weight: 2.0, name: "c", pair: [5, 6.5], flag: true },
    ];
    assertCollated(defaultCollate(items), fx.values.collate_dicts, fx, "collate_dicts");
    assertCollated(defaultCollate([[1, 2.5], [3, 4.5]]), fx.values.collate_tuples, fx, "collate_tuples");
    assertCollated(defaultCollate([1, 2.5, 3]), fx.values.collate_int_then_float, fx, "collate_int_then_float");
    assertCollated(defaultCollate([7, 8, 9]), fx.values.collate_int64, fx, "collate_int64");
    assertCollated(defaultCollate([0.5, 1, 2]), fx.values.collate_float64, fx, "collate_float64");
    assertCollated(defaultCollate(["p", "q"]), fx.values.collate_strings, fx, "collate_strings");
    const m = defaultCollate([new Map([["k", 1]]), new Map([["k", 2]])]);
    assert.deepEqual(Array.from((m.get("k") as Tensor).data() as BigInt64Array, Number), [1, 2]);
    assert.equal((defaultCollate([3n, 4n]) as Tensor).dtype, "int64");
    assert.throws(() => defaultCollate([[1, 2], [3]]), /each element in list of batch should be of equal size/);
    assert.throws(() => defaultCollate([null]), /defaultCollate: batch must contain tensors, numbers, strings/);
    assert.throws(() => defaultCollate([tensor([1]), 2]), /defaultCollate: item 1 is number, item 0 a Tensor/);
    assert.throws(() => defaultCollate([]), /defaultCollate: batch must be a non-empty array/);
  });
});

Deno.test("DataLoader: any dataset of objects, a collateFn, and clear errors for bad options", () => {
  const items = [{ text: "a", label: 0 }, { text: "bb", label: 1 }, { text: "ccc", label: 0 }];
  const batches = [...new DataLoader(items, { batchSize: 2 })];
  assert.deepEqual(batches.map((b) => b.text), [["a", "bb"], ["ccc"]]);
  assert.deepEqual(batches.map((b) => Array.from(b.label.data() as BigInt64Array, Number)), [[0, 1], [0]]);
  dispose(batches);
  const lengths = [...new DataLoader(items, { batchSize: 3, collateFn: (xs) => xs.map((x) => x.text.length) })];
  assert.deepEqual(lengths, [[1, 2, 3]]);
  const squares = { length: 4, getItem: (i: number) => i * i };
  const order = [...new DataLoader(squares, { sampler: [3, 1, 2, 0], batchSize: 2, collateFn: (xs) => xs })];
  assert.deepEqual(order, [[9, 1], [4, 0]]);
  assert.throws(() => new DataLoader(items, { batchSize: 0 }), /DataLoader: option 'batchSize' must be a positive/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new DataLoader(items, { batch_size: 2 } as any), /DataLoader: unknown option 'batch_size'/);
  assert.throws(() => new DataLoader(items, { sampler: [0], shuffle: true }), /mutually exclusive with shuffle/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new DataLoader(3 as any), /DataLoader: dataset must be an array or an object with/);
  assert.throws(() => [...new DataLoader(squares, { sampler: [7] })], /Dataset: index 7 is out of range/);
  assert.throws(() => new TensorDataset(arange(3), arange(4)), /Size mismatch between tensors/);
});
