#pragma once

#include <QDialog>
#include <QTimer>
#include <QUrl>

class QLabel;
class QProgressBar;
class QPushButton;

namespace portolan::gui {

// RFC 8628 for a person: the user code to type (selectable, with a Copy
// button), the verification link, a countdown to the code's expiry and
// Cancel. The login itself runs in the auth engine; `cancelled` stops it.
class DeviceCodeDialog : public QDialog {
    Q_OBJECT
public:
    DeviceCodeDialog(const QString &userCode, const QUrl &verificationUri, const QUrl &verificationUriComplete,
                     int expiresInSeconds, QWidget *parent = nullptr);

    QString userCode() const { return m_userCode; }
    QUrl verificationUri() const { return m_verificationUri; }
    int secondsLeft() const { return m_secondsLeft; }
    void setStatus(const QString &text, bool error = false);
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    void cancelled();

private:
    void tick();
    void openPage(const QUrl &url);

    QString m_userCode;
    QUrl m_verificationUri;
    int m_total;
    int m_secondsLeft;
    QTimer m_countdown;
    QLabel *m_code;            // owned by this, like the widgets below
    QLabel *m_remaining;
    QProgressBar *m_bar;
    QLabel *m_status;
    QPushButton *m_copy;
    QPushButton *m_cancel;
};

} // namespace portolan::gui
