#pragma once

#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QString>
#include <QUrl>

namespace portolan::test {

// A test CA with a server certificate (CN=localhost, SANs DNS:localhost and
// IP:127.0.0.1) and a client certificate (CN=portolan-test-client), made by
// the `openssl` command line in `directory`.
struct TestCertificates {
    QString directory;
    QString caCertificate, serverCertificate, serverKey, clientCertificate, clientKey;  // PEM file paths

    // Generates everything; on failure `error` says which openssl step failed.
    bool generate(const QString &directory, QString *error);
    // After generate(): an intermediate CA under the test CA, and a client
    // certificate (CN=portolan-chained-client) it issued, written with the
    // intermediate after it in one PEM file, as CAs hand chains out.
    bool generateChainedClient(QString *error);
    QString chainedClientCertificates, chainedClientKey;  // PEM file paths
    // "AB:CD:…" as `openssl x509 -fingerprint -sha256` prints it.
    static QByteArray sha256Fingerprint(const QString &certificatePath);
    static QSslCertificate certificate(const QString &path);
    static QSslKey key(const QString &path);
};

// An HTTPS server on 127.0.0.1 inside the test process. It asks for (but does
// not require) a client certificate, keeps connections alive, and answers every
// request with 200 and the body "client=<CN of the client certificate or none>",
// followed by " via <CN>" for each intermediate CA the client sent with it.
class TlsServer : public QObject {
    Q_OBJECT
public:
    bool start(const TestCertificates &certificates, QString *error);
    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const QString &path = QStringLiteral("/")) const;
    int connectionsAccepted() const { return m_connections; }

private:
    void serve(QSslSocket *socket);
    QSslServer m_server;
    int m_connections = 0;
};

} // namespace portolan::test
