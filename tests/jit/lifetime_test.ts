/**
 * `forwardAsync` runs on another thread while JavaScript goes on: disposing the input, ending the `tidy`
 * scope that owns it, or disposing the ScriptModule meanwhile must not free what the call uses (it
 * holds its own native references). Each case gives the same output as a synchronous call, and frees
 * everything afterwards.
 */

import { liveTensors, manualSeed, randn, type Tensor, tidy } from "../../mod.ts";
import { liveModules, load, ScriptModule } from "../../jit/mod.ts";
import { fixturePath } from "../fixture.ts";
import { assertEquals, assertThrows } from "../serialize/assert.ts";

const MODEL = fixturePath("jit/small.pt");

function expected(x: Tensor): number[] {
  const m = load(MODEL);
  const y = m.forward<Tensor>(x);
  const v = Array.from(y.data() as Float32Array);
  y.dispose();
  m.dispose();
  return v;
}

function input(): Tensor {
  manualSeed(7);
  return randn([64, 3, 8, 8]);
}

Deno.test("forwardAsync: disposing the input while the call runs", async () => {
  const x0 = input();
  const want = expected(x0);
  x0.dispose();
  const before = liveTensors(), modules = liveModules();
  const m = load(MODEL);
  for (let i = 0; i < 20; i++) {
    const x = input();
    const p = m.forwardAsync(x);
    x.dispose();
    const y = await p;
    assertEquals(Array.from(y.data() as Float32Array), want);
    y.dispose();
  }
  m.dispose();
  assertEquals(liveTensors(), before);
  assertEquals(liveModules(), modules);
});

Deno.test("forwardAsync: the tidy scope owning the input ends while the call runs", async () => {
  const x0 = input();
  const want = expected(x0);
  x0.dispose();
  const before = liveTensors();
  const m = load(MODEL);
  let pending: Promise<Tensor> | undefined;
  tidy(() => {
    pending = m.forwardAsync(input().mul(1)); // the input and its temporaries are freed right here
  });
  const y = await pending!;
  assertEquals(Array.from(y.data() as Float32Array), want);
  y.dispose();
  m.dispose();
  assertEquals(liveTensors(), before);
});

Deno.test("forwardAsync: disposing the module while the call runs", async () => {
  const x = input();
  const want = expected(x);
  const before = liveTensors(), modules = liveModules();
  for (let i = 0; i < 10; i++) {
    const m = load(MODEL);
    m.child("features"); // children too
    const p = m.forwardAsync(x);
    m.dispose();
    assertEquals(m.isDisposed, true);
    const y = await p;
    assertEquals(Array.from(y.data() as Float32Array), want);
    y.dispose();
  }
  x.dispose();
  assertEquals(liveTensors(), before - 1);
  assertEquals(liveModules(), modules);
});

Deno.test("forwardAsync: a failing call frees its references too", async () => {
  const m = load(MODEL);
  const before = liveTensors();
  const x = randn([2, 5]);
  let message = "";
  try {
    await m.forwardAsync(x);
  } catch (e) {
    message = (e as Error).message;
  }
  assertEquals(message.length > 0, true);
  x.dispose();
  assertEquals(liveTensors(), before);
  m.dispose();
});

Deno.test("ScriptModule: cannot be made from a number", () => {
  const Ctor = ScriptModule as unknown as new (h: number) => ScriptModule;
  assertThrows(() => new Ctor(12345), TypeError, "load a TorchScript file with jit.load(path)");
  const m = load(MODEL);
  assertThrows(() => m.to(42 as never), TypeError, "expected a dtype");
  assertThrows(() => m.to({ dtype: "float99" } as never), TypeError, "unknown dtype");
  m.dispose();
});
