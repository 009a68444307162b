/**
 * The token that lets the library's own code wrap a native handle in a `Tensor` (or a `ScriptModule`).
 *
 * A handle is a native address: wrapping an arbitrary number, or wrapping one handle in two objects
 * (which would free it twice), corrupts memory. The constructors therefore refuse to run without this
 * token, which is not exported from the package's entry points: user code makes tensors with
 * `tensor()`, `zeros()`, ... and modules with `jit.load()`.
 *
 * @module
 */

/** @internal Passed to `new Tensor(handle, OWN_HANDLE)` by code that owns a fresh native handle. */
export const OWN_HANDLE: unique symbol = Symbol("denotorch: a fresh native handle owned by the new object");
