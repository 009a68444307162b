import assert from "node:assert/strict";
import { cifar10Dir } from "../../datasets/cifar10/data_dir.ts";
import { dataFlag } from "../../datasets/data_dir.ts";

Deno.test("--data flag, then CIFAR10_DIR, else an error saying how to get CIFAR-10", () => {
  assert.equal(dataFlag(["--data", "/a"]), "/a");
  assert.equal(dataFlag(["--epochs=3", "--data=/b"]), "/b");
  assert.equal(dataFlag(["--epochs", "3"]), undefined);
  assert.throws(() => dataFlag(["--data"]), /--data needs a folder/);
  assert.throws(() => dataFlag(["--data="]), /--data needs a folder/);
  const name = "DENOTORCH_TEST_CIFAR_DIR";
  Deno.env.set(name, "/from/env");
  try {
    assert.equal(cifar10Dir({ args: ["--data", "/from/flag"], env: name }), "/from/flag");
    assert.equal(cifar10Dir({ args: [], env: name }), "/from/env");
  } finally {
    Deno.env.delete(name);
  }
  assert.throws(
    () => cifar10Dir({ args: [], env: name }),
    /no data folder given: pass --data DIR or set the environment variable DENOTORCH_TEST_CIFAR_DIR[\s\S]*downloadCifar10[\s\S]*cifar-10-binary\.tar\.gz/,
  );
});
