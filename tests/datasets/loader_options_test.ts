import assert from "node:assert/strict";
import { ImageDataset } from "../../datasets/dataset.ts";
import { DataLoader } from "../../datasets/loader.ts";
import { DataLoader as DataLoader2 } from "../../datasets/data/loader.ts";
import { arange, liveTensors, zeros } from "../../mod.ts";

function small(n: number): ImageDataset {
  return new ImageDataset(zeros([n, 3, 2, 2], { dtype: "uint8" }), arange(n), ["a", "b"]);
}

function typeError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof TypeError, `${e.name}: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("DataLoader(dataset, batchSize, shuffle) by position, as PyTorch's", () => {
  const before = liveTensors();
  {
    using ds = small(10);
    const a = new DataLoader(ds, 4);
    assert.deepEqual([a.batchSize, a.shuffle, a.length], [4, false, 3]);
    const b = new DataLoader(ds, 3, true, { dropLast: true });
    assert.deepEqual([b.batchSize, b.shuffle, b.dropLast, b.length], [3, true, true, 3]);
    const sizes: number[] = [];
    for (using batch of new DataLoader(ds, 4, false)) sizes.push(batch.images.shape[0]);
    assert.deepEqual(sizes, [4, 4, 2]);
  }
  assert.equal(liveTensors(), before);
});

Deno.test("DataLoader: an unknown option names the nearest known one; PyTorch's third positional is refused", () => {
  using ds = small(4);
  typeError(
    () => new DataLoader(ds, { batch_size: 2 } as never),
    /^DataLoader: unknown option 'batch_size' \(did you mean 'batchSize'\?\); the options are batchSize, shuffle, seed, dropLast, transform, labelDType$/,
  );
  typeError(() => new DataLoader(ds, { drop_last: true } as never), /did you mean 'dropLast'/);
  typeError(() => new DataLoader(ds, 2, true, { shufle: true } as never), /unknown option 'shufle'/);
  // PyTorch's third positional argument is a sampler, which this loader does not take
  typeError(
    // @ts-expect-error: no sampler
    () => new DataLoader(ds, 2, true, null, {}),
    /at most 2 positional options \(batchSize, shuffle\).*new DataLoader\(dataset, \{ batchSize: 64/,
  );
  typeError(() => new DataLoader(ds, 2, "yes" as never), /DataLoader: option 'shuffle' must be a boolean, got yes/);
});

Deno.test("the generic data.DataLoader(dataset, batchSize, shuffle, sampler) by position; unknown keys named", () => {
  const items = [1, 2, 3, 4, 5];
  const loader = new DataLoader2(items, 2);
  assert.equal(loader.batchSize, 2);
  assert.equal(loader.length, 3);
  const shuffled = new DataLoader2(items, 2, true, null, { seed: 0 });
  assert.deepEqual([...shuffled].flatMap((b) => [...(b as unknown as { toArray(): number[] }).toArray()]).sort(), [
    1,
    2,
    3,
    4,
    5,
  ]);
  typeError(
    () => new DataLoader2(items, { batch_size: 2 } as never),
    /DataLoader: unknown option 'batch_size' \(did you mean 'batchSize'\?\)/,
  );
  typeError(
    // @ts-expect-error: PyTorch's fourth positional argument (batch_sampler) has no counterpart
    () => new DataLoader2(items, 2, false, null, null, {}),
    /at most 3 positional options \(batchSize, shuffle, sampler\)/,
  );
});
