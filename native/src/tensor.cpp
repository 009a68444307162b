// Tensor lifecycle and data in and out of caller buffers.
#include <sstream>

#include "common.h"

namespace tt {
std::atomic<int64_t> live_tensors{0};
}

using tt::tensor_ref;

namespace {

at::ScalarType to_scalar_type(int32_t code) {
  switch (code) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 11: case 15:
      return static_cast<at::ScalarType>(code);
    default:
      throw std::invalid_argument("unsupported dtype code " + std::to_string(code));
  }
}

std::string shape_str(at::IntArrayRef s) {
  std::ostringstream o;
  o << "[";
  for (size_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
  o << "]";
  return o.str();
}

}  // namespace

extern "C" {

tt_tensor tt_tensor_from_data(const void* data, double nbytes, int32_t dtype, const double* shape, int32_t ndim,
                              char* err, int32_t errcap) {
  TT_TRY
  std::vector<int64_t> sizes(static_cast<size_t>(ndim));
  for (int32_t i = 0; i < ndim; ++i) {
    if (shape[i] < 0 || std::floor(shape[i]) != shape[i])
      throw std::invalid_argument("shape entries must be non-negative integers, got " + std::to_string(shape[i]));
    sizes[i] = static_cast<int64_t>(shape[i]);
  }
  at::Tensor t = at::empty(sizes, at::TensorOptions().dtype(to_scalar_type(dtype)));
  auto need = static_cast<double>(t.nbytes());
  if (need != nbytes) {
    std::ostringstream o;
    o << "data has " << static_cast<int64_t>(nbytes) << " bytes but shape " << shape_str(sizes) << " of "
      << t.scalar_type() << " needs " << t.nbytes() << " bytes";
    throw std::invalid_argument(o.str());
  }
  if (t.nbytes() > 0) std::memcpy(t.data_ptr(), data, t.nbytes());
  return tt::new_tensor_handle(std::move(t));
  TT_CATCH(err, errcap, 0)
}

int32_t tt_tensor_copy_to(tt_tensor h, void* dst, double nbytes, char* err, int32_t errcap) {
  TT_TRY
  at::Tensor t = tensor_ref(h).detach();
  if (!t.device().is_cpu()) t = t.to(at::kCPU);
  t = t.contiguous();
  if (static_cast<double>(t.nbytes()) != nbytes)
    throw std::invalid_argument("destination has " + std::to_string(static_cast<int64_t>(nbytes)) +
                                " bytes but the tensor holds " + std::to_string(t.nbytes()));
  if (t.nbytes() > 0) std::memcpy(dst, t.data_ptr(), t.nbytes());
  return 0;
  TT_CATCH(err, errcap, -1)
}

int32_t tt_tensor_info(tt_tensor h, double* out, int32_t cap) {
  const at::Tensor& t = *tt::from_handle<at::Tensor>(h);
  if (!t.defined()) {
    if (cap > 0) out[0] = 0;
    return 0;
  }
  auto ndim = static_cast<int32_t>(t.dim());
  if (cap < 8 + 2 * ndim) return -1;
  out[0] = 1;
  out[1] = static_cast<double>(static_cast<int>(t.scalar_type()));
  out[2] = ndim;
  out[3] = static_cast<double>(static_cast<int>(t.device().type()));
  out[4] = t.device().has_index() ? t.device().index() : -1;
  out[5] = t.requires_grad() ? 1 : 0;
  out[6] = t.is_leaf() ? 1 : 0;
  out[7] = static_cast<double>(t.numel());
  auto sizes = t.sizes();
  // Sparse and other layouts without strides report sizes only.
  bool strided = t.layout() == at::kStrided;
  for (int32_t i = 0; i < ndim; ++i) {
    out[8 + i] = static_cast<double>(sizes[i]);
    out[8 + ndim + i] = strided ? static_cast<double>(t.strides()[i]) : 0;
  }
  return ndim;
}

tt_tensor tt_tensor_share(tt_tensor h) { return tt::new_tensor_handle(*tt::from_handle<at::Tensor>(h)); }

void tt_tensor_free(tt_tensor h) { tt::free_tensor_handle(h); }

double tt_tensor_live(void) { return static_cast<double>(tt::live_tensors.load(std::memory_order_relaxed)); }

double tt_tensor_data_ptr(tt_tensor h) {
  const at::Tensor& t = *tt::from_handle<at::Tensor>(h);
  if (!t.defined() || !t.device().is_cpu() || !t.is_contiguous() || t.layout() != at::kStrided) return 0;
  return tt::to_handle(t.data_ptr());
}

}  // extern "C"
