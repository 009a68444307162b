import assert from "node:assert/strict";
import {
  checkOptions,
  editDistance,
  isOptionsObject,
  nearestName,
  positionalOptions,
  unknownNameText,
} from "../../tensor/options.ts";
import { ones } from "../../mod.ts";

Deno.test("editDistance counts edits and swaps of neighbours", () => {
  assert.equal(editDistance("bais", "bias"), 1);
  assert.equal(editDistance("ab", "ba"), 1);
  assert.equal(editDistance("", ""), 0);
  assert.equal(editDistance("abc", ""), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("flaw", "lawn"), 2);
  assert.equal(editDistance("stride", "stride"), 0);
});

Deno.test("nearestName ignores case, _ and -, and gives up when nothing is close", () => {
  assert.equal(nearestName("batch_size", ["batchSize", "shuffle"]), "batchSize");
  assert.equal(nearestName("weight_decay", ["lr", "weightDecay", "momentum"]), "weightDecay");
  assert.equal(nearestName("strid", ["stride", "padding"]), "stride");
  assert.equal(nearestName("ceil_mod", ["ceilMode", "padding"]), "ceilMode");
  assert.equal(nearestName("learningRate", ["lr", "momentum"]), undefined);
  assert.equal(nearestName("x", ["stride"]), undefined);
  assert.equal(unknownNameText("flag", "--bns", ["--bins"]), "unknown flag '--bns' (did you mean '--bins'?)");
  assert.equal(unknownNameText("option", "zzz", ["bins"]), "unknown option 'zzz'");
});

Deno.test("isOptionsObject: plain objects only", () => {
  assert.equal(isOptionsObject({}), true);
  assert.equal(isOptionsObject(Object.create(null)), true);
  assert.equal(isOptionsObject([]), false);
  assert.equal(isOptionsObject(null), false);
  assert.equal(isOptionsObject(3), false);
  using t = ones([1]);
  assert.equal(isOptionsObject(t), false);
  assert.equal(isOptionsObject(new Map()), false);
});

Deno.test("checkOptions names the unknown key and the nearest known one", () => {
  assert.deepEqual(checkOptions("DataLoader", undefined, ["batchSize"]), {});
  const o = { batchSize: 2 };
  assert.equal(checkOptions("DataLoader", o, ["batchSize", "shuffle"]), o);
  assert.throws(
    () => checkOptions("DataLoader", { batch_size: 2 } as never, ["batchSize", "shuffle"]),
    (e: Error) =>
      e instanceof TypeError &&
      e.message ===
        "DataLoader: unknown option 'batch_size' (did you mean 'batchSize'?); the options are batchSize, shuffle",
  );
  assert.throws(
    () => checkOptions("SGD", 0.1 as never, ["lr"], "new SGD(params, { lr: 0.1 })"),
    (e: Error) =>
      e instanceof TypeError &&
      e.message === "SGD: options must be an object (as new SGD(params, { lr: 0.1 })), got number 0.1",
  );
  assert.throws(() => checkOptions("X", [1] as never, ["a"]), /X: options must be an object, got an array/);
});

Deno.test("positionalOptions maps PyTorch's positional arguments and a trailing options object", () => {
  const names = ["stride", "padding", "dilation"];
  const form = "new Pool(3, { stride: 1 })";
  assert.deepEqual(positionalOptions("Pool", [], names, ["ceilMode"], form), {});
  assert.deepEqual(positionalOptions("Pool", [undefined, undefined], names, [], form), {});
  assert.deepEqual(positionalOptions("Pool", [1], names, [], form), { stride: 1 });
  assert.deepEqual(positionalOptions("Pool", [1, undefined, 2], names, [], form), { stride: 1, dilation: 2 });
  assert.deepEqual(positionalOptions("Pool", [1, { ceilMode: true }], names, ["ceilMode"], form), {
    stride: 1,
    ceilMode: true,
  });
  assert.deepEqual(positionalOptions("Pool", [{ padding: 2 }], names, [], form), { padding: 2 });
  assert.throws(
    () => positionalOptions("Pool", [1, 2, 3, 4], names, [], form),
    (e: Error) =>
      e instanceof TypeError &&
      e.message ===
        "Pool: takes at most 3 positional options (stride, padding, dilation), got 4 (the extra one is number 4); " +
          "pass options by name, as new Pool(3, { stride: 1 })",
  );
  assert.throws(
    () => positionalOptions("Pool", [1, { stride: 2 }], names, [], form),
    /Pool: got two values for 'stride' \(by position and by name\)/,
  );
  assert.throws(
    () => positionalOptions("Pool", [{ stride: 2 }, 1], names, [], form),
    /Pool: an options object must come last/,
  );
  assert.throws(
    () => positionalOptions("Pool", [1, { strde: 2 }], names, [], form),
    /Pool: unknown option 'strde' \(did you mean 'stride'\?\)/,
  );
  assert.throws(
    () => positionalOptions("add", [2], [], ["alpha"], "x.add(y, { alpha: 2 })"),
    /add: takes no positional options, got 1 \(the extra one is number 2\); pass options by name, as x\.add\(y, \{ alpha: 2 \}\)/,
  );
});
