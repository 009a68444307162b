// Custom autograd functions and tensor hooks written in JavaScript: an autograd Node whose apply calls
// back into JavaScript through one function pointer (a Deno.UnsafeCallback), and tensor hooks that do the
// same. The graph wiring is LibTorch's own (`_wrap_outputs`, SavedVariable, VariableInfo), as for
// torch::autograd::Function<T> (custom_function.h), so version checks, dirty inputs, non-differentiable
// outputs and zero-filled gradients behave as in PyTorch.
//
// Threads: a Deno.UnsafeCallback may only be called on JavaScript's thread, during an FFI call made from it.
// For CPU graphs LibTorch's engine runs backward on the thread that called backward() (it drives the CPU
// ready queue itself when called from a non-worker thread), which is JavaScript's. Any other thread (a
// CUDA device thread, a backward started by a nonblocking FFI call) gets a clear error instead of a call.
#include <torch/csrc/autograd/custom_function.h>
#include <torch/version.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/csrc/autograd/saved_variable.h>
#include <torch/csrc/autograd/variable.h>

#include <mutex>
#include <thread>
#include <unordered_set>

#include "common.h"
#include "js_callback_scope.h"

namespace {

using torch::autograd::Node;
using torch::autograd::SavedVariable;
using torch::autograd::variable_list;

tt_fn_callback g_callback = nullptr;
std::thread::id g_js_thread;
std::string g_js_error;  // set by tt_fn_set_error during a failed callback

thread_local int g_scope_depth = 0;  // > 0 inside tt_backward / tt_grad on this thread

std::mutex g_released_mutex;
std::vector<double> g_released;  // ids whose JavaScript state can be dropped

void release_id(double id) {
  std::lock_guard<std::mutex> lock(g_released_mutex);
  g_released.push_back(id);
}

void check_js_thread(const std::string& what) {
  if (g_callback == nullptr) throw std::runtime_error(what + ": no JavaScript callback is registered");
  if (std::this_thread::get_id() != g_js_thread) {
    throw std::runtime_error(
        what + " is written in JavaScript and LibTorch runs it on another thread (a CUDA device thread, or a "
               "backward started by a nonblocking call); JavaScript functions and hooks run only when backward "
               "runs on the CPU, called synchronously from JavaScript");
  }
  if (g_scope_depth == 0) {
    throw std::runtime_error(
        what + " is written in JavaScript and was reached outside backward() and grad() (for example through "
               "the operator aten::_backward or TorchScript), which cannot call JavaScript; use backward() or "
               "grad()");
  }
}

// Calls JavaScript; the `in` handles become JavaScript's, the `out` handles C++'s. Throws its error.
std::vector<at::Tensor> call_js(int32_t kind, double id, const std::vector<at::Tensor>& in, size_t n_out,
                                const std::string& what) {
  std::vector<double> in_h(in.size(), 0.0), out_h(n_out, 0.0);
  for (size_t i = 0; i < in.size(); i++) in_h[i] = in[i].defined() ? tt::new_tensor_handle(in[i]) : 0.0;
  g_js_error.clear();
  // inside JavaScript, only a nested backward() / grad() may call JavaScript again
  int depth = g_scope_depth;
  g_scope_depth = 0;
  int32_t rc = g_callback(kind, id, in_h.data(), static_cast<int32_t>(in_h.size()), out_h.data(),
                          static_cast<int32_t>(out_h.size()));
  g_scope_depth = depth;
  std::vector<at::Tensor> out(n_out);
  for (size_t i = 0; i < n_out; i++) {
    if (out_h[i] != 0) {
      out[i] = tt::tensor_ref(out_h[i]);
      tt::free_tensor_handle(out_h[i]);
    }
  }
  if (rc != 0) {
    std::string msg = g_js_error.empty() ? std::string("an exception") : g_js_error;
    throw std::runtime_error(what + " threw: " + msg);
  }
  return out;
}

// The node of one application of a JavaScript autograd Function.
struct JsFunctionNode : public Node {
  JsFunctionNode(double id, std::string name) : id_(id), name_(std::move(name)) {}
  ~JsFunctionNode() override { release_id(id_); }

  std::string name() const override { return name_; }

  variable_list apply(variable_list&& grads) override {
    check_js_thread(name_);
    at::OptionalDeviceGuard device_guard;
    std::vector<at::Tensor> in;
    in.reserve(grads.size() + saved_.size());
    for (size_t i = 0; i < grads.size(); i++) {
      if (grads[i].defined() || !materialize_grads_) in.push_back(grads[i]);
      else in.push_back(output_info_[i].zeros(device_guard));
    }
    std::lock_guard<std::mutex> lock(mutex_);
    TORCH_CHECK(!has_freed_buffers_, torch::autograd::ERR_BACKWARD_TWICE);
    auto self = shared_from_this();
    for (auto& s : saved_) in.push_back(s.unpack(self));
    auto out = call_js(0, id_, in, num_outputs(), name_ + " (its JavaScript backward)");
    return variable_list(out.begin(), out.end());
  }

  void release_variables() override {
    std::lock_guard<std::mutex> lock(mutex_);
    saved_.clear();
    has_freed_buffers_ = true;
  }

