// Marks the entry points during which LibTorch may call the host's callback (custom autograd Functions and
// tensor hooks written in JavaScript): backward and grad, whose FFI declarations allow callbacks. Anywhere
// else (an operator call such as aten::_backward, TorchScript) a JavaScript node or hook fails with an
// error instead of calling JavaScript from a call that does not allow it. Implemented in
// autograd_function.cpp.
#pragma once

namespace tt {

struct JsCallbackScope {
  JsCallbackScope();
  ~JsCallbackScope();
  JsCallbackScope(const JsCallbackScope&) = delete;
  JsCallbackScope& operator=(const JsCallbackScope&) = delete;
};

}  // namespace tt
