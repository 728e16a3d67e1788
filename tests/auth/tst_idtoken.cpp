// ID token checks that need a key set the test controls: the JWKS is served
// by a small HTTP server in this test, which rotates its keys, and ID tokens
// are signed here with ES256 keys made for the test.
#include "jose.h"
#include "oidc.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace portolan::auth;

namespace {

// Serves `keys` as a JWKS at /jwks and counts the fetches.
class JwksServer : public QObject {
public:
    QJsonArray keys;
    int fetches = 0;

    JwksServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    m_buffers[socket] += socket->readAll();
                    if (!m_buffers[socket].contains("\r\n\r\n"))
                        return;
                    m_buffers.remove(socket);
                    ++fetches;
                    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("keys"), keys}}).toJson(QJsonDocument::Compact);
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
                    socket->disconnectFromHost();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/jwks").arg(m_server.serverPort())); }

private:
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

QJsonObject publicJwk(const JsonWebKey &key, const QString &kid)
{
    QJsonObject jwk = key.publicJwk();
    jwk.insert(QStringLiteral("kid"), kid);
    return jwk;
}

IdTokenExpectations expectations()
{
    IdTokenExpectations expected;
    expected.issuer = QStringLiteral("https://issuer.test");
    expected.clientId = QStringLiteral("client-1");
    return expected;
}

QByteArray idToken(const JsonWebKey &key, const QString &kid, const QJsonObject &extraClaims = {})
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("https://issuer.test")},
                       {QStringLiteral("aud"), QStringLiteral("client-1")},
                       {QStringLiteral("sub"), QStringLiteral("alice")},
                       {QStringLiteral("iat"), now},
                       {QStringLiteral("exp"), now + 300}};
    for (auto it = extraClaims.begin(); it != extraClaims.end(); ++it)
        claims.insert(it.key(), it.value());
    QString error;
    return signJwt({{QStringLiteral("kid"), kid}}, claims, key, QStringLiteral("ES256"), &error);
}

} // namespace

class TestIdToken : public QObject {
    Q_OBJECT
private:
    QNetworkAccessManager m_network;

    IdTokenValidation validate(OidcDiscovery &discovery, const QUrl &jwks, const QByteArray &token)
    {
        IdTokenValidation validation;
        bool done = false;
        discovery.validateIdToken(token, jwks, expectations(), [&](const IdTokenValidation &v) {
            validation = v;
            done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 10'000); }();
        return validation;
    }

private Q_SLOTS:
    void rotatedKeysAreFetchedOnceForAnUnknownKid()
    {
        const JsonWebKey oldKey = JsonWebKey::generateEs256();
        const JsonWebKey newKey = JsonWebKey::generateEs256();
        JwksServer server;
        server.keys = {publicJwk(oldKey, QStringLiteral("old"))};
        OidcDiscovery discovery(&m_network);

        IdTokenValidation v = validate(discovery, server.url(), idToken(oldKey, QStringLiteral("old")));
        QVERIFY2(v.valid, qPrintable(v.error));
        QCOMPARE(server.fetches, 1);
        v = validate(discovery, server.url(), idToken(oldKey, QStringLiteral("old")));
        QVERIFY(v.valid);
        QCOMPARE(server.fetches, 1);  // cached

        // The provider rotates: a token signed with the new key makes the client fetch the JWKS again, once.
        server.keys = {publicJwk(oldKey, QStringLiteral("old")), publicJwk(newKey, QStringLiteral("new"))};
        v = validate(discovery, server.url(), idToken(newKey, QStringLiteral("new")));
        QVERIFY2(v.valid, qPrintable(v.error));
        QCOMPARE(v.keyId, QStringLiteral("new"));
        QCOMPARE(server.fetches, 2);

        // A kid nobody publishes: one more fetch, then a clear refusal.
        v = validate(discovery, server.url(), idToken(JsonWebKey::generateEs256(), QStringLiteral("stranger")));
        QVERIFY(!v.valid);
        QVERIFY2(v.error.contains(QLatin1String("no key")) && v.error.contains(QLatin1String("stranger")), qPrintable(v.error));
        QCOMPARE(server.fetches, 3);
    }

    void atHashMustMatchTheAccessToken()
    {
        const JsonWebKey key = JsonWebKey::generateEs256();
        const QJsonArray jwks{publicJwk(key, QStringLiteral("k"))};
        // OIDC Core §3.1.3.6 computed independently: left half of SHA-256, base64url.
        const QByteArray accessToken = "access-token-1";
        const QByteArray digest = QCryptographicHash::hash(accessToken, QCryptographicHash::Sha256);
        const QString atHash = QString::fromLatin1(base64UrlEncode(digest.left(16)));
        const QByteArray token = idToken(key, QStringLiteral("k"), {{QStringLiteral("at_hash"), atHash}});

        IdTokenExpectations expected = expectations();
        expected.accessToken = accessToken;
        IdTokenValidation v = validateIdToken(token, jwks, expected);
        QVERIFY2(v.valid, qPrintable(v.error));

        expected.accessToken = "access-token-2";  // an access token swapped in by an attacker
        v = validateIdToken(token, jwks, expected);
        QVERIFY(!v.valid);
        QVERIFY2(v.error.contains(QLatin1String("at_hash")), qPrintable(v.error));

        // at_hash is optional in code-flow ID tokens: absent, nothing to compare.
        QVERIFY(validateIdToken(idToken(key, QStringLiteral("k")), jwks, expected).valid);
    }
};

QTEST_GUILESS_MAIN(TestIdToken)
#include "tst_idtoken.moc"
