// Refresh on 401 through the HTTP engine: ExchangeSender with a
// SignerAuthenticator sends a request with a stored OAuth credential to a
// small resource server in this test, which accepts a token only while the
// real oidc-provider's introspection says it is active. A stale token gets
// 401 invalid_token; the engine refreshes once at the provider and retries.
#include "credentialstore.h"
#include "exchangesender.h"
#include "oauthlogin.h"
#include "oidc.h"
#include "oidcprovider.h"
#include "requestsigner.h"
#include "signerauthenticator.h"
#include "tokenmanager.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan;
using namespace portolan::auth;
using namespace portolan::http;

namespace {

// Answers every GET with 200 when the bearer token is active at the provider,
// else 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1).
class IntrospectingResourceServer : public QObject {
public:
    IntrospectingResourceServer(TokenClient *client, QUrl introspectionUrl, ClientConfig resourceClient)
        : m_client(client), m_introspectionUrl(std::move(introspectionUrl)), m_resourceClient(std::move(resourceClient))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket);
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/resource").arg(m_server.serverPort())); }
    QList<QByteArray> tokensSeen;

private:
    void serve(QTcpSocket *socket)
    {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            QByteArray &buffer = m_buffers[socket];
            buffer += socket->readAll();
            if (!buffer.contains("\r\n\r\n"))
                return;
            QByteArray token;
            for (const QByteArray &line : buffer.left(buffer.indexOf("\r\n\r\n")).split('\n')) {
                if (line.toLower().startsWith("authorization: bearer "))
                    token = line.mid(int(qstrlen("authorization: bearer "))).trimmed();
            }
            m_buffers.remove(socket);
            tokensSeen.append(token);
            m_client->introspect(m_introspectionUrl, m_resourceClient, token, {},
                                 [socket = QPointer<QTcpSocket>(socket)](const QJsonObject &answer, const OAuthError &) {
                                     if (!socket)
                                         return;
                                     const bool active = answer.value(QStringLiteral("active")).toBool();
                                     const QByteArray body = active ? "{\"resource\":\"granted\"}" : "{\"error\":\"invalid_token\"}";
                                     socket->write((active ? "HTTP/1.1 200 OK\r\n"
                                                           : "HTTP/1.1 401 Unauthorized\r\n"
                                                             "WWW-Authenticate: Bearer error=\"invalid_token\", "
                                                             "error_description=\"The access token expired\"\r\n")
                                                   + QByteArray("Content-Type: application/json\r\nConnection: close\r\n"
                                                                "Content-Length: ")
                                                   + QByteArray::number(body.size()) + "\r\n\r\n" + body);
                                     socket->disconnectFromHost();
                                 });
        });
    }

    TokenClient *m_client;  // not owned
    QUrl m_introspectionUrl;
    ClientConfig m_resourceClient;
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace

class TestRefresh : public QObject {
    Q_OBJECT
private:
    test::OidcProvider m_provider;
    QNetworkAccessManager m_network;
    TokenClient m_client{&m_network};
    OidcDiscovery m_discovery{&m_network};
    QTemporaryDir m_dir;
    CredentialStore m_store{m_dir.filePath(QStringLiteral("credentials.json"))};
    TokenManager m_tokens{&m_store, &m_client};
    RequestSigner m_signer{&m_store, &m_tokens};
    ApiDocument m_document;
    const SecurityAlternative m_alternative{SchemeUse{QStringLiteral("oidc"), {QStringLiteral("openid")}}};
    std::unique_ptr<IntrospectingResourceServer> m_resource;

    ClientConfig confidentialClient() const
    {
        ClientConfig client;
        client.clientId = QStringLiteral("portolan-confidential");
        client.clientSecret = "confidential-secret";
        return client;
    }

