// The whole ATen operator set through the c10 dispatcher: find an operator once, then call it boxed.
#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/csrc/jit/runtime/operator.h>

#include <algorithm>
#include <sstream>

#include "wire.h"

namespace {

struct Op {
  c10::OperatorHandle handle;
  std::string name;                  // "aten::add.Tensor", for messages
  std::vector<uint8_t> plain_tensor;  // per argument: its type is exactly Tensor (a fast path)
};

std::string full_name(const c10::OperatorName& n) {
  return n.overload_name.empty() ? n.name : n.name + "." + n.overload_name;
}

// The overloads of `name` in the order PyTorch's Python binding tries them (`torch.ops.aten.x(...)` takes the first
// whose schema accepts the arguments): the JIT operator registry's order, which is registration order. Only those
// the dispatcher can call are listed; dispatcher overloads the JIT registry lacks follow, sorted.
std::vector<std::string> overloads_of(const std::string& name) {
  std::vector<std::string> result;
  auto& dispatcher = c10::Dispatcher::singleton();
  if (name.find("::") != std::string::npos) {
    for (const auto& jop : torch::jit::getAllOperatorsFor(c10::Symbol::fromQualString(name))) {
      const auto& n = jop->schema().operator_name();
      if (dispatcher.findSchema(n) && std::find(result.begin(), result.end(), n.overload_name) == result.end())
        result.push_back(n.overload_name);
    }
  }
  std::vector<std::string> rest;
  for (const auto& n : dispatcher.getAllOpNames())
    if (n.name == name && std::find(result.begin(), result.end(), n.overload_name) == result.end())
      rest.push_back(n.overload_name);
  std::sort(rest.begin(), rest.end());
  result.insert(result.end(), rest.begin(), rest.end());
  return result;
}

}  // namespace

extern "C" {

tt_op tt_op_find(const char* name, const char* overload, char* err, int32_t errcap) {
  TT_TRY
  if (name == nullptr || overload == nullptr) throw std::invalid_argument("operator name and overload must be strings");
  auto h = c10::Dispatcher::singleton().findSchema({name, overload});
  if (!h) {
    std::ostringstream o;
    auto others = overloads_of(name);
    if (others.empty()) {
      o << "unknown operator " << name << " (not registered with the dispatcher)";
    } else {
      o << name << " has no overload '" << overload << "'; its overloads are:";
      for (const auto& x : others) o << " '" << x << "'";
    }
    throw std::invalid_argument(o.str());
  }
  auto* op = new Op{*h, full_name(h->operator_name()), {}};
  for (const auto& a : h->schema().arguments())
    op->plain_tensor.push_back(a.type()->kind() == c10::TypeKind::TensorType ? 1 : 0);
  return tt::to_handle(op);
  TT_CATCH(err, errcap, 0)
}

int32_t tt_op_call(tt_op oph, const double* args, int32_t nslots, double* out, int32_t outcap, int32_t flags,
                   char* err, int32_t errcap) {
  TT_TRY
  const Op* op = tt::from_handle<Op>(oph);
  c10::optional<c10::AutoGradMode> grad_mode;
  if (flags & TT_CALL_SET_GRAD_MODE) grad_mode.emplace((flags & TT_CALL_GRAD_ENABLED) != 0);
  const auto& params = op->handle.schema().arguments();
  tt::wire::Reader r{args, args + nslots, op->name.c_str()};
  // one stack per thread, reused (its capacity survives clear()), so a call allocates no vector
  thread_local torch::jit::Stack reusable;
  torch::jit::Stack& stack = reusable;
  struct ClearOnExit {
    torch::jit::Stack& s;
    ~ClearOnExit() { s.clear(); }  // no tensor stays referenced between calls, also after an error
  } clear_on_exit{stack};
  stack.clear();
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& a = params[i];
    if (op->plain_tensor[i] && !r.done() && r.tag() == TT_WIRE_TENSOR) {  // the common case, inline
      r.next();
      stack.emplace_back(tt::tensor_ref(r.next()));
      continue;
    }
    if (r.done() || r.tag() == TT_WIRE_DEFAULT) {
      if (!r.done()) r.next();
      if (!a.default_value())
        throw std::invalid_argument(op->name + ": missing argument '" + a.name() + "' (" + a.type()->str() + ")");
      stack.push_back(*a.default_value());
    } else {
      stack.push_back(tt::wire::read_typed(r, a.type(), a.N(), a.name().c_str()));
    }
  }
  if (!r.done())
    throw std::invalid_argument(op->name + ": too many arguments (it takes " + std::to_string(params.size()) + ")");
  op->handle.callBoxed(stack);
  if (flags & TT_CALL_DISCARD) return 0;
  if (stack.size() == 1 && stack[0].isTensor() && outcap >= 2) {  // one tensor: moved, not copied
    at::Tensor t = std::move(stack[0]).toTensor();
    if (!t.defined()) {
      out[0] = TT_WIRE_NONE;
      return 1;
    }
    out[0] = TT_WIRE_TENSOR;
    out[1] = tt::new_tensor_handle(std::move(t));
    return 2;
  }
  for (const auto& v : stack) tt::wire::check_writable(v);
  tt::wire::Writer w{out, outcap};
  for (const auto& v : stack) tt::wire::write(w, v);
  return w.finish();
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_op_overloads(const char* name, char* out, int32_t cap) {
  TT_GUARD
  std::string s;
  try {
    if (name != nullptr)
      for (const auto& o : overloads_of(name)) s += o + "\n";
  } catch (...) {
    s.clear();  // a name the symbol table refuses has no overloads
  }
  return tt::put_string(s, out, cap);
  TT_GUARD_END(tt::put_string("", out, cap))
}

int32_t tt_op_names(const char* prefix, char* out, int32_t cap) {
  TT_GUARD
  const std::string p = prefix == nullptr ? "" : prefix;
  std::vector<std::string> names;
  for (const auto& n : c10::Dispatcher::singleton().getAllOpNames())
    if (n.name.compare(0, p.size(), p) == 0) names.push_back(n.name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string s;
  for (const auto& n : names) s += n + "\n";
  return tt::put_string(s, out, cap);
  TT_GUARD_END(tt::put_string("", out, cap))
}

int32_t tt_op_schema(tt_op oph, char* out, int32_t cap) {
  TT_GUARD
  std::ostringstream o;
  o << tt::from_handle<Op>(oph)->handle.schema();
  return tt::put_string(o.str(), out, cap);
  TT_GUARD_END(tt::put_string("", out, cap))
}

int32_t tt_op_describe(tt_op oph, char* out, int32_t cap) {
  TT_GUARD
  const auto& schema = tt::from_handle<Op>(oph)->handle.schema();
  std::ostringstream o;
  for (const auto& a : schema.arguments()) {
    bool writes = a.alias_info() != nullptr && a.alias_info()->isWrite();
    o << a.name() << '\t' << a.real_type()->str() << '\t' << a.kwarg_only() << '\t' << a.default_value().has_value()
      << '\t' << writes << '\t' << (a.N() ? *a.N() : -1) << '\n';
  }
  o << "->\t" << schema.returns().size() << '\n';
  return tt::put_string(o.str(), out, cap);
  TT_GUARD_END(tt::put_string("", out, cap))
}

}  // extern "C"
