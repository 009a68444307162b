// Custom autograd functions, tensor hooks and gradcheck: the JavaScript backward runs inside LibTorch's
// engine (a native node calling back), with PyTorch's semantics and error messages; a composite of two
// custom functions and a hook gives PyTorch's values and gradients to the bit (fixture: gen_surface.py,
// autograd_cases); a JavaScript exception inside backward is a clear error of backward(), never a crash.

import assert from "node:assert/strict";
import {
  autograd,
  AutogradFunction,
  callOp,
  dispose,
  FunctionCtx,
  grad,
  gradcheck,
  GradcheckError,
  keep,
  liveHandlers,
  liveTensors,
  noGrad,
  randn,
  registerHook,
  takeCallbackError,
  type Tensor,
  tensor,
  tidy,
} from "../../mod.ts";
import { callAsync, op } from "../../tensor/call.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

const f64 = { dtype: "float64" } as const;

class Cube extends AutogradFunction {
  static forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.pow(3);
  }
  static backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x!.pow(2)).mul(3);
  }
}

class ScaledTanh extends AutogradFunction {
  static forward(ctx: FunctionCtx, x: Tensor, scale: number): Tensor {
    const y = x.tanh();
    ctx.saveForBackward(y);
    ctx.scale = scale;
    return y.mul(scale);
  }
  static backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [y] = ctx.savedTensors;
    return [g.mul(y!.mul(y!).rsub(1)).mul(ctx.scale as number), null];
  }
}

class MulAdd extends AutogradFunction {
  static forward(ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor[] {
    ctx.saveForBackward(a, b);
    return [a.mul(b), a.add(b)];
  }
  static backward(ctx: FunctionCtx, ga: Tensor, gb: Tensor): Tensor[] {
    const [a, b] = ctx.savedTensors;
    return [ga.mul(b!).add(gb), ga.mul(a!).add(gb)];
  }
}

Deno.test("AutogradFunction: a TypeScript backward runs in LibTorch's engine; values and gradients", () => {
  tidy(() => {
    const x = tensor([2, -3], { ...f64, requiresGrad: true });
    const y = Cube.apply(x) as Tensor;
    assert.equal(y.gradFn, "CubeBackward");
    assert.ok(y.requiresGrad);
    y.sum().backward();
    assert.deepEqual(x.grad!.toArray(), [12, 27]);
    // through autograd.grad too, and under grad mode off no node is recorded
    const [dx] = grad((Cube.apply(x) as Tensor).sum(), x);
    assert.deepEqual(dx!.toArray(), [12, 27]);
    const z = noGrad(() => Cube.apply(x) as Tensor);
    assert.equal(z.requiresGrad, false);
    assert.equal(z.gradFn, null);
  });
});

Deno.test("AutogradFunction: a composite with a hook equals PyTorch's values and gradients to the bit", () => {
  const fx = loadFixture("tensor/autograd_function");
  tidy(() => {
    const x = fixtureTensor(fx, "x").requiresGrad_(), w = fixtureTensor(fx, "w").requiresGrad_();
    const seen: Tensor[] = [];
    const h = registerHook(x, (g) => {
      seen.push(keep(g.clone())); // tensors of a hook are freed after it: keep a copy
      return g.mul(0.5);
    });
    const y = ScaledTanh.apply(x.matmul(w), 1.5) as Tensor;
    const [p, q] = MulAdd.apply(y, y.exp()) as Tensor[];
    const loss = p.sum().add(q.pow(2).mean());
    loss.backward();
    h.remove();
    for (
      const [name, t] of Object.entries({ y, p, q, loss, "x.grad": x.grad!, "w.grad": w.grad!, hook_seen: seen[0] })
    ) {
      assertTensorExact(t.detach(), fixtureTensor(fx, name), name);
    }
  });
});

Deno.test("AutogradFunction: needsInputGrad, non-tensor arguments, several outputs, markNonDifferentiable", () => {
  tidy(() => {
    const a = tensor([1, 2], { ...f64, requiresGrad: true }), b = tensor([3, 4], f64);
    let needs: boolean[] = [];
    class SortLike extends AutogradFunction {
      static forward(ctx: FunctionCtx, x: Tensor, other: Tensor, k: number): Tensor[] {
        needs = ctx.needsInputGrad;
        const idx = x.argsort(0);
        ctx.markNonDifferentiable(idx);
        return [x.mul(other).mul(k), idx];
      }
      static backward(ctx: FunctionCtx, g: Tensor, gIdx: Tensor | null): (Tensor | null)[] {
        assert.equal(gIdx!.dtype, "int64"); // materialized zeros for the non-differentiable output
        return [g.mul(2), ctx.needsInputGrad[1] ? g : null, null];
      }
    }
    const [y, idx] = SortLike.apply(a, b, 2) as Tensor[];
    assert.deepEqual(needs, [true, false, false]);
    assert.equal(idx.requiresGrad, false);
    y.sum().backward();
    assert.deepEqual(a.grad!.toArray(), [2, 2]);
  });
});

Deno.test("AutogradFunction: setMaterializeGrads(false) passes null for unused outputs; default passes zeros", () => {
  tidy(() => {
    const got: (Tensor | null)[] = [];
    const make = (materialize: boolean) =>
      class Two extends AutogradFunction {
        static forward(ctx: FunctionCtx, x: Tensor): Tensor[] {
          ctx.setMaterializeGrads(materialize);
          return [x.mul(2), x.mul(3)];
        }
        static backward(_ctx: FunctionCtx, g0: Tensor | null, g1: Tensor | null): Tensor {
          got.push(g1 === null ? null : keep(g1.clone()));
          return g0!.mul(2);
        }
      };
    const x = tensor([1], { ...f64, requiresGrad: true });
    (make(false).apply(x) as Tensor[])[0].sum().backward();
    (make(true).apply(x) as Tensor[])[0].sum().backward();
    assert.equal(got[0], null);
    assert.deepEqual(got[1]!.toArray(), [0]);
    assert.deepEqual(x.grad!.toArray(), [4]);
  });
});

Deno.test("AutogradFunction: markDirty (in place on a non-leaf), and PyTorch's errors for leaves and saved tensors", () => {
  tidy(() => {
    class AddOne_ extends AutogradFunction {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        x.add_(1);
        ctx.markDirty(x);
        return x;
      }
      static backward(_ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(1);
      }
    }
    const leaf = tensor([1, 2], { ...f64, requiresGrad: true });
    const mid = leaf.mul(3);
    const out = AddOne_.apply(mid) as Tensor;
    assert.deepEqual(out.toArray(), [4, 7]);
    assert.equal(out.gradFn, "AddOne_Backward");
    out.sum().backward();
    assert.deepEqual(leaf.grad!.toArray(), [3, 3]);
    assert.throws(() => AddOne_.apply(tensor([1], { ...f64, requiresGrad: true })), /leaf Variable that requires grad/);
    // a saved input changed in place after forward: LibTorch's version check
    const x = tensor([1, 2], { ...f64, requiresGrad: true });
    const base = x.mul(1);
    const y = Cube.apply(base) as Tensor;
    noGrad(() => base.add_(1));
    assert.throws(() => y.sum().backward(), /modified by an inplace operation/);
    // a second backward through a freed graph
    const z = (Cube.apply(x) as Tensor).sum();
    z.backward();
    assert.throws(() => z.backward(), /Trying to backward through the graph a second time/);
  });
});

