/*
 * torchshim: a thin C ABI over LibTorch for FFI callers (Deno's Deno.dlopen).
 *
 * Conventions
 * - Every object is an opaque handle with one free function per kind. Handles cross the boundary as
 *   IEEE doubles holding the object's address: addresses of user-space objects on x86-64 and arm64
 *   are below 2^53, so the double is exact, and V8's fast FFI path passes doubles without BigInt
 *   boxing (measured 19 ns per call against 127 ns for a `usize` argument). 0 means "no object".
 * - Every function that can fail takes a caller-owned error buffer (`err`, `errcap` bytes) and reports
 *   failure through its return value (TT_ERROR, or a 0 handle). The message (LibTorch's text for a C++
 *   exception) is written NUL-terminated into `err`. No thread-local error slot is used, so calls made
 *   from other threads (Deno's `nonblocking` symbols) report their own errors.
 * - Functions that produce a string write at most `cap` bytes (NUL-terminated) and return the full
 *   length; the caller retries with a larger buffer when the result did not fit.
 * - Values (operator arguments and results, TorchScript inputs and outputs) travel in
 *   the "wire" format: a sequence of 8-byte slots, each a double, tag first (TT_WIRE_* below):
 *     NONE | TENSOR h | INT v | DOUBLE v | BOOL b | STR nbytes <bytes packed into ceil(n/8) slots>
 *     | LIST n <n values> | TUPLE n <n values> | DICT n <n key,value pairs> | DEVICE type index
 *     | DTYPE code | DEFAULT (use the schema's default for this argument)
 *   Tensors in results are new handles owned by the caller.
 */
#ifndef TORCHSHIM_H
#define TORCHSHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TT_ABI_VERSION 4

#if defined(_WIN32)
#define TT_API __declspec(dllexport)
#else
#define TT_API __attribute__((visibility("default")))
#endif

typedef double tt_tensor; /* a heap at::Tensor */
typedef double tt_op;     /* a c10 operator handle with its schema */
typedef double tt_module; /* a TorchScript module */
typedef double tt_dist_group; /* a c10d process group with its store */
typedef double tt_dist_work;  /* a c10d collective in flight, holding its tensors */

enum tt_wire_tag {
  TT_WIRE_NONE = 0,
  TT_WIRE_TENSOR = 1,
  TT_WIRE_INT = 2,
  TT_WIRE_DOUBLE = 3,
  TT_WIRE_BOOL = 4,
  TT_WIRE_STR = 5,
  TT_WIRE_LIST = 6,
  TT_WIRE_TUPLE = 7,
  TT_WIRE_DICT = 8,
  TT_WIRE_DEVICE = 9,
  TT_WIRE_DTYPE = 10,
  TT_WIRE_DEFAULT = 11
};

/* Flags of tt_op_call and tt_jit_call. */
enum tt_call_flag {
  TT_CALL_SET_GRAD_MODE = 1, /* set grad mode to TT_CALL_GRAD_ENABLED for this call (other threads) */
  TT_CALL_GRAD_ENABLED = 2,
  TT_CALL_DISCARD = 4 /* do not return results (in-place operators return self) */
};

/* Result codes. A function that returns an int32 status returns TT_ERROR on failure (the message in `err`); one
 * that writes wire results to `out` (tt_op_call, tt_jit_call, tt_jit_list, tt_grad) returns their number of slots
 * (>= 0), TT_ERROR, or TT_OVERFLOW. */
#define TT_ERROR (-1)
/* Results larger than `outcap` slots: the call returns TT_OVERFLOW, out[0] holds the address of a heap
 * buffer with the results and out[1] its number of slots; read it, then free it with tt_blob_free. */
#define TT_OVERFLOW (-2)

/* LibTorch's device types (c10::DeviceType) of the devices supported here: `device_type` arguments. */
enum tt_device_type {
  TT_DEVICE_CPU = 0,
  TT_DEVICE_CUDA = 1
};

/* What tt_jit_list lists. */
enum tt_jit_list_kind {
  TT_JIT_LIST_CHILDREN = 0,   /* LIST of STR: the names of the direct children */
  TT_JIT_LIST_PARAMETERS = 1, /* LIST of TUPLE(STR name, TENSOR) */
  TT_JIT_LIST_BUFFERS = 2,    /* LIST of TUPLE(STR name, TENSOR) */
  TT_JIT_LIST_METHODS = 3     /* LIST of STR: the method names */
};

