#pragma once

#include "textlines.h"

#include <QAbstractScrollArea>

namespace portolan::gui {

// Shows a body of any size: only the visible lines are laid out and painted
// (JSON and XML coloured per line), so a 50 MB response scrolls as smoothly
// as a small one. Whole lines are selected with the mouse (Shift extends) and
// copied with Ctrl+C; find() marks and scrolls to a match found elsewhere.
class LargeTextView : public QAbstractScrollArea {
    Q_OBJECT
public:
    enum class Syntax { None, Json, Xml };

    explicit LargeTextView(QWidget *parent = nullptr);

    void setLines(const TextLines &lines, Syntax syntax = Syntax::None);
    const TextLines &lines() const { return m_lines; }
    // Marks the bytes [offset, offset + length) and scrolls to them.
    void showMatch(qint64 offset, qint64 length);
    qint64 matchOffset() const { return m_matchOffset; }
    // Tints the lines holding these byte offsets (problems found in the body);
    // cleared by setLines().
    void setMarks(const QVector<qint64> &offsets);
    const QVector<qint64> &markedLines() const { return m_markedLines; }
    qint64 firstVisibleLine() const;
    // The selected lines' text (capped at `limit` bytes).
    QByteArray selectedBytes(qint64 limit = 64 * 1024 * 1024) const;
    void selectAll();

protected:
    void changeEvent(QEvent *event) override;  // syntax colours follow the theme
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Span {
        int start;
        int length;
        int format;  // index into m_colors; -1 = plain
    };
    QList<Span> highlight(const QString &line) const;
    void updateScrollBars();
    qint64 lineAt(int y) const;
    int lineHeight() const;

    TextLines m_lines;
    Syntax m_syntax = Syntax::None;
    void applySyntaxColors();

    QList<QColor> m_colors;  // key, string, number, literal, tag, attribute
    qint64 m_anchor = -1;    // selection: first and last selected line, -1 = none
    qint64 m_cursor = -1;
    qint64 m_matchOffset = -1;
    qint64 m_matchLength = 0;
    int m_widestLine = 0;    // pixels, of the lines painted so far
    QVector<qint64> m_markedLines;  // sorted
};

} // namespace portolan::gui
