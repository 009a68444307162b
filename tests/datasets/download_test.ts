import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { createTarGz } from "../../datasets/archive.ts";
import { downloadCifar10, hasCifar10 } from "../../datasets/cifar10/download.ts";
import { CIFAR10_FILES } from "../../datasets/cifar10/format.ts";
import { readCifar10 } from "../../datasets/cifar10/reader.ts";
import { downloadVerified } from "../../datasets/download.ts";
import { syntheticCifarDir } from "./helpers.ts";

/** A small CIFAR-10 archive: `cifar-10-batches-bin/` with a few records per file (or `folder`). */
async function buildArchive(
  folder = "cifar-10-batches-bin",
): Promise<{ bytes: Uint8Array<ArrayBuffer>; md5: string; src: string }> {
  const src = syntheticCifarDir(3);
  const root = Deno.makeTempDirSync({ prefix: "cifar-archive-" });
  try {
    Deno.renameSync(src, join(root, folder));
    const file = join(root, "archive.tar.gz");
    await createTarGz(file, root, [folder]);
    const bytes = Deno.readFileSync(file);
    const copy = Deno.makeTempDirSync({ prefix: "cifar-expected-" });
    for (const name of CIFAR10_FILES) Deno.copyFileSync(join(root, folder, name), join(copy, name));
    return { bytes, md5: createHash("md5").update(bytes).digest("hex"), src: copy };
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
}

type Mode = "ok" | "break" | "404";

/** Serves `bytes` on 127.0.0.1 (a free port): whole, broken off after half, or 404. Counts requests. */
function serve(bytes: Uint8Array<ArrayBuffer>, mode: () => Mode) {
  let requests = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    requests++;
    const m = mode();
    if (m === "404") return new Response("no such file", { status: 404, statusText: "Not Found" });
    if (m === "ok") return new Response(bytes, { headers: { "content-type": "application/gzip" } });
    const half = bytes.subarray(0, bytes.length >> 1);
    // Announces the whole length, sends half, then ends: the connection breaks off mid-body.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(half);
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-length": String(bytes.length) } });
  });
  const url = `http://127.0.0.1:${server.addr.port}/cifar-10-binary.tar.gz`;
  return { server, url, requests: () => requests };
}

