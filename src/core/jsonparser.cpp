#include "parser.h"

#include "jsonscan.h"
#include "sourcearrival.h"
#include "texttable.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portolan {

namespace {

bool isJsonWhitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The first byte from `p` on that is not whitespace, or `end`. Pretty-printed
// documents are a third indentation, hence 16 bytes at a time here too.
const char *skipJsonWhitespace(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i carriageReturn = _mm_set1_epi8('\r');
    const __m128i tab = _mm_set1_epi8('\t');
    while (end - p >= 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i blank = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, space), _mm_cmpeq_epi8(chunk, newline)),
                                           _mm_or_si128(_mm_cmpeq_epi8(chunk, carriageReturn), _mm_cmpeq_epi8(chunk, tab)));
        if (const unsigned other = ~unsigned(_mm_movemask_epi8(blank)) & 0xFFFFu)
            return p + __builtin_ctz(other);
        p += 16;
    }
#endif
    while (p < end && isJsonWhitespace(*p))
        ++p;
    return p;
}

// A recursive-descent JSON parser (RFC 8259) that records the byte offset of
// every value. Hand-written rather than a library because the loader needs
// exact error positions, a depth bound and offsets for every diagnostic.
//
// With `arrival`, the bytes are still being read in: the parser reads only
// what has arrived, up to m_end, and moves m_end on as it goes (see
// keepAhead()). Every check against the end is a check against m_end, so
// a value that runs past what has arrived makes the parse fail, however it
// would have gone on; parseJson() then parses again once all has arrived.
//
// Texts stay views into the source, but for strings with escapes, which
// are decoded into the tree. Where the source's pages are let go as they
// are parsed (see SourceArrival::releaseParsed()), texts are copied into the
// tree's text room instead, each distinct text once, and the tree reads
// nothing in the source. Descriptions repeat: Microsoft Graph's 47 MB hold
// 31 MB of keys and strings, 6 MB of them distinct; GitHub's 13 MB, 5.5 MB
// and 1.8 MB. (Copying every one of Graph's doubled its parse, hence views
// where the source stays.)
class JsonParser {
public:
    JsonParser(const QByteArray &bytes, const ParseLimits &limits, const std::atomic_bool *cancelled,
               SourceArrival *arrival = nullptr)
        : m_tree(bytes), m_limits(limits), m_cancelled(cancelled), m_arrival(arrival),
          m_copiesTexts(arrival && arrival->releasesParsed())
    {
        m_begin = m_tree.source().constData();
        m_fullEnd = m_begin + m_tree.source().size();
        m_end = m_arrival ? m_begin + m_arrival->waitFor(kAhead) : m_fullEnd;
        m_pos = m_begin;
        // UTF-8 byte order mark: tolerated, as editors on some systems write it.
        if (m_end - m_pos >= 3 && std::memcmp(m_pos, "\xEF\xBB\xBF", 3) == 0)
            m_pos += 3;
        const std::size_t room = std::size_t(bytes.size() / 12);
        m_tree.reserve(room);
        // Decoding never lengthens a text, and each is stored once: the room holds them all.
        if (m_copiesTexts)
            m_tree.reserveText(std::size_t(bytes.size()));
        if (m_arrival)
            m_arrival->fills(m_tree.nodesRoom(), m_tree.membersRoom(), room, m_tree.textRoom(), m_tree.textRoomSize());
    }

    ParseResult run()
    {
        ParseResult result;
        result.format = SourceFormat::Json;
        skipWhitespace();
        NodeId root = parseValue(0);
        if (m_arrival)
            m_end = m_begin + m_arrival->waitForEnd();
        if (!m_error) {
            skipWhitespace();
            if (m_pos != m_end)
                fail(m_pos, QStringLiteral("unexpected text after the JSON value"));
        }
        if (!m_error)
            m_error = oversizedValueError(m_tree);
        if (m_error) {
            result.error = m_error;
            return result;
        }
        m_tree.finish(root);
        result.tree = std::move(m_tree);
        return result;
    }

private:
    // How far ahead of the parser the arrived bytes should reach: values
    // longer than this may make a parse of arriving bytes fail, and be parsed
    // again.
    static constexpr qint64 kAhead = 64 * 1024;

    std::uint32_t offsetOf(const char *p) const { return std::uint32_t(p - m_begin); }

