// TLS against an HTTPS server in the test process with a CA the test
// generates: the record holds the real chain, untrusted servers are refused
// until the user explicitly trusts that one host, client certificates work.
#include "exchangesender.h"
#include "operationsender.h"
#include "pemidentity.h"
#include "tlsserver.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan::http;
using portolan::test::TestCertificates;
using portolan::test::TlsServer;

class TestTls : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    TestCertificates m_certificates;
    TlsServer m_server;

    Exchange send(QNetworkAccessManager &network, const SendOptions &options)
    {
        ExchangeSender sender(&network);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        HttpRequest request;
        request.url = m_server.url(QStringLiteral("/hello"));
        sender.send(request, options);
        if (!finished.wait(20'000))
            qWarning("no finished signal");
        return sender.exchange();
    }
    SendOptions trusting() const
    {
        SendOptions options;
        options.tls.extraCaCertificates = {TestCertificates::certificate(m_certificates.caCertificate)};
        return options;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend (packaging/install-deps.sh installs OpenSSL)");
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_certificates.generate(m_dir.path(), &error), qPrintable(error));
        QVERIFY2(m_server.start(m_certificates, &error), qPrintable(error));
    }

    void chainAndFingerprintsAreRecorded()
    {
        QNetworkAccessManager network;
        const Exchange exchange = send(network, trusting());
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QCOMPARE(exchange.finalHop().response.body.read(), QByteArray("client=none"));
        const TlsInfo &tls = exchange.finalHop().tls;
        QVERIFY(tls.used);
        QVERIFY2(tls.protocol.startsWith(QLatin1String("TLSv1.")), qPrintable(tls.protocol));
        QVERIFY(!tls.cipher.isEmpty());
        QVERIFY(tls.verificationErrors.isEmpty());
        QVERIFY(!tls.errorsIgnoredByChoice);
        QVERIFY(!tls.peerChain.isEmpty());
        const CertificateInfo &leaf = tls.peerChain.first();
        QCOMPARE(leaf.sha256Fingerprint, TestCertificates::sha256Fingerprint(m_certificates.serverCertificate));
        QCOMPARE(leaf.subject, QStringLiteral("CN=localhost, O=Portolan Tests"));
        QCOMPARE(leaf.issuer, QStringLiteral("CN=Portolan Test CA, O=Portolan Tests"));
        QVERIFY(leaf.subjectAlternativeNames.contains(QStringLiteral("DNS:localhost")));
        QVERIFY(leaf.subjectAlternativeNames.contains(QStringLiteral("IP:127.0.0.1")));
        QVERIFY(leaf.notBefore <= QDateTime::currentDateTimeUtc() && QDateTime::currentDateTimeUtc() < leaf.notAfter);
        if (tls.peerChain.size() > 1)
            QCOMPARE(tls.peerChain.last().sha256Fingerprint, TestCertificates::sha256Fingerprint(m_certificates.caCertificate));
        QVERIFY(exchange.finalHop().timings.durationUs(QStringLiteral("connect + TLS handshake")) > 0);
    }

    void untrustedCertificateIsRefusedClearly()
    {
        QNetworkAccessManager network;
        const Exchange exchange = send(network, SendOptions());
        QCOMPARE(exchange.error, TransportError::Tls);
        QVERIFY(!exchange.hasResponse());
        QVERIFY2(exchange.errorMessage.contains(QLatin1String("127.0.0.1")), qPrintable(exchange.errorMessage));
        QVERIFY2(exchange.errorMessage.contains(QLatin1String("ignore TLS errors")), qPrintable(exchange.errorMessage));
        QVERIFY(!exchange.finalHop().tls.verificationErrors.isEmpty());
    }

    void acceptedOnlyAfterThePerHostChoice()
    {
        QNetworkAccessManager network;
        SendOptions otherHost;
        otherHost.tls.ignoreErrorsForHosts = {QStringLiteral("example.com")};
        QCOMPARE(send(network, otherHost).error, TransportError::Tls);

        SendOptions thisHost;
        thisHost.tls.ignoreErrorsForHosts = {QStringLiteral("127.0.0.1")};
        const Exchange accepted = send(network, thisHost);
        QVERIFY2(accepted.error == TransportError::None, qPrintable(accepted.errorMessage));
        QCOMPARE(accepted.tlsErrorsIgnoredForHosts, QStringList{QStringLiteral("127.0.0.1")});
        QVERIFY(accepted.finalHop().tls.errorsIgnoredByChoice);
        QVERIFY(!accepted.finalHop().tls.verificationErrors.isEmpty());

        // Withdrawing the choice takes effect at once, even though the accepted
        // connection is still open: it is never reused for verified requests.
        const Exchange withdrawn = send(network, SendOptions());
        QCOMPARE(withdrawn.error, TransportError::Tls);
    }

    void clientCertificateIsPresented()
    {
        QNetworkAccessManager network;
        SendOptions options = trusting();
        options.tls.clientIdentity = ClientIdentity{{TestCertificates::certificate(m_certificates.clientCertificate)},
                                                    TestCertificates::key(m_certificates.clientKey)};
        QVERIFY(!options.tls.clientIdentity->key.isNull());
        const Exchange exchange = send(network, options);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QCOMPARE(exchange.finalHop().response.body.read(), QByteArray("client=portolan-test-client"));
        QVERIFY(exchange.finalHop().tls.clientCertificateSent);
        QCOMPARE(exchange.finalHop().tls.clientCertificateSubject, QStringLiteral("CN=portolan-test-client"));
    }

    // A client certificate issued by an intermediate CA goes out with that
    // intermediate, as read from one PEM file through the path both front
    // ends take: servers that trust only the root refuse a leaf sent alone.
    void clientCertificateChainIsPresented()
    {
        QString error;
        QVERIFY2(m_certificates.generateChainedClient(&error), qPrintable(error));
        const portolan::auth::PemIdentity identity =
            portolan::auth::loadPemIdentity(m_certificates.chainedClientKey, m_certificates.chainedClientCertificates, {});
        QVERIFY2(identity.ok(), qPrintable(identity.error));
        QCOMPARE(identity.certificates.size(), 2);
        QNetworkAccessManager network;
        SendOptions options = trusting();
        options.tls.clientIdentity = portolan::client::tlsClientIdentity(identity);
        const Exchange exchange = send(network, options);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QCOMPARE(exchange.finalHop().response.body.read(), QByteArray("client=portolan-chained-client via Portolan Test Intermediate"));
        QCOMPARE(exchange.finalHop().tls.clientCertificateSubject, QStringLiteral("CN=portolan-chained-client"));
    }

    // Changing the client certificate between sends on one manager takes
    // effect although the server keeps the earlier connection open.
    void clientCertificateChangeIsNotHiddenByAnOpenConnection()
    {
        QNetworkAccessManager network;
        const Exchange without = send(network, trusting());
        QCOMPARE(without.finalHop().response.body.read(), QByteArray("client=none"));
        SendOptions options = trusting();
        options.tls.clientIdentity = ClientIdentity{{TestCertificates::certificate(m_certificates.clientCertificate)},
                                                    TestCertificates::key(m_certificates.clientKey)};
        const Exchange with = send(network, options);
        QCOMPARE(with.finalHop().response.body.read(), QByteArray("client=portolan-test-client"));
        QCOMPARE(send(network, trusting()).finalHop().response.body.read(), QByteArray("client=none"));
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
