import assert from "node:assert/strict";
import { ImageDataset } from "../../datasets/dataset.ts";
import { DataLoader } from "../../datasets/loader.ts";
import { randomSplitIndices } from "../../datasets/split.ts";
import { toFloat } from "../../datasets/transforms/functional.ts";
import { randomHorizontalFlip } from "../../datasets/transforms/random.ts";
import { arange, cat, liveTensors, manualSeed, rand, randperm, type Tensor, tidy } from "../../mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

const fx = loadFixture("datasets/cifar10");
const expect = (name: string) => fixtureTensor(fx, name);

/** n tiny uint8 images whose pixels hold (position % 256), labels = position % 2. */
function numbered(n: number): ImageDataset {
  const pos = arange(n);
  const images = pos.remainder(256).to({ dtype: "uint8" }).view([n, 1, 1, 1]).expand([n, 3, 4, 4]).contiguous();
  return new ImageDataset(images, pos.remainder(2), ["bird", "cat"]);
}

Deno.test("seeded shuffling: epoch e's order is the (e+1)-th randperm of a generator seeded with seed (fixture)", () => {
  using ds = numbered(9000);
  const loader = new DataLoader(ds, { batchSize: 64, shuffle: true, seed: 0 });
  assert.equal(loader.length, Math.ceil(9000 / 64));
  const epoch0: Tensor[] = [];
  for (using batch of loader) epoch0.push(batch.indices.clone());
  assert.equal(epoch0.length, 141);
  assertTensorExact(epoch0[0], expect("loader_epoch0_batch0"), "epoch 0, batch 0");
  assertTensorExact(epoch0[140], expect("loader_epoch0_last"), "epoch 0, last (short) batch");
  assert.equal(epoch0[140].shape[0], 9000 - 140 * 64);
  const it = loader[Symbol.iterator]();
  const first = it.next().value!;
  assertTensorExact(first.indices, expect("loader_epoch1_batch0"), "epoch 1, batch 0");
  it.return();
  first.dispose();
  assert.equal(loader.epoch, 2);
  // a loader over the same dataset and seed repeats the first epoch
  const again = new DataLoader(ds, { batchSize: 64, shuffle: true, seed: 0 });
  const b0 = again[Symbol.iterator]().next().value!;
  assertTensorExact(b0.indices, epoch0[0], "same seed, same order");
  // the batch's images and labels are the dataset's items at those indices
  assertTensorExact(b0.images.select(1, 0).select(1, 0).select(1, 0), b0.indices.remainder(256).to({ dtype: "uint8" }));
  assertTensorExact(b0.labels, b0.indices.remainder(2), "labels");
  b0.dispose();
  assertTensorExact(cat(epoch0).sort().values, arange(9000), "an epoch visits every item once");
});

Deno.test("the loader's own stream leaves the global generator alone; without a seed it draws from the global one", () => {
  using ds = numbered(100);
  manualSeed(3);
  const a = rand([5]);
  manualSeed(3);
  for (using _ of new DataLoader(ds, { batchSize: 50, shuffle: true, seed: 1 })) { /* the order was drawn */ }
  assertTensorExact(rand([5]), a, "global draws unchanged by a seeded loader");
  manualSeed(4);
  const order = randperm(100);
  manualSeed(4);
  const seen: number[] = [];
  for (using batch of new DataLoader(ds, { batchSize: 30, shuffle: true })) {
    seen.push(...(batch.indices.toArray() as number[]));
  }
  assert.deepEqual(seen, order.toArray(), "unseeded: torch.randperm(n) from the global generator");
});

Deno.test("no shuffle, dropLast, float labels, transforms per batch", () => {
  using ds = numbered(10);
  const sizes = [...new DataLoader(ds, { batchSize: 4 })].map((b) => {
    const n = b.indices.shape[0];
    b.dispose();
    return n;
  });
  assert.deepEqual(sizes, [4, 4, 2]);
  const plain = [...new DataLoader(ds, { batchSize: 4, dropLast: true })];
  assert.deepEqual(plain.map((b) => b.indices.toArray()), [[0, 1, 2, 3], [4, 5, 6, 7]]);
  assert.equal(plain[0].labels.dtype, "int64");
  plain.forEach((b) => b.dispose());
  assert.equal(new DataLoader(ds, { batchSize: 4, dropLast: true }).length, 2);
  const loader = new DataLoader(ds, {
    batchSize: 5,
    labelDType: "float32",
    transform: (x) => randomHorizontalFlip(toFloat(x)),
  });
  manualSeed(0);
  const batches = [...loader];
  manualSeed(0);
  const expected = tidy(() => {
    const first = randomHorizontalFlip(toFloat(ds.images.narrow(0, 0, 5)));
    const second = randomHorizontalFlip(toFloat(ds.images.narrow(0, 5, 5)));
    return [first, second];
  });
  assert.equal(batches[0].labels.dtype, "float32");
  assert.deepEqual(batches[0].labels.toArray(), [0, 1, 0, 1, 0]);
  assertTensorExact(batches[0].images, expected[0], "transform draws, batch 0");
  assertTensorExact(batches[1].images, expected[1], "transform draws, batch 1");
  batches.forEach((b) => b.dispose());
  assert.throws(() => new DataLoader(ds, { batchSize: 0 }), /'batchSize' must be a positive integer/);
  assert.throws(() => new DataLoader(ds, { seed: 1 }), /'seed' only applies with shuffle: true/);
  assert.throws(() => new DataLoader(ds, { labelDType: "int32" as "int64" }), /'labelDType' must be/);
});

Deno.test("batches free their tensors, and getState/setState resume the shuffling exactly", () => {
  using ds = numbered(64);
  const loader = new DataLoader(ds, { batchSize: 16, shuffle: true, seed: 9, transform: (x) => toFloat(x) });
  for (using _ of loader) { /* warm-up */ }
  const live = liveTensors();
  for (using batch of loader) assert.equal(batch.images.dtype, "float32");
  assert.equal(liveTensors(), live, "no tensor left behind by an epoch");
  const state = loader.getState()!;
  const indicesOf = (l: DataLoader) =>
    [...l].map((b) => {
      const v = b.indices.toArray();
      b.dispose();
      return v;
    });
  const next = indicesOf(loader);
  const resumed = new DataLoader(ds, { batchSize: 16, shuffle: true, seed: 0 });
  resumed.setState(state);
  assert.equal(resumed.epoch, 2);
  assert.deepEqual(indicesOf(resumed), next);
  assert.equal(new DataLoader(ds, { shuffle: true }).getState(), null);
});

Deno.test("split then loader: the indices compose as in the Python reference", () => {
  using ds = numbered(200);
  const [trainIdx] = randomSplitIndices(200, [150, 50], { seed: 2 });
  using train = ds.subset(trainIdx);
  const loader = new DataLoader(train, { batchSize: 150, shuffle: true, seed: 5 });
  const [batch] = [...loader];
  manualSeed(5);
  const order = randperm(150);
  assertTensorExact(batch.labels, trainIdx.indexSelect(0, order).remainder(2), "labels of train[perm]");
  batch.dispose();
});
