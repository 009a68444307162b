// The wire format: decoding arguments and encoding results (see torchshim.h for the layout).
#include "wire.h"

#include <ATen/ScalarOps.h>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace tt::wire {

namespace {

const char* tag_name(int tag) {
  static const char* names[] = {"None",  "Tensor", "int",  "float",  "bool",  "str",
                                "list",  "tuple",  "dict", "device", "dtype", "default"};
  return tag >= 0 && tag <= TT_WIRE_DEFAULT ? names[tag] : "an unknown tag";
}

[[noreturn]] void fail(const Reader& r, const char* argname, const std::string& msg) {
  std::ostringstream s;
  s << r.what;
  if (argname != nullptr && argname[0] != '\0') s << ": argument '" << argname << "'";
  s << ": " << msg;
  throw std::invalid_argument(s.str());
}

// Doubles carry int64 values exactly up to 2^53; the int64 limits arrive rounded and are clamped.
int64_t to_int64(double v) {
  if (v >= 9.2233720368547758e18) return INT64_MAX;
  if (v <= -9.2233720368547758e18) return INT64_MIN;
  return static_cast<int64_t>(v);
}

std::string read_str(Reader& r) {
  auto n = static_cast<size_t>(r.next());
  size_t slots = (n + 7) / 8;
  if (r.p + slots > r.end) throw std::invalid_argument(std::string(r.what) + ": truncated string");
  std::string s(reinterpret_cast<const char*>(r.p), n);
  r.p += slots;
  return s;
}

void write_str(Writer& w, const std::string& s) {
  w.put(TT_WIRE_STR);
  w.put(static_cast<double>(s.size()));
  for (size_t i = 0; i < s.size(); i += 8) {
    double slot = 0;
    std::memcpy(&slot, s.data() + i, std::min<size_t>(8, s.size() - i));
    w.put(slot);
  }
}

at::Tensor wrapped_number(const c10::Scalar& s) { return at::native::wrapped_scalar_tensor(s); }

// The element type shared by all items, for typed lists and dicts.
c10::TypePtr unify(const std::vector<c10::IValue>& items) {
  if (items.empty()) return c10::AnyType::get();
  c10::TypePtr t = items[0].type();
  for (const auto& v : items) {
    auto u = c10::unifyTypes(t, v.type());
    if (!u) return c10::AnyType::get();
    t = *u;
  }
  return t;
}

}  // namespace

void Reader::truncated() const { throw std::invalid_argument(std::string(what) + ": truncated arguments"); }

int32_t Writer::finish() {
  if (!spilled) return pos;
  auto* heap = static_cast<double*>(std::malloc(spill.size() * sizeof(double)));
  if (heap == nullptr) throw std::bad_alloc();
  std::memcpy(heap, spill.data(), spill.size() * sizeof(double));
  out[0] = to_handle(heap);
  out[1] = static_cast<double>(spill.size());
  return TT_OVERFLOW;
}

