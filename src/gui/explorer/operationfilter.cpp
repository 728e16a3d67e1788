#include "operationfilter.h"

#include "apimodel.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portolan::gui {

namespace {
// The method names a filter word stands for, lower case.
constexpr std::string_view kMethods[] = {"get", "put", "post", "delete", "patch", "head", "options", "trace", "query"};

// The position of `name` in kMethods, or -1.
qint8 methodIndex(std::string_view name)
{
    const auto it = std::find(std::begin(kMethods), std::end(kMethods), name);
    return it == std::end(kMethods) ? -1 : qint8(it - std::begin(kMethods));
}

// The same for an operation's method (upper case in the model), without allocating.
qint8 methodIndex(const QString &method)
{
    char lower[8];
    if (method.size() > qsizetype(sizeof lower))
        return -1;
    for (qsizetype i = 0; i < method.size(); ++i) {
        const char16_t c = method[i].unicode();
        if (c >= 0x80)
            return -1;
        lower[i] = char(c >= u'A' && c <= u'Z' ? c + 32 : c);
    }
    return methodIndex(std::string_view(lower, size_t(method.size())));
}

// The first occurrence of `word` in [from, end), or null. memmem costs a
// call and a setup each time, which refining 20,000 matches paid 20,000
// times (4 ms for a second letter typed); comparing the word's first and
// last bytes at 16 positions at once scans all the text in a fraction of that.
const char *findWord(const char *from, const char *end, const QByteArray &word)
{
    const std::size_t n = std::size_t(word.size());
#if defined(__SSE2__)
    if (n >= 2) {
        const __m128i first = _mm_set1_epi8(word[0]);
        const __m128i last = _mm_set1_epi8(word[n - 1]);
        for (; end - from >= std::ptrdiff_t(n - 1 + 16); from += 16) {
            const __m128i starts = _mm_loadu_si128(reinterpret_cast<const __m128i *>(from));
            const __m128i ends = _mm_loadu_si128(reinterpret_cast<const __m128i *>(from + n - 1));
            unsigned hits = unsigned(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(starts, first), _mm_cmpeq_epi8(ends, last))));
            for (; hits != 0; hits &= hits - 1) {
                const char *at = from + __builtin_ctz(hits);
                if (std::memcmp(at + 1, word.constData() + 1, n - 2) == 0)
                    return at;
            }
        }
    }
#endif
    return static_cast<const char *>(memmem(from, std::size_t(end - from), word.constData(), n));
}

// Appends `text` lower-cased, as UTF-8. ASCII, nearly all of any API's text,
// skips Qt's Unicode case tables, which cost more than everything else here.
void appendLower(QByteArray &out, const QString &text)
{
    const char16_t *chars = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype length = text.size();
    if (!std::all_of(chars, chars + length, [](char16_t c) { return c < 0x80; })) {
        out += text.toLower().toUtf8();
        return;
    }
    const qsizetype at = out.size();
    out.resize(at + length);
    char *to = out.data() + at;
    for (qsizetype i = 0; i < length; ++i)
        to[i] = char(chars[i] >= u'A' && chars[i] <= u'Z' ? chars[i] + 32 : chars[i]);
}

// The same from the document's UTF-8 (paths and operationIds), without a QString on the way.
void appendLower(QByteArray &out, std::string_view utf8)
{
    if (!std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        out += QString::fromUtf8(utf8.data(), qsizetype(utf8.size())).toLower().toUtf8();
        return;
    }
    const qsizetype at = out.size();
    out.resize(at + qsizetype(utf8.size()));
    std::transform(utf8.begin(), utf8.end(), out.data() + at, [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; });
}
} // namespace

void OperationFilter::setOperations(const QVector<const Operation *> &operations)
{
    m_text.clear();
    m_starts.clear();
    m_methods.clear();
    qsizetype length = 0;
    for (const Operation *operation : operations) {
        length += qsizetype(operation->pathText.size() + operation->operationIdText.size()) + operation->summary.size() + 3;
        for (const QString &tag : operation->tags)
            length += tag.size() + 1;
    }
    m_text.reserve(length + length / 8);  // UTF-8 may be longer than UTF-16
    m_starts.reserve(operations.size() + 1);
    m_methods.reserve(operations.size());
    for (const Operation *operation : operations) {
        m_starts.append(int(m_text.size()));
        appendLower(m_text, operation->pathText);
        m_text += ' ';
        appendLower(m_text, operation->operationIdText);
        m_text += ' ';
        appendLower(m_text, operation->summary);
        for (const QString &tag : operation->tags) {
            m_text += ' ';
            appendLower(m_text, tag);
        }
        m_text += '\n';  // no query word holds one, so no match spans two operations
        m_methods.append(methodIndex(operation->method));
    }
    m_starts.append(int(m_text.size()));
    m_lastWords.clear();
    m_matches.resize(m_methods.size());
    for (int i = 0; i < m_matches.size(); ++i)
        m_matches[i] = i;
}

