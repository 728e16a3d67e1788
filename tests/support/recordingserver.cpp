#include "recordingserver.h"

#include "tlsserver.h"

#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

namespace portolan::test {

QByteArray RecordingServer::Request::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

RecordingServer::RecordingServer() = default;
RecordingServer::~RecordingServer() = default;

bool RecordingServer::start(QString *error, const TestCertificates *tls)
{
    if (tls) {
        auto server = std::make_unique<QSslServer>();
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificate(TestCertificates::certificate(tls->serverCertificate));
        configuration.setPrivateKey(TestCertificates::key(tls->serverKey));
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        server->setSslConfiguration(configuration);
        m_server = std::move(server);
        m_tls = true;
    } else {
        m_server = std::make_unique<QTcpServer>();
    }
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection())
            serve(socket);
    });
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        *error = m_server->errorString();
        return false;
    }
    return true;
}

quint16 RecordingServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl RecordingServer::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3").arg(m_tls ? QStringLiteral("https") : QStringLiteral("http")).arg(port()).arg(pathAndQuery));
}

void RecordingServer::redirect(const QByteArray &path, const QUrl &location, int status)
{
    m_redirects.insert(path, {location, status});
}

QList<RecordingServer::Request> RecordingServer::requestsTo(const QByteArray &path) const
{
    QList<Request> out;
    for (const Request &r : m_requests) {
        if (r.target.split('?').first() == path)
            out.append(r);
    }
    return out;
}

void RecordingServer::serve(QTcpSocket *socket)
{
    // Owned by the server (its parent); deleted when the peer disconnects.
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    auto buffer = std::make_shared<QByteArray>();
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
        *buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Request request;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            request.method = requestLine.value(0);
            request.target = requestLine.value(1);
            qsizetype length = 0;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon <= 0)
                    continue;
                request.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
                if (request.headers.last().first.compare("content-length", Qt::CaseInsensitive) == 0)
                    length = request.headers.last().second.toLongLong();
            }
            if (buffer->size() < end + 4 + length)
                return;  // the body is still on its way
            request.body = buffer->mid(end + 4, length);
            request.raw = buffer->left(end + 4 + length);
            buffer->remove(0, end + 4 + length);
            m_requests.append(request);
            answer(socket, request);
        }
    });
}

void RecordingServer::answer(QTcpSocket *socket, const Request &request)
{
    const QByteArray path = request.target.split('?').first();
    const qsizetype question = request.target.indexOf('?');
    Response response = m_responses.value(path);
    if (const auto redirect = m_redirects.constFind(path); redirect != m_redirects.constEnd()) {
        QByteArray location = redirect->first.toEncoded();
        if (question >= 0)
            location += (redirect->first.hasQuery() ? '&' : '?') + request.target.mid(question + 1);
        response = Response{redirect->second, {{"Location", location}}, {}};
    }
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + " Status\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n\r\n";
    socket->write(head + response.body);
}

} // namespace portolan::test
