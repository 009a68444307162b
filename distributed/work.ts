/**
 * The handle of a collective in flight: `await work.wait()` finishes it without blocking Deno's event loop.
 *
 * @module
 */

import { ERRCAP, lib, readError } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";

const unwaited = new FinalizationRegistry<number>((handle) => lib.tt_dist_work_free(handle));

/**
 * An asynchronous collective (PyTorch's `Work`, what `async_op=True` returns). The native side holds a
 * reference to every tensor the operation reads or writes until it is done, so disposing a tensor early
 * cannot free memory under it; but read the results only after `wait()`.
 *
 * @example
 * ```ts ignore
 * import { allReduce, ones } from "../mod.ts";
 * const t = ones([4]);
 * await allReduce(t).wait(); // t now holds the sum over all ranks
 * ```
 */
/** @internal The token the collectives pass to `new Work`; not exported from the package's entry points. */
export const WORK_TOKEN: unique symbol = Symbol("denotorch: a native work handle");

export class Work {
  #handle: number;
  #done: Promise<void> | null = null;
  readonly #what: string;

  /** Wraps a native work handle (internal: made by the collectives, with their private token). */
  constructor(handle: number, what: string, token?: symbol) {
    if (token !== WORK_TOKEN) {
      throw new TypeError("distributed.Work is made by the collectives (allReduce, broadcast, ...), not with new");
    }
    this.#handle = handle;
    this.#what = what;
    unwaited.register(this, handle, this);
  }

  /**
   * Resolves when the operation has completed on this rank; rejects with a {@linkcode TorchError} when it
   * failed (a peer that died or timed out, a size mismatch). Waiting runs on a thread of Deno's pool, so
   * timers, I/O and other ranks' subprocesses keep running meanwhile. Calling it again returns the same
   * promise.
   */
  wait(): Promise<void> {
    if (this.#done === null) this.#done = this.#wait();
    return this.#done;
  }

  async #wait(): Promise<void> {
    const err = new Uint8Array(ERRCAP);
    const handle = this.#handle;
    try {
      const status = await lib.tt_dist_work_wait(handle, err, ERRCAP);
      if (status < 0) throw new TorchError(readError(err), this.#what);
    } finally {
      unwaited.unregister(this);
      lib.tt_dist_work_free(handle);
      this.#handle = 0;
    }
  }

  /** Whether the operation has finished (successfully or not); true once waited for. */
  isCompleted(): boolean {
    if (this.#handle === 0) return true;
    return lib.tt_dist_work_is_completed(this.#handle) !== 0;
  }
}
