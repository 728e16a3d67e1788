#include "loopbackreceiver.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

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

QString stateOf(const QString &encodedQuery)
{
    QByteArray value = QUrlQuery(encodedQuery).queryItemValue(QStringLiteral("state"), QUrl::FullyEncoded).toUtf8();
    value.replace('+', ' ');
    return QUrl::fromPercentEncoding(value);
}
} // namespace

LoopbackReceiver::LoopbackReceiver(QObject *parent)
    : QObject(parent)
{
}

LoopbackReceiver::~LoopbackReceiver() = default;

bool LoopbackReceiver::isLoopback(const QUrl &redirectUri)
{
    const QString host = redirectUri.host().toLower();
    return redirectUri.scheme() == QLatin1String("http")
        && (host == QLatin1String("127.0.0.1") || host == QLatin1String("::1") || host == QLatin1String("localhost"));
}

bool LoopbackReceiver::listen(const QUrl &redirectUri, QString *error)
{
    close();
    m_done = false;
    if (!isLoopback(redirectUri)) {
        *error = QStringLiteral("%1 is not a loopback redirect URI (http://127.0.0.1, http://[::1] or http://localhost)")
                     .arg(redirectUri.toString());
        return false;
    }
    const QString host = redirectUri.host().toLower();
    // localhost may resolve to either address in the browser: listen on both.
    QList<QHostAddress> addresses;
    if (host != QLatin1String("::1"))
        addresses.append(QHostAddress(QHostAddress::LocalHost));
    if (host != QLatin1String("127.0.0.1"))
        addresses.append(QHostAddress(QHostAddress::LocalHostIPv6));
    // No port in the registered URI: the provider accepts any (RFC 8252 §7.3).
    quint16 port = quint16(qMax(0, redirectUri.port(0)));
    for (const QHostAddress &address : addresses) {
        auto *server = new QTcpServer(this);
        if (!server->listen(address, port)) {
            const QString reason = server->errorString();
            delete server;
            const bool optional = host == QLatin1String("localhost") && address.protocol() == QAbstractSocket::IPv6Protocol
                && !m_servers.isEmpty();
            if (optional)
                continue;  // a machine without IPv6 still has 127.0.0.1
            close();
            const QString where = address.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[::1]")
                                                                                       : QStringLiteral("127.0.0.1");
            *error = port ? QStringLiteral("cannot listen on %1 port %2 for the login redirect (%3): another program may be "
                                           "using port %2; close it, or register and use another redirect URI")
                                .arg(where).arg(port).arg(reason)
                          : QStringLiteral("cannot listen on %1 for the login redirect: %2").arg(where, reason);
            return false;
        }
        port = server->serverPort();
        connect(server, &QTcpServer::newConnection, this, [this, server] { handleConnection(server); });
        m_servers.append(server);
    }
    m_redirectUri = redirectUri.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    m_redirectUri.setPort(port);
    if (m_redirectUri.path().isEmpty())
        m_redirectUri.setPath(QStringLiteral("/"));
    return true;
}

void LoopbackReceiver::expectResponseTo(const QUrl &authorizationUrl)
{
    m_expectedState = stateOf(authorizationUrl.query(QUrl::FullyEncoded)).toUtf8();
}

void LoopbackReceiver::close()
{
    for (QTcpServer *server : std::as_const(m_servers)) {
        server->close();
        server->deleteLater();
    }
    m_servers.clear();
}

bool LoopbackReceiver::isListening() const
{
    return !m_servers.isEmpty();
}

QByteArray LoopbackReceiver::answer(const QByteArray &requestLine)
{
    const QList<QByteArray> parts = requestLine.trimmed().split(' ');
    const QUrl target = parts.size() == 3 ? QUrl::fromEncoded(parts[1], QUrl::StrictMode) : QUrl();
    if (parts.value(0) != "GET" || target.path(QUrl::FullyEncoded) != m_redirectUri.path(QUrl::FullyEncoded))
        return response(404, "Not Found", "<p>Not found.</p>");
    const QByteArray state = stateOf(target.query(QUrl::FullyEncoded)).toUtf8();
    if (m_done || m_expectedState.isEmpty() || state != m_expectedState)
        return response(400, "Bad Request",
                        "<!DOCTYPE html><html><head><title>Portolan</title></head><body>"
                        "<h1>Not the login Portolan is waiting for</h1>"
                        "<p>This answer does not belong to the login in progress; it was ignored.</p></body></html>");
    m_done = true;
    QUrl redirect = m_redirectUri;
    redirect.setQuery(target.query(QUrl::FullyEncoded), QUrl::StrictMode);
    // After this function's caller has answered the browser: the login goes on, and the listener goes.
    QTimer::singleShot(0, this, [this, redirect] {
        close();
        Q_EMIT redirectReceived(redirect);
    });
    return response(200, "OK",
                    "<!DOCTYPE html><html><head><title>Portolan</title></head><body>"
                    "<h1>Portolan received the login response</h1>"
                    "<p>You can close this window and return to Portolan.</p></body></html>");
}

void LoopbackReceiver::handleConnection(QTcpServer *server)
{
    while (QTcpSocket *socket = server->nextPendingConnection()) {
        socket->setParent(this);  // outlives the server, which goes after the callback
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
            socket->setProperty("answered", true);
            socket->write(answer(socket->readLine()));
            socket->disconnectFromHost();
        });
    }
}

} // namespace portolan::auth
