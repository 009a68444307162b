import assert from "node:assert/strict";
import { join } from "node:path";
import { gunzipFile } from "../../datasets/archive.ts";

/** `bytes` gzip-compressed, by the web's CompressionStream (independent of the code under test). */
async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("gunzipFile: restores the bytes exactly and reports their count", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "gunzip-" });
  try {
    // MNIST's header (magic 2051, 2 images of 28 x 28), then pixel bytes 0..255 repeated
    const raw = new Uint8Array(16 + 2 * 28 * 28);
    new DataView(raw.buffer).setUint32(0, 2051);
    new DataView(raw.buffer).setUint32(4, 2);
    new DataView(raw.buffer).setUint32(8, 28);
    new DataView(raw.buffer).setUint32(12, 28);
    for (let i = 16; i < raw.length; i++) raw[i] = (i * 7) % 256;
    Deno.writeFileSync(join(dir, "images.gz"), await gzip(raw));
    const n = await gunzipFile(join(dir, "images.gz"), join(dir, "images"));
    assert.equal(n, 16 + 1568);
    assert.deepEqual(Deno.readFileSync(join(dir, "images")), raw);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["images", "images.gz"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("gunzipFile: a truncated or missing file is an error naming it, and leaves nothing behind", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "gunzip-" });
  try {
    const gz = await gzip(new Uint8Array(10_000).fill(3));
    Deno.writeFileSync(join(dir, "cut.gz"), gz.subarray(0, gz.length - 12));
    Deno.writeFileSync(join(dir, "out"), new Uint8Array([1, 2, 3]));
    await assert.rejects(gunzipFile(join(dir, "cut.gz"), join(dir, "out")), /^Error: could not gunzip .*cut\.gz: /);
    assert.deepEqual(Deno.readFileSync(join(dir, "out")), new Uint8Array([1, 2, 3]), "the old output is kept");
    await assert.rejects(
      gunzipFile(join(dir, "none.gz"), join(dir, "x")),
      /could not gunzip .*none\.gz: .*No such file/,
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["cut.gz", "out"]);
    await assert.rejects(
      gunzipFile(3 as never, "x"),
      /^TypeError: gunzipFile: file and out must be paths \(strings\), got 3/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
