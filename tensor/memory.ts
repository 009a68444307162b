/**
 * Native memory: deterministic freeing through scopes (`tidy`), `keep`, and a FinalizationRegistry
 * as the backstop for tensors that live outside any scope.
 *
 * A tensor created inside `tidy(fn)` is recorded by the innermost scope, and freed when `fn` ends unless
 * `fn` returns it (then it moves to the enclosing scope) or it was `keep()`-ed. Such tensors cost no
 * FinalizationRegistry registration. Tensors created outside any scope are registered, so that the
 * garbage collector frees forgotten ones; `dispose()` (or `using`) frees them at once.
 *
 * @module
 */

import { AsyncLocalStorage } from "node:async_hooks";
import { lib } from "../ffi/native.ts";
import { describe } from "./describe.ts";

/** What a scope needs of a tensor (implemented by `Tensor`). */
export interface Tracked {
  /** Registered with the FinalizationRegistry. */
  _registered: boolean;
  /** Marked by `keep()`: no scope frees it. */
  _kept: boolean;
  /** Scratch mark: part of a scope's result. */
  _escapes: boolean;
  /** The native handle, 0 once disposed. */
  readonly _handleOrZero: number;
  /** Frees the native tensor now. */
  dispose(): void;
}

const registry = new FinalizationRegistry<number>((handle) => lib.tt_tensor_free(handle));

/** Registers `t` so that the garbage collector frees its handle. */
export function register(t: Tracked): void {
  if (t._registered) return;
  const h = t._handleOrZero;
  if (h === 0) return;
  registry.register(t, h, t);
  t._registered = true;
}

/** Withdraws `t` from the FinalizationRegistry (it is being freed explicitly). */
export function unregister(t: Tracked): void {
  if (!t._registered) return;
  registry.unregister(t);
  t._registered = false;
}

class Scope {
  readonly tensors: Tracked[] = [];
  /** Set once the scope has freed its tensors: it records nothing more. */
  closed = false;
  constructor(readonly parent: Scope | null) {}

  /** Frees what was created in this scope except the tensors in `result` and kept ones. */
  close(result: unknown): void {
    this.closed = true;
    const escaping: Tracked[] = [];
    markTensors(result, escaping, 0);
    let parent = this.parent;
    while (parent !== null && parent.closed) parent = parent.parent; // an async scope can outlive its parent
    for (const t of this.tensors) {
      if (t._handleOrZero === 0) continue;
      if (t._escapes || t._kept) {
        if (!t._kept && parent !== null) parent.tensors.push(t);
        else register(t);
      } else {
        t.dispose();
      }
    }
    for (const t of escaping) t._escapes = false;
  }
}

function isTracked(v: unknown): v is Tracked {
  return typeof v === "object" && v !== null && "_handleOrZero" in v && "_escapes" in v;
}

function markTensors(v: unknown, out: Tracked[], depth: number): void {
  if (depth > 32 || typeof v !== "object" || v === null) return;
  if (isTracked(v)) {
    v._escapes = true;
    out.push(v);
  } else if (Array.isArray(v)) {
    for (const x of v) markTensors(x, out, depth + 1);
  } else if (v instanceof Map) {
    for (const x of v.values()) markTensors(x, out, depth + 1);
  } else if (v instanceof Set) {
    for (const x of v) markTensors(x, out, depth + 1);
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) {
      for (const x of Object.values(v)) markTensors(x, out, depth + 1);
    }
  }
}

let syncScope: Scope | null = null;
let asyncScopes = 0;
const asyncScope = new AsyncLocalStorage<Scope>();

/**
 * The innermost open scope: a sync scope, else the async scope this code runs in. Code can outlive its
 * async scope (a timer or callback set up inside it fires after the scope closed): it then belongs to
 * the nearest enclosing scope still open, or to none (its tensors are left to the garbage collector),
 * never to the closed one, which would never free them.
 */
function currentScope(): Scope | null {
  if (syncScope !== null) return syncScope;
  if (asyncScopes === 0) return null;
  let s = asyncScope.getStore() ?? null;
  while (s !== null && s.closed) s = s.parent;
  return s;
}

