#include "sourcetext.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portolan {

namespace {
bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}

void LineIndex::build() const
{
    std::call_once(m_built, [this] {
        const char *data = m_bytes.constData();
        const char *end = data + m_bytes.size();
        // Sixty-four bytes at a time, written through a pointer into room made
        // ahead: lines of pretty-printed JSON are short, and a memchr call or
        // a push_back per line cost more than the scan itself.
        std::vector<std::uint32_t> &starts = m_lineStarts;
        starts.resize(std::max<std::size_t>(128, std::size_t(m_bytes.size()) / 64));
        std::uint32_t *out = starts.data() + 1;  // starts[0] is line 1's, 0
        const char *p = data;
#if defined(__SSE2__)
        const __m128i newline = _mm_set1_epi8('\n');
        auto newlines = [&](const char *at) {
            return std::uint64_t(unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(at)), newline))));
        };
        std::uint32_t *room = starts.data() + starts.size() - 64;
        for (; end - p >= 64; p += 64) {
            if (out > room) {
                const std::size_t count = std::size_t(out - starts.data());
                starts.resize(starts.size() * 2);
                out = starts.data() + count;
                room = starts.data() + starts.size() - 64;
            }
            std::uint64_t mask = newlines(p) | newlines(p + 16) << 16 | newlines(p + 32) << 32 | newlines(p + 48) << 48;
            const std::uint32_t offset = std::uint32_t(p - data) + 1;
            for (; mask; mask &= mask - 1)
                *out++ = offset + unsigned(__builtin_ctzll(mask));
        }
#endif
        starts.resize(std::size_t(out - starts.data()));
        for (; p < end; ++p) {
            if (*p == '\n')
                starts.push_back(std::uint32_t(p - data) + 1);
        }
    });
}

TextPosition LineIndex::position(std::uint32_t offset) const
{
    build();
    offset = std::min<std::uint32_t>(offset, std::uint32_t(m_bytes.size()));
    auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
    const std::size_t line = std::size_t(it - m_lineStarts.begin()) - 1;
    const char *p = m_bytes.constData() + m_lineStarts[line];
    const char *target = m_bytes.constData() + offset;
    int column = 1;
    for (; p < target; ++p) {
        if (!isContinuationByte(*p))
            ++column;
    }
    return {int(line) + 1, column};
}

std::uint32_t LineIndex::offsetOf(std::size_t line, std::size_t column) const
{
    build();
    if (line >= m_lineStarts.size())
        return std::uint32_t(m_bytes.size());
    const char *p = m_bytes.constData() + m_lineStarts[line];
    const char *end = m_bytes.constData() + m_bytes.size();
    while (column > 0 && p < end && *p != '\n') {
        ++p;
        while (p < end && isContinuationByte(*p))
            ++p;
        --column;
    }
    return std::uint32_t(p - m_bytes.constData());
}

} // namespace portolan
