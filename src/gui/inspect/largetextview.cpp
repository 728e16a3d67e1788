#include "largetextview.h"
#include "themecolors.h"

#include <QApplication>
#include <QEvent>
#include <QClipboard>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>

namespace portolan::gui {

namespace {
enum Format { Key, String, Number, Literal, Tag, Attribute };
constexpr int kGutter = 8;
}

LargeTextView::LargeTextView(QWidget *parent) : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    applySyntaxColors();
}

void LargeTextView::applySyntaxColors()
{
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    m_colors = dark ? QList<QColor>{QColor(0x9c, 0xdc, 0xfe), QColor(0xce, 0x91, 0x78), QColor(0xb5, 0xce, 0xa8),
                                    QColor(0x56, 0x9c, 0xd6), QColor(0x56, 0x9c, 0xd6), QColor(0x9c, 0xdc, 0xfe)}
                    : QList<QColor>{QColor(0x00, 0x45, 0x8a), QColor(0xa3, 0x15, 0x15), QColor(0x09, 0x86, 0x58),
                                    QColor(0x00, 0x00, 0xff), QColor(0x80, 0x00, 0x00), QColor(0xe5, 0x00, 0x00)};
}

void LargeTextView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        applySyntaxColors();
        viewport()->update();
    }
}

void LargeTextView::setLines(const TextLines &lines, Syntax syntax)
{
    m_lines = lines;
    m_syntax = syntax;
    m_anchor = m_cursor = -1;
    m_matchOffset = -1;
    m_markedLines.clear();
    m_widestLine = 0;
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
}

int LargeTextView::lineHeight() const
{
    return fontMetrics().lineSpacing();
}

qint64 LargeTextView::firstVisibleLine() const
{
    return verticalScrollBar()->value();
}

void LargeTextView::updateScrollBars()
{
    const int visible = std::max(1, viewport()->height() / lineHeight());
    // Scroll bars hold ints: fine up to two thousand million lines.
    verticalScrollBar()->setRange(0, int(std::max<qint64>(0, m_lines.count() - visible)));
    verticalScrollBar()->setPageStep(visible);
    horizontalScrollBar()->setRange(0, std::max(0, m_widestLine + 2 * kGutter - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

void LargeTextView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

qint64 LargeTextView::lineAt(int y) const
{
    return std::clamp<qint64>(firstVisibleLine() + y / lineHeight(), 0, std::max<qint64>(0, m_lines.count() - 1));
}

QList<LargeTextView::Span> LargeTextView::highlight(const QString &line) const
{
    QList<Span> spans;
    const int n = int(line.size());
    if (m_syntax == Syntax::Json) {
        for (int i = 0; i < n;) {
            const QChar c = line.at(i);
            if (c == u'"') {
                int j = i + 1;
                while (j < n && line.at(j) != u'"')
                    j += line.at(j) == u'\\' ? 2 : 1;
                j = std::min(j + 1, n);
                int k = j;
                while (k < n && line.at(k) == u' ')
                    ++k;
                spans.append({i, j - i, k < n && line.at(k) == u':' ? Key : String});
                i = j;
            } else if (c.isDigit() || c == u'-') {
                int j = i + 1;
                while (j < n && (line.at(j).isDigit() || QStringLiteral(".eE+-").contains(line.at(j))))
                    ++j;
                spans.append({i, j - i, Number});
                i = j;
            } else if (c == u't' || c == u'f' || c == u'n') {
                int j = i;
                while (j < n && line.at(j).isLetter())
                    ++j;
                spans.append({i, j - i, Literal});
                i = std::max(j, i + 1);
            } else {
                ++i;
            }
        }
    } else if (m_syntax == Syntax::Xml) {
        for (int i = 0; i < n;) {
            if (line.at(i) != u'<') {
                ++i;
                continue;
            }
            int j = i + 1;
            while (j < n && !line.at(j).isSpace() && line.at(j) != u'>')
                ++j;
            spans.append({i, j - i, Tag});
            while (j < n && line.at(j) != u'>') {
                if (line.at(j) == u'"') {
                    const int close = line.indexOf(u'"', j + 1);
                    const int end = close < 0 ? n : close + 1;
                    spans.append({j, end - j, String});
                    j = end;
                } else {
                    int k = j;
                    while (k < n && (line.at(k).isLetterOrNumber() || line.at(k) == u':' || line.at(k) == u'-'))
                        ++k;
                    if (k > j)
                        spans.append({j, k - j, Attribute});
                    j = std::max(k, j + 1);
                }
            }
            i = j;
        }
    }
    return spans;
}

void LargeTextView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    painter.fillRect(viewport()->rect(), palette().color(QPalette::Base));
    painter.setFont(font());
    const QFontMetrics metrics = fontMetrics();
    const int height = lineHeight();
    const qint64 first = firstVisibleLine();
    const qint64 last = std::min<qint64>(m_lines.count(), first + viewport()->height() / height + 2);
    const int x0 = kGutter - horizontalScrollBar()->value();
    const qint64 selFirst = std::min(m_anchor, m_cursor);
    const qint64 selLast = std::max(m_anchor, m_cursor);
    const QColor text = palette().color(QPalette::Text);
    int widest = m_widestLine;
    for (qint64 index = first; index < last; ++index) {
        const int y = int(index - first) * height;
        const QString line = m_lines.line(index);
        if (m_anchor >= 0 && index >= selFirst && index <= selLast)
            painter.fillRect(QRect(0, y, viewport()->width(), height), toneBackground(Tone::Info, palette()));
        if (std::binary_search(m_markedLines.cbegin(), m_markedLines.cend(), index)) {
            const QColor error = toneText(Tone::Error, palette());
            QColor tint = error;
            tint.setAlpha(45);
            painter.fillRect(QRect(0, y, viewport()->width(), height), tint);
            painter.fillRect(QRect(0, y, 3, height), error);
        }
        if (m_matchOffset >= 0 && m_lines.lineOf(m_matchOffset) == index) {
            const qint64 start = m_lines.lineStart(index);
            const int before = int(QString::fromUtf8(m_lines.bytes().constData() + start, int(m_matchOffset - start)).size());
            const int length = int(QString::fromUtf8(m_lines.bytes().constData() + m_matchOffset,
                                                     int(std::min(m_matchLength, m_lines.lineEnd(index) - m_matchOffset)))
                                       .size());
            if (m_lines.mode() == TextLines::Mode::Text) {
                const int left = x0 + metrics.horizontalAdvance(line.left(before));
                painter.fillRect(QRect(left, y, metrics.horizontalAdvance(line.mid(before, length)), height),
                                 searchMatchBackground(palette()));
            } else {
                painter.fillRect(QRect(0, y, viewport()->width(), height), searchMatchBackground(palette(), true));
            }
        }
        const int baseline = y + metrics.ascent();
        int x = x0;
        int done = 0;
        const auto drawPiece = [&](int from, int length, const QColor &color) {
            if (length <= 0)
                return;
            const QString piece = line.mid(from, length);
            painter.setPen(color);
            painter.drawText(x, baseline, piece);
            x += metrics.horizontalAdvance(piece);
        };
        for (const Span &span : highlight(line)) {
            drawPiece(done, span.start - done, text);
            drawPiece(span.start, span.length, m_colors.value(span.format, text));
            done = span.start + span.length;
        }
        drawPiece(done, int(line.size()) - done, text);
        widest = std::max(widest, x - x0);
    }
    if (widest != m_widestLine) {
        m_widestLine = widest;
        updateScrollBars();
    }
}

void LargeTextView::mousePressEvent(QMouseEvent *event)
{
    if (m_lines.count() == 0 || event->button() != Qt::LeftButton)
        return;
    const qint64 line = lineAt(int(event->position().y()));
    if (!(event->modifiers() & Qt::ShiftModifier) || m_anchor < 0)
        m_anchor = line;
    m_cursor = line;
    viewport()->update();
}

void LargeTextView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_anchor < 0 || !(event->buttons() & Qt::LeftButton))
        return;
    m_cursor = lineAt(int(event->position().y()));
    viewport()->update();
}