Deno.test("AutogradFunction: a JavaScript exception inside backward is a clear error of backward(), never a crash", () => {
  tidy(() => {
    class Boom extends AutogradFunction {
      static forward(_ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(2);
      }
      static backward(_ctx: FunctionCtx, _g: Tensor): Tensor {
        throw new RangeError("boom in backward");
      }
    }
    const x = tensor([1, 2], { ...f64, requiresGrad: true });
    assert.throws(
      () => (Boom.apply(x) as Tensor).sum().backward(),
      /backward: BoomBackward \(its JavaScript backward\) threw: RangeError: boom in backward/,
    );
    const cause = takeCallbackError();
    assert.ok(cause instanceof RangeError && cause.message === "boom in backward");
    // wrong results are errors too
    class TooMany extends AutogradFunction {
      static forward(_ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(2);
      }
      static backward(_ctx: FunctionCtx, g: Tensor): Tensor[] {
        return [g, g];
      }
    }
    assert.throws(
      () => (TooMany.apply(x) as Tensor).sum().backward(),
      /function TooManyBackward returned an incorrect number of gradients \(expected 1, got 2\)/,
    );
    class BadShape extends AutogradFunction {
      static forward(_ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(2);
      }
      static backward(_ctx: FunctionCtx, _g: Tensor): Tensor {
        return tensor([1, 2, 3], f64);
      }
    }
    assert.throws(() => (BadShape.apply(x) as Tensor).sum().backward(), /invalid gradient at index 0/);
    class NotTensor extends AutogradFunction {
      static forward(_ctx: FunctionCtx, x: Tensor): number {
        return x.sum().item();
      }
      static backward(): null {
        return null;
      }
    }
    // deno-lint-ignore no-explicit-any
    assert.throws(() => (NotTensor as any).apply(x), /NotTensor.forward must return a Tensor or a non-empty array/);
    // the engine is fine afterwards
    (Cube.apply(x) as Tensor).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [3, 12]);
  });
});

