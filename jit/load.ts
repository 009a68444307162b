/**
 * `jit.load`: opens a TorchScript file (from `torch.jit.save`, `torch.jit.script(m).save(path)` or
 * `torch.jit.trace(...).save(path)` in Python) as a {@linkcode ScriptModule}.
 *
 * @module
 */

import { cstr, errBuf, ERRCAP, lib, readError } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import { type Device, parseDevice } from "../tensor/device.ts";
import { fileSource } from "../serialize/source.ts";
import { NotAZipError, ZipReader } from "../serialize/zip_read.ts";
import { ScriptModule } from "./script_module.ts";
import { checkArchive } from "./archive_check.ts";
import { OWN_HANDLE } from "../tensor/handle_token.ts";
import { checkOptions } from "../tensor/options.ts";

/** Options of {@linkcode load}. */
export interface JitLoadOptions {
  /** Put the parameters and buffers on this device (default: where they were saved). */
  device?: Device;
}

const HOW_TO_EXPORT = "export one in Python with torch.jit.script(model).save(path) (or torch.jit.trace)";

/** Checks that `path` holds a TorchScript archive, with a message that says what it holds otherwise. */
function checkTorchScript(path: string): void {
  let source;
  try {
    source = fileSource(path);
  } catch (e) {
    if ((e as Error).message.endsWith("no such file")) {
      throw new Error(`jit.load: ${path}: no such file; ${HOW_TO_EXPORT}`);
    }
    throw new Error(`jit.load: ${(e as Error).message}`);
  }
  try {
    let zip: ZipReader;
    try {
      zip = new ZipReader(source);
    } catch (e) {
      if (e instanceof NotAZipError) {
        throw new Error(
          `jit.load: ${path} is not a TorchScript file (not a zip archive as torch.jit.save writes); ${HOW_TO_EXPORT}`,
        );
      }
      throw new Error(`jit.load: ${(e as Error).message}`);
    }
    const names = zip.entries.map((e) => e.name);
    const isScript = names.some((n) => /^[^/]*\/(code\/|constants\.pkl$)/.test(n));
    if (!isScript && names.some((n) => /^[^/]*\/data\.pkl$/.test(n))) {
      throw new Error(
        `jit.load: ${path} is a torch.save file (a state dict or pickled object), not a TorchScript module: ` +
          `read it with load(path) (and model.loadStateDict), or ${HOW_TO_EXPORT}`,
      );
    }
    if (!isScript) {
      throw new Error(`jit.load: ${path} is a zip archive but not a TorchScript file; ${HOW_TO_EXPORT}`);
    }
    const first = names.find((n) => n.includes("/")) ?? "";
    checkArchive(zip, first.slice(0, first.indexOf("/") + 1), path);
  } finally {
    source.close();
  }
}

/**
 * Loads a TorchScript module. Throws an Error naming the path when the file is missing or is not
 * TorchScript (a `torch.save` state dict is recognized as such), when the archive is damaged or crafted
 * (its pickles, records and code are checked before LibTorch reads them, see `archive_check.ts`), and
 * LibTorch's message when it fails to load.
 *
 * @example
 * ```ts
 * import { jit, randn } from "../mod.ts";
 * const model = jit.load("resnet18_scripted.pt", { device: "cpu" });
 * model.eval();
 * const out = model.forward(randn([1, 3, 224, 224]));
 * ```
 */
export function load(path: string, options: JitLoadOptions = {}): ScriptModule {
  checkOptions("jit.load", options, ["device"], 'jit.load(path, { device: "cuda" })');
  checkTorchScript(path);
  const [type, index] = options.device === undefined ? [-1, -1] : parseDevice(options.device, "jit.load: device");
  const h = lib.tt_jit_load(cstr(path), type, index, errBuf, ERRCAP);
  if (h === 0) throw new TorchError(readError(), `jit.load(${path})`);
  return new ScriptModule(h, OWN_HANDLE);
}
