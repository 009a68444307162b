import assert from "node:assert/strict";
import { join } from "node:path";
import { decodeCifar10, readCifar10, readCifar10Files, readCifar10Meta } from "../../datasets/cifar10/reader.ts";
import { loadCifar10 } from "../../datasets/cifar10/dataset.ts";
import { CIFAR10_CLASSES } from "../../datasets/cifar10/format.ts";
import { BIRD_CAT } from "../../datasets/select.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";
import { records, sharedCifarDir, syntheticCifarDir } from "./helpers.ts";

const fx = loadFixture("datasets/cifar10");
const expect = (name: string) => fixtureTensor(fx, name);

Deno.test("the shared records: 10,000 train and 2,000 test, 5,000/1,000 per class, first images exact", () => {
  const dir = sharedCifarDir();
  using train = readCifar10(dir, { split: "train" });
  using test = readCifar10(dir, { split: "test" });
  assert.equal(train.length, 10000);
  assert.equal(test.length, 2000);
  assert.deepEqual(train.images.shape, [10000, 3, 32, 32]);
  assert.equal(train.images.dtype, "uint8");
  assert.equal(train.labels.dtype, "int64");
  assert.deepEqual(train.classes, CIFAR10_CLASSES);
  for (let k = 0; k < 10; k++) {
    assert.equal(train.labels.eq(k).sum().item(), fx.values.train_per_label[k], `train label ${k}`);
    assert.equal(test.labels.eq(k).sum().item(), fx.values.test_per_label[k], `test label ${k}`);
  }
  assert.equal(train.labels.eq(2).sum().item(), 5000);
  assert.equal(train.labels.eq(3).sum().item(), 5000);
  assert.equal(test.labels.eq(2).sum().item(), 1000);
  assert.equal(test.labels.eq(3).sum().item(), 1000);
  assertTensorExact(train.images.select(0, 0), expect("train_first_image"), "first training image");
  assertTensorExact(train.images.select(0, 9999), expect("train_last_image"), "last training image");
  assertTensorExact(test.images.select(0, 0), expect("test_first_image"), "first test image");
  assertTensorExact(train.labels.narrow(0, 0, 16), expect("train_first_labels"), "first training labels");
  assertTensorExact(test.labels.narrow(0, 0, 16), expect("test_first_labels"), "first test labels");
});

Deno.test("loadCifar10 with BIRD_CAT: bird -> 0, cat -> 1", () => {
  using birdsCats = loadCifar10(sharedCifarDir(), { split: "train", classes: BIRD_CAT });
  assert.equal(birdsCats.length, 10000);
  assert.deepEqual(birdsCats.classes, ["bird", "cat"]);
  assertTensorExact(birdsCats.labels.narrow(0, 0, 16), expect("bird_cat_first_labels"), "remapped labels");
  assert.equal(birdsCats.labels.sum().item(), fx.values.bird_cat_label_sum);
});

Deno.test("decodeCifar10: layout, any number of records, zero records", () => {
  const bytes = records([7, 0, 9]);
  const { images, labels } = decodeCifar10(bytes);
  assert.deepEqual(labels.toArray(), [7, 0, 9]);
  assert.deepEqual(images.shape, [3, 3, 32, 32]);
  // record 1, green plane (channel 1), row 2, column 5 = pixel byte 1 + 1024 + 2 * 32 + 5
  const j = 1 + 1024 + 2 * 32 + 5;
  assert.equal(images.select(0, 1).select(0, 1).select(0, 2).select(0, 5).item(), (1 * 7 + j) % 256);
  const empty = decodeCifar10(new Uint8Array(0));
  assert.deepEqual(empty.images.shape, [0, 3, 32, 32]);
  assert.deepEqual(empty.labels.shape, [0]);
});

Deno.test("readCifar10 reads files with any number of records, in order", () => {
  const dir = syntheticCifarDir(4);
  try {
    using train = readCifar10(dir, { split: "train" });
    assert.equal(train.length, 20);
    assert.deepEqual(train.labels.toArray(), Array.from({ length: 20 }, (_, i) => i % 10));
    using test = readCifar10(dir, { split: "test" });
    assert.deepEqual(test.labels.toArray(), [3, 2]);
    const { labels } = readCifar10Files([join(dir, "test_batch.bin"), join(dir, "data_batch_2.bin")]);
    assert.deepEqual(labels.toArray(), [3, 2, 4, 5, 6, 7]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("malformed folders and files: clear errors naming the file", () => {
  const cases: [string, (dir: string) => void, RegExp][] = [
    ["missing training file", (d) => Deno.removeSync(join(d, "data_batch_3.bin")), /data_batch_3\.bin does not exist/],
    [
      "truncated file",
      (d) => Deno.writeFileSync(join(d, "data_batch_2.bin"), records([1, 2]).subarray(0, 3073 + 100)),
      /data_batch_2\.bin has 3173 bytes, which is not a multiple of 3073/,
    ],
    [
      "label out of range",
      (d) => Deno.writeFileSync(join(d, "data_batch_4.bin"), records([1, 2, 12])),
      /data_batch_4\.bin: record 2 has label 12, but labels must be 0\.\.9/,
    ],
    ["missing class list", (d) => Deno.removeSync(join(d, "batches.meta.txt")), /batches\.meta\.txt does not exist/],
    [
      "class list too short",
      (d) => Deno.writeTextFileSync(join(d, "batches.meta.txt"), "bird\ncat\n"),
      /batches\.meta\.txt lists 2 class names, expected 10/,
    ],
    ["a folder instead of a file", (d) => {
      Deno.removeSync(join(d, "data_batch_1.bin"));
      Deno.mkdirSync(join(d, "data_batch_1.bin"));
    }, /data_batch_1\.bin is not a file/],
  ];
  for (const [what, edit, message] of cases) {
    const dir = syntheticCifarDir(2, edit);
    try {
      assert.throws(() => readCifar10(dir, { split: "train" }), message, what);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  }
  const dir = syntheticCifarDir(1, (d) => Deno.removeSync(join(d, "test_batch.bin")));
  try {
    assert.throws(() => readCifar10(dir, { split: "test" }), /test_batch\.bin does not exist/);
    assert.doesNotThrow(() => readCifar10(dir, { split: "train" }).dispose());
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a missing data folder says how to get CIFAR-10", () => {
  assert.throws(
    () => readCifar10("/nonexistent/cifar-10-batches-bin", { split: "train" }),
    (e: Error) => {
      assert.match(e.message, /the data folder \/nonexistent\/cifar-10-batches-bin does not exist/);
      assert.match(e.message, /cifar10_download\.ts --data/);
      assert.match(e.message, /downloadCifar10/);
      assert.match(e.message, /https:\/\/www\.cs\.toronto\.edu\/~kriz\/cifar-10-binary\.tar\.gz/);
      assert.match(e.message, /CIFAR10_DIR/);
      return true;
    },
  );
  const empty = Deno.makeTempDirSync();
  try {
    assert.throws(() => readCifar10(empty, { split: "train" }), /batches\.meta\.txt does not exist[\s\S]*--data/);
  } finally {
    Deno.removeSync(empty, { recursive: true });
  }
  assert.throws(() => readCifar10(".", { split: "validation" as "train" }), /'split' must be "train" or "test"/);
});

Deno.test("readCifar10Meta skips blank lines", () => {
  const dir = syntheticCifarDir(1);
  try {
    assert.deepEqual(readCifar10Meta(dir), CIFAR10_CLASSES);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
