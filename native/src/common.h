// Internal helpers shared by the shim's sources: handle conversion, error reporting, the PROTECT macros.
#pragma once

#include <ATen/ATen.h>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "torchshim.h"

namespace tt {

extern std::atomic<int64_t> live_tensors;

// A handle is the object's address carried in a double (see torchshim.h).
template <typename T>
inline T* from_handle(double h) {
  return reinterpret_cast<T*>(static_cast<uintptr_t>(h));
}
template <typename T>
inline double to_handle(T* p) {
  return static_cast<double>(reinterpret_cast<uintptr_t>(p));
}

inline at::Tensor& tensor_ref(double h) {
  if (h == 0) throw std::invalid_argument("null tensor handle");
  return *from_handle<at::Tensor>(h);
}

// Moves a tensor into a new heap handle owned by the caller. (A per-thread pool of slots was tried: in a
// shared library each thread_local access costs a __tls_get_addr call, more than glibc's own per-thread
// malloc cache.)
inline double new_tensor_handle(at::Tensor t) {
  auto* p = new at::Tensor(std::move(t));
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return to_handle(p);
}

inline void free_tensor_handle(double h) {
  if (h == 0) return;
  delete from_handle<at::Tensor>(h);
  live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

// Copies `msg` into the caller's buffer, NUL-terminated, truncated to fit.
inline void set_error(char* err, int32_t cap, const char* msg) {
  if (err == nullptr || cap <= 0) return;
  size_t n = std::strlen(msg);
  if (n >= static_cast<size_t>(cap)) n = static_cast<size_t>(cap) - 1;
  std::memcpy(err, msg, n);
  err[n] = '\0';
}

// Writes a string result: at most cap bytes, NUL-terminated; returns the full length.
inline int32_t put_string(const std::string& s, char* out, int32_t cap) {
  if (out != nullptr && cap > 0) {
    size_t n = s.size() < static_cast<size_t>(cap) ? s.size() : static_cast<size_t>(cap) - 1;
    std::memcpy(out, s.data(), n);
    out[n] = '\0';
  }
  return static_cast<int32_t>(s.size());
}

c10::Device to_device(int32_t type, int32_t index);

// Sets OpenBLAS's thread count when OpenBLAS is the loaded BLAS (kernels.cpp).
void set_blas_threads(int32_t n);

}  // namespace tt

// Every entry point that can fail wraps its body: C++ exceptions never cross the C boundary.
#define TT_TRY try {
#define TT_CATCH(err, errcap, failvalue)                     \
  }                                                          \
  catch (const c10::Error& e) {                              \
    tt::set_error(err, errcap, e.what_without_backtrace());  \
    return failvalue;                                        \
  }                                                          \
  catch (const std::exception& e) {                          \
    tt::set_error(err, errcap, e.what());                    \
    return failvalue;                                        \
  }                                                          \
  catch (...) {                                              \
    tt::set_error(err, errcap, "unknown C++ exception");     \
    return failvalue;                                        \
  }

// Entry points without an error buffer wrap their body too: a failure gives `failvalue` (or nothing for a
// void function), never an escaping exception. Use TT_GUARD_END_VOID for void functions.
#define TT_GUARD try {
#define TT_GUARD_END(failvalue) \
  }                             \
  catch (...) {                 \
    return failvalue;           \
  }
#define TT_GUARD_END_VOID \
  }                       \
  catch (...) {           \
  }
