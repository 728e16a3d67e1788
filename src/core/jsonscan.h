#pragma once

namespace portolan {

// Whether `c` ends the plain run of a JSON string: '"', '\\' or a control character.
inline bool isJsonStringSpecial(char c)
{
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
}

// The first byte from `p` on that isJsonStringSpecial(); `end` if none.
// What the parser reads and what the CLI writes are mostly strings, so this
// scans 16 bytes at a time where SSE2 is there.
const char *findJsonStringSpecial(const char *p, const char *end);
// The same, stopping at a byte outside ASCII too: a writer takes the text
// up to there as it stands, where the rest may need decoding.
const char *findJsonStringSpecialOrNonAscii(const char *p, const char *end);

} // namespace portolan
