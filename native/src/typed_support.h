// The support of the generated typed entry points (generated/typed_ops.cpp, made by `deno task gen`), hand-written:
// how a plain number or handle argument becomes the parameter type of the operator's signature in the LibTorch
// compiled against (tensors, wrapped numbers, optional ints, floats, bools, scalars and enums, int lists, tensor
// lists), and how a result becomes a handle. The generator emits only the per-operator entry points.
#pragma once

#include <ATen/ATen.h>
#include <ATen/ScalarOps.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <c10/util/Metaprogramming.h>
#include <c10/util/TypeList.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "common.h"

namespace tt::typed {

// The decayed type of parameter I of the function type Sig.
template <class Sig, size_t I>
using param_t = std::decay_t<c10::guts::typelist::element_t<I, typename c10::guts::infer_function_traits_t<Sig>::parameter_types>>;

template <class Sig>
c10::TypedOperatorHandle<Sig> find(const char* name, const char* overload) {
  return c10::Dispatcher::singleton().findSchemaOrThrow(name, overload).template typed<Sig>();
}

// Doubles carry int64 values exactly up to 2^53; the int64 limits arrive rounded and are clamped (as wire.cpp does).
inline int64_t to_int64(double v) {
  if (v >= 9.2233720368547758e18) return INT64_MAX;
  if (v <= -9.2233720368547758e18) return INT64_MIN;
  return static_cast<int64_t>(v);
}

// A number as the boxed path decodes it: kind 0 an int, 1 a float, 2 a bool.
inline c10::Scalar scalar_arg(double v, int32_t kind) {
  if (kind == 0) return c10::Scalar(to_int64(v));
  if (kind == 2) return c10::Scalar(v != 0);
  return c10::Scalar(v);
}

// A Tensor argument: kind 0 a handle, else a number passed as a wrapped number (kind as scalar_arg's, plus 1).
struct TensorArg {
  const at::Tensor* ref;
  at::Tensor wrapped;
  TensorArg(double v, int32_t kind) {
    if (kind == 0) {
      ref = &tt::tensor_ref(v);
    } else {
      wrapped = at::native::wrapped_scalar_tensor(scalar_arg(v, kind - 1));
      ref = &wrapped;
    }
  }
  operator const at::Tensor&() const { return *ref; }
};

template <class P>
P opt_tensor(double h) {
  if (h == 0) return P();
  return P(tt::tensor_ref(h));
}

template <class P>
struct TensorsArg {
  std::vector<at::Tensor> v;
  TensorsArg(const double* h, int32_t n) {
    v.reserve(static_cast<size_t>(n));
    for (int32_t i = 0; i < n; ++i) v.push_back(tt::tensor_ref(h[i]));
  }
  operator P() const { return P(c10::ArrayRef<at::Tensor>(v)); }
};

template <class P>
P int_arg(double v) {
  return P(to_int64(v));
}

template <class P>
P opt_int_arg(double v, int32_t has) {
  if (!has) return P();
  return P(typename P::value_type(to_int64(v)));
}

template <class P>
P opt_float_arg(double v, int32_t has) {
  if (!has) return P();
  return P(v);
}

template <class P>
P opt_bool_arg(int32_t v) {
  if (v < 0) return P();
  return P(v != 0);
}

template <class P>
P opt_scalar_arg(double v, int32_t kind) {
  if (kind < 0) return P();
  return P(scalar_arg(v, kind));
}

template <class P>
P opt_enum_arg(int32_t v) {
  if (v < 0) return P();
  return P(static_cast<typename P::value_type>(v));
}

// The element type of an int list parameter: ArrayRef<E>, OptionalArrayRef<E> or optional<ArrayRef<E>>.
template <class P>
struct list_traits;
template <class E>
struct list_traits<c10::ArrayRef<E>> {
  using elem = E;
};
template <class E>
struct list_traits<c10::OptionalArrayRef<E>> {
  using elem = E;
};
template <class E>
struct list_traits<c10::optional<c10::ArrayRef<E>>> {
  using elem = E;
};

// An int list (n < 0: None) in the element type the signature wants (int64_t or SymInt).
template <class P>
struct IntsArg {
  using E = typename list_traits<P>::elem;
  c10::SmallVector<E, 8> v;
  bool none;
  IntsArg(const double* p, int32_t n) : none(n < 0) {
    for (int32_t i = 0; i < n; ++i) v.push_back(E(to_int64(p[i])));
  }
  operator P() const {
    if (none) return P();
    return P(c10::ArrayRef<E>(v.data(), v.size()));
  }
};

inline double tensor_result(at::Tensor t, const char* name) {
  if (!t.defined()) throw std::invalid_argument(std::string(name) + " did not return a tensor");
  return tt::new_tensor_handle(std::move(t));
}

}  // namespace tt::typed

#define TT_P(i) tt::typed::param_t<Sig, i>
