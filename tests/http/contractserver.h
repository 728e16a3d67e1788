#pragma once

#include <QHash>
#include <QTcpServer>
#include <QTcpSocket>

namespace portolan::test {

// An HTTP/1.1 server on 127.0.0.1 that answers each path with a fixed
// response — the documented shape or an undocumented one — so that response
// validation is tested against a real socket. It answers in the thread that
// owns it: a test waits with QSignalSpy/QTRY_*, never with a blocking call.
class ContractServer : public QTcpServer {
public:
    struct Answer {
        int status = 200;
        QByteArray contentType = "application/json";
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
    };

    ContractServer()
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { answer(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    void on(const QByteArray &path, const Answer &answer) { m_answers.insert(path, answer); }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(serverPort()); }

private:
    void answer(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        // Requests here carry no body worth reading; Content-Length is skipped if any.
        const QByteArray target = buffer.left(buffer.indexOf("\r\n")).split(' ').value(1);
        const QByteArray path = target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?'));
        m_buffers.remove(socket);
        const Answer a = m_answers.value(path, Answer{404, "text/plain", "not found", {}});
        QByteArray response = "HTTP/1.1 " + QByteArray::number(a.status) + " Status\r\n";
        if (!a.contentType.isEmpty())
            response += "Content-Type: " + a.contentType + "\r\n";
        for (const auto &[name, value] : a.headers)
            response += name + ": " + value + "\r\n";
        response += "Content-Length: " + QByteArray::number(a.body.size()) + "\r\nConnection: close\r\n\r\n" + a.body;
        socket->write(response);
        socket->disconnectFromHost();
    }

    QHash<QByteArray, Answer> m_answers;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace portolan::test