/* The C library functions of tt_math (the same results as CPython's math module). */
enum tt_math_fn {
  TT_MATH_POW = 0, /* pow(x, y) */
  TT_MATH_EXP = 1,
  TT_MATH_LOG = 2,
  TT_MATH_COS = 3,
  TT_MATH_SIN = 4,
  TT_MATH_SQRT = 5,
  TT_MATH_TANH = 6,
  TT_MATH_LOG1P = 7,
  TT_MATH_EXPM1 = 8
};

/* The reductions of tt_dist_allreduce and tt_dist_reduce_scatter (c10d's ReduceOp codes). */
enum tt_dist_reduce_op {
  TT_DIST_SUM = 0,
  TT_DIST_AVG = 1, /* a sum, divided by the world size when waited for (Gloo has no average) */
  TT_DIST_PRODUCT = 2,
  TT_DIST_MIN = 3,
  TT_DIST_MAX = 4
};

/* ---- library ---- */
TT_API int32_t tt_abi_version(void);
/* "abi=3;torch=1.13.1;cuda_build=0;cuda_runtime=0": the ABI version, the LibTorch version built against,
 * whether that LibTorch has CUDA, whether its CUDA backend is loaded now. */
TT_API int32_t tt_build_info(char* out, int32_t cap);
TT_API void tt_blob_free(double address);

/* ---- tensors ---- */
TT_API tt_tensor tt_tensor_from_data(const void* data, double nbytes, int32_t dtype, const double* shape, int32_t ndim,
                              char* err, int32_t errcap);
/* Copies the values the tensor stands for, row-major, into dst: storage-less zero tensors read as zeros,
 * lazily negated or conjugated views resolved, other devices copied to the CPU; sparse and nested
 * tensors are refused with a message. */
TT_API int32_t tt_tensor_copy_to(tt_tensor t, void* dst, double nbytes, char* err, int32_t errcap);
/* out: [defined, dtype, ndim, device type, device index, requires_grad, is_leaf, numel, sizes..., strides...];
 * returns ndim, -1 when cap is too small, -2 when the tensor cannot report it (a nested tensor):
 * tt_tensor_info_error then writes why into err (and returns -1). */
TT_API int32_t tt_tensor_info(tt_tensor t, double* out, int32_t cap);
TT_API int32_t tt_tensor_info_error(tt_tensor t, char* err, int32_t errcap);
TT_API tt_tensor tt_tensor_share(tt_tensor t); /* a second handle to the same tensor */
TT_API void tt_tensor_free(tt_tensor t);
TT_API double tt_tensor_live(void); /* number of live tensor handles */
/* The address of the data of a contiguous CPU tensor (to fill it in place, as a file read does), or 0 for
 * any other tensor (also zero tensors and lazily negated or conjugated views). Valid while the tensor
 * lives and is not resized. */
TT_API double tt_tensor_data_ptr(tt_tensor t);

/* ---- operators (the c10 dispatcher) ---- */
/* Looks an operator up; the handle lives as long as the process (the host keeps one per operator), so it has
 * no free function. */
TT_API tt_op tt_op_find(const char* name, const char* overload, char* err, int32_t errcap);
/* Runs the operator on the wire-encoded arguments (positional, missing trailing ones take their
 * defaults); writes the results to out and returns their number of slots, -1 on error, TT_OVERFLOW. */
TT_API int32_t tt_op_call(tt_op op, const double* args, int32_t nslots, double* out, int32_t outcap, int32_t flags,
                   char* err, int32_t errcap);
/* Overload names of an operator ("aten::add"), one per line (an empty line is the unnamed overload), in the order
 * PyTorch's Python binding tries them (the JIT registry's registration order). */
TT_API int32_t tt_op_overloads(const char* name, char* out, int32_t cap);
/* Names of every operator registered with the dispatcher whose name starts with prefix ("aten::"), without
 * overloads, one per line, sorted and distinct (what `tt_op_overloads` takes). */
TT_API int32_t tt_op_names(const char* prefix, char* out, int32_t cap);
/* The schema as text, "aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor". */
TT_API int32_t tt_op_schema(tt_op op, char* out, int32_t cap);
/* One line per argument: name TAB type TAB kwarg_only TAB has_default TAB writes (0/1, an out or in-place
 * argument) TAB N (the fixed size of an `int[N]` list, -1 if none); then "->" TAB the number of returns. */
TT_API int32_t tt_op_describe(tt_op op, char* out, int32_t cap);

/* ---- autograd ---- */
/* args (wire): LIST tensors, LIST grads (tensor or NONE), retain_graph (BOOL or NONE), create_graph (BOOL),
 * LIST inputs (may be empty) */
