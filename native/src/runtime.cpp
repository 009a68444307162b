// Library information, RNG, threads, CUDA queries and Python-float math.
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <cmath>
#include <cstdlib>
#include <mutex>

#include "common.h"

c10::Device tt::to_device(int32_t type, int32_t index) {
  if (type != static_cast<int32_t>(c10::DeviceType::CPU) && type != static_cast<int32_t>(c10::DeviceType::CUDA))
    throw std::invalid_argument("unsupported device type " + std::to_string(type) + " (cpu is 0, cuda is 1)");
  return c10::Device(static_cast<c10::DeviceType>(type), static_cast<c10::DeviceIndex>(index < 0 ? -1 : index));
}

extern "C" {

int32_t tt_abi_version(void) { return TT_ABI_VERSION; }

int32_t tt_build_info(char* out, int32_t cap) {
  TT_GUARD
#ifdef TT_WITH_CUDA
  const char* cuda = "1";
#else
  const char* cuda = "0";
#endif
  std::string s = std::string("abi=") + std::to_string(TT_ABI_VERSION) + ";torch=" + TORCH_VERSION +
                  ";cuda_build=" + cuda + ";cuda_runtime=" + (at::hasCUDA() ? "1" : "0");
  return tt::put_string(s, out, cap);
  TT_GUARD_END(tt::put_string("", out, cap))
}

void tt_blob_free(double address) { std::free(tt::from_handle<void>(address)); }

void tt_manual_seed(double seed) {
  TT_GUARD
  torch::manual_seed(static_cast<uint64_t>(seed));
  TT_GUARD_END_VOID
}

tt_tensor tt_rng_get_state(int32_t device_type, int32_t device_index, char* err, int32_t errcap) {
  TT_TRY
  auto gen = at::globalContext().defaultGenerator(tt::to_device(device_type, device_index));
  std::lock_guard<std::mutex> lock(gen.mutex());
  return tt::new_tensor_handle(gen.get_state());
  TT_CATCH(err, errcap, 0)
}

int32_t tt_rng_set_state(int32_t device_type, int32_t device_index, tt_tensor state, char* err, int32_t errcap) {
  TT_TRY
  auto gen = at::globalContext().defaultGenerator(tt::to_device(device_type, device_index));
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(tt::tensor_ref(state));
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

void tt_set_num_threads(int32_t n) {
  TT_GUARD
  at::set_num_threads(n);  // ATen's intra-op pool and OpenMP's
  tt::set_blas_threads(n);  // OpenBLAS's own pool, when it is the loaded BLAS
  TT_GUARD_END_VOID
}

int32_t tt_get_num_threads(void) {
  TT_GUARD
  return at::get_num_threads();
  TT_GUARD_END(-1)
}

int32_t tt_set_num_interop_threads(int32_t n, char* err, int32_t errcap) {
  TT_TRY
  at::set_num_interop_threads(n);
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_cuda_is_available(void) {
  TT_GUARD
  return torch::cuda::is_available() ? 1 : 0;
  TT_GUARD_END(0)
}

int32_t tt_cuda_device_count(void) {
  TT_GUARD
  return static_cast<int32_t>(torch::cuda::device_count());
  TT_GUARD_END(0)
}

int32_t tt_cuda_synchronize(int32_t device_index, char* err, int32_t errcap) {
  TT_TRY
  torch::cuda::synchronize(device_index);
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

void tt_set_cudnn_benchmark(int32_t flag) {
  TT_GUARD
  at::globalContext().setBenchmarkCuDNN(flag != 0);
  TT_GUARD_END_VOID
}

void tt_set_deterministic(int32_t flag) {
  TT_GUARD
  at::globalContext().setDeterministicAlgorithms(flag != 0, false);
  TT_GUARD_END_VOID
}

double tt_math(int32_t fn, double x, double y) {
  switch (fn) {
    case TT_MATH_POW: return std::pow(x, y);
    case TT_MATH_EXP: return std::exp(x);
    case TT_MATH_LOG: return std::log(x);
    case TT_MATH_COS: return std::cos(x);
    case TT_MATH_SIN: return std::sin(x);
    case TT_MATH_SQRT: return std::sqrt(x);
    case TT_MATH_TANH: return std::tanh(x);
    case TT_MATH_LOG1P: return std::log1p(x);
    case TT_MATH_EXPM1: return std::expm1(x);
    default: return std::nan("");
  }
}

}  // extern "C"
