#pragma once

#include <QtGlobal>

namespace portolan::test {

// Peak resident memory of this process so far (VmHWM), in bytes; -1 when unknown.
qint64 peakResidentBytes();

} // namespace portolan::test
