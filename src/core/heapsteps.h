#pragma once

namespace portolan {

// Has the C library grow and trim its heaps in steps of megabytes, not
// pages. Left as it is, glibc grows a worker thread's heap a page at a time,
// with a system call each: loading GitHub's description made 1,900 of them,
// a third of its system time. Call first thing in main(). Memory taken by
// the process is unchanged: pages count only once they are touched.
void growHeapsInLargeSteps();

} // namespace portolan