TT_API int32_t tt_backward(const double* args, int32_t nslots, char* err, int32_t errcap);
/* args (wire): LIST outputs, LIST inputs, LIST grad_outputs (tensor or NONE), retain_graph (BOOL or NONE),
 * create_graph (BOOL), allow_unused (BOOL); result: LIST of gradients (tensor or NONE) */
TT_API int32_t tt_grad(const double* args, int32_t nslots, double* out, int32_t outcap, char* err, int32_t errcap);
TT_API tt_tensor tt_tensor_grad(tt_tensor t);
TT_API int32_t tt_tensor_set_grad(tt_tensor t, tt_tensor grad, char* err, int32_t errcap);
TT_API int32_t tt_tensor_set_requires_grad(tt_tensor t, int32_t flag, char* err, int32_t errcap);
TT_API int32_t tt_tensor_grad_fn(tt_tensor t, char* out, int32_t cap);
TT_API int32_t tt_grad_enabled(void);
TT_API void tt_set_grad_enabled(int32_t flag);

/* ---- custom autograd functions and hooks written in the host language (autograd_function.cpp) ---- */
/* The host's callback: kind 0 runs the backward of custom Function `id` (in: the incoming gradients, then
 * the saved tensors; out: one gradient per tensor input, 0 for none), kind 1 runs tensor hook `id` (in: the
 * gradient; out: its replacement or 0). The in handles become the host's, the out handles the shim's.
 * Returns 0, or nonzero after tt_fn_set_error when the host's code failed. Called only on the thread that
 * registered it (CPU backward runs there); another thread gets an error instead. */
typedef int32_t (*tt_fn_callback)(int32_t kind, double id, const double* in, int32_t n_in, double* out,
                                  int32_t n_out);
TT_API void tt_fn_set_callback(tt_fn_callback cb);
TT_API void tt_fn_set_error(const char* msg);
/* Ids of Functions' nodes and hooks LibTorch has freed (their host state can go); returns their number. */
TT_API int32_t tt_fn_take_released(double* out, int32_t cap);
/* Wires the outputs of a custom Function's forward into the graph (torch's _wrap_outputs): wrapped[i]
 * receives a new handle per output; returns 1 when a node was recorded (grad mode on and an input
 * requiring grad), 0 when not, -1 on error. The flags are one byte per output / input. */
TT_API int32_t tt_fn_wrap(double id, const char* name, const double* inputs, int32_t n_in, const double* outputs,
                          int32_t n_out, const uint8_t* non_differentiable, const uint8_t* dirty,
                          const double* saved, int32_t n_saved, int32_t materialize_grads, double* wrapped,
                          char* err, int32_t errcap);
/* Registers hook `id` on a tensor that requires grad; returns its position (for tt_tensor_remove_hook). */
TT_API int32_t tt_tensor_register_hook(tt_tensor t, double id, char* err, int32_t errcap);
TT_API int32_t tt_tensor_remove_hook(tt_tensor t, int32_t pos, char* err, int32_t errcap);

/* ---- runtime: RNG, threads, devices, math ---- */
TT_API void tt_manual_seed(double seed);
TT_API tt_tensor tt_rng_get_state(int32_t device_type, int32_t device_index, char* err, int32_t errcap);
TT_API int32_t tt_rng_set_state(int32_t device_type, int32_t device_index, tt_tensor state, char* err, int32_t errcap);
/* ATen intra-op and OpenMP threads, and OpenBLAS threads when OpenBLAS is the loaded BLAS. */
TT_API void tt_set_num_threads(int32_t n);
TT_API int32_t tt_get_num_threads(void);
TT_API int32_t tt_set_num_interop_threads(int32_t n, char* err, int32_t errcap);
TT_API int32_t tt_cuda_is_available(void);
TT_API int32_t tt_cuda_device_count(void);
TT_API int32_t tt_cuda_synchronize(int32_t device_index, char* err, int32_t errcap);
TT_API void tt_set_cudnn_benchmark(int32_t flag);
TT_API void tt_set_deterministic(int32_t flag);
/* What decides the last bits of CPU results, as "key=value;..." (capability, mkldnn, onednn_isa, blas,
 * blas_vendor, blas_threads, lapack, omp_threads, intraop_threads, interop_threads, cpu_model, cpu_flags). */
TT_API int32_t tt_kernel_info(char* out, int32_t cap);
/* Turns oneDNN (MKL-DNN) kernels on or off (torch.backends.mkldnn.enabled); returns 0, or -1 on failure. */
TT_API int32_t tt_set_mkldnn_enabled(int32_t flag);
/* Python-float arithmetic with the C library: fn is a tt_math_fn (y is used by TT_MATH_POW only); NaN for an
 * unknown fn. */
