/**
 * The shim's result codes, call flags and enums, as `native/include/torchshim.h` declares them: the one TypeScript
 * mirror of the header's constants (the wire tags are in `wire.ts`). `tests/ffi/abi_test.ts` checks that the two
 * agree.
 *
 * A function that returns wire results (`tt_op_call`, `tt_jit_call`, `tt_jit_list`, `tt_grad`) returns the number of
 * slots it wrote, {@linkcode TT_ERROR} with the message in the error buffer, or {@linkcode TT_OVERFLOW} with the
 * results on the heap; `heapResult` and `resultSlots` in `native.ts` decode that.
 *
 * @module
 */

/** A call failed; the message is in its error buffer (`TT_ERROR`). */
export const TT_ERROR = -1;

/** The results did not fit: `out[0]` holds the address of a heap buffer, `out[1]` its slots (`TT_OVERFLOW`). */
export const TT_OVERFLOW = -2;

/** The flags of `tt_op_call` and `tt_jit_call` (`enum tt_call_flag`). */
export const CallFlag = {
  /** Set grad mode to {@linkcode CallFlag.GRAD_ENABLED} for this call (calls on other threads). */
  SET_GRAD_MODE: 1,
  /** With `SET_GRAD_MODE`: grad mode on. */
  GRAD_ENABLED: 2,
  /** Return no results (in-place operators return self). */
  DISCARD: 4,
} as const;

/** What `tt_jit_list` lists (`enum tt_jit_list_kind`). */
export const JitList = { CHILDREN: 0, PARAMETERS: 1, BUFFERS: 2, METHODS: 3 } as const;

/** The C library functions of `tt_math` (`enum tt_math_fn`). */
export const MathFn = { POW: 0, EXP: 1, LOG: 2, COS: 3, SIN: 4, SQRT: 5, TANH: 6, LOG1P: 7, EXPM1: 8 } as const;

/** LibTorch's device types (c10::DeviceType) of the devices supported here (`enum tt_device_type`). */
export const DeviceType = { CPU: 0, CUDA: 1 } as const;

/** The reductions of `tt_dist_allreduce` and `tt_dist_reduce_scatter` (c10d's ReduceOp, `enum tt_dist_reduce_op`). */
export const DistReduceOp = { SUM: 0, AVG: 1, PRODUCT: 2, MIN: 3, MAX: 4 } as const;