c10::IValue read_any(Reader& r) {
  int tag = static_cast<int>(r.next());
  switch (tag) {
    case TT_WIRE_NONE:
      return c10::IValue();
    case TT_WIRE_TENSOR:
      return tensor_ref(r.next());
    case TT_WIRE_INT:
      return to_int64(r.next());
    case TT_WIRE_DOUBLE:
      return r.next();
    case TT_WIRE_BOOL:
      return r.next() != 0;
    case TT_WIRE_STR:
      return read_str(r);
    case TT_WIRE_DEVICE: {
      auto type = static_cast<int32_t>(r.next());
      auto index = static_cast<int32_t>(r.next());
      return to_device(type, index);
    }
    case TT_WIRE_DTYPE:
      return static_cast<int64_t>(r.next());
    case TT_WIRE_LIST:
    case TT_WIRE_TUPLE: {
      auto n = static_cast<size_t>(r.next());
      std::vector<c10::IValue> items;
      items.reserve(n);
      for (size_t i = 0; i < n; ++i) items.push_back(read_any(r));
      if (tag == TT_WIRE_TUPLE) return c10::ivalue::Tuple::create(std::move(items));
      c10::TypePtr elem = unify(items);
      if (items.empty()) elem = c10::AnyType::get();
      switch (elem->kind()) {
        case c10::TypeKind::IntType: {
          c10::List<int64_t> l;
          l.reserve(n);
          for (auto& v : items) l.push_back(v.toInt());
          return l;
        }
        case c10::TypeKind::FloatType: {
          c10::List<double> l;
          l.reserve(n);
          for (auto& v : items) l.push_back(v.toDouble());
          return l;
        }
        case c10::TypeKind::BoolType: {
          c10::List<bool> l;
          l.reserve(n);
          for (auto& v : items) l.push_back(v.toBool());
          return l;
        }
        case c10::TypeKind::TensorType: {
          c10::List<at::Tensor> l;
          l.reserve(n);
          for (auto& v : items) l.push_back(v.toTensor());
          return l;
        }
        default: {
          c10::impl::GenericList l(elem);
          l.reserve(n);
          for (auto& v : items) l.push_back(std::move(v));
          return l;
        }
      }
    }
    case TT_WIRE_DICT: {
      auto n = static_cast<size_t>(r.next());
      std::vector<c10::IValue> keys, values;
      keys.reserve(n);
      values.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        keys.push_back(read_any(r));
        values.push_back(read_any(r));
      }
      c10::TypePtr kt = n == 0 ? c10::StringType::get() : unify(keys);
      if (kt->kind() != c10::TypeKind::StringType && kt->kind() != c10::TypeKind::IntType &&
          kt->kind() != c10::TypeKind::FloatType && kt->kind() != c10::TypeKind::BoolType &&
          kt->kind() != c10::TypeKind::TensorType)
        throw std::invalid_argument(std::string(r.what) + ": dictionary keys must all be strings or all ints");
      c10::impl::GenericDict d(kt, unify(values));
      d.reserve(n);
      for (size_t i = 0; i < n; ++i) d.insert_or_assign(std::move(keys[i]), std::move(values[i]));
      return d;
    }
    default:
      throw std::invalid_argument(std::string(r.what) + ": unexpected " + tag_name(tag) + " value");
  }
}

