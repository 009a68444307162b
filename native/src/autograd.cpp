// Autograd entry points the dispatcher cannot serve: backward, grad, .grad, requires_grad, grad mode.
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>

#include "js_callback_scope.h"
#include "wire.h"

namespace {

// A wire list of tensors (NONE entries become undefined tensors).
std::vector<at::Tensor> tensor_list(const c10::IValue& v, const char* what) {
  if (!v.isList()) throw std::invalid_argument(std::string(what) + " must be a list of tensors");
  std::vector<at::Tensor> result;
  for (const auto& x : v.toListRef()) {
    if (x.isNone()) {
      result.emplace_back();
    } else if (x.isTensor()) {
      result.push_back(x.toTensor());
    } else {
      throw std::invalid_argument(std::string(what) + " must hold only tensors");
    }
  }
  return result;
}

c10::optional<bool> optional_bool(const c10::IValue& v) {
  if (v.isNone()) return c10::nullopt;
  return v.toBool();
}

}  // namespace

extern "C" {

int32_t tt_backward(const double* args, int32_t nslots, char* err, int32_t errcap) {
  TT_TRY
  tt::wire::Reader r{args, args + nslots, "backward"};
  auto tensors = tensor_list(tt::wire::read_any(r), "tensors");
  auto grads = tensor_list(tt::wire::read_any(r), "grad_tensors");
  auto retain = optional_bool(tt::wire::read_any(r));
  bool create = tt::wire::read_any(r).toBool();
  auto inputs = tensor_list(tt::wire::read_any(r), "inputs");
  tt::JsCallbackScope js_scope;  // JavaScript Functions and hooks may run
  torch::autograd::backward(tensors, grads, retain, create, inputs);
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_grad(const double* args, int32_t nslots, double* out, int32_t outcap, char* err, int32_t errcap) {
  TT_TRY
  tt::wire::Reader r{args, args + nslots, "grad"};
  auto outputs = tensor_list(tt::wire::read_any(r), "outputs");
  auto inputs = tensor_list(tt::wire::read_any(r), "inputs");
  auto grad_outputs = tensor_list(tt::wire::read_any(r), "grad_outputs");
  auto retain = optional_bool(tt::wire::read_any(r));
  bool create = tt::wire::read_any(r).toBool();
  bool allow_unused = tt::wire::read_any(r).toBool();
  std::vector<at::Tensor> grads;
  {
    tt::JsCallbackScope js_scope;  // JavaScript Functions and hooks may run
    grads = torch::autograd::grad(outputs, inputs, grad_outputs, retain, create, allow_unused);
  }
  c10::List<at::Tensor> list;
  for (auto& g : grads) list.push_back(g);
  tt::wire::Writer w{out, outcap};
  tt::wire::write(w, list);
  return w.finish();
  TT_CATCH(err, errcap, TT_ERROR)
}

tt_tensor tt_tensor_grad(tt_tensor h) {
  TT_GUARD
  const at::Tensor& g = tt::tensor_ref(h).grad();
  return g.defined() ? tt::new_tensor_handle(g) : 0;
  TT_GUARD_END(0)
}

int32_t tt_tensor_set_grad(tt_tensor h, tt_tensor gh, char* err, int32_t errcap) {
  TT_TRY
  at::Tensor& t = tt::tensor_ref(h);
  if (gh == 0) {
    t.mutable_grad() = at::Tensor();
    return 0;
  }
  const at::Tensor& g = tt::tensor_ref(gh);
  // The same checks as Python's `tensor.grad = g`.
  TORCH_CHECK(g.scalar_type() == t.scalar_type(), "assigned grad has data of a different type (",
              g.scalar_type(), " for a ", t.scalar_type(), " tensor)");
  TORCH_CHECK(g.device() == t.device(), "assigned grad has data located on a different device (", g.device(),
              " for a tensor on ", t.device(), ")");
  TORCH_CHECK(g.sizes() == t.sizes(), "assigned grad has data of a different size (", g.sizes(),
              " for a tensor of size ", t.sizes(), ")");
  t.mutable_grad() = g;
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_tensor_set_requires_grad(tt_tensor h, int32_t flag, char* err, int32_t errcap) {
  TT_TRY
  tt::tensor_ref(h).set_requires_grad(flag != 0);
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_tensor_grad_fn(tt_tensor h, char* out, int32_t cap) {
  TT_GUARD
  const auto& fn = tt::tensor_ref(h).grad_fn();
  if (!fn) return tt::put_string("", out, cap);
  std::string name = fn->name();
  auto colon = name.rfind("::");
  if (colon != std::string::npos) name = name.substr(colon + 2);
  return tt::put_string(name, out, cap);
  TT_GUARD_END(tt::put_string("", out, cap))
}

int32_t tt_grad_enabled(void) {
  TT_GUARD
  return c10::GradMode::is_enabled() ? 1 : 0;
  TT_GUARD_END(1)
}

void tt_set_grad_enabled(int32_t flag) {
  TT_GUARD
  c10::GradMode::set_enabled(flag != 0);
  TT_GUARD_END_VOID
}

}  // extern "C"
