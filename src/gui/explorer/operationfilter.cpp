#include "operationfilter.h"

#include "apimodel.h"

#include <algorithm>
#include <cstring>
#include <string_view>

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
} // namespace

void OperationFilter::setOperations(const QVector<const Operation *> &operations)
{
    m_text.clear();
    m_starts.clear();
    m_methods.clear();
    qsizetype length = 0;
    for (const Operation *operation : operations) {
        length += operation->path.size() + operation->operationId.size() + operation->summary.size() + 3;
        for (const QString &tag : operation->tags)
            length += tag.size() + 1;
    }
    m_text.reserve(length + length / 8);  // UTF-8 may be longer than UTF-16
    m_starts.reserve(operations.size() + 1);
    m_methods.reserve(operations.size());
    for (const Operation *operation : operations) {
        m_starts.append(int(m_text.size()));
        appendLower(m_text, operation->path);
        m_text += ' ';
        appendLower(m_text, operation->operationId);
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
    if (candidates) {
        out.reserve(candidates->size());
        for (int index : *candidates) {
            const size_t length = size_t(m_starts[index + 1] - m_starts[index]);
            if (memmem(text + m_starts[index], length, word.text.constData(), size_t(word.text.size())))
                out.append(index);
        }
        return out;
    }
    // One scan over every operation's text; after a hit, on from the next operation.
    const char *end = text + m_text.size();
    for (const char *from = text; from < end;) {
        const void *hit = memmem(from, size_t(end - from), word.text.constData(), size_t(word.text.size()));
        if (!hit)
            break;
        const int offset = int(static_cast<const char *>(hit) - text);
        const int index = int(std::upper_bound(m_starts.begin(), m_starts.end(), offset) - m_starts.begin()) - 1;
        out.append(index);
        from = text + m_starts[index + 1];
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
