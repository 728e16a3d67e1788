#include "operationfilter.h"

#include "apimodel.h"

namespace portolan::gui {

namespace {
bool isMethodName(const QString &word)
{
    static const QStringList methods = {QStringLiteral("get"),     QStringLiteral("put"),   QStringLiteral("post"),
                                        QStringLiteral("delete"),  QStringLiteral("patch"), QStringLiteral("head"),
                                        QStringLiteral("options"), QStringLiteral("trace"), QStringLiteral("query")};
    return methods.contains(word);
}
} // namespace

void OperationFilter::setOperations(const QVector<const Operation *> &operations)
{
    m_haystacks.clear();
    m_methods.clear();
    m_haystacks.reserve(operations.size());
    m_methods.reserve(operations.size());
    for (const Operation *operation : operations) {
        QString text = operation->path;
        text += QLatin1Char(' ') + operation->operationId;
        text += QLatin1Char(' ') + operation->summary;
        for (const QString &tag : operation->tags)
            text += QLatin1Char(' ') + tag;
        m_haystacks.append(text.toLower());
        m_methods.append(operation->method.toLower());
    }
    m_lastWords.clear();
    m_matches.resize(m_haystacks.size());
    for (int i = 0; i < m_matches.size(); ++i)
        m_matches[i] = i;
}

QVector<OperationFilter::Word> OperationFilter::parse(const QString &query)
{
    QVector<Word> words;
    const QStringList parts = query.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &part : parts)
        words.append({part, isMethodName(part)});
    return words;
}

// True when every operation matching `words` is among the previous matches:
// the earlier words are unchanged and the last one only grew (and was not
// read as a method name on either side, which matches differently from a substring).
bool OperationFilter::refines(const QVector<Word> &words) const
{
    if (m_lastWords.isEmpty() || words.size() < m_lastWords.size())
        return false;
    const int last = int(m_lastWords.size()) - 1;
    for (int i = 0; i < last; ++i) {
        if (words[i].text != m_lastWords[i].text)
            return false;
    }
    const Word &before = m_lastWords[last];
    const Word &now = words[last];
    if (now.text == before.text)
        return true;
    // A method word matches the method, not the text: growing into or out of
    // one changes what is searched, so only plain words narrow.
    return !before.isMethod && !now.isMethod && now.text.startsWith(before.text);
}

bool OperationFilter::matches(int index, const QVector<Word> &words) const
{
    for (const Word &word : words) {
        if (word.isMethod) {
            if (m_methods[index] != word.text)
                return false;
        } else if (!m_haystacks[index].contains(word.text)) {
            return false;
        }
    }
    return true;
}

const QVector<int> &OperationFilter::match(const QString &query)
{
    const QVector<Word> words = parse(query);
    QVector<int> result;
    if (refines(words)) {
        result.reserve(m_matches.size());
        for (int index : std::as_const(m_matches)) {
            if (matches(index, words))
                result.append(index);
        }
    } else {
        result.reserve(m_haystacks.size());
        for (int index = 0; index < m_haystacks.size(); ++index) {
            if (matches(index, words))
                result.append(index);
        }
    }
    m_matches = std::move(result);
    m_lastWords = words;
    return m_matches;
}

} // namespace portolan::gui