    // Called only where no value has been started: a number cut short at
    // m_end reads as a shorter number, and the end check after it must fail.
    void keepAhead()
    {
        if (m_end - m_pos < kAhead && m_end != m_fullEnd)
            m_end = m_begin + m_arrival->waitFor(offsetOf(m_pos) + kAhead);
    }

    NodeId fail(const char *at, QString message)
    {
        if (!m_error)
            m_error = ParseError{offsetOf(at), std::move(message)};
        return kNoNode;
    }

    void skipWhitespace()
    {
        if (m_pos < m_end && isJsonWhitespace(*m_pos))  // minified documents have none: stay cheap then
            m_pos = skipJsonWhitespace(m_pos + 1, m_end);
    }

    NodeId parseValue(std::size_t depth)
    {
        keepAhead();
        if (m_pos == m_end)
            return fail(m_pos, QStringLiteral("unexpected end of input, expected a value"));
        switch (*m_pos) {
        case '{': return parseContainer(depth, NodeKind::Object);
        case '[': return parseContainer(depth, NodeKind::Array);
        case '"': {
            const char *start = m_pos;
            std::string_view text;
            if (!parseString(text))
                return kNoNode;
            return m_tree.addScalar(NodeKind::String, offsetOf(start), kept(text));
        }
        case 't': return parseLiteral("true", NodeKind::Bool);
        case 'f': return parseLiteral("false", NodeKind::Bool);
        case 'n': return parseLiteral("null", NodeKind::Null);
        default:
            if (*m_pos == '-' || (*m_pos >= '0' && *m_pos <= '9'))
                return parseNumber();
            return fail(m_pos, QStringLiteral("unexpected character '%1', expected a value")
                                   .arg(QString::fromUtf8(m_pos, 1)));
        }
    }

    NodeId parseLiteral(std::string_view word, NodeKind kind)
    {
        if (std::size_t(m_end - m_pos) < word.size() || std::memcmp(m_pos, word.data(), word.size()) != 0)
            return fail(m_pos, QStringLiteral("invalid literal, expected '%1'").arg(QLatin1String(word.data(), int(word.size()))));
        const char *start = m_pos;
        m_pos += word.size();
        return m_tree.addScalar(kind, offsetOf(start), std::string_view(start, word.size()));
    }

    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    NodeId parseNumber()
    {
        const char *start = m_pos;
        if (*m_pos == '-')
            ++m_pos;
        if (m_pos < m_end && *m_pos == '0') {
            ++m_pos;
        } else if (m_pos < m_end && isDigit(*m_pos)) {
            while (m_pos < m_end && isDigit(*m_pos))
                ++m_pos;
        } else {
            return fail(m_pos, QStringLiteral("invalid number: expected a digit"));
        }
        if (m_pos < m_end && *m_pos == '.') {
            ++m_pos;
            if (m_pos == m_end || !isDigit(*m_pos))
                return fail(m_pos, QStringLiteral("invalid number: expected a digit after '.'"));
            while (m_pos < m_end && isDigit(*m_pos))
                ++m_pos;
        }
        if (m_pos < m_end && (*m_pos == 'e' || *m_pos == 'E')) {
            ++m_pos;
            if (m_pos < m_end && (*m_pos == '+' || *m_pos == '-'))
                ++m_pos;
            if (m_pos == m_end || !isDigit(*m_pos))
                return fail(m_pos, QStringLiteral("invalid number: expected a digit in the exponent"));
            while (m_pos < m_end && isDigit(*m_pos))
                ++m_pos;
        }
        return m_tree.addScalar(NodeKind::Number, offsetOf(start), kept(std::string_view(start, std::size_t(m_pos - start))));
    }

