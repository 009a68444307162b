import assert from "node:assert/strict";
import { dispose, keep, liveTensors, ones, randn, tidy, zeros } from "../../mod.ts";

Deno.test("10,000 operations in a scope leave liveTensors() where it started", () => {
  const before = liveTensors();
  const result = tidy(() => {
    let t = ones([4, 4]);
    for (let i = 0; i < 10_000; i++) t = t.mul(1.0001).add(0.001);
    return t.sum();
  });
  assert.equal(liveTensors(), before + 1);
  assert.ok(result.item() > 16);
  result.dispose();
  assert.equal(liveTensors(), before);
});

Deno.test("tidy returns tensors inside arrays and objects, frees the rest, and keep() escapes", () => {
  const before = liveTensors();
  let kept = null as ReturnType<typeof zeros> | null;
  const { a, list } = tidy(() => {
    const x = randn([3]);
    x.add(1);
    kept = keep(zeros([2]));
    return { a: x.mul(2), list: [x.exp(), 5] };
  });
  assert.equal(liveTensors(), before + 3);
  assert.equal(a.isDisposed, false);
  assert.equal((list[0] as typeof a).isDisposed, false);
  dispose([a, list, kept]);
  assert.equal(liveTensors(), before);
});

Deno.test("nested scopes hand results to the outer scope", () => {
  const before = liveTensors();
  tidy(() => {
    const inner = tidy(() => ones([2]).add(1));
    assert.equal(inner.isDisposed, false);
    assert.equal(liveTensors(), before + 1);
  });
  assert.equal(liveTensors(), before);
});

Deno.test("a throwing scope frees what it created", () => {
  const before = liveTensors();
  assert.throws(() =>
    tidy(() => {
      ones([2]).add(1);
      throw new Error("boom");
    })
  );
  assert.equal(liveTensors(), before);
});

Deno.test("async scopes follow their function across awaits and leave others alone", async () => {
  const before = liveTensors();
  const outside: ReturnType<typeof ones>[] = [];
  const timer = setInterval(() => outside.push(ones([1])), 1);
  const r = await tidy(async () => {
    let t = ones([2]);
    for (let i = 0; i < 5; i++) {
      await new Promise((res) => setTimeout(res, 2));
      t = t.add(1);
    }
    return t;
  });
  clearInterval(timer);
  assert.deepEqual(r.toArray(), [6, 6]);
  assert.ok(outside.every((t) => !t.isDisposed), "tensors created by other code during the scope stay alive");
  dispose([r, outside]);
  assert.equal(liveTensors(), before);
  assert.throws(() => tidy(() => Promise.resolve(1) as unknown as number), /declare it `async`/);
});

Deno.test("the FinalizationRegistry frees tensors that were forgotten outside any scope", async () => {
  // deno-lint-ignore no-explicit-any
  const gc = (globalThis as any).gc as (() => void) | undefined;
  if (gc === undefined) {
    console.warn("skipped the garbage-collection check: run with --v8-flags=--expose-gc");
    return;
  }
  const before = liveTensors();
  (() => {
    for (let i = 0; i < 100; i++) ones([8]);
  })();
  for (let i = 0; i < 10 && liveTensors() > before; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(liveTensors(), before);
});
