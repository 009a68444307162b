/**
 * The TypeScript mirror of the shim's constants (ffi/abi.ts, the wire tags in ffi/wire.ts) equals what
 * native/include/torchshim.h declares: every enum member and #define, by name and value.
 */

import { fileURLToPath as fromFileUrl } from "node:url";
import { assertEquals } from "../serialize/assert.ts";
import { CallFlag, DeviceType, DistReduceOp, JitList, MathFn, TT_ERROR, TT_OVERFLOW } from "../../ffi/abi.ts";
import { Tag } from "../../ffi/wire.ts";

const HEADER = Deno.readTextFileSync(fromFileUrl(new URL("../../native/include/torchshim.h", import.meta.url)));

/** The members of `enum <name> { ... }` in the header, as `{ MEMBER: value }`. */
function headerEnum(name: string): Record<string, number> {
  const m = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(HEADER);
  if (m === null) throw new Error(`torchshim.h declares no enum ${name}`);
  const body = m[1].replace(/\/\*[\s\S]*?\*\//g, "");
  return Object.fromEntries(
    body.split(",").map((s) => s.trim()).filter((s) => s !== "").map((s) => {
      const [k, v] = s.split("=").map((x) => x.trim());
      return [k, Number(v)];
    }),
  );
}

/** `{ PREFIX_KEY: value }` of a mirror object. */
function prefixed(prefix: string, mirror: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(mirror).map(([k, v]) => [`${prefix}${k}`, v]));
}

Deno.test("abi: the result codes mirror torchshim.h's #defines", () => {
  const define = (name: string) => Number(new RegExp(`#define ${name} \\((-?\\d+)\\)`).exec(HEADER)?.[1]);
  assertEquals(TT_ERROR, define("TT_ERROR"));
  assertEquals(TT_OVERFLOW, define("TT_OVERFLOW"));
});

Deno.test("abi: the flags and enums mirror torchshim.h's enums", () => {
  assertEquals(prefixed("TT_CALL_", CallFlag), headerEnum("tt_call_flag"));
  assertEquals(prefixed("TT_JIT_LIST_", JitList), headerEnum("tt_jit_list_kind"));
  assertEquals(prefixed("TT_MATH_", MathFn), headerEnum("tt_math_fn"));
  assertEquals(prefixed("TT_DEVICE_", DeviceType), headerEnum("tt_device_type"));
  assertEquals(prefixed("TT_DIST_", DistReduceOp), headerEnum("tt_dist_reduce_op"));
  assertEquals(prefixed("TT_WIRE_", Tag as unknown as Record<string, number>), headerEnum("tt_wire_tag"));
});
