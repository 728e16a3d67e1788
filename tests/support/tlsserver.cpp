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
    const QStringList ecKey{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    if (!writeFile(d.filePath(QStringLiteral("server.ext")),
                   "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        || !writeFile(d.filePath(QStringLiteral("client.ext")), "extendedKeyUsage=clientAuth\n")) {
        if (error)
            *error = QStringLiteral("cannot write in %1").arg(dir);
        return false;
    }
    return openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey
                       + QStringList{QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"), caCertificate,
                                     QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                                     QStringLiteral("/CN=Portolan Test CA/O=Portolan Tests")},
                   dir, error)
        && openssl(QStringList{QStringLiteral("req")} + ecKey
                       + QStringList{QStringLiteral("-keyout"), serverKey, QStringLiteral("-out"), QStringLiteral("server.csr"),
                                     QStringLiteral("-subj"), QStringLiteral("/CN=localhost/O=Portolan Tests")},
                   dir, error)
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("server.csr"),
                    QStringLiteral("-CA"), caCertificate, QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), serverCertificate, QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-extfile"), QStringLiteral("server.ext")},
                   dir, error)
        && openssl(QStringList{QStringLiteral("req")} + ecKey
                       + QStringList{QStringLiteral("-keyout"), clientKey, QStringLiteral("-out"), QStringLiteral("client.csr"),
                                     QStringLiteral("-subj"), QStringLiteral("/CN=portolan-test-client")},
                   dir, error)
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("client.csr"),
                    QStringLiteral("-CA"), caCertificate, QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), clientCertificate, QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-extfile"), QStringLiteral("client.ext")},
                   dir, error);
}

bool TestCertificates::generateChainedClient(QString *error)
{
    const QDir d(directory);
    const QString intermediate = d.filePath(QStringLiteral("intermediate.crt"));
    const QString leaf = d.filePath(QStringLiteral("chained-client.crt"));
    chainedClientCertificates = d.filePath(QStringLiteral("chained-client-chain.pem"));
    chainedClientKey = d.filePath(QStringLiteral("chained-client.key"));
    const QStringList ecKey{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    if (!writeFile(d.filePath(QStringLiteral("intermediate.ext")), "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign\n")) {
        if (error)
            *error = QStringLiteral("cannot write in %1").arg(directory);
        return false;
    }
    auto sign = [&](const QString &csr, const QString &issuer, const QString &issuerKey, const QString &out, const QString &extensions) {
        return openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr, QStringLiteral("-CA"), issuer,
                        QStringLiteral("-CAkey"), issuerKey, QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), out,
                        QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), extensions},
                       directory, error);
    };
    if (!openssl(QStringList{QStringLiteral("req")} + ecKey
                     + QStringList{QStringLiteral("-keyout"), QStringLiteral("intermediate.key"), QStringLiteral("-out"),
                                   QStringLiteral("intermediate.csr"), QStringLiteral("-subj"),
                                   QStringLiteral("/CN=Portolan Test Intermediate/O=Portolan Tests")},
                 directory, error)
        || !sign(QStringLiteral("intermediate.csr"), caCertificate, QStringLiteral("ca.key"), intermediate, QStringLiteral("intermediate.ext"))
        || !openssl(QStringList{QStringLiteral("req")} + ecKey
                        + QStringList{QStringLiteral("-keyout"), chainedClientKey, QStringLiteral("-out"), QStringLiteral("chained-client.csr"),
                                      QStringLiteral("-subj"), QStringLiteral("/CN=portolan-chained-client")},
                    directory, error)
        || !sign(QStringLiteral("chained-client.csr"), intermediate, QStringLiteral("intermediate.key"), leaf, QStringLiteral("client.ext")))
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