void LargeTextView::selectAll()
{
    if (m_lines.count() == 0)
        return;
    m_anchor = 0;
    m_cursor = m_lines.count() - 1;
    viewport()->update();
}

QByteArray LargeTextView::selectedBytes(qint64 limit) const
{
    if (m_anchor < 0)
        return {};
    const qint64 first = std::min(m_anchor, m_cursor);
    const qint64 last = std::max(m_anchor, m_cursor);
    if (m_lines.mode() == TextLines::Mode::Text) {
        const qint64 start = m_lines.lineStart(first);
        const qint64 end = std::min(m_lines.lineEnd(last), start + limit);
        return m_lines.bytes().mid(start, end - start);
    }
    QByteArray dump;
    for (qint64 i = first; i <= last && dump.size() < limit; ++i)
        dump += m_lines.line(i).toUtf8() + '\n';
    return dump;
}

void LargeTextView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        QApplication::clipboard()->setText(QString::fromUtf8(selectedBytes()));
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return;
    }
    if (event->matches(QKeySequence::MoveToStartOfDocument)) {
        verticalScrollBar()->setValue(0);
        return;
    }
    if (event->matches(QKeySequence::MoveToEndOfDocument)) {
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
        return;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void LargeTextView::setMarks(const QVector<qint64> &offsets)
{
    m_markedLines.clear();
    for (const qint64 offset : offsets) {
        if (offset >= 0 && offset < m_lines.bytes().size())
            m_markedLines.push_back(m_lines.lineOf(offset));
    }
    std::sort(m_markedLines.begin(), m_markedLines.end());
    m_markedLines.erase(std::unique(m_markedLines.begin(), m_markedLines.end()), m_markedLines.end());
    viewport()->update();
}

void LargeTextView::showMatch(qint64 offset, qint64 length)
{
    m_matchOffset = offset;
    m_matchLength = length;
    if (offset >= 0) {
        const qint64 line = m_lines.lineOf(offset);
        const int visible = std::max(1, viewport()->height() / lineHeight());
        if (line < firstVisibleLine() || line >= firstVisibleLine() + visible)
            verticalScrollBar()->setValue(int(std::max<qint64>(0, line - visible / 3)));
        const qint64 start = m_lines.lineStart(line);
        const int before = fontMetrics().horizontalAdvance(m_lines.line(line).left(int(offset - start)));
        if (before < horizontalScrollBar()->value() || before > horizontalScrollBar()->value() + viewport()->width() - 40)
            horizontalScrollBar()->setValue(std::max(0, before - viewport()->width() / 3));
    }
    viewport()->update();
}

} // namespace portolan::gui
