import assert from "node:assert/strict";
import { join } from "node:path";
import { sharedFlags } from "../../study/config.ts";
import { DEFAULT_DATA_DIR } from "../../study/data.ts";
import { defaultText, FlagError, type FlagSpecs, helpText, parseFlags } from "../../study/flags.ts";
import { runStudy } from "../../study/pipeline.ts";
import { lenetTask } from "../../study/tasks/lenet.ts";
import { densenetTask } from "../../study/tasks/densenet.ts";

const SPECS: FlagSpecs = {
  bins: { kind: "int", default: 10, min: 1, max: 1000, help: "bins" },
  lr: { kind: "float", default: 1e-3, min: 0, max: 10, exclusiveMin: true, help: "learning rate" },
  "batch-size": { kind: "int", default: 64, min: 1, max: 65536, help: "batch" },
  augment: { kind: "boolean", default: true, help: "augment" },
};

function flagError(args: string[], message: RegExp): void {
  assert.throws(() => parseFlags(args, SPECS), (e: Error) => {
    assert.ok(e instanceof FlagError, `${args.join(" ")}: ${e}`);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("-h and --help ask for the help text", () => {
  assert.equal(parseFlags(["-h"], SPECS), null);
  assert.equal(parseFlags(["--help"], SPECS), null);
  assert.equal(parseFlags(["--bins", "3", "-h"], SPECS), null);
});

Deno.test("an unknown flag names the nearest known one", () => {
  flagError(["--bns", "3"], /^unknown flag '--bns' \(did you mean '--bins'\?\) \(see --help\)$/);
  flagError(["--batch_size", "3"], /did you mean '--batch-size'\?/);
  flagError(["--batchsize=3"], /did you mean '--batch-size'\?/);
  flagError(["--no-augmnt"], /did you mean '--no-augment'\?/);
  flagError(["--zzz"], /^unknown flag '--zzz' \(see --help\)$/);
  flagError(["-x"], /^unknown flag '-x'/);
  flagError(["stray"], /positional|Unexpected argument/i);
});

Deno.test("numbers are parsed strictly: decimal text only", () => {
  assert.equal(parseFlags(["--bins", "16"], SPECS)?.values.bins, 16);
  assert.equal(parseFlags(["--bins=+16"], SPECS)?.values.bins, 16);
  assert.equal(parseFlags(["--lr", "2.5e-3"], SPECS)?.values.lr, 2.5e-3);
  assert.equal(parseFlags(["--lr", ".5"], SPECS)?.values.lr, 0.5);
  for (
    const bad of ["0x10", "0o20", "0b10000", "1e1", "16.0", " 16", "16 ", "", "1_6", "Infinity", "9007199254740993"]
  ) {
    flagError(
      [`--bins=${bad}`],
      new RegExp(`--bins must be an integer in \\[1, 1000\\], got '${bad.replace(/[+.]/g, "\\$&")}'`),
    );
  }
  for (const bad of ["0x1", "Infinity", "NaN", "1e", "--1", "1.2.3"]) {
    flagError([`--lr=${bad}`], /--lr must be a number in \(0, 10\]/);
  }
});

Deno.test("--help shows the defaults the run really uses", () => {
  for (const task of [lenetTask, densenetTask]) {
    const shared = sharedFlags(task.defaults, task.name);
    const specs = { ...shared, ...task.flags };
    const text = helpText(task.usage, specs, task.notes);
    const values = parseFlags([], specs)!.values;
    for (const [name, spec] of Object.entries(specs)) {
      const line = text.split("\n").find((l) => l.startsWith(`  --${name} `) || l.startsWith(`  --${name},`));
      assert.ok(line, `--${name} is listed`);
      assert.equal(line.match(/\(default /g)?.length, 1, `one default for --${name}: ${line}`);
      assert.ok(line.includes(`(default ${defaultText(spec)}`), line);
      if (spec.defaultText === undefined) assert.equal(values[name], spec.default);
    }
    assert.match(text, /-h, --help/);
    assert.ok(defaultText(shared.data).includes(DEFAULT_DATA_DIR));
    assert.equal(defaultText(shared.out), `runs/${task.name}-<time>`);
    assert.equal(values.download, false);
  }
});

Deno.test("a --data folder that does not exist is an error, not a download, and leaves no run folder", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "flags-test-" });
  // a download would go here and fail with another message
  Deno.env.set("DENOTORCH_CIFAR10_URL", "http://127.0.0.1:9/cifar-10-binary.tar.gz");
  try {
    const out = join(dir, "run");
    await assert.rejects(
      () => runStudy(lenetTask, ["--data", join(dir, "typo"), "--out", out, "--device", "cpu"], { quiet: true }),
      (e: Error) => {
        assert.match(e.message, /^--data .*typo: no such folder; .*or add --download to download it there/);
        return true;
      },
    );
    assert.throws(() => Deno.statSync(out), Deno.errors.NotFound, "no empty run folder");
    // nor the empty folders made above it
    await assert.rejects(() =>
      runStudy(lenetTask, ["--data", join(dir, "typo"), "--out", join(dir, "new", "runs", "x")], { quiet: true })
    );
    assert.throws(() => Deno.statSync(join(dir, "new")), Deno.errors.NotFound);
    Deno.mkdirSync(join(dir, "empty"));
    await assert.rejects(
      () => runStudy(lenetTask, ["--data", join(dir, "empty"), "--out", out, "--device", "cpu"], { quiet: true }),
      /--data .*empty: the folder is empty/,
    );
    assert.throws(() => Deno.statSync(out), Deno.errors.NotFound);
    // a run folder that existed before is kept
    Deno.mkdirSync(out);
    await assert.rejects(() => runStudy(lenetTask, ["--data", join(dir, "typo"), "--out", out], { quiet: true }));
    assert.ok(Deno.statSync(out).isDirectory);
  } finally {
    Deno.env.delete("DENOTORCH_CIFAR10_URL");
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("CIFAR10_DIR naming a missing folder is an error too", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "flags-test-" });
  const saved = Deno.env.get("CIFAR10_DIR");
  Deno.env.set("CIFAR10_DIR", join(dir, "nope"));
  try {
    await assert.rejects(
      () => runStudy(lenetTask, ["--out", join(dir, "run"), "--device", "cpu"], { quiet: true }),
      /CIFAR10_DIR=.*nope: no such folder/,
    );
  } finally {
    if (saved === undefined) Deno.env.delete("CIFAR10_DIR");
    else Deno.env.set("CIFAR10_DIR", saved);
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("deno task bench and deno task build: -h, and an unknown flag names the nearest one", async () => {
  for (const [script, bad, near] of [["bench.ts", "--thread", "--threads"], ["build.ts", "--clen", "--clean"]]) {
    const path = new URL(`../../scripts/${script}`, import.meta.url).pathname;
    const run = (args: string[]) => new Deno.Command(Deno.execPath(), { args: ["run", "-A", path, ...args] }).output();
    const help = await run(["-h"]);
    assert.equal(help.code, 0);
    assert.match(new TextDecoder().decode(help.stdout), /-h, --help/);
    const wrong = await run([bad]);
    assert.equal(wrong.code, 2);
    assert.match(
      new TextDecoder().decode(wrong.stderr),
      new RegExp(`unknown flag '${bad}' \\(did you mean '${near}'\\?\\)`),
    );
  }
});
