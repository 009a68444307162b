// Returning freed heap memory to the operating system: glibc's malloc_trim(0), a no-op elsewhere.
#include <cstdint>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "common.h"

extern "C" {

int32_t tt_release_memory(void) {
  TT_GUARD
#if defined(__GLIBC__)
  return malloc_trim(0) ? 1 : 0;
#else
  return -1;
#endif
  TT_GUARD_END(0)
}

}  // extern "C"
