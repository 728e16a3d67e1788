#include "sourcetext.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portolan {

namespace {

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// How many bytes of [p, end) `matches`: sixteen at a time where SSE2 is
// there, as `vectorMatch` marks them (0xFF each), summed in 8-bit lanes for
// at most 255 steps before they are added up.
template <typename VectorMatch, typename ByteMatch>
std::size_t countBytes(const char *p, const char *end, VectorMatch vectorMatch, ByteMatch matches)
{
    std::size_t count = 0;
#if defined(__SSE2__)
    while (end - p >= 16) {
        const char *stop = p + std::min<std::ptrdiff_t>((end - p) / 16, 255) * 16;
        __m128i lanes = _mm_setzero_si128();
        for (; p < stop; p += 16)
            lanes = _mm_sub_epi8(lanes, vectorMatch(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p))));
        const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
        count += std::size_t(_mm_cvtsi128_si32(sums)) + std::size_t(_mm_extract_epi16(sums, 4));
    }
#else
    (void)vectorMatch;
#endif
    for (; p < end; ++p)
        count += matches(*p);
    return count;
}

std::size_t countNewlines(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i newline = _mm_set1_epi8('\n');
    auto vectorMatch = [&](__m128i bytes) { return _mm_cmpeq_epi8(bytes, newline); };
#else
    auto vectorMatch = nullptr;
#endif
    return countBytes(p, end, vectorMatch, [](char c) { return c == '\n'; });
}

// Characters: bytes that start a UTF-8 sequence (or stand alone).
std::size_t countCharacters(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i top = _mm_set1_epi8(char(0xC0));
    const __m128i continuation = _mm_set1_epi8(char(0x80));
    const __m128i all = _mm_set1_epi8(char(0xFF));
    auto vectorMatch = [&](__m128i bytes) { return _mm_xor_si128(_mm_cmpeq_epi8(_mm_and_si128(bytes, top), continuation), all); };
#else
    auto vectorMatch = nullptr;
#endif
    return countBytes(p, end, vectorMatch, [](char c) { return !isContinuationByte(c); });
}

// Moves a line and the characters read of it over [p, end).
void advance(const char *p, const char *end, std::uint32_t &line, std::uint32_t &character)
{
    const std::size_t newlines = countNewlines(p, end);
    if (newlines == 0) {
        character += std::uint32_t(countCharacters(p, end));
        return;
    }
    line += std::uint32_t(newlines);
    const char *last = static_cast<const char *>(memrchr(p, '\n', std::size_t(end - p)));
    character = std::uint32_t(countCharacters(last + 1, end));
}

} // namespace

void LineCounter::count(const char *data, std::size_t end)
{
    while (m_offset < end) {
        if (m_offset % LineIndex::kBlock == 0)
            m_checkpoints.push_back({m_line, m_character});
        const std::size_t stop = std::min(end, (m_offset / LineIndex::kBlock + 1) * LineIndex::kBlock);
        advance(data + m_offset, data + stop, m_line, m_character);
        m_offset = stop;
    }
}

void LineIndex::build() const
{
    if (m_counted)
        return;
    std::call_once(m_built, [this] {
        LineCounter counter;
        counter.count(m_bytes.constData(), std::size_t(m_bytes.size()));
        m_checkpoints = counter.take();
    });
}

TextPosition LineIndex::position(std::uint32_t offset, const Reader &read) const
{
    build();
    if (m_checkpoints.empty())
        return {1, 1};
    offset = std::min<std::uint32_t>(offset, std::uint32_t(m_bytes.size()));
    const std::size_t block = std::min<std::size_t>(offset / kBlock, m_checkpoints.size() - 1);
    std::uint32_t line = m_checkpoints[block].line;
    std::uint32_t character = m_checkpoints[block].character;
    const std::uint32_t blockStart = std::uint32_t(block * kBlock);
    const std::string_view bytes = read ? read(blockStart, offset)
                                        : std::string_view(m_bytes.constData() + blockStart, offset - blockStart);
    advance(bytes.data(), bytes.data() + bytes.size(), line, character);
    return {int(line), int(character) + 1};
}

std::uint32_t LineCursor::offsetOf(std::size_t line, std::size_t column)
{
    const char *begin = m_bytes.constData();
    const char *end = begin + m_bytes.size();
    if (line < m_line) {  // an earlier line than the last: counted again from the start
        m_line = 0;
        m_lineStart = 0;
    }
    for (; m_line < line; ++m_line) {
        const void *newline = std::memchr(begin + m_lineStart, '\n', std::size_t(end - begin) - m_lineStart);
        if (!newline)
            return std::uint32_t(m_bytes.size());
        m_lineStart = std::uint32_t(static_cast<const char *>(newline) - begin) + 1;
    }
    const char *p = begin + m_lineStart;
    while (column > 0 && p < end && *p != '\n') {
        ++p;
        while (p < end && isContinuationByte(*p))
            ++p;
        --column;
    }
    return std::uint32_t(p - begin);
}

} // namespace portolan
