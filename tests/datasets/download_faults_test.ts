// The downloader against faulty servers on 127.0.0.1 (raw TCP, so a test controls every byte): silent, stalled,
// trickling, oversized (announced or sent), a wrong MD5, an abort and Ctrl-C mid-download, a refused archive.
// Each case is bounded to a few seconds by small timeouts; each checks that no temporary file is left.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { createTarGz } from "../../datasets/archive.ts";
import { downloadCifar10 } from "../../datasets/cifar10/download.ts";
import { downloadVerified } from "../../datasets/download.ts";

type Mode = "silent" | "stall" | "trickle" | "huge-length" | "flood" | "ok";

const encoder = new TextEncoder();

/** A raw HTTP server on 127.0.0.1: each connection gets `mode`'s behaviour; `close()` ends them all. */
function faultServer(mode: Mode, body = new Uint8Array(0)) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const timers = new Set<ReturnType<typeof setInterval>>();
  let requests = 0;
  let onRequest = () => {};
  const requested = new Promise<void>((r) => (onRequest = r));
  const write = (c: Deno.Conn, b: Uint8Array | string) =>
    c.write(typeof b === "string" ? encoder.encode(b) : b).catch(() => 0);
  (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      (async () => {
        await conn.read(new Uint8Array(4096)).catch(() => null); // the request (small, one read)
        requests++;
        onRequest();
        if (mode === "silent") return;
        if (mode === "ok") {
          await write(conn, `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
          await write(conn, body);
          conn.close();
          conns.delete(conn);
          return;
        }
        if (mode === "stall") {
          await write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
          await write(conn, new Uint8Array(100));
          return; // and then nothing
        }
        if (mode === "huge-length") {
          await write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n");
          await write(conn, new Uint8Array(1000));
          return;
        }
        if (mode === "trickle") {
          await write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n");
          const t = setInterval(() => write(conn, "x"), 20); // 50 B/s: never stalls, never finishes
          timers.add(t);
          return;
        }
        // flood: no Content-Length, megabytes until the client hangs up
        await write(conn, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
        const chunk = new Uint8Array(65536);
        for (let i = 0; i < 10_000; i++) if ((await write(conn, chunk)) === 0) break;
      })();
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/archive.tar.gz`,
    requests: () => requests,
    requested,
    close() {
      for (const t of timers) clearInterval(t);
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
      listener.close();
    },
  };
}

const quick = { stallSeconds: 0.5, minBytesPerSecond: 0, progress: false } as const;

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "download-faults-" });
  try {
    await fn(dir);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [], "no temporary file left");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

async function timed<T>(limitMs: number, p: Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await p;
  } finally {
    const ms = performance.now() - t0;
    assert.ok(ms < limitMs, `took ${ms.toFixed(0)} ms, more than ${limitMs}`);
  }
}

Deno.test("download: a server that never answers is a stall error after stallSeconds", async () => {
  const s = faultServer("silent");
  try {
    await inTempDir(async (dir) => {
      await timed(
        3000,
        assert.rejects(downloadVerified(s.url, join(dir, "f"), quick), /: no data for 0\.5 s \(0 B received\)/),
      );
    });
  } finally {
    s.close();
  }
});

Deno.test("download: a server that stops sending mid-body is a stall error, the partial file removed", async () => {
  const s = faultServer("stall");
  try {
    await inTempDir(async (dir) => {
      await timed(
        3000,
        assert.rejects(downloadVerified(s.url, join(dir, "f"), quick), /no data for 0\.5 s \(100 B received\)/),
      );
    });
  } finally {
    s.close();
  }
});

Deno.test("download: a trickling server fails the minimum rate, and the deadline when set", async () => {
  const s = faultServer("trickle");
  try {
    await inTempDir(async (dir) => {
      const slow = { ...quick, minBytesPerSecond: 1000, rateWindowSeconds: 0.5 };
      await timed(
        3000,
        assert.rejects(
          downloadVerified(s.url, join(dir, "f"), slow),
          /too slow: \d+ B\/s over the last 0\.5 s, below the 1\.0 kB\/s minimum/,
        ),
      );
      const late = { ...quick, deadlineSeconds: 0.6 };
      await timed(3000, assert.rejects(downloadVerified(s.url, join(dir, "f"), late), /not finished after 0\.6 s/));
    });
  } finally {
    s.close();
  }
});

Deno.test("download: an announced size above maxBytes is refused before writing; so are bytes beyond it", async () => {
  const big = faultServer("huge-length");
  const flood = faultServer("flood");
  try {
    await inTempDir(async (dir) => {
      await timed(
        3000,
        assert.rejects(
          downloadVerified(big.url, join(dir, "f"), { ...quick, maxBytes: 5000 }),
          /announces .* \(1000000000000 bytes\), more than the 5000 bytes expected; refused without downloading/,
        ),
      );
      await timed(
        3000,
        assert.rejects(
          downloadVerified(flood.url, join(dir, "f"), { ...quick, maxBytes: 200_000 }),
          /sent more than the 200000 bytes expected; stopped and removed it/,
        ),
      );
    });
  } finally {
    big.close();
    flood.close();
  }
});

