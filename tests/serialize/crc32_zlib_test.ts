import assert from "node:assert/strict";
import { crc32, crc32Tables } from "../../serialize/crc32.ts";

Deno.test("crc32 (zlib's) and the TypeScript slice-by-8 agree, whole and running", () => {
  const b = new Uint8Array(100_003);
  for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) >>> 24;
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32Tables(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(b), crc32Tables(b));
  assert.equal(crc32(b.subarray(7, 50_001), 0xdeadbeef), crc32Tables(b.subarray(7, 50_001), 0xdeadbeef));
  assert.equal(crc32(b.subarray(1000), crc32(b.subarray(0, 1000))), crc32(b));
  assert.equal(crc32(new Uint8Array(0), 12345), 12345);
});
