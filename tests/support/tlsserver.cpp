#include "tlsserver.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslConfiguration>
#include <QSslSocket>

namespace portolan::test {

namespace {

bool openssl(const QStringList &arguments, const QString &directory, QString *error, QByteArray *output = nullptr)
{
    QProcess process;
    process.setWorkingDirectory(directory);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(30'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("openssl %1 failed: %2%3")
                         .arg(arguments.join(QLatin1Char(' ')), process.errorString(),
                              QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    if (output)
        *output = process.readAllStandardOutput();
    return true;
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// `openssl req` arguments for a new, unencrypted P-256 key.
QStringList newEcKey()
{
    return {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
}

// A new key into `key` and a request for a certificate of `subject` into `csr`.
bool requestCertificate(const QString &directory, const QString &key, const QString &csr, const QString &subject, QString *error)
{
    return openssl(QStringList{QStringLiteral("req")} + newEcKey()
                       + QStringList{QStringLiteral("-keyout"), key, QStringLiteral("-out"), csr, QStringLiteral("-subj"), subject},
                   directory, error);
}

// The request `csr` signed by `issuer` (whose key is `issuerKey`) into
// `certificate`, valid for two days, with the extensions the file `extensions` lists.
bool signCertificate(const QString &directory, const QString &csr, const QString &issuer, const QString &issuerKey,
                     const QString &certificate, const QString &extensions, QString *error)
{
    return openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr, QStringLiteral("-CA"), issuer,
                    QStringLiteral("-CAkey"), issuerKey, QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), certificate,
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), extensions},
                   directory, error);
}

} // namespace

bool TestCertificates::generate(const QString &dir, QString *error)
{
    directory = dir;
    const QDir d(dir);
    caCertificate = d.filePath(QStringLiteral("ca.crt"));
    serverCertificate = d.filePath(QStringLiteral("server.crt"));
    serverKey = d.filePath(QStringLiteral("server.key"));
    clientCertificate = d.filePath(QStringLiteral("client.crt"));
    clientKey = d.filePath(QStringLiteral("client.key"));
    if (!writeFile(d.filePath(QStringLiteral("server.ext")),
                   "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        || !writeFile(d.filePath(QStringLiteral("client.ext")), "extendedKeyUsage=clientAuth\n")) {
        if (error)
            *error = QStringLiteral("cannot write in %1").arg(dir);
        return false;
    }
    const QString caKey = QStringLiteral("ca.key");
    return openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + newEcKey()
                       + QStringList{QStringLiteral("-keyout"), caKey, QStringLiteral("-out"), caCertificate,
                                     QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                                     QStringLiteral("/CN=Portolan Test CA/O=Portolan Tests")},
                   dir, error)
        && requestCertificate(dir, serverKey, QStringLiteral("server.csr"), QStringLiteral("/CN=localhost/O=Portolan Tests"), error)
        && signCertificate(dir, QStringLiteral("server.csr"), caCertificate, caKey, serverCertificate, QStringLiteral("server.ext"), error)
        && requestCertificate(dir, clientKey, QStringLiteral("client.csr"), QStringLiteral("/CN=portolan-test-client"), error)
        && signCertificate(dir, QStringLiteral("client.csr"), caCertificate, caKey, clientCertificate, QStringLiteral("client.ext"), error);
}

bool TestCertificates::generateChainedClient(QString *error)
{
    const QDir d(directory);
    const QString intermediate = d.filePath(QStringLiteral("intermediate.crt"));
    const QString leaf = d.filePath(QStringLiteral("chained-client.crt"));
    chainedClientCertificates = d.filePath(QStringLiteral("chained-client-chain.pem"));
    chainedClientKey = d.filePath(QStringLiteral("chained-client.key"));
    if (!writeFile(d.filePath(QStringLiteral("intermediate.ext")), "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign\n")) {
        if (error)
            *error = QStringLiteral("cannot write in %1").arg(directory);
        return false;
    }
    const QString intermediateKey = QStringLiteral("intermediate.key");
    if (!requestCertificate(directory, intermediateKey, QStringLiteral("intermediate.csr"),
                            QStringLiteral("/CN=Portolan Test Intermediate/O=Portolan Tests"), error)
        || !signCertificate(directory, QStringLiteral("intermediate.csr"), caCertificate, QStringLiteral("ca.key"), intermediate,
                            QStringLiteral("intermediate.ext"), error)
        || !requestCertificate(directory, chainedClientKey, QStringLiteral("chained-client.csr"),
                               QStringLiteral("/CN=portolan-chained-client"), error)
        || !signCertificate(directory, QStringLiteral("chained-client.csr"), intermediate, intermediateKey, leaf,
                            QStringLiteral("client.ext"), error))
        return false;
    QFile leafFile(leaf), intermediateFile(intermediate);
    if (!leafFile.open(QIODevice::ReadOnly) || !intermediateFile.open(QIODevice::ReadOnly)
        || !writeFile(chainedClientCertificates, leafFile.readAll() + intermediateFile.readAll())) {
        if (error)
            *error = QStringLiteral("cannot write %1").arg(chainedClientCertificates);
        return false;
    }
    return true;
}

QByteArray TestCertificates::sha256Fingerprint(const QString &certificatePath)
{
    QByteArray output;
    if (!openssl({QStringLiteral("x509"), QStringLiteral("-in"), certificatePath, QStringLiteral("-noout"),
                  QStringLiteral("-fingerprint"), QStringLiteral("-sha256")},
                 QDir::tempPath(), nullptr, &output))
        return {};
    return output.mid(output.indexOf('=') + 1).trimmed();
}

QSslCertificate TestCertificates::certificate(const QString &path)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(path);
    return certificates.isEmpty() ? QSslCertificate() : certificates.first();
}