    static int hexValue(char c)
    {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    bool readHex4(const char *p, unsigned &value)
    {
        if (m_end - p < 4) {
            fail(p, QStringLiteral("incomplete \\u escape"));
            return false;
        }
        value = 0;
        for (int i = 0; i < 4; ++i) {
            const int digit = hexValue(p[i]);
            if (digit < 0) {
                fail(p + i, QStringLiteral("invalid hexadecimal digit in \\u escape"));
                return false;
            }
            value = value * 16 + unsigned(digit);
        }
        return true;
    }

    static void appendUtf8(std::string &out, unsigned cp)
    {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }

    // `out` views the string in the source when it has no escapes (nearly
    // all have none), or decoded in m_decoded until the next string.
    bool parseString(std::string_view &out)
    {
        const char *open = m_pos++;
        const char *start = m_pos;
        m_pos = findJsonStringSpecial(m_pos, m_end);
        if (m_pos == m_end) {
            fail(open, QStringLiteral("unterminated string"));
            return false;
        }
        if (*m_pos == '"') {
            out = std::string_view(start, std::size_t(m_pos - start));
            ++m_pos;
            return true;
        }
        if (*m_pos == '\\')
            return parseEscapedString(start, out);
        fail(m_pos, QStringLiteral("control character in string (escape it)"));
        return false;
    }

    bool parseEscapedString(const char *start, std::string_view &out)
    {
        std::string &decoded = m_decoded;
        decoded.assign(start, std::size_t(m_pos - start));
        while (m_pos < m_end) {
            const unsigned char c = static_cast<unsigned char>(*m_pos);
            if (c == '"') {
                ++m_pos;
                out = decoded;
                return true;
            }
            if (c < 0x20) {
                fail(m_pos, QStringLiteral("control character in string (escape it)"));
                return false;
            }
            if (c != '\\') {
                const char *run = m_pos;
                m_pos = findJsonStringSpecial(m_pos, m_end);
                decoded.append(run, std::size_t(m_pos - run));
                continue;
            }
            const char *escape = m_pos++;
            if (m_pos == m_end)
                break;
            switch (*m_pos) {
            case '"': decoded += '"'; break;
            case '\\': decoded += '\\'; break;
            case '/': decoded += '/'; break;
            case 'b': decoded += '\b'; break;
            case 'f': decoded += '\f'; break;
            case 'n': decoded += '\n'; break;
            case 'r': decoded += '\r'; break;
            case 't': decoded += '\t'; break;
            case 'u': {
                unsigned cp = 0;
                if (!readHex4(m_pos + 1, cp))
                    return false;
                m_pos += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && m_end - m_pos >= 7 && m_pos[1] == '\\' && m_pos[2] == 'u') {
                    unsigned low = 0;
                    if (!readHex4(m_pos + 3, low))
                        return false;
                    if (low >= 0xDC00 && low <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        m_pos += 6;
                    }
                }
                if (cp >= 0xD800 && cp <= 0xDFFF)
                    cp = 0xFFFD;  // a lone surrogate cannot be UTF-8
                appendUtf8(decoded, cp);
                break;
            }
            default:
                fail(escape, QStringLiteral("invalid escape sequence"));
                return false;
            }
            ++m_pos;
        }
        fail(start - 1, QStringLiteral("unterminated string"));
        return false;
    }

    // What the tree keeps of a text parseString() or parseNumber() read: the
    // view into the source, or a copy where it was decoded; where texts are
    // copied, the one copy of all texts equal to it.
    std::string_view kept(std::string_view text)
    {
        if (m_copiesTexts)
            return stored(text);
        const bool inSource = text.data() >= m_begin && text.data() < m_fullEnd;
        return inSource ? text : m_tree.storeString(text);
    }

    std::string_view stored(std::string_view text)
    {
        const std::size_t hash = TextHash()(text);
        if (const std::string_view *copy = m_texts.find(text, hash))
            return *copy;
        const std::string_view copy = m_tree.storeString(text);
        return m_texts.add(copy, hash, copy);
    }

