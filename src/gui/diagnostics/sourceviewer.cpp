#include "sourceviewer.h"

#include "jsonhighlighter.h"

#include <QFontDatabase>
#include <QPaintEvent>
#include <QPainter>
#include <QTextBlock>

#include <cstring>

namespace portolan::gui {

namespace {
constexpr int kContextLines = 400;  // lines shown either side of the target
}

class SourceViewer::Gutter : public QWidget {
public:
    explicit Gutter(SourceViewer *viewer) : QWidget(viewer), m_viewer(viewer) {}
    QSize sizeHint() const override { return {m_viewer->gutterWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent *event) override { m_viewer->paintGutter(event); }

private:
    SourceViewer *m_viewer;  // the parent
};

SourceViewer::SourceViewer(QWidget *parent) : QPlainTextEdit(parent), m_gutter(new Gutter(this))
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setAccessibleName(tr("Source"));
    new JsonHighlighter(document());
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &rect, int dy) {
        if (dy)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    });
    setViewportMargins(gutterWidth(), 0, 0, 0);
}

int SourceViewer::gutterWidth() const
{
    const int digits = QString::number(m_firstLine + blockCount()).size();
    return 12 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * qMax(digits, 4);
}

void SourceViewer::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect r = contentsRect();
    m_gutter->setGeometry(QRect(r.left(), r.top(), gutterWidth(), r.height()));
}

void SourceViewer::paintGutter(QPaintEvent *event)
{
    QPainter painter(m_gutter);
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    QColor numberColor = palette().color(QPalette::Text);
    numberColor.setAlphaF(0.45);
    painter.setPen(numberColor);
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    while (block.isValid() && top <= event->rect().bottom()) {
        const int height = qRound(blockBoundingRect(block).height());
        if (block.isVisible() && top + height >= event->rect().top()) {
            painter.drawText(0, top, m_gutter->width() - 6, height, Qt::AlignRight | Qt::AlignVCenter,
                             QString::number(m_firstLine + block.blockNumber()));
        }
        top += height;
        block = block.next();
    }
}

void SourceViewer::showLocation(const QString &name, const QByteArray &source, int line, int column)
{
    m_name = name;
    const int target = qMax(line, 1);
    m_firstLine = qMax(1, target - kContextLines);
    // Find the byte range of lines [m_firstLine, target + kContextLines].
    const char *data = source.constData();
    const char *end = data + source.size();
    const char *begin = data;
    for (int l = 1; l < m_firstLine && begin < end; ++l) {
        const void *nl = std::memchr(begin, '\n', size_t(end - begin));
        begin = nl ? static_cast<const char *>(nl) + 1 : end;
    }
    const char *stop = begin;
    for (int l = m_firstLine; l <= target + kContextLines && stop < end; ++l) {
        const void *nl = std::memchr(stop, '\n', size_t(end - stop));
        stop = nl ? static_cast<const char *>(nl) + 1 : end;
    }
    QString text = QString::fromUtf8(begin, qsizetype(stop - begin));
    if (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    setPlainText(text);
    setViewportMargins(gutterWidth(), 0, 0, 0);

    const QTextBlock block = document()->findBlockByNumber(target - m_firstLine);
    QTextCursor cursor(block);
    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, qMax(0, qMin(column - 1, block.length() - 1)));
    setTextCursor(cursor);
    QTextEdit::ExtraSelection mark;
    QColor markColor = palette().color(QPalette::Highlight);
    markColor.setAlphaF(0.22);
    mark.format.setBackground(markColor);
    mark.format.setProperty(QTextFormat::FullWidthSelection, true);
    mark.cursor = QTextCursor(block);
    setExtraSelections({mark});
    centerCursor();
}

void SourceViewer::clearLocation()
{
    m_name.clear();
    m_firstLine = 1;
    clear();
    setExtraSelections({});
}

int SourceViewer::currentLine() const
{
    return m_firstLine + textCursor().blockNumber();
}

QString SourceViewer::lineText(int line) const
{
    const QTextBlock block = document()->findBlockByNumber(line - m_firstLine);
    return block.isValid() ? block.text() : QString();
}

} // namespace portolan::gui
