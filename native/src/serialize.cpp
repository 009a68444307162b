// What torch.save (PyTorch 2.x) derives from the names of an archive's records: the first half of
// `.data/serialization_id`. PyTorch combines std::hash of every record name in the iteration order of
// its std::unordered_set of written names, so only the same C++ library can reproduce it: hence here.
#include <c10/util/hash.h>

#include <sstream>
#include <string>
#include <unordered_set>

#include "common.h"

extern "C" {

int32_t tt_record_names_hash(const char* names, char* out, int32_t cap) {
  try {
    std::unordered_set<std::string> written;  // as caffe2::serialize::PyTorchStreamWriter::files_written_
    std::istringstream in(names == nullptr ? "" : names);
    std::string name;
    while (std::getline(in, name)) written.insert(name);
    uint64_t combined = 0;
    for (const std::string& n : written) combined = c10::hash_combine(combined, c10::hash<std::string>{}(n));
    return tt::put_string(std::to_string(combined), out, cap);
  } catch (...) {
    return tt::put_string("", out, cap);
  }
}

}  // extern "C"
