#include "jsonhighlighter.h"

#include <QGuiApplication>
#include <QPalette>

namespace portolan::gui {

JsonHighlighter::JsonHighlighter(QTextDocument *document, Variables variables)
    : QSyntaxHighlighter(document), m_markVariables(variables == Variables::Marked),
      m_keyPattern(QStringLiteral(R"("(?:[^"\\]|\\.)*"(?=\s*:))")),
      m_stringPattern(QStringLiteral(R"("(?:[^"\\]|\\.)*")")),
      m_numberPattern(QStringLiteral(R"((?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.]))")),
      m_literalPattern(QStringLiteral(R"(\b(?:true|false|null)\b)")),
      m_variablePattern(QStringLiteral(R"(\{\{\s*[^{}\s]+\s*\}\})"))
{
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    m_key.setForeground(dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x0b, 0x4f, 0x8a));
    m_string.setForeground(dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
    m_number.setForeground(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
    m_literal.setForeground(dark ? QColor(0x56, 0x9c, 0xd6) : QColor(0x00, 0x00, 0xff));
    m_literal.setFontWeight(QFont::Bold);
    m_variable.setBackground(dark ? QColor(0x4a, 0x3f, 0x10) : QColor(0xff, 0xf3, 0xc4));
    m_variable.setForeground(dark ? QColor(0xff, 0xe0, 0x82) : QColor(0x5d, 0x42, 0x00));
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    auto apply = [&](const QRegularExpression &pattern, const QTextCharFormat &format) {
        for (auto it = pattern.globalMatch(text); it.hasNext();) {
            const auto match = it.next();
            setFormat(int(match.capturedStart()), int(match.capturedLength()), format);
        }
    };
    // Later rules win: numbers and literals inside strings are recoloured as strings.
    apply(m_numberPattern, m_number);
    apply(m_literalPattern, m_literal);
    apply(m_stringPattern, m_string);
    apply(m_keyPattern, m_key);
    if (m_markVariables)  // inside strings too: that is where they are written
        apply(m_variablePattern, m_variable);
}

} // namespace portolan::gui
