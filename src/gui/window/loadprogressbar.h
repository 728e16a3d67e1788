#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace portolan::gui {

// The strip shown while a document loads: what is happening, how far it got
// and a Cancel button (Esc does the same).
class LoadProgressBar : public QWidget {
    Q_OBJECT
public:
    explicit LoadProgressBar(QWidget *parent = nullptr);

    void start(const QString &what);
    void setProgress(const QString &stage, int done, int total);
    QPushButton *cancelButton() const { return m_cancel; }

Q_SIGNALS:
    void cancelRequested();

private:
    QLabel *m_label;        // owned by this
    QProgressBar *m_bar;    // owned by this
    QPushButton *m_cancel;  // owned by this
    QString m_what;
};

} // namespace portolan::gui