function listing(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("downloadCifar10 from a local server: success, then nothing to do", async () => {
  const { bytes, md5, src } = await buildArchive();
  const root = Deno.makeTempDirSync({ prefix: "cifar-download-" });
  const { server, url, requests } = serve(bytes, () => "ok");
  try {
    const dir = join(root, "data", "cifar-10-batches-bin");
    const lines: string[] = [];
    const progress = { write: (s: string) => lines.push(s), isTerminal: false };
    const first = await downloadCifar10({ dir, url, md5, progress });
    assert.deepEqual(first, { dir, downloaded: true });
    assert.ok(hasCifar10(dir));
    for (const name of CIFAR10_FILES) {
      assert.deepEqual(Deno.readFileSync(join(dir, name)), Deno.readFileSync(join(src, name)), name);
    }
    assert.deepEqual(listing(join(root, "data")), ["cifar-10-batches-bin"], "no temporary files left");
    using train = readCifar10(dir, { split: "train" });
    assert.equal(train.length, 15);
    const text = lines.join("");
    assert.match(text, /cifar-10-binary\.tar\.gz/);
    assert.match(text, new RegExp(`${bytes.length} B / ${bytes.length} B|kB / `), "bytes so far and total");
    assert.match(text, /B\/s/, "a rate");
    assert.ok(lines.length <= 12, `a short log, got ${lines.length} lines`);
    const again = await downloadCifar10({ dir, url, md5, progress });
    assert.deepEqual(again, { dir, downloaded: false });
    assert.equal(requests(), 1, "the second call made no request");
  } finally {
    await server.shutdown();
    Deno.removeSync(root, { recursive: true });
    Deno.removeSync(src, { recursive: true });
  }
});

Deno.test("downloadCifar10: a checksum mismatch, a server that breaks off, HTTP 404: clear errors, nothing left", async () => {
  const { bytes, md5, src } = await buildArchive();
  const root = Deno.makeTempDirSync({ prefix: "cifar-download-" });
  let mode: Mode = "ok";
  const { server, url } = serve(bytes, () => mode);
  try {
    const dir = join(root, "cifar-10-batches-bin");
    const quiet = { write: () => {}, isTerminal: false };
    await assert.rejects(
      downloadCifar10({ dir, url, md5: "0".repeat(32), progress: quiet }),
      new RegExp(`checksum mismatch for ${url.replaceAll(".", "\\.")}: MD5 ${md5}, expected 0{32}`),
    );
    assert.deepEqual(listing(root), [], "nothing left after a checksum mismatch");
    mode = "break";
    await assert.rejects(
      downloadCifar10({ dir, url, md5, progress: quiet }),
      /broke off after [\d.]+ k?B of [\d.]+ k?B: error reading a body/,
    );
    assert.deepEqual(listing(root), [], "nothing left after a broken-off download");
    mode = "404";
    const deep = join(root, "new", "folders", "cifar-10-batches-bin");
    await assert.rejects(downloadCifar10({ dir: deep, url, md5, progress: quiet }), /answered HTTP 404 Not Found/);
    assert.deepEqual(listing(root), [], "nothing left after a 404, not even the folders it made");
    mode = "ok";
    const reached = await downloadCifar10({ dir, url, md5, progress: quiet });
    assert.equal(reached.downloaded, true, "the same folder works once the server does");
  } finally {
    await server.shutdown();
    Deno.removeSync(root, { recursive: true });
    Deno.removeSync(src, { recursive: true });
  }
});

Deno.test("downloadCifar10: an archive without the folder, and a folder holding other files", async () => {
  const wrong = await buildArchive("some-other-folder");
  const root = Deno.makeTempDirSync({ prefix: "cifar-download-" });
  const { server, url } = serve(wrong.bytes, () => "ok");
  try {
    const quiet = { write: () => {}, isTerminal: false };
    const dir = join(root, "cifar-10-batches-bin");
    await assert.rejects(
      downloadCifar10({ dir, url, md5: wrong.md5, progress: quiet }),
      /has no complete cifar-10-batches-bin\/ folder \(missing or malformed: data_batch_1\.bin/,
    );
    assert.deepEqual(listing(root), [], "nothing left after a bad archive");
    Deno.mkdirSync(dir);
    Deno.writeTextFileSync(join(dir, "notes.txt"), "mine");
    await assert.rejects(
      downloadCifar10({ dir, url, md5: wrong.md5, progress: quiet }),
      /already holds files but not a complete CIFAR-10 binary folder/,
    );
    assert.deepEqual(listing(dir), ["notes.txt"], "the folder is left alone");
    await assert.rejects(downloadCifar10({ dir: "" }), /option 'dir' \(a folder\) is required/);
  } finally {
    await server.shutdown();
    Deno.removeSync(root, { recursive: true });
    Deno.removeSync(wrong.src, { recursive: true });
  }
});

Deno.test("downloadCifar10: an archive that does not unpack is an error, nothing left", async () => {
  const junk = new Uint8Array(4096).map((_, i) => (i * 31) % 251);
  const md5 = createHash("md5").update(junk).digest("hex");
  const root = Deno.makeTempDirSync({ prefix: "cifar-download-" });
  const { server, url } = serve(junk, () => "ok");
  try {
    const dir = join(root, "cifar-10-batches-bin");
    await assert.rejects(
      downloadCifar10({ dir, url, md5, progress: false }),
      /could not unpack .*cifar-10-binary\.tar\.gz/,
    );
    assert.deepEqual(listing(root), [], "nothing left after an archive that does not unpack");
  } finally {
    await server.shutdown();
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("downloadVerified checks its md5 option", async () => {
  await assert.rejects(downloadVerified("http://127.0.0.1:9/x", "/tmp/x", { md5: "xyz" }), /must be 32 hex digits/);
});