  double id_;
  std::string name_;
  bool materialize_grads_ = true;
  bool has_freed_buffers_ = false;
  std::vector<SavedVariable> saved_;
  std::vector<torch::autograd::VariableInfo> output_info_;
};

// Keeps a hook's id alive as long as LibTorch keeps the hook.
struct HookToken {
  explicit HookToken(double id) : id(id) {}
  ~HookToken() { release_id(id); }
  double id;
};

std::vector<at::Tensor> tensors_of(const double* handles, int32_t n, const char* what) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int32_t i = 0; i < n; i++) {
    if (handles[i] == 0) throw std::invalid_argument(std::string(what) + ": null tensor handle");
    v.push_back(tt::tensor_ref(handles[i]));
  }
  return v;
}

}  // namespace

tt::JsCallbackScope::JsCallbackScope() { ++g_scope_depth; }
tt::JsCallbackScope::~JsCallbackScope() { --g_scope_depth; }

extern "C" {

void tt_fn_set_callback(tt_fn_callback cb) {
  try {
    g_callback = cb;
    g_js_thread = std::this_thread::get_id();
  } catch (...) {
  }
}

void tt_fn_set_error(const char* msg) {
  try {
    g_js_error = msg == nullptr ? "" : msg;
  } catch (...) {  // out of memory for the message: keep the one there is
  }
}

int32_t tt_fn_take_released(double* out, int32_t cap) {
  try {
    std::lock_guard<std::mutex> lock(g_released_mutex);
    int32_t n = static_cast<int32_t>(std::min<size_t>(g_released.size(), static_cast<size_t>(cap < 0 ? 0 : cap)));
    for (int32_t i = 0; i < n; i++) out[i] = g_released[i];
    g_released.erase(g_released.begin(), g_released.begin() + n);
    return n;
  } catch (...) {
    return 0;
  }
}

int32_t tt_fn_wrap(double id, const char* name, const double* inputs, int32_t n_in, const double* outputs,
                   int32_t n_out, const uint8_t* non_differentiable, const uint8_t* dirty, const double* saved,
                   int32_t n_saved, int32_t materialize_grads, double* wrapped, char* err, int32_t errcap) {
  TT_TRY
  auto input_vars = tensors_of(inputs, n_in, "custom Function inputs");
  auto raw = tensors_of(outputs, n_out, "custom Function outputs");
  std::vector<at::Tensor> to_save;
  for (int32_t i = 0; i < n_saved; i++) to_save.push_back(saved[i] == 0 ? at::Tensor() : tt::tensor_ref(saved[i]));
  bool executable = torch::autograd::GradMode::is_enabled() && torch::autograd::any_variable_requires_grad(input_vars);
  // the node's destructor releases the id (on failure too: the host ignores ids it no longer has)
  std::shared_ptr<JsFunctionNode> node(new JsFunctionNode(id, name), torch::autograd::deleteNode);
  {
    if (executable) node->set_next_edges(torch::autograd::collect_next_edges(input_vars));
    node->materialize_grads_ = materialize_grads != 0;
    std::unordered_set<at::TensorImpl*> non_diff, dirty_set;
    for (int32_t i = 0; i < n_out; i++) {
      if (non_differentiable[i]) non_diff.insert(raw[i].unsafeGetTensorImpl());
    }
    for (int32_t i = 0; i < n_in; i++) {
      if (dirty[i]) {
        dirty_set.insert(input_vars[i].unsafeGetTensorImpl());
        input_vars[i].unsafeGetTensorImpl()->bump_version();
      }
    }
    std::vector<c10::optional<at::Tensor>> raw_opt(raw.begin(), raw.end());
    torch::autograd::_jvp_fn_t jvp = [](variable_list, variable_list) -> variable_list {
      TORCH_CHECK(false, "forward-mode AD (jvp) is not implemented for JavaScript custom Functions");
    };
#if TORCH_VERSION_MAJOR >= 2
    // LibTorch 2.x adds the tensors saved in setup_context and how to view an output as itself
    auto view_as_self = [](const at::Tensor& x) -> at::Tensor { return x.view_as(x); };
    auto outs = torch::autograd::_wrap_outputs(input_vars, non_diff, dirty_set, raw_opt,
                                               executable ? std::static_pointer_cast<Node>(node) : nullptr, jvp, {},
                                               view_as_self);
#else
    auto outs = torch::autograd::_wrap_outputs(input_vars, non_diff, dirty_set, raw_opt,
                                               executable ? std::static_pointer_cast<Node>(node) : nullptr, jvp);
#endif
    if (executable) {
      for (auto& o : outs) {
        if (o.has_value()) node->output_info_.emplace_back(o.value());
        else node->output_info_.emplace_back();
      }
      for (auto& t : to_save) {
        bool is_output = t.defined() && t.grad_fn().get() == node.get();
        node->saved_.emplace_back(t, is_output);
      }
    }
    for (int32_t i = 0; i < n_out; i++) wrapped[i] = tt::new_tensor_handle(outs[i].value());
  }
  return executable ? 1 : 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_tensor_register_hook(tt_tensor t, double id, char* err, int32_t errcap) {
  TT_TRY
  at::Tensor& x = tt::tensor_ref(t);
  auto token = std::make_shared<HookToken>(id);
  auto pos = x.register_hook([token](const at::Tensor& grad) -> at::Tensor {
    check_js_thread("a tensor hook");
    auto out = call_js(1, token->id, {grad}, 1, "a tensor hook (JavaScript)");
    return out[0];
  });
  return static_cast<int32_t>(pos);
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_tensor_remove_hook(tt_tensor t, int32_t pos, char* err, int32_t errcap) {
  TT_TRY
  tt::tensor_ref(t).remove_hook(static_cast<unsigned>(pos));
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

}  // extern "C"