    NodeId parseContainer(std::size_t depth, NodeKind kind)
    {
        if (depth >= m_limits.maxDepth)
            return fail(m_pos, QStringLiteral("nesting deeper than %1 levels").arg(m_limits.maxDepth));
        if ((++m_containersSeen & 0x3FF) == 0) {
            if (m_arrival) {
                m_arrival->filled(m_tree.nodeCount(), m_tree.textRoomFilled());  // members are about as many
                m_arrival->parsedUpTo(offsetOf(m_pos));
            }
            if (m_cancelled && m_cancelled->load(std::memory_order_relaxed))
                return fail(m_pos, QStringLiteral("cancelled"));
        }
        const bool isObject = kind == NodeKind::Object;
        const char close = isObject ? '}' : ']';
        const char *open = m_pos++;
        const std::size_t scratchStart = m_scratch.size();
        skipWhitespace();
        if (m_pos < m_end && *m_pos == close) {
            ++m_pos;
            return m_tree.addContainer(kind, offsetOf(open), nullptr, 0);
        }
        for (;;) {
            keepAhead();
            std::string_view key;
            if (isObject) {
                if (m_pos == m_end || *m_pos != '"')
                    return fail(m_pos, m_pos == m_end ? QStringLiteral("unterminated object")
                                                      : QStringLiteral("expected a string as object key"));
                if (!parseString(key))
                    return kNoNode;
                key = kept(key);
                skipWhitespace();
                if (m_pos == m_end || *m_pos != ':')
                    return fail(m_pos, QStringLiteral("expected ':' after object key"));
                ++m_pos;
                skipWhitespace();
            }
            const NodeId value = parseValue(depth + 1);
            if (value == kNoNode)
                return kNoNode;
            m_scratch.push_back(m_tree.makeMember(key, value));
            skipWhitespace();
            if (m_pos == m_end)
                return fail(open, isObject ? QStringLiteral("unterminated object") : QStringLiteral("unterminated array"));
            if (*m_pos == ',') {
                ++m_pos;
                skipWhitespace();
                continue;
            }
            if (*m_pos == close) {
                ++m_pos;
                break;
            }
            return fail(m_pos, isObject ? QStringLiteral("expected ',' or '}' in object")
                                        : QStringLiteral("expected ',' or ']' in array"));
        }
        const NodeId id = m_tree.addContainer(kind, offsetOf(open), m_scratch.data() + scratchStart,
                                              m_scratch.size() - scratchStart);
        m_scratch.resize(scratchStart);
        return id;
    }

    NodeTree m_tree;
    const ParseLimits &m_limits;
    const std::atomic_bool *m_cancelled;
    SourceArrival *m_arrival;  // null when all bytes are there
    const char *m_begin = nullptr;
    const char *m_end = nullptr;      // of the bytes arrived so far
    const char *m_fullEnd = nullptr;
    const char *m_pos = nullptr;
    std::vector<Member> m_scratch;
    std::string m_decoded;  // reused for every string with escapes
    const bool m_copiesTexts;  // see the class's comment
    TextTable<std::string_view, std::string_view> m_texts;  // the tree's copy of each text (see kept())
    std::optional<ParseError> m_error;
    std::size_t m_containersSeen = 0;
};

} // namespace

std::optional<ParseError> oversizedValueError(const NodeTree &tree)
{
    if (const std::optional<std::uint32_t> offset = tree.oversizedValue())
        return ParseError{*offset, QStringLiteral("this value is too large: more than %1 members or bytes").arg(Node::kMaxCount)};
    return std::nullopt;
}

ParseResult parseJson(const QByteArray &bytes, const ParseLimits &limits, const std::atomic_bool *cancelled,
                      SourceArrival *arrival)
{
    if (arrival) {
        ParseResult result = JsonParser(bytes, limits, cancelled, arrival).run();
        if (!result.error)
            return result;
        arrival->waitForEnd();  // an error's position is read in the whole source
        if (!arrival->complete())
            return {};  // the reader reports what went wrong
        if (cancelled && cancelled->load())
            return result;
        // A value ran past what had arrived, or the source is broken:
        // parsed whole, the two are told apart.
    }
    return JsonParser(bytes, limits, cancelled).run();
}

ParseResult parseJsonOrYaml(const QByteArray &bytes, const ParseLimits &limits, const std::atomic_bool *cancelled,
                            SourceArrival *arrival)
{
    // A source whose first character opens an object or array is JSON. YAML
    // would accept much broken JSON (`{"a": }`) silently, so it is not tried.
    constexpr qint64 kEnoughToTell = 64 * 1024;  // of arriving bytes, past any usual leading blank lines
    const char *p = bytes.constData();
    const char *end = p + (arrival ? arrival->waitFor(kEnoughToTell) : bytes.size());
    if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        ++p;
    if (p == end && arrival) {  // all whitespace so far: looked at whole
        arrival->waitForEnd();
        return arrival->complete() ? parseJsonOrYaml(bytes, limits, cancelled) : ParseResult();
    }
    if (p < end && (*p == '{' || *p == '['))
        return parseJson(bytes, limits, cancelled, arrival);
    if (arrival) {  // the YAML parser takes its source whole
        arrival->waitForEnd();
        if (!arrival->complete())
            return {};
    }
    return parseYaml(bytes, limits, cancelled);
}

} // namespace portolan
