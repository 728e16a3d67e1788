#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <memory>

class QTcpServer;
class QTcpSocket;

namespace portolan::test {

struct TestCertificates;

// An HTTP/1.1 server on 127.0.0.1 (a port the system picks) that records every
// request it receives, as it received it, and answers each path as told. Tests
// check what reached a server from its log, not what the client says it sent.
// With certificates it speaks HTTPS (TLS server certificate of TestCertificates).
class RecordingServer : public QObject {
public:
    struct Request {
        QByteArray method;
        QByteArray target;  // path and query, as on the request line
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QByteArray header(const QByteArray &name) const;  // the first one, case-insensitive; empty when absent
        // The request line, headers and body as one text, for "does the secret appear anywhere".
        QByteArray raw;
    };
    struct Response {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body = "{}";
    };

    RecordingServer();
    ~RecordingServer() override;

    // Listens over plain HTTP, or HTTPS when `tls` is given. On failure `error` says why.
    bool start(QString *error, const TestCertificates *tls = nullptr);
    quint16 port() const;
    // http(s)://127.0.0.1:PORT + pathAndQuery.
    QUrl url(const QString &pathAndQuery = QStringLiteral("/")) const;

    // How `path` (without query) is answered; other paths get 200 "{}".
    void respond(const QByteArray &path, const Response &response) { m_responses.insert(path, response); }
    // `path` answers `status` with Location `location` plus the request's own
    // query (as servers that keep the query across a redirect do).
    void redirect(const QByteArray &path, const QUrl &location, int status = 302);

    const QList<Request> &requests() const { return m_requests; }
    QList<Request> requestsTo(const QByteArray &path) const;

private:
    void serve(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const Request &request);

    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    QHash<QByteArray, Response> m_responses;
    QHash<QByteArray, QPair<QUrl, int>> m_redirects;
    QList<Request> m_requests;
};

} // namespace portolan::test