    // Logs alice in with the password grant and stores the credential with a
    // spoiled access token (and, with `spoilRefresh`, a spoiled refresh token).
    QString storeStaleCredential(bool spoilRefresh)
    {
        LoginSettings settings;
        QString error;
        if (!settingsFromScheme(m_document.securitySchemes.first(), OAuthFlowKind::Password, QUrl(), &settings, &error))
            return {};
        settings.client = confidentialClient();
        settings.username = QStringLiteral("alice");
        settings.password = "demo-password";
        settings.scopes = {QStringLiteral("openid"), QStringLiteral("offline_access")};
        OAuthLogin login(&m_client, &m_discovery);
        QSignalSpy finished(&login, &OAuthLogin::finished);
        login.start(settings);
        if (!finished.wait(20'000))
            return {};
        const LoginResult result = finished.first().first().value<LoginResult>();
        if (!result.ok || result.tokens.refreshToken.isEmpty()) {
            qWarning("login failed: %s", qPrintable(result.error.text()));
            return {};
        }
        CredentialInfo info;
        Secrets secrets;
        credentialFromLogin(result, &info, &secrets);
        info.api = apiIdentity(m_document);
        info.scheme = QStringLiteral("oidc");
        if (!m_resource)
            m_resource = std::make_unique<IntrospectingResourceServer>(&m_client, QUrl(info.introspectionUrl), confidentialClient());
        // The token goes bad as if it had been revoked or expired at the server.
        secrets.insert(QLatin1String(secret::AccessToken), secrets.value(QLatin1String(secret::AccessToken)) + "x");
        if (spoilRefresh)
            secrets.insert(QLatin1String(secret::RefreshToken), secrets.value(QLatin1String(secret::RefreshToken)) + "x");
        QString id;
        m_store.save(info, secrets, [&](const StoreResult &, const CredentialInfo &saved) { id = saved.id; });
        if (!QTest::qWaitFor([&] { return !id.isEmpty(); }, 10'000))
            qWarning("the credential was not stored within 10 s");
        return id;  // empty on failure: the callers check it
    }

    Exchange send(const QString &credentialId)
    {
        ExchangeSender sender(&m_network);
        SignerAuthenticator authenticator(&m_signer, m_document, m_alternative, {{QStringLiteral("oidc"), credentialId}});
        sender.setAuthenticator(&authenticator);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        HttpRequest request;
        request.method = "GET";
        request.url = m_resource->url();
        sender.send(request);
        if (!finished.wait(30'000))
            return {};
        return finished.first().first().value<Exchange>();
    }

    QByteArray storedAccessToken(const QString &id)
    {
        QByteArray token;
        m_store.readSecrets(id, [&](const SecretsResult &r) { token = r.secrets.value(QLatin1String(secret::AccessToken)); });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(!token.isEmpty(), 10'000); }();
        return token;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<LoginResult>();
        qRegisterMetaType<Exchange>();
        QString error;
        if (!m_provider.start(&error))
            QFAIL(qPrintable(error));
        SecurityScheme scheme;
        scheme.name = QStringLiteral("oidc");
        scheme.type = SecuritySchemeType::OpenIdConnect;
        scheme.openIdConnectUrl = m_provider.discoveryUrl().toString();
        m_document.info.title = QStringLiteral("Refresh test");
        m_document.securitySchemes.append(scheme);
    }

    void refreshesOnceAndRetries()
    {
        const QString id = storeStaleCredential(false);
        QVERIFY(!id.isEmpty());
        const QByteArray stale = storedAccessToken(id);
        QSignalSpy refreshed(&m_tokens, &TokenManager::refreshed);

        const Exchange exchange = send(id);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QCOMPARE(exchange.hops.size(), 2);  // both attempts are on the exchange
        QCOMPARE(exchange.hops[0].response.status, 401);
        QVERIFY(headerValue(exchange.hops[0].response.headers, "WWW-Authenticate").contains("invalid_token"));
        QCOMPARE(headerValue(exchange.hops[0].request.headers, "Authorization"), "Bearer " + stale);
        QCOMPARE(exchange.hops[1].response.status, 200);
        QCOMPARE(exchange.finalHop().response.body.bytes, QByteArray("{\"resource\":\"granted\"}"));
        QCOMPARE(refreshed.size(), 1);  // refreshed once, at the real provider

        // The retry carried the new token, the one now stored.
        const QByteArray fresh = storedAccessToken(id);
        QVERIFY(fresh != stale);
        QCOMPARE(headerValue(exchange.hops[1].request.headers, "Authorization"), "Bearer " + fresh);
        QCOMPARE(m_resource->tokensSeen.mid(m_resource->tokensSeen.size() - 2), (QList<QByteArray>{stale, fresh}));
        QVERIFY(exchange.errorMessage.isEmpty());
    }

    void failedRefreshLeavesThe401()
    {
        const QString id = storeStaleCredential(true);
        QVERIFY(!id.isEmpty());
        const qsizetype seenBefore = m_resource->tokensSeen.size();

        const Exchange exchange = send(id);
        QCOMPARE(exchange.error, TransportError::None);  // the server answered: its 401 is the answer
        QCOMPARE(exchange.hops.size(), 1);               // no retry without a new token
        QCOMPARE(exchange.finalHop().response.status, 401);
        QCOMPARE(m_resource->tokensSeen.size(), seenBefore + 1);
        QVERIFY2(exchange.errorMessage.contains(QLatin1String("answered 401"))
                     && exchange.errorMessage.contains(QLatin1String("could not be renewed"))
                     && exchange.errorMessage.contains(QLatin1String("invalid_grant")),
                 qPrintable(exchange.errorMessage));
    }
};

QTEST_GUILESS_MAIN(TestRefresh)
#include "tst_refresh.moc"
