/**
 * Test helpers for tests/serialize/: comparing a loaded value with the expected form written by
 * scripts/fixtures/gen_serialize.py (see its to_expect), and writing that form for values saved here.
 *
 * @module
 */

import { encodeBase64 } from "./base64.ts";
import { assertTensorExact, type Fixture, fixtureTensor } from "../fixture.ts";
import { Tensor } from "../../mod.ts";

/** Asserts that `actual` (a loaded value) matches `f.values.expect`; returns the tensors by name. */
export function assertLoaded(actual: unknown, f: Fixture): Map<string, Tensor> {
  const seen = new Map<string, Tensor>();
  match(actual, f.values.expect, f, seen, "value");
  return seen;
}

function fail(path: string, message: string): never {
  throw new Error(`${path}: ${message}`);
}

function match(a: unknown, e: unknown, f: Fixture, seen: Map<string, Tensor>, path: string): void {
  if (e === null || typeof e !== "object") {
    if (!Object.is(a, e)) fail(path, `got ${String(a)}, expected ${String(e)}`);
    return;
  }
  if (Array.isArray(e)) {
    if (!Array.isArray(a) || a.length !== e.length) {
      fail(path, `expected an array of ${e.length}, got ${describe(a)}`);
    }
    e.forEach((x, i) => match(a[i], x, f, seen, `${path}[${i}]`));
    return;
  }
  const o = e as Record<string, unknown>;
  if ("$tensor" in o) {
    const name = o.$tensor as string;
    if (!(a instanceof Tensor)) fail(path, `expected a Tensor, got ${describe(a)}`);
    const previous = seen.get(name);
    if (previous !== undefined) {
      if (previous !== a) fail(path, `expected the same Tensor object as ${name}`);
      return;
    }
    seen.set(name, a);
    const expected = fixtureTensor(f, name);
    try {
      assertTensorExact(a, expected, path);
    } finally {
      expected.dispose();
    }
    const meta = f.values.meta?.[name];
    if (meta) {
      if (a.numel() > 1 && JSON.stringify(a.stride()) !== JSON.stringify(meta.stride)) {
        fail(path, `stride ${JSON.stringify(a.stride())}, expected ${JSON.stringify(meta.stride)}`);
      }
      if (a.requiresGrad !== meta.requires_grad) fail(path, `requiresGrad ${a.requiresGrad}`);
    }
    return;
  }
  if ("$object" in o) {
    if (typeof a !== "object" || a === null || Object.getPrototypeOf(a) !== Object.prototype) {
      fail(path, `expected a plain object, got ${describe(a)}`);
    }
    const entries = o.$object as [string, unknown][];
    const keys = Object.keys(a);
    const want = entries.map(([k]) => k);
    if (JSON.stringify(keys) !== JSON.stringify(want)) {
      fail(path, `keys ${JSON.stringify(keys)}, expected ${JSON.stringify(want)}`);
    }
    for (const [k, x] of entries) match((a as Record<string, unknown>)[k], x, f, seen, `${path}[${JSON.stringify(k)}]`);
    return;
  }
  if ("$map" in o) {
    if (!(a instanceof Map)) fail(path, `expected a Map, got ${describe(a)}`);
    const entries = o.$map as [unknown, unknown][];
    const got = [...a.entries()];
    if (got.length !== entries.length) fail(path, `${got.length} entries, expected ${entries.length}`);
    entries.forEach(([k, x], i) => {
      match(got[i][0], k, f, seen, `${path} key ${i}`);
      match(got[i][1], x, f, seen, `${path}[${String(got[i][0])}]`);
    });
    return;
  }
  if ("$int" in o) {
    if (typeof a !== "bigint" || a !== BigInt(o.$int as string)) fail(path, `got ${String(a)}, expected ${o.$int}n`);
    return;
  }
  if ("$float" in o) {
    const text = o.$float as string;
    const want = ({ nan: NaN, inf: Infinity, "-inf": -Infinity } as Record<string, number>)[text] ?? Number(text);
    if (!Object.is(a, want)) fail(path, `got ${String(a)}, expected ${o.$float}`);
    return;
  }
  if ("$bytes" in o) {
    if (!(a instanceof Uint8Array) || encodeBase64(a) !== o.$bytes) fail(path, `bytes differ (${describe(a)})`);
    return;
  }
  if ("$set" in o) {
    if (!(a instanceof Set)) fail(path, `expected a Set, got ${describe(a)}`);
    const got = [...a].sort();
    const want = (o.$set as unknown[]).slice().sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) fail(path, `set ${JSON.stringify(got)}, expected ${want}`);
    return;
  }
  fail(path, `unknown expected form ${JSON.stringify(o).slice(0, 80)}`);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return `${typeof v} ${String(v)}`;
  return v.constructor?.name ?? "object";
}

/** A value saved here, in the expected form (for the live check by Python). */
export function toExpect(v: unknown, tensors: Map<Tensor, string>): unknown {
  if (v instanceof Tensor) {
    let name = tensors.get(v);
    if (name === undefined) tensors.set(v, name = `t${tensors.size}`);
    return { $tensor: name };
  }
  if (typeof v === "bigint") return { $int: String(v) };
  if (typeof v === "number") {
    if (Number.isNaN(v)) return { $float: "nan" };
    if (v === Infinity) return { $float: "inf" };
    if (v === -Infinity) return { $float: "-inf" };
    if (Object.is(v, -0)) return { $float: "-0" };
    return v;
  }
  if (v === null || typeof v !== "object") return v;
  if ("items" in v && Array.isArray((v as { items: unknown }).items)) {
    return (v as { items: unknown[] }).items.map((x) => toExpect(x, tensors));
  }
  if ("value" in v && typeof (v as { value: unknown }).value === "number") {
    const x = (v as { value: number }).value; // a Float marker: a Python float even when integral
    return Number.isFinite(x) && !Object.is(x, -0) ? { $float: String(x) } : toExpect(x, tensors);
  }
  if (Array.isArray(v)) return v.map((x) => toExpect(x, tensors));
  if (v instanceof Map) return { $map: [...v].map(([k, x]) => [toExpect(k, tensors), toExpect(x, tensors)]) };
  return { $object: Object.entries(v).map(([k, x]) => [k, toExpect(x, tensors)]) };
}
