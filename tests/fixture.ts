/**
 * Test helpers: reading the parity fixtures written by `scripts/fixtures/*.py` and comparing tensors
 * exactly (bit for bit) or within tolerances.
 *
 * Fixtures are read from `tests/fixtures/`, or from `$DENOTORCH_FIXTURES` (as `deno task parity` and the
 * LibTorch 2.x check do with freshly generated ones). Each records the kernel settings it was made with; an
 * exact comparison that fails says which of them this process does not reproduce. With
 * `$DENOTORCH_PARITY_LOG` set, every exact comparison appends one JSON line (test file, what, values,
 * bit-identical values) to that file, which `deno task parity` sums per area.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { decodeBase64 } from "./base64.ts";
import { buildInfo, type DType, fromBytes, kernelInfo, type Tensor } from "../mod.ts";

/** The kernel settings a fixture was made with (scripts/fixtures/pinned.py). */
export interface FixtureSettings {
  profile: string;
  torch: string;
  capability: string;
  mkldnn: boolean;
  onednnIsa: string;
  blasVendor: string;
  blas: string;
  threads: number;
  cpu: { model: string; flags: string[] };
}

/** A tensor as stored in a fixture. */
export interface FixtureTensor {
  dtype: DType;
  shape: number[];
  data: string;
}

/** A parity fixture. */
export interface Fixture {
  generator: string;
  settings?: FixtureSettings;
  tensors: Record<string, FixtureTensor>;
  // deno-lint-ignore no-explicit-any
  values: Record<string, any>;
}

const FIXTURES = Deno.env.get("DENOTORCH_FIXTURES") || fileURLToPath(new URL("./fixtures/", import.meta.url));
const PARITY_LOG = Deno.env.get("DENOTORCH_PARITY_LOG");

/** The path of a file under the fixture folder (`tests/fixtures/`, or `$DENOTORCH_FIXTURES`). */
export function fixturePath(name: string): string {
  return `${FIXTURES.replace(/\/$/, "")}/${name}`;
}

let madeWith: FixtureSettings | undefined;

/** Reads `<fixtures>/<name>.json`. */
export function loadFixture(name: string): Fixture {
  const f: Fixture = JSON.parse(Deno.readTextFileSync(fixturePath(`${name}.json`)));
  madeWith ??= f.settings;
  return f;
}

const majorMinor = (v: string) => v.split(".").slice(0, 2).join(".");

/**
 * Why this process cannot reproduce the settings the fixtures were made with: one line per difference
 * (empty when it can). Informational fields (the CPU model, the BLAS file's path) do not count.
 */
export function unreproducedSettings(settings: FixtureSettings | undefined = madeWith): string[] {
  if (settings === undefined) return [];
  const k = kernelInfo();
  const why = [...k.profileProblems];
  const torch = buildInfo().torch;
  if (majorMinor(torch) !== majorMinor(settings.torch)) {
    why.push(
      `the fixtures were made with PyTorch ${settings.torch} and this is LibTorch ${torch}: regenerate them ` +
        "with this version (deno task parity)",
    );
  }
  if (k.profile !== settings.profile) {
    why.push(
      `the fixtures were made with the ${settings.profile} kernel profile and this process runs ${
        k.profile ?? "none"
      } (run the tests with \`deno task test\`, or set DENOTORCH_KERNELS=${settings.profile})`,
    );
  }
  if (k.capability !== settings.capability) {
    why.push(`ATen's CPU capability is ${k.capability} here and was ${settings.capability} for the fixtures`);
  }
  if (k.mkldnn !== settings.mkldnn) why.push(`oneDNN is ${k.mkldnn ? "on" : "off"} here and was not for the fixtures`);
  if (k.onednnIsa !== "none" && settings.onednnIsa !== "none" && k.onednnIsa !== settings.onednnIsa) {
    why.push(`oneDNN's instruction set is ${k.onednnIsa} here and was ${settings.onednnIsa} for the fixtures`);
  }
  if (k.blas.vendor !== settings.blasVendor) {
    why.push(`the BLAS is ${k.blas.vendor} (${k.blas.path}) here and was ${settings.blasVendor} for the fixtures`);
  }
  if (k.threads.intraop !== settings.threads) {
    why.push(`LibTorch runs ${k.threads.intraop} thread(s) here and ran ${settings.threads} for the fixtures`);
  }
  return why;
}

function explain(): string {
  const why = unreproducedSettings();
  return why.length === 0 ? "" : `; this process does not reproduce the fixtures' kernel settings: ${why.join("; ")}`;
}

function testFile(): string {
  const stack = new Error().stack ?? "";
  const m = [...stack.matchAll(/(tests\/[\w./-]+\.ts)/g)].map((x) => x[1]).filter((f) => f !== "tests/fixture.ts");
  return m.find((f) => f.endsWith("_test.ts")) ?? m[0] ?? "unknown";
}

function logParity(what: string, values: number, identical: number): void {
  if (PARITY_LOG === undefined) return;
  Deno.writeTextFileSync(PARITY_LOG, JSON.stringify({ file: testFile(), what, values, identical }) + "\n", {
    append: true,
  });
}

/**
 * Asserts that two lists of numbers are equal to the bit (`Object.is`, so -0 and NaN count), element by
 * element, and logs the comparison for `deno task parity`.
 */
export function assertValuesExact(actual: ArrayLike<number>, expected: ArrayLike<number>, what = "values"): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: ${actual.length} values, expected ${expected.length}`);
  }
  let identical = 0, first = -1;
  for (let i = 0; i < actual.length; i++) {
    if (Object.is(actual[i], expected[i])) identical++;
    else if (first < 0) first = i;
  }
  logParity(what, actual.length, identical);
  if (first >= 0) {
    throw new Error(
      `${what}: differs at index ${first}: ${actual[first]} vs expected ${
        expected[first]
      } (${identical} of ${actual.length} bit-identical)${explain()}`,
    );
  }
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
  const n = actual.numel();
  let same = a.length === b.length;
  for (let i = 0; same && i < a.length; i++) same = a[i] === b[i];
  if (same) {
    logParity(what, n, n);
    return;
  }
  const av = actual.reshape(-1).data(), bv = expected.reshape(-1).data();
  const width = a.length / Math.max(1, n);
  let identical = 0, first = -1;
  for (let e = 0; e < n; e++) {
    let eq = true;
    for (let j = e * width; eq && j < (e + 1) * width; j++) eq = a[j] === b[j];
    if (eq) identical++;
    else if (first < 0) first = e;
  }
  logParity(what, n, identical);
  throw new Error(
    `${what}: differs at flat index ${first}: ${av[first]} vs expected ${
      bv[first]
    } (${identical} of ${n} values bit-identical)${explain()}`,
  );
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
