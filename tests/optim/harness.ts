/**
 * The optimizer parity harness: the fixtures' two-layer network as a Module built from raw tensors, the
 * training loop of scripts/fixtures/gen_optim.py, and a comparison of a state dict against PyTorch's
 * (as the generator describes it).
 *
 * @module
 */

import assert from "node:assert/strict";
import { type DType, Module, type Tensor, tensor, tidy } from "../../mod.ts";
import { assertTensorExact, type Fixture, fixtureTensor, loadFixture } from "../fixture.ts";
import type { Optimizer } from "../../optim/mod.ts";

/** The shared data: initial weights, batches. */
export const data: Fixture = loadFixture("optim/data");
/** The number of batches (steps) in the fixtures. */
export const STEPS: number = data.values.steps;
/** The parameter names, in registration order. */
export const NAMES = ["w1", "b1", "w2", "b2"] as const;

const X = fixtureTensor(data, "x"), Y = fixtureTensor(data, "y");
const X64 = X.to("float64"), Y64 = Y.to("float64");

/** x @ w1 + b1, tanh, @ w2 + b2: the fixtures' network. */
export class Net extends Module {
  w1: Tensor;
  b1: Tensor;
  w2: Tensor;
  b2: Tensor;

  /** The initial weights of the fixtures (or, with `prefix`, the parameters stored under it in `fx`). */
  constructor(dtype: DType = "float32", fx: Fixture = data, prefix = "") {
    super();
    const init = (name: string) => {
      const t = fixtureTensor(fx, prefix + name);
      if (t.dtype === dtype) return t;
      const u = t.to(dtype);
      t.dispose();
      return u;
    };
    this.w1 = this.registerParameter("w1", init("w1"));
    this.b1 = this.registerParameter("b1", init("b1"));
    this.w2 = this.registerParameter("w2", init("w2"));
    this.b2 = this.registerParameter("b2", init("b2"));
  }

  forward(x: Tensor): Tensor {
    return x.matmul(this.w1).add(this.b1).tanh().matmul(this.w2).add(this.b2);
  }

  /** The mean squared error on batch `i`. */
  loss(i: number): Tensor {
    const f64 = this.w1.dtype === "float64";
    const x = (f64 ? X64 : X).select(0, i), y = (f64 ? Y64 : Y).select(0, i);
    return this.forward(x).sub(y).pow(2).mean();
  }
}

/** Trains `steps` steps as the generator does; returns the losses (float32, as recorded). */
export function train(
  net: Net,
  opt: Optimizer<object>,
  options: { steps?: number; from?: number; closure?: boolean; afterStep?: () => void } = {},
): number[] {
  const losses: number[] = [];
  const from = options.from ?? 0, to = options.steps ?? STEPS;
  for (let i = from; i < to; i++) {
    tidy(() => {
      const fn = () => {
        opt.zeroGrad();
        const loss = net.loss(i);
        loss.backward();
        return loss;
      };
      let loss: Tensor;
      if (options.closure) loss = opt.step(fn)!;
      else {
        loss = fn();
        opt.step();
      }
      losses.push(loss.item());
      options.afterStep?.();
    });
  }
  return losses;
}

/** Asserts that `losses` and the parameters equal the fixture's `name.losses` and `name.params.*` exactly. */
export function assertRun(fx: Fixture, name: string, losses: number[], net: Net, lossesKey = "losses"): void {
  const expected = fixtureTensor(fx, `${name}.${lossesKey}`);
  const dtype = expected.dtype;
  const actual = tensor(dtype === "float64" ? new Float64Array(losses) : new Float32Array(losses));
  assertTensorExact(actual, expected, `${name}: losses`);
  for (const n of NAMES) assertTensorExact(net[n].detach(), fixtureTensor(fx, `${name}.params.${n}`), `${name}: ${n}`);
}

/**
 * Asserts that `actual` (a state dict or part of one) equals PyTorch's as the generator described it:
 * the same keys, numbers, flags, strings and nulls, and bit-identical tensors of the same dtype.
 */
// deno-lint-ignore no-explicit-any
export function assertLikeTorch(actual: unknown, described: any, fx: Fixture, path: string): void {
  if (described === null) {
    assert.equal(actual, null, `${path}: expected None`);
    return;
  }
  if (Array.isArray(described)) {
    assert.ok(Array.isArray(actual), `${path}: expected a list, got ${String(actual)}`);
    assert.equal(actual.length, described.length, `${path}: list length`);
    described.forEach((d, i) => assertLikeTorch(actual[i], d, fx, `${path}.${i}`));
    return;
  }
  if ("tensor" in described) {
    assert.ok(actual !== null && typeof actual === "object" && "dtype" in actual, `${path}: expected a Tensor`);
    assertTensorExact(actual as Tensor, fixtureTensor(fx, described.tensor), path);
    return;
  }
  if ("float" in described || "int" in described) {
    const v = described.float ?? described.int;
    const n = v === "inf" ? Infinity : v === "-inf" ? -Infinity : v;
    assert.equal(actual, n, `${path}: expected ${v}`);
    return;
  }
  if ("bool" in described) return assert.equal(actual, described.bool, path);
  if ("str" in described) return assert.equal(actual, described.str, path);
  // a dict
  const entries: [string, unknown][] = actual instanceof Map
    ? [...actual].map(([k, v]) => [String(k), v])
    : Object.entries(actual as Record<string, unknown>);
  assert.deepEqual(entries.map(([k]) => k).sort(), Object.keys(described).sort(), `${path}: keys`);
  for (const [k, v] of entries) assertLikeTorch(v, described[k], fx, `${path}.${k}`);
}

/**
 * Rebuilds PyTorch's state dict from its description (tensors from the fixture, numbers, ...), as a
 * deserializer would hand it over: `state` as a Map with number keys.
 */
// deno-lint-ignore no-explicit-any
export function fromTorch(described: any, fx: Fixture, top = true): any {
  if (described === null) return null;
  if (Array.isArray(described)) return described.map((d) => fromTorch(d, fx, false));
  if ("tensor" in described) return fixtureTensor(fx, described.tensor);
  if ("float" in described) {
    const v = described.float;
    return v === "inf" ? Infinity : v === "-inf" ? -Infinity : v;
  }
  if ("int" in described) return described.int;
  if ("bool" in described) return described.bool;
  if ("str" in described) return described.str;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(described)) out[k] = fromTorch(v, fx, false);
  if (top && "state" in out) {
    out.state = new Map(Object.entries(out.state as object).map(([k, v]) => [Number(k), v]));
  }
  return out;
}