c10::IValue read_typed(Reader& r, const c10::TypePtr& type, c10::optional<int32_t> n, const char* argname) {
  using K = c10::TypeKind;
  int tag = r.tag();
  auto expected = [&](const char* want) -> c10::IValue {
    fail(r, argname, std::string("expected ") + want + ", got " + tag_name(tag));
  };
  switch (type->kind()) {
    case K::OptionalType:
      if (tag == TT_WIRE_NONE) {
        r.next();
        return c10::IValue();
      }
      return read_typed(r, type->expectRef<c10::OptionalType>().getElementType(), n, argname);
    case K::TensorType:
      if (tag == TT_WIRE_TENSOR) {
        r.next();
        return tensor_ref(r.next());
      }
      // Python passes numbers where a Tensor is expected as "wrapped numbers" (they promote like scalars).
      if (tag == TT_WIRE_INT) {
        r.next();
        return wrapped_number(c10::Scalar(to_int64(r.next())));
      }
      if (tag == TT_WIRE_DOUBLE) {
        r.next();
        return wrapped_number(c10::Scalar(r.next()));
      }
      if (tag == TT_WIRE_BOOL) {
        r.next();
        return wrapped_number(c10::Scalar(r.next() != 0));
      }
      return expected("Tensor");
    case K::IntType:
      if (tag == TT_WIRE_INT || tag == TT_WIRE_DTYPE || tag == TT_WIRE_BOOL) {
        r.next();
        return to_int64(r.next());
      }
      if (tag == TT_WIRE_DOUBLE) {
        r.next();
        double v = r.next();
        if (std::floor(v) != v) fail(r, argname, "expected int, got the float " + std::to_string(v));
        // 2^63 itself is how INT64_MAX arrives (rounded); anything larger is no int64, and is refused, not clamped
        if (std::fabs(v) > 9.2233720368547758e18) {
          std::ostringstream m;
          m << "expected an int64, got " << v << ", outside [-2^63, 2^63)";
          fail(r, argname, m.str());
        }
        return to_int64(v);
      }
      return expected("int");
    case K::FloatType:
      if (tag == TT_WIRE_INT || tag == TT_WIRE_DOUBLE) {
        r.next();
        return r.next();
      }
      return expected("float");
    case K::BoolType:
      if (tag == TT_WIRE_BOOL) {
        r.next();
        return r.next() != 0;
      }
      return expected("bool");
    case K::NumberType:
      if (tag == TT_WIRE_INT) {
        r.next();
        return to_int64(r.next());
      }
      if (tag == TT_WIRE_DOUBLE) {
        r.next();
        return r.next();
      }
      if (tag == TT_WIRE_BOOL) {
        r.next();
        return r.next() != 0;
      }
      return expected("a number (Scalar)");
    case K::StringType:
      if (tag == TT_WIRE_STR) {
        r.next();
        return read_str(r);
      }
      return expected("str");
    case K::DeviceObjType:
      if (tag == TT_WIRE_DEVICE) return read_any(r);
      if (tag == TT_WIRE_STR) {
        r.next();
        return c10::Device(read_str(r));
      }
      return expected("Device");
    case K::ListType: {
      const auto& elem = type->expectRef<c10::ListType>().getElementType();
      // Python expands a single int for `int[N]` (stride=2 -> [2, 2]), and accepts one int for `int[]`.
      if (elem->kind() == K::IntType && (tag == TT_WIRE_INT || tag == TT_WIRE_DOUBLE)) {
        auto v = read_typed(r, elem, c10::nullopt, argname).toInt();
        c10::List<int64_t> l;
        for (int32_t i = 0; i < (n ? *n : 1); ++i) l.push_back(v);
        return l;
      }
      if (tag != TT_WIRE_LIST && tag != TT_WIRE_TUPLE) return expected(type->str().c_str());
      r.next();
      auto count = static_cast<size_t>(r.next());
      switch (elem->kind()) {
        case K::IntType: {
          c10::List<int64_t> l;
          l.reserve(count);
          for (size_t i = 0; i < count; ++i) l.push_back(read_typed(r, elem, c10::nullopt, argname).toInt());
          return l;
        }
        case K::FloatType: {
          c10::List<double> l;
          l.reserve(count);
          for (size_t i = 0; i < count; ++i) l.push_back(read_typed(r, elem, c10::nullopt, argname).toDouble());
          return l;
        }
        case K::BoolType: {
          c10::List<bool> l;
          l.reserve(count);
          for (size_t i = 0; i < count; ++i) l.push_back(read_typed(r, elem, c10::nullopt, argname).toBool());
          return l;
        }
        case K::TensorType: {
          c10::List<at::Tensor> l;
          l.reserve(count);
          for (size_t i = 0; i < count; ++i) l.push_back(read_typed(r, elem, c10::nullopt, argname).toTensor());
          return l;
        }
        case K::OptionalType:
          if (elem->expectRef<c10::OptionalType>().getElementType()->kind() == K::TensorType) {
            c10::List<c10::optional<at::Tensor>> l;
            l.reserve(count);
            for (size_t i = 0; i < count; ++i) {
              auto v = read_typed(r, elem, c10::nullopt, argname);
              l.push_back(v.isNone() ? c10::optional<at::Tensor>() : c10::optional<at::Tensor>(v.toTensor()));
            }
            return l;
          }
          [[fallthrough]];
        default: {
          c10::impl::GenericList l(elem);
          l.reserve(count);
          for (size_t i = 0; i < count; ++i) l.push_back(read_typed(r, elem, c10::nullopt, argname));
          return l;
        }
      }
    }
    case K::TupleType: {
      if (tag != TT_WIRE_LIST && tag != TT_WIRE_TUPLE) return expected(type->str().c_str());
      r.next();
      auto count = static_cast<size_t>(r.next());
      const auto& elems = type->expectRef<c10::TupleType>().elements();
      if (count != elems.size())
        fail(r, argname, "expected a tuple of " + std::to_string(elems.size()) + " items, got " + std::to_string(count));
      std::vector<c10::IValue> items;
      items.reserve(count);
      for (size_t i = 0; i < count; ++i) items.push_back(read_typed(r, elems[i], c10::nullopt, argname));
      return c10::ivalue::Tuple::create(std::move(items));
    }
    case K::DictType: {
      if (tag != TT_WIRE_DICT) return expected(type->str().c_str());
      r.next();
      auto count = static_cast<size_t>(r.next());
      const auto& dt = type->expectRef<c10::DictType>();
      c10::impl::GenericDict d(dt.getKeyType(), dt.getValueType());
      for (size_t i = 0; i < count; ++i) {
        auto k = read_typed(r, dt.getKeyType(), c10::nullopt, argname);
        auto v = read_typed(r, dt.getValueType(), c10::nullopt, argname);
        d.insert_or_assign(std::move(k), std::move(v));
      }
      return d;
    }
    default:
      return read_any(r);
  }
}

