#include "jsonscan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portolan {

namespace {

template <bool kStopAtNonAscii>
const char *find(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i lastControl = _mm_set1_epi8(0x1F);
    while (end - p >= 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(chunk, lastControl), chunk);  // byte <= 0x1F
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)), control);
        // A byte's top bit, which movemask reads, is set outside ASCII.
        const int mask = _mm_movemask_epi8(special) | (kStopAtNonAscii ? _mm_movemask_epi8(chunk) : 0);
        if (mask)
            return p + __builtin_ctz(unsigned(mask));
        p += 16;
    }
#endif
    while (p < end && !isJsonStringSpecial(*p) && !(kStopAtNonAscii && static_cast<unsigned char>(*p) >= 0x80))
        ++p;
    return p;
}

} // namespace

const char *findJsonStringSpecial(const char *p, const char *end)
{
    return find<false>(p, end);
}

const char *findJsonStringSpecialOrNonAscii(const char *p, const char *end)
{
    return find<true>(p, end);
}

} // namespace portolan
