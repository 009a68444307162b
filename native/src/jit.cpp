// TorchScript modules: load, call methods, walk children, parameters and buffers, train/eval, move, save.
#include <torch/script.h>

#include <sstream>

#include "wire.h"

namespace {

std::atomic<int64_t> live_modules{0};

torch::jit::Module& module_ref(double h) {
  if (h == 0) throw std::invalid_argument("null module handle");
  return *tt::from_handle<torch::jit::Module>(h);
}

double new_module_handle(torch::jit::Module m) {
  live_modules.fetch_add(1, std::memory_order_relaxed);
  return tt::to_handle(new torch::jit::Module(std::move(m)));
}

std::string type_name(const torch::jit::Module& m) {
  auto n = m.type()->name();
  return n ? n->qualifiedName() : m.type()->str();
}

std::string child_names(const torch::jit::Module& m) {
  std::string s;
  for (const auto& c : m.named_children()) s += (s.empty() ? "" : ", ") + c.name;
  return s.empty() ? "none" : s;
}

}  // namespace

extern "C" {

tt_module tt_jit_load(const char* path, int32_t device_type, int32_t device_index, char* err, int32_t errcap) {
  TT_TRY
  if (path == nullptr) throw std::invalid_argument("jit.load: the path must be a string");
  c10::optional<c10::Device> device;
  if (device_type >= 0) device = tt::to_device(device_type, device_index);
  return new_module_handle(torch::jit::load(path, device));
  TT_CATCH(err, errcap, 0)
}

void tt_jit_free(tt_module m) {
  if (m == 0) return;
  TT_GUARD
  delete tt::from_handle<torch::jit::Module>(m);
  live_modules.fetch_sub(1, std::memory_order_relaxed);
  TT_GUARD_END_VOID
}

tt_module tt_jit_share(tt_module m) {
  TT_GUARD
  return new_module_handle(module_ref(m));
  TT_GUARD_END(0)
}

double tt_jit_live(void) { return static_cast<double>(live_modules.load(std::memory_order_relaxed)); }

int32_t tt_jit_call(tt_module mh, const char* method, const double* args, int32_t nslots, double* out,
                    int32_t outcap, int32_t flags, char* err, int32_t errcap) {
  TT_TRY
  auto& m = module_ref(mh);
  if (method == nullptr) throw std::invalid_argument("the method name must be a string");
  c10::optional<c10::AutoGradMode> grad_mode;
  if (flags & TT_CALL_SET_GRAD_MODE) grad_mode.emplace((flags & TT_CALL_GRAD_ENABLED) != 0);
  auto meth = m.find_method(method);
  if (!meth) {
    std::string names;
    for (const auto& x : m.get_methods()) names += (names.empty() ? "" : ", ") + x.name();
    throw std::invalid_argument("module " + type_name(m) + " has no method '" + method + "' (methods: " + names + ")");
  }
  const auto& params = meth->function().getSchema().arguments();
  std::string what = type_name(m) + "." + method;
  tt::wire::Reader r{args, args + nslots, what.c_str()};
  std::vector<c10::IValue> stack;
  for (size_t i = 1; i < params.size(); ++i) {  // params[0] is self
    const auto& a = params[i];
    if (r.done() || r.tag() == TT_WIRE_DEFAULT) {
      if (!r.done()) r.next();
      if (!a.default_value()) throw std::invalid_argument(what + ": missing argument '" + a.name() + "'");
      stack.push_back(*a.default_value());
    } else {
      stack.push_back(tt::wire::read_typed(r, a.type(), a.N(), a.name().c_str()));
    }
  }
  if (!r.done())
    throw std::invalid_argument(what + ": too many arguments (it takes " + std::to_string(params.size() - 1) + ")");
  c10::IValue result = (*meth)(std::move(stack));
  if (flags & TT_CALL_DISCARD) return 0;
  tt::wire::check_writable(result);
  tt::wire::Writer w{out, outcap};
  tt::wire::write(w, result);
  return w.finish();
  TT_CATCH(err, errcap, TT_ERROR)
}

tt_module tt_jit_child(tt_module mh, const char* name, char* err, int32_t errcap) {
  TT_TRY
  torch::jit::Module cur = module_ref(mh);
  if (name == nullptr) throw std::invalid_argument("the child name must be a string");
  std::string path;
  std::istringstream parts(name);
  std::string part;
  while (std::getline(parts, part, '.')) {
    if (!cur.hasattr(part))
      throw std::invalid_argument("module " + type_name(cur) + (path.empty() ? "" : " (at '" + path + "')") +
                                  " has no child '" + part + "' (children: " + child_names(cur) + ")");
    auto v = cur.attr(part);
    if (!v.isModule())
      throw std::invalid_argument("attribute '" + part + "' of " + type_name(cur) + " is a " + v.type()->str() +
                                  ", not a module");
    cur = v.toModule();
    path += (path.empty() ? "" : ".") + part;
  }
  return new_module_handle(cur);
  TT_CATCH(err, errcap, 0)
}

int32_t tt_jit_list(tt_module mh, int32_t what, int32_t recurse, double* out, int32_t outcap, char* err,
                    int32_t errcap) {
  TT_TRY
  auto& m = module_ref(mh);
  c10::impl::GenericList list(c10::AnyType::get());
  switch (what) {
    case TT_JIT_LIST_CHILDREN:
      for (const auto& c : m.named_children()) list.push_back(c.name);
      break;
    case TT_JIT_LIST_PARAMETERS:
      for (const auto& p : m.named_parameters(recurse != 0))
        list.push_back(c10::ivalue::Tuple::create({c10::IValue(p.name), c10::IValue(p.value)}));
      break;
    case TT_JIT_LIST_BUFFERS:
      for (const auto& p : m.named_buffers(recurse != 0))
        list.push_back(c10::ivalue::Tuple::create({c10::IValue(p.name), c10::IValue(p.value)}));
      break;
    case TT_JIT_LIST_METHODS:
      for (const auto& x : m.get_methods()) list.push_back(x.name());
      break;
    default:
      throw std::invalid_argument("tt_jit_list: unknown list kind " + std::to_string(what));
  }
  tt::wire::Writer w{out, outcap};
  tt::wire::write(w, list);
  return w.finish();
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_jit_type_name(tt_module mh, char* out, int32_t cap) {
  TT_GUARD
  return tt::put_string(type_name(module_ref(mh)), out, cap);
  TT_GUARD_END(tt::put_string("", out, cap))
}

int32_t tt_jit_train(tt_module mh, int32_t on, char* err, int32_t errcap) {
  TT_TRY
  module_ref(mh).train(on != 0);
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_jit_is_training(tt_module mh) {
  TT_GUARD
  return module_ref(mh).is_training() ? 1 : 0;
  TT_GUARD_END(0)
}

int32_t tt_jit_to(tt_module mh, int32_t device_type, int32_t device_index, int32_t dtype, char* err,
                  int32_t errcap) {
  TT_TRY
  auto& m = module_ref(mh);
  c10::optional<c10::Device> device;
  if (device_type >= 0) device = tt::to_device(device_type, device_index);
  c10::optional<at::ScalarType> scalar_type;
  if (dtype >= 0) scalar_type = static_cast<at::ScalarType>(dtype);
  // As torch.nn.Module.to: a dtype applies to floating point parameters and buffers only (Module::to of
  // torch::jit converts every tensor, turning BatchNorm's num_batches_tracked into a float). The data is
  // replaced in place (set_data), so handles to the parameters keep seeing them; gradients follow.
  torch::NoGradGuard no_grad;
  auto move = [&](at::Tensor t) {
    auto target_type = scalar_type && t.is_floating_point() ? *scalar_type : t.scalar_type();
    auto target_device = device.value_or(t.device());
    if (target_type == t.scalar_type() && target_device == t.device()) return;
    t.set_data(t.to(target_device, target_type));
    if (t.grad().defined()) t.mutable_grad() = t.grad().to(target_device, target_type);
  };
  for (const auto& p : m.parameters()) move(p);
  for (const auto& b : m.buffers()) move(b);
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_jit_save(tt_module mh, const char* path, char* err, int32_t errcap) {
  TT_TRY
  if (path == nullptr) throw std::invalid_argument("save: the path must be a string");
  module_ref(mh).save(path);
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

}  // extern "C"