void check_writable(const c10::IValue& v) {
  if (v.isTensor() || v.isNone() || v.isInt() || v.isDouble() || v.isBool() || v.isString() || v.isDevice())
    return;
  if (v.isList()) {
    if (v.isIntList() || v.isDoubleList() || v.isBoolList() || v.isTensorList()) return;
    for (const auto& x : v.toListRef()) check_writable(x);
    return;
  }
  if (v.isTuple()) {
    for (const auto& x : v.toTupleRef().elements()) check_writable(x);
    return;
  }
  if (v.isGenericDict()) {
    for (const auto& kv : v.toGenericDict()) {
      check_writable(kv.key());
      check_writable(kv.value());
    }
    return;
  }
  if (v.isObject())
    throw std::invalid_argument("a TorchScript object of class " + v.type()->str() +
                                " cannot be returned to TypeScript; call one of its methods instead");
  throw std::invalid_argument("a result of type " + v.type()->str() + " cannot be returned to TypeScript");
}

void write(Writer& w, const c10::IValue& v) {
  if (v.isTensor()) {
    const auto& t = v.toTensor();
    if (!t.defined()) {
      w.put(TT_WIRE_NONE);
      return;
    }
    w.put(TT_WIRE_TENSOR);
    w.put(new_tensor_handle(t));
  } else if (v.isNone()) {
    w.put(TT_WIRE_NONE);
  } else if (v.isInt()) {
    w.put(TT_WIRE_INT);
    w.put(static_cast<double>(v.toInt()));
  } else if (v.isDouble()) {
    w.put(TT_WIRE_DOUBLE);
    w.put(v.toDouble());
  } else if (v.isBool()) {
    w.put(TT_WIRE_BOOL);
    w.put(v.toBool() ? 1 : 0);
  } else if (v.isString()) {
    write_str(w, v.toStringRef());
  } else if (v.isDevice()) {
    auto d = v.toDevice();
    w.put(TT_WIRE_DEVICE);
    w.put(static_cast<double>(static_cast<int>(d.type())));
    w.put(d.has_index() ? d.index() : -1);
  } else if (v.isList()) {
    auto items = v.toListRef();
    w.put(TT_WIRE_LIST);
    w.put(static_cast<double>(items.size()));
    for (const auto& x : items) write(w, x);
  } else if (v.isTuple()) {
    const auto& items = v.toTupleRef().elements();
    w.put(TT_WIRE_TUPLE);
    w.put(static_cast<double>(items.size()));
    for (const auto& x : items) write(w, x);
  } else if (v.isGenericDict()) {
    auto d = v.toGenericDict();
    w.put(TT_WIRE_DICT);
    w.put(static_cast<double>(d.size()));
    for (const auto& kv : d) {
      write(w, kv.key());
      write(w, kv.value());
    }
  } else {
    check_writable(v);  // throws with the type's name
  }
}

}  // namespace tt::wire
