#pragma once

#include <QObject>
#include <QTcpServer>
#include <QUrl>

namespace portolan::auth {

// RFC 8252 §7.3 loopback redirect receiver for native apps: listens on
// 127.0.0.1 on a random port, answers the browser's GET of the redirect path
// with a short page, and hands the full redirect URL over. Other paths get 404.
class LoopbackReceiver : public QObject {
    Q_OBJECT
public:
    explicit LoopbackReceiver(QObject *parent = nullptr);

    // Starts listening; false with `error` when no port could be opened.
    bool listen(QString *error, const QString &path = QStringLiteral("/callback"));
    void close();
    // http://127.0.0.1:PORT/callback
    QUrl redirectUri() const;

Q_SIGNALS:
    void redirectReceived(const QUrl &url);

private:
    void handleConnection();

    QTcpServer m_server;
    QString m_path;
};

} // namespace portolan::auth