TT_API double tt_math(int32_t fn, double x, double y);
/* Returns freed heap memory to the operating system (glibc's malloc_trim(0)): 1 when some was returned,
 * 0 when none could be, -1 where the C library has no such call (not glibc). */
TT_API int32_t tt_release_memory(void);

/* ---- serialization ---- */
/* The combined hash of record names (one per line, in the order written) that PyTorch 2.x's torch.save puts in the
 * first half of `.data/serialization_id`, as decimal digits. */
TT_API int32_t tt_record_names_hash(const char* names, char* out, int32_t cap);

/* ---- TorchScript ---- */
/* device_type: a tt_device_type, or < 0 to keep the saved devices */
TT_API tt_module tt_jit_load(const char* path, int32_t device_type, int32_t device_index, char* err, int32_t errcap);
TT_API void tt_jit_free(tt_module m);
/* a second handle to the same module (0 on failure), freed with tt_jit_free */
TT_API tt_module tt_jit_share(tt_module m);
TT_API double tt_jit_live(void);
TT_API int32_t tt_jit_call(tt_module m, const char* method, const double* args, int32_t nslots, double* out,
                    int32_t outcap, int32_t flags, char* err, int32_t errcap);
/* a child module by (dotted) name; 0 with a message when there is none */
TT_API tt_module tt_jit_child(tt_module m, const char* name, char* err, int32_t errcap);
/* what: a tt_jit_list_kind; result (wire): LIST of TUPLE(name, tensor) (parameters, buffers) or LIST of STR
 * (children, methods) */
TT_API int32_t tt_jit_list(tt_module m, int32_t what, int32_t recurse, double* out, int32_t outcap, char* err,
                    int32_t errcap);
TT_API int32_t tt_jit_type_name(tt_module m, char* out, int32_t cap);
TT_API int32_t tt_jit_train(tt_module m, int32_t on, char* err, int32_t errcap);
TT_API int32_t tt_jit_is_training(tt_module m);
TT_API int32_t tt_jit_to(tt_module m, int32_t device_type, int32_t device_index, int32_t dtype, char* err, int32_t errcap);
TT_API int32_t tt_jit_save(tt_module m, const char* path, char* err, int32_t errcap);

/* ---- distributed (c10d: TCPStore, ProcessGroupGloo) ---- */
/* Blocking calls (tt_dist_init, tt_dist_work_wait, tt_dist_group_free) are meant for nonblocking FFI symbols. */
TT_API int32_t tt_dist_available(void);
/* The default group as PyTorch's init_process_group(backend="gloo") makes it: TCPStore on host:port (server on
 * rank 0), PrefixStore "default_pg", Gloo over PrefixStore "0", the store-based barrier, the sequence number. */
TT_API tt_dist_group tt_dist_init(const char* host, int32_t port, int32_t rank, int32_t world_size, double timeout_ms,
                                  char* err, int32_t errcap);
TT_API void tt_dist_group_free(tt_dist_group g);
TT_API int32_t tt_dist_group_rank(tt_dist_group g);
TT_API int32_t tt_dist_group_size(tt_dist_group g);
/* op: a tt_dist_reduce_op */
TT_API tt_dist_work tt_dist_allreduce(tt_dist_group g, tt_tensor t, int32_t op, char* err, int32_t errcap);
TT_API tt_dist_work tt_dist_broadcast(tt_dist_group g, tt_tensor t, int32_t root, char* err, int32_t errcap);
/* outputs: n tensor handles (n = world size) */
TT_API tt_dist_work tt_dist_allgather(tt_dist_group g, const double* outputs, int32_t n, tt_tensor input, char* err,
                                      int32_t errcap);
TT_API tt_dist_work tt_dist_reduce_scatter(tt_dist_group g, tt_tensor output, const double* inputs, int32_t n,
                                           int32_t op, char* err, int32_t errcap);
TT_API tt_dist_work tt_dist_send(tt_dist_group g, tt_tensor t, int32_t dst, int32_t tag, char* err, int32_t errcap);
TT_API tt_dist_work tt_dist_recv(tt_dist_group g, tt_tensor t, int32_t src, int32_t tag, char* err, int32_t errcap);
TT_API tt_dist_work tt_dist_barrier(tt_dist_group g, char* err, int32_t errcap);
TT_API int32_t tt_dist_work_wait(tt_dist_work w, char* err, int32_t errcap);
TT_API int32_t tt_dist_work_is_completed(tt_dist_work w);
TT_API void tt_dist_work_free(tt_dist_work w);

#ifdef __cplusplus
}
#endif

#endif
