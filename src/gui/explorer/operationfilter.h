#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace portolan {
struct Operation;
}

namespace portolan::gui {

// Matches operations against what the user types in the navigator filter.
// Every whitespace-separated word must occur in the path, operationId,
// summary, tags or method; a word that is exactly an HTTP method name
// ("get", "post", …) matches the method only. The lowercase text of each
// operation is computed once, and a query that extends the previous one only
// scans the previous matches, so each keystroke stays cheap on 20,000+ operations.
class OperationFilter {
public:
    void setOperations(const QVector<const Operation *> &operations);
    // Indices (into the operations given) of those that match, in order.
    const QVector<int> &match(const QString &query);
    int operationCount() const { return int(m_haystacks.size()); }

private:
    struct Word {
        QString text;
        bool isMethod = false;
    };
    static QVector<Word> parse(const QString &query);
    bool refines(const QVector<Word> &words) const;
    bool matches(int index, const QVector<Word> &words) const;

    QVector<QString> m_haystacks;  // "path operationid summary tags", lower case
    QVector<QString> m_methods;    // lower case
    QVector<Word> m_lastWords;
    QVector<int> m_matches;
};

} // namespace portolan::gui
