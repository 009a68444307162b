import assert from "node:assert/strict";
import { CIFAR10_CLASSES } from "../../datasets/cifar10/format.ts";
import { ImageDataset } from "../../datasets/dataset.ts";
import { classIndices, selectClasses } from "../../datasets/select.ts";
import { SeededGenerator, seededRandperm } from "../../datasets/seeded.ts";
import { randomSplit, randomSplitIndices, splitLengths, trainValSplit } from "../../datasets/split.ts";
import { arange, cat, manualSeed, randn, randperm, tensor, zeros } from "../../mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

const fx = loadFixture("datasets/cifar10");
const expect = (name: string) => fixtureTensor(fx, name);

/** n tiny images whose pixels hold their position, with labels cycling through 0..9. */
function numbered(n: number): ImageDataset {
  const images = arange(n).to({ dtype: "uint8" }).view([n, 1, 1, 1]).expand([n, 3, 2, 2]).contiguous();
  return new ImageDataset(images, arange(n).remainder(10), CIFAR10_CLASSES);
}

Deno.test("seededRandperm equals torch.manual_seed(seed); torch.randperm(n), leaving the global generator alone", () => {
  assertTensorExact(seededRandperm(10000, 0).narrow(0, 0, 100), expect("randperm_10000_seed0_head"), "randperm");
  manualSeed(5);
  const a = randn([4]);
  manualSeed(5);
  seededRandperm(1000, 3);
  assertTensorExact(randn([4]), a, "the global stream after a seeded randperm");
  manualSeed(0);
  const direct = randperm(50);
  const g = new SeededGenerator(0);
  assertTensorExact(g.randperm(50), direct, "first draw of a stream");
  const second = g.randperm(50);
  assert.notDeepEqual(second.toArray(), direct.toArray(), "the stream moves on");
  manualSeed(0);
  randperm(50);
  assertTensorExact(second, randperm(50), "second draw of a stream = second global draw after the seed");
  const state = g.getState();
  const third = g.randperm(50);
  g.setState(state);
  assertTensorExact(g.randperm(50), third, "state restores");
  assert.throws(() => new SeededGenerator(-1), /'seed' must be an integer in \[0, 2\^53\)/);
});

Deno.test("trainValSplit equals random_split with a seeded generator (fixture)", () => {
  const [trainIdx, valIdx] = randomSplitIndices(10000, [9000, 1000], { seed: 0 });
  assertTensorExact(valIdx, expect("split_val_indices"), "validation indices");
  assertTensorExact(trainIdx.narrow(0, 0, 100), expect("split_train_head"), "first training indices");
  using ds = numbered(10000);
  const { train, val } = trainValSplit(ds, { valFraction: 0.1, seed: 0 });
  assert.equal(train.length, 9000);
  assert.equal(val.length, 1000);
  assertTensorExact(val.labels, expect("split_val_indices").remainder(10), "validation labels follow");
  assertTensorExact(
    val.images.select(1, 0).select(1, 0).select(1, 0),
    expect("split_val_indices").to({ dtype: "uint8" }),
    "validation images follow",
  );
  const all = cat([train.labels, val.labels]).sort().values;
  assertTensorExact(all, arange(10000).remainder(10).sort().values, "the parts cover everything once");
  const same = trainValSplit(ds, { valSize: 1000, seed: 0 });
  assertTensorExact(same.val.labels, val.labels, "valSize = valFraction * n");
  train.dispose();
  val.dispose();
  same.train.dispose();
  same.val.dispose();
});

Deno.test("splitLengths: counts, fractions as random_split, and errors", () => {
  assert.deepEqual(splitLengths(10, [7, 3]), [7, 3]);
  assert.deepEqual(splitLengths(10, [0.75, 0.25]), [8, 2]);
  assert.deepEqual(splitLengths(11, [1 / 3, 1 / 3, 1 / 3]), [4, 4, 3]);
  assert.throws(() => splitLengths(10, [7, 4]), /must be non-negative integers adding up to 10/);
  using ds = numbered(20);
  assert.throws(() => trainValSplit(ds, { seed: 0 }), /exactly one of the options 'valSize' and 'valFraction'/);
  assert.throws(() => trainValSplit(ds, { valSize: 30, seed: 0 }), /'valSize' must be an integer in \[0, 20\]/);
  assert.throws(() => randomSplit(ds, [10, 10], { seed: 1.5 }), /'seed' must be an integer/);
});

Deno.test("selectClasses keeps the order and renumbers labels in the given order", () => {
  using ds = numbered(30);
  using bc = selectClasses(ds, ["bird", "cat"]);
  assert.deepEqual(bc.classes, ["bird", "cat"]);
  assert.deepEqual(bc.labels.toArray(), [0, 1, 0, 1, 0, 1]);
  assert.deepEqual(bc.images.select(1, 0).select(1, 0).select(1, 0).toArray(), [2, 3, 12, 13, 22, 23]);
  using cb = selectClasses(ds, [3, "bird", "truck"]);
  assert.deepEqual(cb.classes, ["cat", "bird", "truck"]);
  assert.deepEqual(cb.labels.toArray(), [1, 0, 2, 1, 0, 2, 1, 0, 2]);
  assert.throws(() => classIndices(["horse", "unicorn"], ds.classes), /unknown class "unicorn"/);
  assert.throws(() => classIndices([10], ds.classes), /class index 10 is out of range 0\.\.9/);
  assert.throws(() => classIndices(["cat", 3], ds.classes), /class "cat" is given twice/);
});

Deno.test("ImageDataset checks shapes and owns its tensors", () => {
  assert.throws(
    () => new ImageDataset(zeros([2, 3, 4, 4]), tensor([0, 1, 2]), ["a"]),
    /labels must be \[N\] with N = 2/,
  );
  assert.throws(() => new ImageDataset(zeros([2, 3, 4, 4]), tensor([0.5, 1]), ["a"]), /labels must be int64/);
  const ds = new ImageDataset(zeros([2, 3, 4, 4]), tensor([0, 1]), ["a", "b"]);
  using sub = ds.subset([1]);
  assert.deepEqual(sub.labels.toArray(), [1]);
  ds.dispose();
  assert.equal(ds.images.isDisposed, true);
  assert.equal(sub.images.isDisposed, false);
});
