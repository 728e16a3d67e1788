#pragma once

#include <cstddef>

namespace portolan {

// Asks the kernel to back a large buffer that is about to be filled (a
// document's bytes, the parsed tree's arrays) with 2 MB pages. On virtual
// machines each page fault costs microseconds, and a 47 MB document touches
// tens of thousands of 4 KB pages; huge pages take one fault per 2 MB and
// fewer TLB misses. Only the 2 MB ranges wholly inside the buffer are
// advised, so no memory outside it is committed. A hint: where the system
// does not offer huge pages, nothing changes.
void adviseHugePages(const void *data, std::size_t size);

// Gives the pages of [begin, end) back to the system: room reserved for a
// buffer that was not filled, such as the end of a 2 MB page the buffer's
// last value touched. The range reads as zeros if it is ever touched again.
void releasePages(const void *begin, const void *end);

} // namespace portolan
