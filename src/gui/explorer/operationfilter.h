#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

namespace portolan {
struct Operation;
}

namespace portolan::gui {

// Matches operations against what the user types in the navigator filter.
// Every whitespace-separated word must occur in the path, operationId,
// summary, tags or method; a word that is exactly an HTTP method name
// ("get", "post", …) matches the method only. The lower-case text of every
// operation is kept in one UTF-8 buffer, so a word is found by one scan
// over it rather than a search per operation, and a query that extends the
// previous one only keeps those of the previous matches that hold the word:
// each keystroke stays around a millisecond or less on 20,000+ operations.
class OperationFilter {
public:
    void setOperations(const QVector<const Operation *> &operations);
    // Indices (into the operations given) of those that match, in order.
    const QVector<int> &match(const QString &query);
    int operationCount() const { return int(m_methods.size()); }

private:
    struct Word {
        QByteArray text;   // lower-case UTF-8, no whitespace
        qint8 method = -1;  // the method it names, see kMethods in the .cpp
        bool isMethod() const { return method >= 0; }
    };
    static QVector<Word> parse(const QString &query);
    // How many of `words` the previous matches already satisfy, when every
    // operation matching `words` is among them; -1 when they are no guide.
    int refinedPrefix(const QVector<Word> &words) const;
    // The operations in `candidates` (all when null) that match `word`.
    QVector<int> filter(const QVector<int> *candidates, const Word &word) const;

    QByteArray m_text;        // "path operationid summary tags\n" per operation, lower case
    QVector<int> m_starts;    // operation i's text begins at m_starts[i]; one more entry for the end
    QVector<qint8> m_methods;  // per operation: its method, see kMethods in the .cpp; -1 for another
    QVector<Word> m_lastWords;
    QVector<int> m_matches;
};

} // namespace portolan::gui
