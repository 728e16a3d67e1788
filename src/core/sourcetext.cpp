#include "sourcetext.h"

#include <algorithm>
#include <cstring>

namespace portolan {

namespace {
bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}

void LineIndex::build() const
{
    std::call_once(m_built, [this] {
        const char *data = m_bytes.constData();
        const char *end = data + m_bytes.size();
        m_lineStarts.push_back(0);
        for (const char *p = data; p < end;) {
            const void *nl = std::memchr(p, '\n', std::size_t(end - p));
            if (!nl)
                break;
            p = static_cast<const char *>(nl) + 1;
            m_lineStarts.push_back(std::uint32_t(p - data));
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
