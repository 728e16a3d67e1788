#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace portolan::gui {

// Colours JSON (and the JSON-like parts of YAML) — keys, strings, numbers,
// literals — with colours that read on light and dark palettes. Where the
// user writes requests, environment variables ({{name}}) are marked as well.
class JsonHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    enum class Variables { Plain, Marked };
    explicit JsonHighlighter(QTextDocument *document, Variables variables = Variables::Plain);
    // The format of {{name}} when marked (tests read it back).
    QTextCharFormat variableFormat() const { return m_variable; }

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_literal;
    QTextCharFormat m_variable;
    bool m_markVariables;
    QRegularExpression m_keyPattern;
    QRegularExpression m_stringPattern;
    QRegularExpression m_numberPattern;
    QRegularExpression m_literalPattern;
    QRegularExpression m_variablePattern;
};

} // namespace portolan::gui
