/**
 * Unpacking archives: `.tar.gz` with the maintained `tar` package (node-tar, npm `tar@7`), which refuses
 * absolute paths and `..` entries, so an archive cannot write outside the target folder; and a single
 * gzip-compressed file (`.gz`, as MNIST ships its files) with the web's `DecompressionStream`, written
 * atomically (a temporary file, then a rename).
 *
 * @module
 */

import { describe } from "../tensor/checks.ts";
import { tempPathFor } from "../util/fs.ts";

// Loaded on first use, by its full specifier: importing the library must not load node-tar (which reads
// the environment at load time), and a consumer's import map knows no bare "tar".
// (typed here, not as `typeof import(...)`, so that type-checking a consumer does not fetch the package)
interface Tar {
  extract(options: { file: string; cwd: string; strict: boolean; gzip: boolean }): Promise<void>;
  create(options: { file: string; cwd: string; gzip: boolean; portable: boolean }, entries: string[]): Promise<void>;
}
let tarModule: Promise<Tar> | null = null;
function loadTar(): Promise<Tar> {
  // deno-lint-ignore no-import-prefix
  return tarModule ??= import("npm:tar@7.5.23") as Promise<Tar>;
}

/**
 * Unpacks the gzip-compressed tar archive `file` into the existing folder `dir`. A damaged or truncated
 * archive is an error naming the file.
 *
 * @example
 * ```ts
 * import { createTarGz, extractTarGz } from "./archive.ts";
 * const src = await Deno.makeTempDir(), out = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${src}/hello.txt`, "hi");
 * await createTarGz(`${src}/pack.tar.gz`, src, ["hello.txt"]);
 * await extractTarGz(`${src}/pack.tar.gz`, out); // out/hello.txt
 * ```
 */
export async function extractTarGz(file: string, dir: string): Promise<void> {
  if (typeof file !== "string" || typeof dir !== "string") {
    throw new TypeError(
      `extractTarGz: file and dir must be paths (strings), got ${describe(file)} and ${describe(dir)}`,
    );
  }
  try {
    const tar = await loadTar();
    await tar.extract({ file, cwd: dir, strict: true, gzip: true });
  } catch (e) {
    throw new Error(`could not unpack ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/**
 * Packs `entries` (paths relative to `cwd`) into the gzip-compressed tar archive `file` (used by tests to
 * serve a small CIFAR-10 archive).
 *
 * @example
 * ```ts
 * import { createTarGz } from "./archive.ts";
 * const src = await Deno.makeTempDir();
 * await Deno.mkdir(`${src}/cifar-10-batches-bin`);
 * await createTarGz(`${src}/small.tar.gz`, src, ["cifar-10-batches-bin"]);
 * ```
 */
export async function createTarGz(file: string, cwd: string, entries: readonly string[]): Promise<void> {
  if (typeof file !== "string" || typeof cwd !== "string") {
    throw new TypeError(
      `createTarGz: file and cwd must be paths (strings), got ${describe(file)} and ${describe(cwd)}`,
    );
  }
  if (!Array.isArray(entries) || !entries.every((e) => typeof e === "string")) {
    throw new TypeError(`createTarGz: entries must be an array of paths, got ${describe(entries)}`);
  }
  const tar = await loadTar();
  await tar.create({ file, cwd, gzip: true, portable: true }, [...entries]);
}

/**
 * Decompresses the gzip file `file` into the file `out` (replaced when it exists), atomically: a damaged
 * or truncated `file` is an error naming it, and leaves `out` as it was. Resolves to the bytes written.
 *
 * @example
 * ```ts
 * import { gunzipFile } from "./archive.ts";
 * const dir = await Deno.makeTempDir();
 * const gz = new Blob(["hi"]).stream().pipeThrough(new CompressionStream("gzip"));
 * await Deno.writeFile(`${dir}/hello.txt.gz`, gz);
 * await gunzipFile(`${dir}/hello.txt.gz`, `${dir}/hello.txt`); // 2
 * ```
 */
export async function gunzipFile(file: string, out: string): Promise<number> {
  if (typeof file !== "string" || typeof out !== "string") {
    throw new TypeError(`gunzipFile: file and out must be paths (strings), got ${describe(file)} and ${describe(out)}`);
  }
  const tmp = tempPathFor(out);
  let bytes = 0;
  try {
    const input = await Deno.open(file, { read: true });
    const count = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.length;
        controller.enqueue(chunk);
      },
    });
    await Deno.writeFile(tmp, input.readable.pipeThrough(new DecompressionStream("gzip")).pipeThrough(count));
    await Deno.rename(tmp, out);
    return bytes;
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw new Error(`could not gunzip ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
