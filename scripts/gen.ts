/**
 * `deno task gen`: regenerates every generated file (`scripts/gen/generators.ts` lists the generators) from
 * its source, for example the linked LibTorch's operator schemas. `--check` writes nothing and exits 1 when
 * a committed file differs from what its generator makes now (the test suite runs the same comparison).
 *
 *   deno task gen            # rewrite the generated files
 *   deno task gen --check    # only compare
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { GENERATORS } from "./gen/generators.ts";
import { writeFileAtomic } from "../util/fs.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

const args = [...Deno.args];
const check = args.includes("--check");
const unknown = args.filter((a) => a !== "--check");
if (args.includes("-h") || args.includes("--help")) {
  console.log("deno task gen [--check]\n\nRegenerates the generated files; --check only compares them.");
  Deno.exit(0);
}
if (unknown.length > 0) {
  console.error(`deno task gen: unknown argument ${unknown[0]} (the only flag is --check)`);
  Deno.exit(2);
}

let stale = 0;
for (const generator of GENERATORS) {
  const files = await generator.generate();
  for (const file of files) {
    const path = ROOT + file.path;
    let current: string | null = null;
    try {
      current = await Deno.readTextFile(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (current === file.text) continue;
    if (check) {
      stale++;
      console.error(`${file.path}: differs from what ${generator.name} makes from ${generator.source}`);
    } else {
      await writeFileAtomic(path, file.text);
      console.log(`${file.path}: written (${generator.name})`);
    }
  }
}
if (check && stale > 0) {
  console.error(`deno task gen --check: ${stale} generated file(s) are stale; run \`deno task gen\``);
  Deno.exit(1);
}
console.log(check ? "deno task gen --check: every generated file is current" : "deno task gen: done");