// Tensors created outside any scope are registered with the FinalizationRegistry in batches: most
// temporaries are disposed right away, and then never cost a registration. The batch holds at most
// PENDING_MAX tensors and is flushed at the end of the current task.
const PENDING_MAX = 256;
const pending: Tracked[] = [];
let flushQueued = false;

function flushPending(): void {
  flushQueued = false;
  for (const t of pending) register(t);
  pending.length = 0;
}

/** Records a new tensor in the current scope, or queues it for registration with the garbage collector. */
export function track(t: Tracked): void {
  const s = currentScope();
  if (s !== null) {
    s.tensors.push(t);
    return;
  }
  pending.push(t);
  if (pending.length >= PENDING_MAX) flushPending();
  else if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flushPending);
  }
}

const AsyncFunction = (async () => {}).constructor;

/**
 * Runs `fn` and frees every tensor created meanwhile, except those it returns (found in arrays, plain
 * objects, Maps and Sets) and those marked with {@linkcode keep}. For an `async` function the scope
 * follows the function across `await`s (other code running meanwhile is not affected) and the result
 * is a Promise. If `fn` throws, everything it created is freed.
 *
 * @example
 * ```ts
 * import { randn, tidy } from "../mod.ts";
 * const y = tidy(() => randn([3]).mul(2).add(1)); // the temporaries are freed, y survives
 * ```
 */
export function tidy<T>(fn: () => Promise<T>): Promise<T>;
/** Runs `fn` in a scope that frees the tensors made inside, except its result and what `keep` marks. */
export function tidy<T>(fn: () => T): T;
export function tidy<T>(fn: () => T | Promise<T>): T | Promise<T> {
  if (typeof fn !== "function") throw new TypeError(`tidy: expected a function to run, got ${describe(fn)}`);
  if (fn instanceof AsyncFunction) return tidyAsync(fn as () => Promise<T>);
  const scope = new Scope(currentScope());
  const previous = syncScope;
  syncScope = scope;
  let result: T | Promise<T>;
  try {
    result = fn();
  } catch (e) {
    syncScope = previous;
    scope.close(undefined);
    throw e;
  }
  syncScope = previous;
  if (result instanceof Promise) {
    scope.close(undefined);
    throw new TypeError("tidy: the function returned a Promise; declare it `async` so the scope can follow it");
  }
  scope.close(result);
  return result;
}

async function tidyAsync<T>(fn: () => Promise<T>): Promise<T> {
  const scope = new Scope(currentScope());
  asyncScopes++;
  const previous = syncScope;
  syncScope = null;
  let pending: Promise<T>;
  try {
    pending = asyncScope.run(scope, fn);
  } finally {
    syncScope = previous;
  }
  try {
    const result = await pending;
    scope.close(result);
    return result;
  } catch (e) {
    scope.close(undefined);
    throw e;
  } finally {
    asyncScopes--;
  }
}

/**
 * Marks a tensor so that no `tidy` scope frees it; it is then freed by `dispose()` or the garbage
 * collector. Returns the tensor.
 *
 * @example
 * ```ts
 * import { keep, tidy, zeros } from "../mod.ts";
 * let state;
 * tidy(() => { state = keep(zeros([4])); });
 * ```
 */
export function keep<T extends Tracked>(t: T): T {
  if (t === null || typeof t !== "object" || !("_kept" in t)) {
    throw new TypeError(`keep: expected a Tensor (or another tracked value), got ${describe(t)}`);
  }
  t._kept = true;
  return t;
}

/**
 * Frees every tensor in `value` (a tensor, or arrays, plain objects, Maps and Sets of them).
 *
 * @example
 * ```ts
 * import { dispose, ones } from "../mod.ts";
 * const parts = [ones([2]), ones([3])];
 * dispose(parts);
 * ```
 */
export function dispose(value: unknown): void {
  const found: Tracked[] = [];
  markTensors(value, found, 0);
  for (const t of found) {
    t._escapes = false;
    t.dispose();
  }
}

/**
 * The number of native tensor handles alive now (created and not yet freed).
 *
 * @example
 * ```ts
 * import { liveTensors, tidy, ones } from "../mod.ts";
 * const before = liveTensors();
 * tidy(() => { ones([2]).add(1); });
 * console.log(liveTensors() === before); // true
 * ```
 */
export function liveTensors(): number {
  return lib.tt_tensor_live();
}
