// The wire format (see torchshim.h): IValues to and from a sequence of double slots.
#pragma once

#include <ATen/core/ivalue.h>
#include <ATen/core/jit_type.h>
#include <vector>

#include "common.h"

namespace tt::wire {

// Reads slots written by the caller.
struct Reader {
  const double* p;
  const double* end;
  const char* what;  // what is being decoded, for error messages

  bool done() const { return p >= end; }
  // the next value's tag, without consuming it
  int tag() const {
    if (p >= end) truncated();
    return static_cast<int>(*p);
  }
  double next() {
    if (p >= end) truncated();
    return *p++;
  }
  [[noreturn]] void truncated() const;
};

// Writes result slots into the caller's buffer; past its capacity, continues in a heap buffer.
struct Writer {
  double* out;
  int32_t cap;
  int32_t pos = 0;
  std::vector<double> spill;
  bool spilled = false;

  void put(double v) {
    if (!spilled && pos < cap) {
      out[pos++] = v;
      return;
    }
    if (!spilled) {
      spill.assign(out, out + pos);
      spilled = true;
    }
    spill.push_back(v);
    pos++;
  }
  // The call's return value: the number of slots, or TT_OVERFLOW with out[0..1] describing the heap copy.
  int32_t finish();
};

// Decodes a value whose type is inferred from its tags (lists of ints become int lists, and so on).
c10::IValue read_any(Reader& r);
// Decodes a value for a schema type, converting where Python would (int -> float, number -> Tensor, ...).
// n: the fixed length of an `int[N]` argument, so that a single int is repeated N times.
c10::IValue read_typed(Reader& r, const c10::TypePtr& type, c10::optional<int32_t> n, const char* argname);
// Throws when a result cannot be encoded (call before write, so no handle is allocated in vain).
void check_writable(const c10::IValue& v);
void write(Writer& w, const c10::IValue& v);

}  // namespace tt::wire
