/**
 * The bridge that lets LibTorch's autograd engine call JavaScript: one `Deno.UnsafeCallback` registered
 * with the shim (`tt_fn_set_callback`), and a table of handlers by id (the backward of each application of
 * a custom `AutogradFunction`, each tensor hook). Internal to `tensor/`.
 *
 * Threads: the callback runs synchronously on JavaScript's thread, inside the `backward()` / `grad()` FFI
 * call that started the backward pass (those two symbols are declared `callback: true`, so V8 never uses
 * its fast-call path for them). For CPU graphs LibTorch's engine runs the nodes on that calling thread;
 * where it would run one on another thread (CUDA device threads, a backward from a nonblocking call) the
 * shim raises an error of the backward call instead of calling.
 *
 * Errors: a JavaScript exception inside a handler is caught here, its text handed to the shim
 * (`tt_fn_set_error`), and the node fails with it, so `backward()` throws a TorchError naming the function
 * and the JavaScript error; the original error is kept for {@linkcode takeCallbackError}.
 *
 * Lifetime: when LibTorch frees a node or a hook, its id is queued by the shim; the handlers of queued ids
 * are dropped at the next registration ({@linkcode drainReleased}).
 *
 * @module
 */

import { OWN_HANDLE } from "./handle_token.ts";
import { cstr, lib } from "../ffi/native.ts";
import { tidy } from "./memory.ts";
import { Tensor } from "./tensor.ts";

/**
 * A handler: gets the incoming tensors (owned by the bridge, freed after the call; null for undefined
 * ones) and returns one tensor (or null) per output slot.
 */
export type CallbackHandler = (inputs: (Tensor | null)[], nOut: number) => (Tensor | null)[];

const handlers = new Map<number, CallbackHandler>();
let nextId = 1;
let callback: Deno.UnsafeCallback<typeof DEFINITION> | null = null;
let lastError: unknown = undefined;

const DEFINITION = {
  parameters: ["i32", "f64", "pointer", "i32", "pointer", "i32"],
  result: "i32",
} as const;

function describeError(e: unknown): string {
  if (e instanceof Error) {
    const frames = (e.stack ?? "").split("\n").slice(1, 3).map((l) => l.trim()).join("; ");
    return `${e.name}: ${e.message}${frames ? ` (${frames})` : ""}`;
  }
  return String(e);
}

function onCall(
  _kind: number,
  id: number,
  inPtr: Deno.PointerValue,
  nIn: number,
  outPtr: Deno.PointerValue,
  nOut: number,
): number {
  const inputs: (Tensor | null)[] = [];
  try {
    if (nIn > 0 && inPtr !== null) {
      const handles = new Float64Array(Deno.UnsafePointerView.getArrayBuffer(inPtr, nIn * 8));
      for (const h of handles) inputs.push(h === 0 ? null : new Tensor(h, OWN_HANDLE));
    }
    const handler = handlers.get(id);
    if (handler === undefined) throw new Error(`no JavaScript handler for id ${id} (it was released)`);
    tidy(() => {
      const results = handler(inputs, nOut);
      if (nOut > 0 && outPtr !== null) {
        const out = new Float64Array(Deno.UnsafePointerView.getArrayBuffer(outPtr, nOut * 8));
        for (let i = 0; i < nOut; i++) {
          const r = results[i] ?? null;
          out[i] = r === null ? 0 : lib.tt_tensor_share(r.handle);
        }
      }
    });
    return 0;
  } catch (e) {
    lastError = e;
    try {
      lib.tt_fn_set_error(cstr(describeError(e)));
    } catch {
      // the shim gives a generic message then
    }
    return 1;
  } finally {
    for (const t of inputs) t?.dispose();
  }
}

function ensureCallback(): void {
  if (callback !== null) return;
  callback = new Deno.UnsafeCallback(DEFINITION, onCall);
  lib.tt_fn_set_callback(callback.pointer);
}

/** Drops the handlers of the nodes and hooks LibTorch has freed since the last call. */
export function drainReleased(): void {
  const buf = new Float64Array(256);
  for (;;) {
    const n = lib.tt_fn_take_released(new Uint8Array(buf.buffer), buf.length);
    for (let i = 0; i < n; i++) handlers.delete(buf[i]);
    if (n < buf.length) return;
  }
}

/** Registers `handler` under a new id (and the callback with the shim, on first use); returns the id. */
export function registerHandler(handler: CallbackHandler): number {
  ensureCallback();
  drainReleased();
  const id = nextId++;
  handlers.set(id, handler);
  return id;
}

/** Removes the handler `id` (when LibTorch never took it). */
export function unregisterHandler(id: number): void {
  handlers.delete(id);
}

/** The number of live handlers (for leak tests). */
export function liveHandlers(): number {
  drainReleased();
  return handlers.size;
}

/**
 * The JavaScript error that made the last failing backward node or hook fail (then forgets it), or
 * undefined.
 *
 * @example
 * ```ts
 * import { takeCallbackError } from "./js_callback.ts";
 * const cause = takeCallbackError(); // after a backward() that threw because a JavaScript backward threw
 * ```
 */
export function takeCallbackError(): unknown {
  const e = lastError;
  lastError = undefined;
  return e;
}