Deno.test("download: a wrong MD5 is refused and nothing is left; bad timeout options are TypeErrors", async () => {
  const body = encoder.encode("not the archive you are looking for");
  const s = faultServer("ok", body);
  try {
    await inTempDir(async (dir) => {
      const md5 = createHash("md5").update(body).digest("hex");
      await assert.rejects(
        downloadVerified(s.url, join(dir, "f"), { ...quick, md5: "f".repeat(32) }),
        new RegExp(`checksum mismatch .*MD5 ${md5}, expected f{32} \\(${body.length} bytes\\)`),
      );
    });
    for (
      const [k, v] of [["stallSeconds", 0], ["minBytesPerSecond", -1], ["maxBytes", NaN], ["deadlineSeconds", "9"]]
    ) {
      await assert.rejects(
        downloadVerified(s.url, "/nonexistent/f", { [k as string]: v }),
        (e: Error) => e instanceof TypeError && e.message.includes(`option '${k}' must be`),
      );
    }
  } finally {
    s.close();
  }
});

Deno.test("download: aborting mid-download removes the temporary file", async () => {
  const s = faultServer("trickle");
  try {
    await inTempDir(async (dir) => {
      const controller = new AbortController();
      const p = downloadVerified(s.url, join(dir, "f"), { ...quick, stallSeconds: 10, signal: controller.signal });
      await s.requested;
      await new Promise((r) => setTimeout(r, 100));
      controller.abort();
      await timed(2000, assert.rejects(p, /: aborted/));
    });
  } finally {
    s.close();
  }
});

Deno.test("download: Ctrl-C (SIGINT) mid-download removes the temporary file and says so", async () => {
  const s = faultServer("trickle");
  const dir = Deno.makeTempDirSync({ prefix: "download-sigint-" });
  try {
    const script = join(dir, "child.ts");
    const module = new URL("../../datasets/download.ts", import.meta.url).href;
    Deno.writeTextFileSync(
      script,
      `import { downloadVerified } from ${JSON.stringify(module)};\n` +
        `try { await downloadVerified(${JSON.stringify(s.url)}, ${JSON.stringify(join(dir, "out", "f"))}, ` +
        `{ progress: false, stallSeconds: 20, minBytesPerSecond: 0 }); } ` +
        `catch (e) { console.error(e.message); Deno.exit(3); }\n`,
    );
    const child = new Deno.Command(Deno.execPath(), { args: ["run", "-A", script], stderr: "piped", stdout: "null" })
      .spawn();
    await s.requested;
    await new Promise((r) => setTimeout(r, 200)); // bytes are flowing into the temporary file
    assert.ok([...Deno.readDirSync(join(dir, "out"))].length === 1, "a temporary file while downloading");
    child.kill("SIGINT");
    const { code, stderr } = await child.output();
    assert.equal(code, 3);
    assert.match(new TextDecoder().decode(stderr), /interrupted \(Ctrl-C\)/);
    assert.deepEqual([...Deno.readDirSync(join(dir, "out"))], [], "the temporary file is gone");
  } finally {
    s.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("downloadCifar10: an archive node-tar refuses leaves no unpack folder", async () => {
  // many files, then an entry escaping the folder: strict node-tar refuses it while files are still being written
  const src = Deno.makeTempDirSync({ prefix: "cifar-refused-src-" });
  const root = Deno.makeTempDirSync({ prefix: "cifar-refused-" });
  try {
    Deno.mkdirSync(join(src, "cifar-10-batches-bin"));
    const names: string[] = [];
    for (let i = 0; i < 200; i++) {
      Deno.writeFileSync(join(src, "cifar-10-batches-bin", `f${i}.bin`), new Uint8Array(20_000).fill(i));
      names.push(`cifar-10-batches-bin/f${i}.bin`);
    }
    const file = join(src, "a.tar.gz");
    await createTarGz(file, src, names);
    // a second archive member whose header is corrupt: appended garbage after the gzip stream is refused
    const bytes = new Uint8Array([...Deno.readFileSync(file), ...new Uint8Array(512).fill(7)]);
    const md5 = createHash("md5").update(bytes).digest("hex");
    const s = faultServer("ok", bytes);
    try {
      const dir = join(root, "cifar-10-batches-bin");
      await assert.rejects(
        downloadCifar10({ dir, url: s.url, md5, progress: false }),
        /could not unpack .*cifar-10-binary\.tar\.gz.*: zlib: incorrect header check/,
      );
      assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), [], "no unpack folder, no archive");
    } finally {
      s.close();
    }
  } finally {
    Deno.removeSync(src, { recursive: true });
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("downloadCifar10: the official archive's size caps what it accepts; its stall limit is configurable", async () => {
  const big = faultServer("huge-length");
  const silent = faultServer("silent");
  const root = Deno.makeTempDirSync({ prefix: "cifar-capped-" });
  try {
    const dir = join(root, "cifar-10-batches-bin");
    await timed(
      3000,
      assert.rejects(
        downloadCifar10({ dir, url: big.url, progress: false }),
        /announces .*, more than the 170052171 bytes expected; refused without downloading/,
      ),
    );
    await timed(
      3000,
      assert.rejects(
        downloadCifar10({ dir, url: silent.url, progress: false, stallSeconds: 0.3 }),
        /no data for 0\.3 s/,
      ),
    );
    assert.deepEqual([...Deno.readDirSync(root)], [], "nothing left");
  } finally {
    big.close();
    silent.close();
    Deno.removeSync(root, { recursive: true });
  }
});
