#pragma once

#include <QPlainTextEdit>

namespace portolan::gui {

// Read-only view of a source document around one line, with line numbers.
// Only a window of lines is shown, so a 47 MB description opens instantly.
class SourceViewer : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit SourceViewer(QWidget *parent = nullptr);

    // Shows `source` (UTF-8) around the 1-based `line`, marks that line and
    // puts the cursor at `column`.
    void showLocation(const QString &name, const QByteArray &source, int line, int column);
    void clearLocation();
    QString documentName() const { return m_name; }
    int currentLine() const;  // 1-based, in the whole source
    QString lineText(int line) const;  // 1-based, in the whole source; empty when not shown

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    class Gutter;
    int gutterWidth() const;
    void paintGutter(QPaintEvent *event);

    Gutter *m_gutter;      // owned by this
    QString m_name;
    int m_firstLine = 1;   // source line of the first block shown
};

} // namespace portolan::gui