QSslKey TestCertificates::key(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QSslKey(file.readAll(), QSsl::Ec);
}

bool TlsServer::start(const TestCertificates &certificates, QString *error)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(TestCertificates::certificate(certificates.serverCertificate));
    tls.setPrivateKey(TestCertificates::key(certificates.serverKey));
    tls.setCaCertificates({TestCertificates::certificate(certificates.caCertificate)});
    tls.setPeerVerifyMode(QSslSocket::QueryPeer);
    if (tls.localCertificate().isNull() || tls.privateKey().isNull()) {
        if (error)
            *error = QStringLiteral("cannot read the server certificate or key");
        return false;
    }
    m_server.setSslConfiguration(tls);
    connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (auto *socket = qobject_cast<QSslSocket *>(m_server.nextPendingConnection())) {
            ++m_connections;
            serve(socket);
        }
    });
    if (!m_server.listen(QHostAddress::LocalHost, 0)) {
        if (error)
            *error = m_server.errorString();
        return false;
    }
    return true;
}

QUrl TlsServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1%2").arg(port()).arg(path));
}

void TlsServer::serve(QSslSocket *socket)
{
    // Owned by the server (its parent); deleted when the peer disconnects.
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    auto buffer = std::make_shared<QByteArray>();
    connect(socket, &QSslSocket::readyRead, socket, [socket, buffer] {
        *buffer += socket->readAll();
        qsizetype end;
        while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
            buffer->remove(0, end + 4);
            const QStringList names = socket->peerCertificate().subjectInfo(QSslCertificate::CommonName);
            QByteArray body = "client=" + (names.isEmpty() ? QByteArray("none") : names.first().toUtf8());
            // The peer chain: the client's certificate, what it sent along,
            // and the root that verified them, which the server has already.
            const QList<QSslCertificate> chain = socket->peerCertificateChain();
            for (qsizetype i = 1; i < chain.size(); ++i) {
                if (!chain.at(i).isSelfSigned())
                    body += " via " + chain.at(i).subjectInfo(QSslCertificate::CommonName).join(QLatin1Char(',')).toUtf8();
            }
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size())
                          + "\r\n\r\n" + body);
        }
    });
}

} // namespace portolan::test
