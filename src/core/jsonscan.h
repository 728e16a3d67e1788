#pragma once

namespace portolan {

// The first byte from `p` on that ends the plain run of a JSON string: '"',
// '\\' or a control character; `end` if none. What the parser reads and what
// the CLI writes are mostly strings, so this scans 16 bytes at a time where
// SSE2 is there.
const char *findJsonStringSpecial(const char *p, const char *end);

} // namespace portolan
