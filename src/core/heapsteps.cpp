#include "heapsteps.h"

#include <cstdlib>  // defines __GLIBC__ where glibc is the C library

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace portolan {

void growHeapsInLargeSteps()
{
#if defined(__GLIBC__)
    // 8 MB: 4 MB still left GitHub's load 1,100 calls, 8 MB 130 (most of
    // them the loader's, for libraries).
    mallopt(M_TOP_PAD, 8 << 20);
#endif
}

} // namespace portolan
