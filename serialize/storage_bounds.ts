/**
 * The check that a tensor stored in a file (its size, stride and storage offset) stays inside its
 * storage, shared by `load()` and the TorchScript archive check of `jit.load()`.
 *
 * @module
 */

/**
 * Refuses a tensor whose size, stride and offset reach past its storage (`numel` elements), as PyTorch's
 * `set_` refuses it for a file's (non-resizable) storage: LibTorch would otherwise grow the storage with
 * uninitialised memory, or read outside it.
 */
export function checkStorageBounds(
  sizes: readonly number[],
  strides: readonly number[],
  offset: number,
  numel: number,
  dtype: string,
  itemSize: number,
  what: string,
  fail: (message: string) => never,
): void {
  const shape = `size [${sizes.join(", ")}], stride [${strides.join(", ")}], offset ${offset}`;
  if (!Number.isSafeInteger(offset) || offset < 0) fail(`${what}: negative or invalid storage offset (${shape})`);
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 0) || strides.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    fail(`${what}: negative or invalid sizes or strides (${shape})`);
  }
  let needed = offset; // elements the storage must hold
  if (!sizes.includes(0)) {
    let last = offset;
    for (let i = 0; i < sizes.length; i++) last += (sizes[i] - 1) * strides[i];
    needed = last + 1;
  }
  if (!Number.isSafeInteger(needed) || needed > numel) {
    fail(
      `${what}: the tensor (${shape}) needs a storage of ${needed} ${dtype} elements (${
        needed * itemSize
      } bytes) but its storage holds ${numel}: the file is corrupt or crafted`,
    );
  }
}