QVector<OperationFilter::Word> OperationFilter::parse(const QString &query)
{
    QVector<Word> words;
    const QStringList parts = query.simplified().toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        QByteArray text = part.toUtf8();
        const qint8 method = methodIndex(std::string_view(text.constData(), size_t(text.size())));
        words.append({std::move(text), method});
    }
    return words;
}

// The previous words, but for the last, are unchanged and the last one only
// grew (and was not read as a method name on either side, which matches
// differently from a substring); more words may follow.
int OperationFilter::refinedPrefix(const QVector<Word> &words) const
{
    if (m_lastWords.isEmpty() || words.size() < m_lastWords.size())
        return -1;
    const int last = int(m_lastWords.size()) - 1;
    for (int i = 0; i < last; ++i) {
        if (words[i].text != m_lastWords[i].text)
            return -1;
    }
    const Word &before = m_lastWords[last];
    const Word &now = words[last];
    if (now.text == before.text)
        return last + 1;
    // A method word matches the method, not the text: growing into or out of
    // one changes what is searched, so only plain words narrow.
    if (!before.isMethod() && !now.isMethod() && now.text.startsWith(before.text))
        return last;
    return -1;
}

QVector<int> OperationFilter::filter(const QVector<int> *candidates, const Word &word) const
{
    QVector<int> out;
    if (word.isMethod()) {
        auto keep = [&](int index) {
            if (m_methods[index] == word.method)
                out.append(index);
        };
        if (candidates) {
            std::for_each(candidates->begin(), candidates->end(), keep);
        } else {
            for (int index = 0; index < m_methods.size(); ++index)
                keep(index);
        }
        return out;
    }
    const char *text = m_text.constData();
    // Candidates are searched one by one, unless they are many and the word
    // has two bytes or more: then one scan over all the text (see findWord())
    // keeps the hits among them. (A letter is found at once in most texts.)
    if (candidates && (word.text.size() < 2 || candidates->size() < m_methods.size() / 4)) {
        out.reserve(candidates->size());
        for (int index : *candidates) {
            const size_t length = size_t(m_starts[index + 1] - m_starts[index]);
            if (memmem(text + m_starts[index], length, word.text.constData(), size_t(word.text.size())))
                out.append(index);
        }
        return out;
    }
    // After a hit, on from the next operation (the next candidate).
    const int *candidate = candidates ? candidates->constData() : nullptr;
    const int *lastCandidate = candidates ? candidate + candidates->size() : nullptr;
    const char *end = text + m_text.size();
    for (const char *from = text; from < end;) {
        const char *hit = findWord(from, end, word.text);
        if (!hit)
            break;
        const int index = int(std::upper_bound(m_starts.begin(), m_starts.end(), int(hit - text)) - m_starts.begin()) - 1;
        if (!candidates) {
            out.append(index);
            from = text + m_starts[index + 1];
            continue;
        }
        candidate = std::lower_bound(candidate, lastCandidate, index);
        if (candidate == lastCandidate)
            break;
        if (*candidate == index)
            out.append(*candidate++);
        if (candidate == lastCandidate)
            break;
        from = text + m_starts[*candidate];
    }
    return out;
}

const QVector<int> &OperationFilter::match(const QString &query)
{
    const QVector<Word> words = parse(query);
    int first = refinedPrefix(words);
    QVector<int> result;
    if (first < 0) {  // afresh: one full scan for the first plain word, or the method
        first = 0;
        const auto plain = std::find_if(words.begin(), words.end(), [](const Word &w) { return !w.isMethod(); });
        const Word *start = plain != words.end() ? &*plain : (words.isEmpty() ? nullptr : &words.first());
        if (start) {
            result = filter(nullptr, *start);
        } else {
            result.resize(m_methods.size());
            for (int i = 0; i < result.size(); ++i)
                result[i] = i;
        }
        for (const Word &word : words) {
            if (&word != start)
                result = filter(&result, word);
        }
    } else {
        result = m_matches;
        for (int i = first; i < words.size(); ++i)
            result = filter(&result, words[i]);
    }
    m_matches = std::move(result);
    m_lastWords = words;
    return m_matches;
}

} // namespace portolan::gui
