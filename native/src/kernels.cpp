// What decides the last bits of CPU results: ATen's CPU capability, oneDNN's instruction set and whether
// oneDNN is used, the BLAS library behind libblas.so.3 and every thread pool; plus the CPU itself.
// Reported so that two runs can be compared, and set where a setting can change after loading.
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <dlfcn.h>
#include <link.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common.h"

namespace {

// The loaded shared objects whose file name contains `needle`, resolved through symbolic links.
std::string loaded_library(const char* needle) {
  struct Search {
    const char* needle;
    std::string found;
  } search{needle, ""};
  dl_iterate_phdr(
      [](struct dl_phdr_info* info, size_t, void* data) -> int {
        auto* s = static_cast<Search*>(data);
        if (info->dlpi_name == nullptr || info->dlpi_name[0] == '\0') return 0;
        std::string name(info->dlpi_name);
        auto slash = name.rfind('/');
        std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
        if (base.find(s->needle) == std::string::npos) return 0;
        char real[PATH_MAX];
        s->found = realpath(name.c_str(), real) != nullptr ? std::string(real) : name;
        return 1;
      },
      &search);
  return search.found;
}

// A symbol from any loaded object: the global scope first, then the named libraries if they are loaded.
void* find_symbol(const char* symbol, std::initializer_list<const char*> libraries) {
  if (void* p = dlsym(RTLD_DEFAULT, symbol)) return p;
  for (const char* l : libraries) {
    void* h = dlopen(l, RTLD_LAZY | RTLD_NOLOAD);
    if (h == nullptr) continue;
    void* p = dlsym(h, symbol);
    dlclose(h);
    if (p != nullptr) return p;
  }
  return nullptr;
}

const std::initializer_list<const char*> kBlasLibraries = {"libblas.so.3", "libopenblas.so.0", "libopenblas.so",
                                                           "libopenblasp-r0.3.21.so"};

std::string blas_vendor(const std::string& path) {
  if (find_symbol("openblas_get_config", kBlasLibraries) != nullptr) return "openblas";
  if (path.find("mkl") != std::string::npos) return "mkl";
  if (path.find("blis") != std::string::npos) return "blis";
  if (path.find("atlas") != std::string::npos) return "atlas";
  if (path.find("/blas/") != std::string::npos) return "reference";
  return path.empty() ? "none" : "unknown";
}

int32_t blas_threads() {
  using get_fn = int (*)();
  auto get = reinterpret_cast<get_fn>(find_symbol("openblas_get_num_threads", kBlasLibraries));
  return get == nullptr ? 0 : get();
}

// ATen's CPU capability as at::show_config() reports it (the function behind it is not exported).
std::string cpu_capability() {
  std::string config = at::show_config();
  const std::string key = "CPU capability usage: ";
  auto at = config.find(key);
  if (at == std::string::npos) return "unknown";
  auto end = config.find('\n', at);
  std::string v = config.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v == "no avx" ? "default" : v;
}

// oneDNN's instruction set in effect (dnnl_get_effective_cpu_isa), as oneDNN's own names.
std::string onednn_isa() {
  using isa_fn = int (*)();
  auto fn = reinterpret_cast<isa_fn>(
      find_symbol("dnnl_get_effective_cpu_isa", {"libdnnl.so.3", "libdnnl.so.2", "libtorch_cpu.so"}));
  if (fn == nullptr) return "none";
  int v = fn();
  // Values of dnnl_cpu_isa_t in oneDNN 2.x and 3.x (the ones that exist on x86-64).
  switch (v) {  // the values that oneDNN 2.x and 3.x share
    case 0x0: return "default";
    case 0x1: return "sse41";
    case 0x3: return "avx";
    case 0x7: return "avx2";
    case 0x27: return "avx512_core";
    case 0x67: return "avx512_core_vnni";
    case 0xe7: return "avx512_core_bf16";
    default: {
      std::ostringstream o;
      o << "0x" << std::hex << v;
      return o.str();
    }
  }
}

int32_t omp_threads() {
  using fn_t = int (*)();
  auto fn = reinterpret_cast<fn_t>(find_symbol("omp_get_max_threads", {"libgomp.so.1", "libomp.so", "libiomp5.so"}));
  return fn == nullptr ? 0 : fn();
}

// The CPU model and the instruction-set flags that change kernel choices, from /proc/cpuinfo (Linux).
void cpu_identity(std::string& model, std::string& flags) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  static const char* kFlags[] = {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw",
                                 "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16",
                                 "avx_vnni", "asimd", "sve"};
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (model.empty() && (key == "model name" || key == "Model" || key == "cpu model")) model = value;
    if (flags.empty() && (key == "flags" || key == "Features")) {
      std::istringstream words(" " + value + " ");
      std::string w, out;
      while (words >> w) {
        for (const char* f : kFlags)
          if (w == f) out += (out.empty() ? "" : ",") + w;
      }
      flags = out;
    }
    if (!model.empty() && !flags.empty()) break;
  }
  for (auto& c : model)
    if (c == ';' || c == '=') c = ' ';
}

}  // namespace

extern "C" {

int32_t tt_kernel_info(char* out, int32_t cap) {
  try {
    std::string model, flags;
    cpu_identity(model, flags);
    std::string blas = loaded_library("blas");
    std::string lapack = loaded_library("lapack");
    std::ostringstream o;
    o << "capability=" << cpu_capability() << ";mkldnn=" << (at::globalContext().userEnabledMkldnn() ? 1 : 0)
      << ";onednn_isa=" << onednn_isa() << ";blas=" << blas << ";blas_vendor=" << blas_vendor(blas)
      << ";blas_threads=" << blas_threads() << ";lapack=" << lapack << ";omp_threads=" << omp_threads()
      << ";intraop_threads=" << at::get_num_threads() << ";interop_threads=" << at::get_num_interop_threads()
      << ";cpu_model=" << model << ";cpu_flags=" << flags;
    return tt::put_string(o.str(), out, cap);
  } catch (const std::exception& e) {
    return tt::put_string(std::string("error=") + e.what(), out, cap);
  } catch (...) {
    return tt::put_string("error=unknown C++ exception", out, cap);
  }
}

int32_t tt_set_mkldnn_enabled(int32_t flag) {
  try {
    at::globalContext().setUserEnabledMkldnn(flag != 0);
    return 0;
  } catch (...) {
    return -1;
  }
}

}  // extern "C"

namespace tt {

// OpenBLAS runs its own thread pool, which at::set_num_threads does not reach.
void set_blas_threads(int32_t n) {
  using set_fn = void (*)(int);
  auto set = reinterpret_cast<set_fn>(find_symbol("openblas_set_num_threads", kBlasLibraries));
  if (set != nullptr) set(n);
}

}  // namespace tt
