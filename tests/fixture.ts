/**
 * Test helpers: reading the parity fixtures written by `scripts/fixtures/*.py` and comparing tensors
 * exactly (bit for bit) or within tolerances.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { decodeBase64 } from "./base64.ts";
import { type DType, fromBytes, type Tensor } from "../mod.ts";

/** A tensor as stored in a fixture. */
export interface FixtureTensor {
  dtype: DType;
  shape: number[];
  data: string;
}

/** A parity fixture. */
export interface Fixture {
  generator: string;
  tensors: Record<string, FixtureTensor>;
  // deno-lint-ignore no-explicit-any
  values: Record<string, any>;
}

/** The path of a file under `tests/fixtures/`. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Reads `tests/fixtures/<name>.json`. */
export function loadFixture(name: string): Fixture {
  return JSON.parse(Deno.readTextFileSync(fixturePath(`${name}.json`)));
}

/** The fixture tensor as a Tensor (exact bytes). */
export function fixtureTensor(f: Fixture, name: string): Tensor {
  const e = f.tensors[name];
  if (e === undefined) throw new Error(`fixture has no tensor '${name}' (has ${Object.keys(f.tensors).join(", ")})`);
  return fromBytes(decodeBase64(e.data), e.dtype, e.shape);
}

function bytesOf(t: Tensor): Uint8Array {
  const d = t.dtype === "float16" || t.dtype === "bfloat16" ? t.to({ dtype: "float32" }).data() : t.data();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Asserts that `actual` equals `expected` to the bit: same dtype, shape and bytes. */
export function assertTensorExact(actual: Tensor, expected: Tensor, what = "tensor"): void {
  if (actual.dtype !== expected.dtype) throw new Error(`${what}: dtype ${actual.dtype}, expected ${expected.dtype}`);
  const as = JSON.stringify(actual.shape), es = JSON.stringify(expected.shape);
  if (as !== es) throw new Error(`${what}: shape ${as}, expected ${es}`);
  const a = bytesOf(actual), b = bytesOf(expected);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      const av = actual.reshape(-1).data(), bv = expected.reshape(-1).data();
      let k = 0;
      while (k < av.length && (av[k] === bv[k] || (Number.isNaN(av[k]) && Number.isNaN(bv[k])))) k++;
      throw new Error(`${what}: differs at flat index ${k}: ${av[k]} vs expected ${bv[k]} (not bit-identical)`);
    }
  }
}

/** Asserts `|actual - expected| <= atol + rtol * |expected|` elementwise, with the same shape. */
export function assertTensorClose(
  actual: Tensor,
  expected: Tensor,
  options: { rtol?: number; atol?: number } = {},
  what = "tensor",
): void {
  const as = JSON.stringify(actual.shape), es = JSON.stringify(expected.shape);
  if (as !== es) throw new Error(`${what}: shape ${as}, expected ${es}`);
  const rtol = options.rtol ?? 1e-5, atol = options.atol ?? 1e-8;
  const a = actual.to({ dtype: "float64" }).reshape(-1).data() as Float64Array;
  const b = expected.to({ dtype: "float64" }).reshape(-1).data() as Float64Array;
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) {
      throw new Error(`${what}: differs at flat index ${i}: ${a[i]} vs expected ${b[i]} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
