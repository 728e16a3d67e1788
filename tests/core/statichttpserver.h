#pragma once

#include <QHash>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>

namespace portolan::test {

// Serves fixed documents over HTTP/1.1 on 127.0.0.1, so URL loading is tested
// against a real socket. Paths it does not know get a 404; redirected paths a
// 302 to their target; paths told to hang get no answer at all.
class StaticHttpServer : public QTcpServer {
public:
    StaticHttpServer()
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { answer(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    void serve(const QString &path, const QByteArray &body) { m_files.insert(path, body); }
    void redirect(const QString &path, const QString &location) { m_redirects.insert(path, location); }
    void hang(const QString &path) { m_hanging.insert(path); }
    QString url(const QString &path) const { return QStringLiteral("http://127.0.0.1:%1%2").arg(serverPort()).arg(path); }
    int requests(const QString &path) const { return m_requests.value(path); }

private:
    void answer(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
        m_buffers.remove(socket);
        const QString path = requestLine.value(1).isEmpty() ? QString() : QString::fromUtf8(QByteArray::fromPercentEncoding(requestLine.value(1)));
        m_requests[path] += 1;
        if (m_hanging.contains(path))
            return;
        if (m_redirects.contains(path)) {
            socket->write("HTTP/1.1 302 Found\r\nLocation: " + m_redirects.value(path).toUtf8()
                          + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            socket->disconnectFromHost();
            return;
        }
        const auto it = m_files.constFind(path);
        const QByteArray status = it == m_files.constEnd() ? "404 Not Found" : "200 OK";
        const QByteArray body = it == m_files.constEnd() ? QByteArray("not found") : *it;
        socket->write("HTTP/1.1 " + status + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    QHash<QString, QByteArray> m_files;
    QHash<QString, int> m_requests;
    QHash<QString, QString> m_redirects;
    QSet<QString> m_hanging;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace portolan::test
