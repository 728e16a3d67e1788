#include "loopbackreceiver.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace portolan::auth {

namespace {
constexpr int kMaxRequestBytes = 64 * 1024;
constexpr int kSocketTimeoutMs = 30'000;

QByteArray response(int status, const char *reason, const QByteArray &html)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\nContent-Type: text/html; charset=utf-8\r\n"
           "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: " + QByteArray::number(html.size())
         + "\r\n\r\n" + html;
}
} // namespace

LoopbackReceiver::LoopbackReceiver(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &LoopbackReceiver::handleConnection);
}

bool LoopbackReceiver::listen(QString *error, const QString &path)
{
    m_path = path;
    if (m_server.isListening() || m_server.listen(QHostAddress::LocalHost, 0))
        return true;
    *error = QStringLiteral("cannot listen on 127.0.0.1 for the login redirect: ") + m_server.errorString();
    return false;
}

void LoopbackReceiver::close() { m_server.close(); }

QUrl LoopbackReceiver::redirectUri() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_server.serverPort());
    url.setPath(m_path);
    return url;
}

void LoopbackReceiver::handleConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(kSocketTimeoutMs, socket, [socket] { socket->abort(); });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            if (socket->property("answered").toBool())
                return;
            if (socket->bytesAvailable() > kMaxRequestBytes) {
                socket->write(response(431, "Request Header Fields Too Large", "<p>Request too large.</p>"));
                socket->disconnectFromHost();
                return;
            }
            if (!socket->canReadLine())
                return;
            const QList<QByteArray> requestLine = socket->readLine().trimmed().split(' ');
            socket->setProperty("answered", true);
            const QUrl target = requestLine.size() == 3 ? QUrl::fromEncoded(requestLine[1], QUrl::StrictMode) : QUrl();
            if (requestLine.value(0) != "GET" || target.path() != m_path) {
                socket->write(response(404, "Not Found", "<p>Not found.</p>"));
                socket->disconnectFromHost();
                return;
            }
            QUrl redirect = redirectUri();
            redirect.setQuery(target.query(QUrl::FullyEncoded), QUrl::StrictMode);
            socket->write(response(200, "OK",
                                   "<!DOCTYPE html><html><head><title>Portolan</title></head><body>"
                                   "<h1>Portolan received the login response</h1>"
                                   "<p>You can close this window and return to Portolan.</p></body></html>"));
            socket->disconnectFromHost();
            Q_EMIT redirectReceived(redirect);
        });
    }
}

} // namespace portolan::auth
