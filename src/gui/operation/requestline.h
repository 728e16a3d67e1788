#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QToolButton;

namespace portolan::gui {

// The request line at the top of an operation page, as HTTP clients show it:
// the method badge, the URL the request goes to (as the client core resolves
// it from server, variables, parameters and environment) and Send. Send is the
// inspector's one Send action (Ctrl+Enter), shown here as a button.
class RequestLine : public QWidget {
    Q_OBJECT
public:
    explicit RequestLine(QWidget *parent = nullptr);

    void setMethod(const QString &method);
    void setUrl(const QString &url);
    QString url() const;
    // `action` is not owned; the button follows its text, enabled state and shortcut.
    void setSendAction(QAction *action);

    QLabel *methodLabel() const { return m_method; }
    QLineEdit *urlField() const { return m_url; }
    QToolButton *sendButton() const { return m_send; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColors();

    QString m_methodName;
    QLabel *m_method;  // owned by this, like the widgets below
    QLineEdit *m_url;
    QToolButton *m_send;
};

} // namespace portolan::gui
