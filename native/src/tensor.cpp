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
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 9: case 10: case 11: case 15:
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

// The values a tensor stands for, as an ordinary strided tensor with its own memory where needed: an
// efficient zero tensor (autograd's storage-less zeros) is materialised, lazy negation and conjugation
// are resolved, as PyTorch's own printing and tolist() do. Sparse, nested and other layouts are refused.
at::Tensor readable(const at::Tensor& src) {
  if (!src.defined()) throw std::invalid_argument("the tensor is undefined (no data)");
  if (src.layout() != at::kStrided) {
    std::ostringstream o;
    o << "cannot read the elements of a " << src.layout() << " tensor"
      << (src.is_nested() ? " (a nested tensor: unbind it into its parts first)" : " (convert it with to_dense() first)");
    throw std::invalid_argument(o.str());
  }
  at::Tensor t = src.detach();
  if (t._is_zerotensor()) t = at::zeros(t.sizes(), t.options().device(at::kCPU));
  if (!t.device().is_cpu()) t = t.to(at::kCPU);
  t = t.resolve_conj().resolve_neg();
  return t.contiguous();
}

// What tt_tensor_info reports; throws where the tensor cannot say (nested tensors have no sizes).
int32_t info_of(const at::Tensor& t, double* out, int32_t cap) {
  if (!t.defined()) {
    if (cap > 0) out[0] = 0;
    return 0;
  }
  if (t.is_nested())
    throw std::invalid_argument(
        "a nested tensor has no single shape (its parts have different sizes); unbind it into its parts "
        "(ops.aten.unbind) to read them");
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
  at::Tensor t = readable(tensor_ref(h));
  if (static_cast<double>(t.nbytes()) != nbytes)
    throw std::invalid_argument("destination has " + std::to_string(static_cast<int64_t>(nbytes)) +
                                " bytes but the tensor holds " + std::to_string(t.nbytes()));
  if (t.nbytes() > 0) {
    if (t.data_ptr() == nullptr) throw std::invalid_argument("the tensor has no memory to read");
    std::memcpy(dst, t.data_ptr(), t.nbytes());
  }
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_tensor_info(tt_tensor h, double* out, int32_t cap) {
  try {
    return info_of(tensor_ref(h), out, cap);
  } catch (...) {
    return -2;  // tt_tensor_info_error gives the message
  }
}

int32_t tt_tensor_info_error(tt_tensor h, char* err, int32_t errcap) {
  TT_TRY
  double out[8 + 2 * 64];
  info_of(tensor_ref(h), out, 8 + 2 * 64);
  tt::set_error(err, errcap, "tensor metadata could not be read");
  return -1;
  TT_CATCH(err, errcap, TT_ERROR)
}

tt_tensor tt_tensor_share(tt_tensor h) {
  try {
    return tt::new_tensor_handle(tensor_ref(h));
  } catch (...) {
    return 0;
  }
}

void tt_tensor_free(tt_tensor h) {
  try {
    tt::free_tensor_handle(h);
  } catch (...) {
  }
}

double tt_tensor_live(void) { return static_cast<double>(tt::live_tensors.load(std::memory_order_relaxed)); }

double tt_tensor_data_ptr(tt_tensor h) {
  try {
    const at::Tensor& t = tensor_ref(h);
    // only plain memory: not an efficient zero tensor (no storage), nor a lazily negated or conjugated view
    if (!t.defined() || t.layout() != at::kStrided || !t.device().is_cpu() || !t.has_storage() ||
        t._is_zerotensor() || t.is_neg() || t.is_conj() || !t.is_contiguous())
      return 0;
    return tt::to_handle(t.data_ptr());
  } catch (...) {
    return 0;
  }
}

}  // extern "C"