Deno.test("registerHook: replaces or observes gradients, remove() unregisters; errors are clear", () => {
  tidy(() => {
    const x = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    const seen: number[][] = [];
    const h1 = registerHook(x, (g) => void seen.push(g.toArray() as number[]));
    const h2 = registerHook(x, (g) => g.mul(10));
    x.mul(3).sum().backward();
    assert.deepEqual(seen, [[3, 3]]);
    assert.deepEqual(x.grad!.toArray(), [30, 30]);
    h2.remove();
    h2.remove(); // a second remove does nothing
    x.grad = null;
    x.mul(3).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [3, 3]);
    h1.remove();
    // on a non-leaf: the gradient flowing through it
    const y = x.mul(2);
    registerHook(y, (g) => g.neg());
    x.grad = null;
    y.sum().backward();
    assert.deepEqual(x.grad!.toArray(), [-2, -2]);
    assert.throws(() => registerHook(tensor([1]), (g) => g), /registerHook: .*requires? grad/i);
    const z = x.mul(1);
    registerHook(z, () => {
      throw new Error("hook failed");
    });
    assert.throws(() => z.sum().backward(), /a tensor hook \(JavaScript\) threw: Error: hook failed/);
    takeCallbackError();
  });
});

Deno.test("gradcheck: passes for correct gradients in float64, reports a wrong backward", () => {
  tidy(() => {
    const x = randn([3], f64).requiresGrad_(), w = randn([3, 2], f64).requiresGrad_();
    assert.equal(gradcheck((x) => Cube.apply(x) as Tensor, [x]), true);
    assert.equal(autograd.gradcheck((x, w) => ScaledTanh.apply(x.matmul(w), 0.7) as Tensor, [x, w]), true);
    assert.equal(gradcheck((a, b) => MulAdd.apply(a, b) as Tensor[], [x, x.detach().mul(2).requiresGrad_()]), true);
    class WrongCube extends AutogradFunction {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.pow(3);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(ctx.savedTensors[0]!.pow(2)).mul(2);
      }
    }
    assert.throws(
      () => gradcheck((x) => WrongCube.apply(x) as Tensor, [x]),
      (e: unknown) =>
        e instanceof GradcheckError && /Jacobian mismatch for output 0 with respect to input 0/.test(e.message),
    );
    assert.equal(gradcheck((x) => WrongCube.apply(x) as Tensor, [x], { raiseException: false }), false);
    assert.throws(() => gradcheck((x) => x.mul(2), [randn([2], f64)]), /at least one input tensor to require gradient/);
  });
});

Deno.test("AutogradFunction and hooks: no tensor or handler outlives its graph", () => {
  const tensors = liveTensors(), handlers = liveHandlers();
  tidy(() => {
    const x = tensor([1, 2], { ...f64, requiresGrad: true });
    for (let i = 0; i < 20; i++) {
      tidy(() => {
        const [p, q] = MulAdd.apply(Cube.apply(x) as Tensor, x) as Tensor[];
        p.add(q).sum().backward();
      });
    }
    const h = registerHook(x, (g) => g);
    h.remove();
  });
  assert.equal(liveTensors(), tensors);
  assert.equal(liveHandlers(), handlers);
});

Deno.test("autograd namespace: autograd.Function is AutogradFunction", () => {
  assert.equal(autograd.Function, AutogradFunction);
  assert.ok(new FunctionCtx() instanceof autograd.FunctionCtx);
});

Deno.test("AutogradFunction: reached outside backward()/grad() or on another thread, a clear error, never a call", async () => {
  const x = tensor([1, 2], { ...f64, requiresGrad: true });
  const y = (Cube.apply(x) as Tensor).sum();
  // aten::_backward through the generic operator path (a call that must not re-enter JavaScript)
  assert.throws(
    () => callOp("aten::_backward", y, [], null, true, false),
    /CubeBackward is written in JavaScript and was reached outside backward\(\) and grad\(\)/,
  );
  // the same operator on another thread (Deno's nonblocking FFI)
  await assert.rejects(
    callAsync(op("aten::_backward"), [y, [], null, true, false]),
    /CubeBackward is written in JavaScript and LibTorch runs it on another thread/,
  );
  y.backward(); // and the graph still works from backward()
  assert.deepEqual(x.grad!.toArray(), [3, 12]);
  dispose([x, y]);
});
