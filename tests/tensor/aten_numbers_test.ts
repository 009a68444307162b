import assert from "node:assert/strict";
import { Float, liveTensors, ops, schemasOf, type Tensor, tensor, TorchError } from "../../mod.ts";
import { callT } from "../../tensor/call.ts";
import { A } from "../../tensor/aten_ops.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

// Cases written by scripts/fixtures/gen_aten_numbers.py: torch.ops.aten.<op>(...) in PyTorch-Python, the same call
// through ops.aten here. Arguments: ints, fractions, bools, {"f": x} (new Float(x)), {"t": name} (an input tensor,
// cloned first when "clone"), lists of these.
const fx = loadFixture("tensor/aten_numbers");

interface Case {
  name: string;
  op: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  results?: number;
  error?: "schema" | "runtime";
  message?: string;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function value(a: unknown, made: Tensor[]): unknown {
  if (Array.isArray(a)) return a.map((x) => value(x, made));
  if (typeof a === "object" && a !== null && "t" in a) {
    const { t, clone } = a as { t: string; clone?: boolean };
    const input = fixtureTensor(fx, `input_${t}`);
    made.push(input);
    if (!clone) return input;
    const c = input.clone();
    made.push(c);
    return c;
  }
  if (typeof a === "object" && a !== null && "f" in a) return new Float((a as { f: number }).f);
  return a;
}

function run(c: Case, made: Tensor[]): unknown {
  const args = c.args.map((a) => value(a, made));
  const kwargs: Record<string, unknown> = {};
  // keyword names as a TypeScript caller writes them (camelCase), values decoded the same way
  for (const [k, v] of Object.entries(c.kwargs)) kwargs[camel(k)] = value(v, made);
  return Object.keys(kwargs).length > 0 ? ops.aten[c.op](...args, kwargs) : ops.aten[c.op](...args);
}

const cases = fx.values.cases as Case[];

for (const c of cases) {
  Deno.test(`ops.aten.${c.op}: ${c.name} as torch.ops.aten`, () => {
    const before = liveTensors();
    const made: Tensor[] = [];
    try {
      if (c.error === "schema") {
        assert.throws(
          () => run(c, made),
          (e: Error) => e instanceof TypeError && /no overload matches/.test(e.message),
        );
        return;
      }
      if (c.error === "runtime") {
        assert.throws(() => run(c, made), (e: Error) => e instanceof TorchError && e.message.includes(c.message!));
        return;
      }
      const out = run(c, made);
      const outs = (Array.isArray(out) ? out : [out]) as Tensor[];
      assert.equal(outs.length, c.results, "number of results");
      outs.forEach((o, k) => {
        using expected = fixtureTensor(fx, `${c.name}_${k}`);
        assertTensorExact(o, expected, `${c.name}[${k}]`);
      });
      for (const o of outs) if (!made.includes(o)) o.dispose();
    } finally {
      for (const t of made) t.dispose();
    }
    assert.equal(liveTensors(), before, "no tensor leaked");
  });
}

Deno.test("ops.aten: whole numbers are ints, Float and fractions floats, as the typed API", () => {
  using i = tensor([1, 2, 3]);
  using a = ops.aten.add(i, 1) as Tensor;
  using b = i.add(1);
  using c = ops.aten.add(i, new Float(1)) as Tensor;
  assert.equal(a.dtype, "int64");
  assert.equal(b.dtype, "int64");
  assert.equal(c.dtype, "float32");
  assert.deepEqual([...c.toArray() as number[]], [2, 3, 4]);
  // integral numbers beyond 2^53 are floats, as Python reads 1e300: never clamped to an int64
  using big = ops.aten.add(i, 1e300) as Tensor;
  assert.equal(big.dtype, "float32");
  assert.equal((big.toArray() as number[])[0], Infinity);
  using big2 = i.add(1e300);
  assert.equal(big2.dtype, "float32");
});

Deno.test("ops.aten: an int64 argument out of range is refused, not clamped", () => {
  using x = tensor([1, 2, 3]);
  assert.throws(() => ops.aten["select.int"](x, 0, 1e20), /argument 'index' expects int, got 100000000000000000000/);
  // the shim itself refuses it too (the typed API's path), rather than clamping it to INT64_MAX
  assert.throws(() => callT(A.select, x, 0, 1e20), /argument 'index': expected an int64, got 1e\+20, outside/);
});

Deno.test("ops.aten: overloads are tried in PyTorch's registration order", () => {
  // torch._C._jit_get_schemas_for_operator order: the default stft before stft.center; sum.dim_IntList first
  assert.match(schemasOf("aten::stft")[0], /^aten::stft\(/);
  assert.match(schemasOf("aten::stft")[1], /^aten::stft\.center\(/);
  assert.match(schemasOf("aten::sum")[0], /^aten::sum\.dim_IntList\(/);
  assert.match(schemasOf("aten::where")[0], /^aten::where\.self\(/);
});

Deno.test("ops.aten and schemasOf: a non-string name is a TypeError naming it", () => {
  assert.throws(() => schemasOf(5 as unknown as string), /schemasOf: expected an operator name .*got 5/);
  assert.throws(() => ops.call(5n as unknown as string), /callOp: expected a qualified name .*got 5n/);
});
