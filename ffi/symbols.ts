/**
 * The symbol table of the native shim (`native/include/torchshim.h`), in Deno FFI terms.
 *
 * Handles (tensors, operators, modules) are passed as `f64`: the shim carries object addresses in
 * doubles so that V8's fast call path needs no BigInt. Strings and wire buffers are `buffer`s.
 *
 * @module
 */

const H = "f64"; // a handle
const ERR = ["buffer", "i32"] as const; // error buffer and its capacity

/** The FFI declarations of every exported shim function. */
export const symbols = {
  tt_abi_version: { parameters: [], result: "i32" },
  tt_build_info: { parameters: ["buffer", "i32"], result: "i32" },
  tt_blob_free: { parameters: ["f64"], result: "void" },

  tt_tensor_from_data: {
    parameters: ["buffer", "f64", "i32", "buffer", "i32", ...ERR],
    result: H,
  },
  tt_tensor_copy_to: { parameters: [H, "buffer", "f64", ...ERR], result: "i32" },
  tt_tensor_info: { parameters: [H, "buffer", "i32"], result: "i32" },
  tt_tensor_info_error: { parameters: [H, ...ERR], result: "i32" },
  tt_tensor_share: { parameters: [H], result: H },
  tt_tensor_free: { parameters: [H], result: "void" },
  tt_tensor_live: { parameters: [], result: "f64" },
  tt_tensor_data_ptr: { parameters: [H], result: "f64" },

  tt_op_find: { parameters: ["buffer", "buffer", ...ERR], result: H },
  tt_op_call: {
    parameters: [H, "buffer", "i32", "buffer", "i32", "i32", ...ERR],
    result: "i32",
  },
  tt_op_call_async: {
    name: "tt_op_call",
    parameters: [H, "buffer", "i32", "buffer", "i32", "i32", ...ERR],
    result: "i32",
    nonblocking: true,
  },
  tt_op_overloads: { parameters: ["buffer", "buffer", "i32"], result: "i32" },
  tt_op_names: { parameters: ["buffer", "buffer", "i32"], result: "i32" },
  tt_op_schema: { parameters: [H, "buffer", "i32"], result: "i32" },
  tt_op_describe: { parameters: [H, "buffer", "i32"], result: "i32" },

  tt_backward: { parameters: ["buffer", "i32", ...ERR], result: "i32", callback: true },
  tt_grad: { parameters: ["buffer", "i32", "buffer", "i32", ...ERR], result: "i32", callback: true },
  tt_tensor_grad: { parameters: [H], result: H },
  tt_tensor_set_grad: { parameters: [H, H, ...ERR], result: "i32" },
  tt_tensor_set_requires_grad: { parameters: [H, "i32", ...ERR], result: "i32" },
  tt_tensor_grad_fn: { parameters: [H, "buffer", "i32"], result: "i32" },
  // custom autograd functions and tensor hooks in JavaScript (autograd_function.cpp)
  tt_fn_set_callback: { parameters: ["function"], result: "void" },
  tt_fn_set_error: { parameters: ["buffer"], result: "void" },
  tt_fn_take_released: { parameters: ["buffer", "i32"], result: "i32" },
  tt_fn_wrap: {
    parameters: [
      "f64",
      "buffer",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "i32",
      "i32",
      "buffer",
      ...ERR,
    ],
    result: "i32",
  },
  tt_tensor_register_hook: { parameters: [H, "f64", ...ERR], result: "i32" },
  tt_tensor_remove_hook: { parameters: [H, "i32", ...ERR], result: "i32" },
  tt_grad_enabled: { parameters: [], result: "i32" },
  tt_set_grad_enabled: { parameters: ["i32"], result: "void" },

  tt_manual_seed: { parameters: ["f64"], result: "void" },
  tt_rng_get_state: { parameters: ["i32", "i32", ...ERR], result: H },
  tt_rng_set_state: { parameters: ["i32", "i32", H, ...ERR], result: "i32" },
  tt_set_num_threads: { parameters: ["i32"], result: "void" },
  tt_get_num_threads: { parameters: [], result: "i32" },
  tt_set_num_interop_threads: { parameters: ["i32", ...ERR], result: "i32" },
  tt_cuda_is_available: { parameters: [], result: "i32" },
  tt_cuda_device_count: { parameters: [], result: "i32" },
  tt_cuda_synchronize: { parameters: ["i32", ...ERR], result: "i32" },
  tt_set_cudnn_benchmark: { parameters: ["i32"], result: "void" },
  tt_set_deterministic: { parameters: ["i32"], result: "void" },
  tt_record_names_hash: { parameters: ["buffer", "buffer", "i32"], result: "i32" },
  tt_kernel_info: { parameters: ["buffer", "i32"], result: "i32" },
  tt_set_mkldnn_enabled: { parameters: ["i32"], result: "i32" },
  tt_math: { parameters: ["i32", "f64", "f64"], result: "f64" },
  tt_release_memory: { parameters: [], result: "i32" },

  tt_jit_load: { parameters: ["buffer", "i32", "i32", ...ERR], result: H },
  tt_jit_free: { parameters: [H], result: "void" },
  tt_jit_share: { parameters: [H], result: H },
  tt_jit_live: { parameters: [], result: "f64" },
  tt_jit_call: {
    parameters: [H, "buffer", "buffer", "i32", "buffer", "i32", "i32", ...ERR],
    result: "i32",
  },
  tt_jit_call_async: {
    name: "tt_jit_call",
    parameters: [H, "buffer", "buffer", "i32", "buffer", "i32", "i32", ...ERR],
    result: "i32",
    nonblocking: true,
  },
  tt_jit_child: { parameters: [H, "buffer", ...ERR], result: H },
  tt_jit_list: { parameters: [H, "i32", "i32", "buffer", "i32", ...ERR], result: "i32" },
  tt_jit_type_name: { parameters: [H, "buffer", "i32"], result: "i32" },
  tt_jit_train: { parameters: [H, "i32", ...ERR], result: "i32" },
  tt_jit_is_training: { parameters: [H], result: "i32" },
  tt_jit_to: { parameters: [H, "i32", "i32", "i32", ...ERR], result: "i32" },
  tt_jit_save: { parameters: [H, "buffer", ...ERR], result: "i32" },

  tt_dist_available: { parameters: [], result: "i32" },
  tt_dist_init: {
    parameters: ["buffer", "i32", "i32", "i32", "f64", ...ERR],
    result: H,
    nonblocking: true,
  },
  tt_dist_group_free: { parameters: [H], result: "void", nonblocking: true },
  tt_dist_group_rank: { parameters: [H], result: "i32" },
  tt_dist_group_size: { parameters: [H], result: "i32" },
  tt_dist_allreduce: { parameters: [H, H, "i32", ...ERR], result: H },
  tt_dist_broadcast: { parameters: [H, H, "i32", ...ERR], result: H },
  tt_dist_allgather: { parameters: [H, "buffer", "i32", H, ...ERR], result: H },
  tt_dist_reduce_scatter: { parameters: [H, H, "buffer", "i32", "i32", ...ERR], result: H },
  tt_dist_send: { parameters: [H, H, "i32", "i32", ...ERR], result: H },
  tt_dist_recv: { parameters: [H, H, "i32", "i32", ...ERR], result: H },
  tt_dist_barrier: { parameters: [H, ...ERR], result: H },
  tt_dist_work_wait: { parameters: [H, ...ERR], result: "i32", nonblocking: true },
  tt_dist_work_is_completed: { parameters: [H], result: "i32" },
  tt_dist_work_free: { parameters: [H], result: "void" },
} as const;

/** The ABI version this TypeScript side speaks; the shim must report the same. */
export const ABI_VERSION = 4;
