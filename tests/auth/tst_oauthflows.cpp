// Every OAuth 2.0 / OIDC flow against a real oidc-provider on loopback. The
// test plays the user through the provider's real login, consent and device
// pages over HTTP.
#include "credentialstore.h"
#include "loopbackreceiver.h"
#include "oauthlogin.h"
#include "oidc.h"
#include "oidcprovider.h"
#include "requestsigner.h"
#include "tlsserver.h"
#include "tokenmanager.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace portolan;
using namespace portolan::auth;

namespace {

// The "browser": a TestUserAgent walking the provider's pages. It hands the
// redirect to the login like an embedded browser would, optionally tampered,
// or (loopback mode) really GETs it so a LoopbackReceiver delivers it.
class UserAgentBrowser : public BrowserLauncher {
public:
    OAuthLogin *login = nullptr;
    test::TestUserAgent agent;
    bool deliverOverLoopback = false;
    LoopbackReceiver *receiver = nullptr;  // told which state to accept, when delivering over loopback
    std::function<QUrl(const QUrl &)> tamper;
    QUrl openedUrl;
    test::TestUserAgent::Outcome outcome;
    bool finishedCalled = false;

    void openAuthorizationUrl(const QUrl &url, const QUrl &redirectUri) override
    {
        openedUrl = url;
        if (receiver)
            receiver->expectResponseTo(url);
        QTimer::singleShot(0, [this, url, redirectUri] {
            if (deliverOverLoopback) {
                outcome = agent.browseAndDeliver(url, redirectUri.toString());
                return;
            }
            outcome = agent.browse(url, redirectUri.toString());
            if (outcome.ok)
                login->handleRedirect(tamper ? tamper(outcome.redirect) : outcome.redirect);
            else
                login->cancel();
        });
    }
    void authorizationFinished() override { finishedCalled = true; }
};

QUrl withQueryItem(QUrl url, const QString &name, const QString &value, bool remove = false)
{
    QUrlQuery query(url);
    query.removeAllQueryItems(name);
    if (!remove)
        query.addQueryItem(name, value);
    url.setQuery(query);
    return url;
}

} // namespace

class TestOAuthFlows : public QObject {
    Q_OBJECT

private:
    test::OidcProvider m_provider;
    QNetworkAccessManager m_network;
    TokenClient m_client{&m_network};
    OidcDiscovery m_discovery{&m_network};
    QByteArray m_codeFlowIdToken;  // kept from the code flow for nonce checks
    QByteArray m_codeFlowNonce;

    LoginSettings settings(const QString &clientId, OAuthFlowKind flow, const QStringList &scopes)
    {
        LoginSettings s;
        s.flow = flow;
        s.discoveryUrl = m_provider.discoveryUrl();
        s.client.clientId = clientId;
        s.scopes = scopes;
        if (clientId == QLatin1String("portolan-confidential")) {
            s.client.clientSecret = "confidential-secret";
        } else if (clientId == QLatin1String("portolan-post")) {
            s.client.authMethod = ClientAuthMethod::ClientSecretPost;
            s.client.clientSecret = "post-secret";
        } else if (clientId.startsWith(QLatin1String("portolan-password-"))) {
            s.client.clientSecret = "password-secret";
        } else if (clientId == QLatin1String("portolan-jwt")) {
            QFile file(m_provider.privateKeyJwtPath());
            file.open(QIODevice::ReadOnly);
            QString error;
            s.client.authMethod = ClientAuthMethod::PrivateKeyJwt;
            s.client.assertionKey = JsonWebKey::fromPrivatePem(file.readAll(), {}, &error);
            s.privateKeyPath = m_provider.privateKeyJwtPath();
        } else {
            s.client.authMethod = ClientAuthMethod::None;
        }
        if (flow == OAuthFlowKind::Password) {
            s.username = QStringLiteral("alice");
            s.password = "demo-password";
        }
        return s;
    }

    LoginResult run(const LoginSettings &s, BrowserLauncher *browser = nullptr, OAuthLogin *login = nullptr,
                    int timeoutMs = 20'000)
    {
        OAuthLogin own(&m_client, &m_discovery);
        OAuthLogin *l = login ? login : &own;
        QSignalSpy spy(l, &OAuthLogin::finished);
        l->start(s, browser);
        if (spy.isEmpty())
            spy.wait(timeoutMs);
        if (spy.isEmpty()) {
            LoginResult timedOut;
            timedOut.error = OAuthError{QStringLiteral("timeout"), QStringLiteral("no result"), {}, 0};
            return timedOut;
        }
        return spy.first().first().value<LoginResult>();
    }

    LoginResult browserLogin(LoginSettings s, UserAgentBrowser *browser)
    {
        OAuthLogin login(&m_client, &m_discovery);
        browser->login = &login;
        return run(s, browser, &login);
    }

    QJsonArray providerKeys()
    {
        QJsonArray keys;
        bool done = false;
        m_discovery.fetchJwks(QUrl(m_provider.issuer().toString() + QLatin1String("/jwks")), false,
                              [&](const QJsonArray &k, const QString &) { keys = k; done = true; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 10'000); }();
        return keys;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<LoginResult>();
        qRegisterMetaType<TokenResult>();
        QString error;
        if (!m_provider.start(&error))
            QFAIL(qPrintable(error));
    }

    void discovery()
    {
        ProviderMetadata metadata;
        QString error = QStringLiteral("pending");
        m_discovery.discover(m_provider.discoveryUrl(), [&](const ProviderMetadata &m, const QString &e) {
            metadata = m;
            error = e;
        });
        QTRY_VERIFY(error != QLatin1String("pending"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(metadata.issuer, m_provider.issuer().toString());
        QCOMPARE(metadata.tokenEndpoint.path(), QStringLiteral("/token"));
        QCOMPARE(metadata.deviceAuthorizationEndpoint.path(), QStringLiteral("/device/auth"));
        QVERIFY(metadata.revocationEndpoint.isValid() && metadata.introspectionEndpoint.isValid());
        QVERIFY(metadata.authorizationResponseIssParameterSupported);
        QVERIFY(metadata.idTokenSigningAlgValuesSupported.contains(QStringLiteral("ES256")));

        // A bare issuer works too; a document naming another issuer is refused.
        OidcDiscovery fresh(&m_network);
        error = QStringLiteral("pending");
        fresh.discover(m_provider.issuer(), [&](const ProviderMetadata &m, const QString &e) { metadata = m; error = e; });
        QTRY_VERIFY(error != QLatin1String("pending"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QString mismatch;
        QVERIFY(!ProviderMetadata::parse(metadata.raw, QStringLiteral("http://127.0.0.1:1"), &metadata, &mismatch));
        QVERIFY(mismatch.contains(QStringLiteral("expected http://127.0.0.1:1")));
    }

    void authorizationCodePkceOverLoopback()
    {
        LoopbackReceiver receiver;
        QString error;
        QVERIFY(receiver.listen(&error));
        LoginSettings s = settings(QStringLiteral("portolan-native"), OAuthFlowKind::AuthorizationCode,
                                   {QStringLiteral("openid"), QStringLiteral("email"), QStringLiteral("offline_access")});
        s.redirectUri = receiver.redirectUri();
        OAuthLogin login(&m_client, &m_discovery);
        UserAgentBrowser browser;
        browser.login = &login;
        browser.deliverOverLoopback = true;
        connect(&receiver, &LoopbackReceiver::redirectReceived, &login, &OAuthLogin::handleRedirect);
        browser.receiver = &receiver;
        const LoginResult result = run(s, &browser, &login);
        QVERIFY2(result.ok, qPrintable(result.error.text() + browser.outcome.error));
        const QUrlQuery sent(browser.openedUrl);
        QCOMPARE(sent.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(sent.queryItemValue(QStringLiteral("code_challenge")).size(), 43);
        QVERIFY(!sent.queryItemValue(QStringLiteral("nonce")).isEmpty());
        QVERIFY(sent.queryItemValue(QStringLiteral("state")).size() >= 43);
        QVERIFY(!result.tokens.accessToken.isEmpty());
        QVERIFY(!result.tokens.refreshToken.isEmpty());
        QCOMPARE(result.idTokenClaims.value(QStringLiteral("sub")).toString(), QStringLiteral("alice"));
        QCOMPARE(result.idTokenClaims.value(QStringLiteral("nonce")).toString(), sent.queryItemValue(QStringLiteral("nonce")));
        QVERIFY(browser.outcome.lastPage.contains("You can close this window"));
        QVERIFY(browser.finishedCalled);
        m_codeFlowIdToken = result.tokens.idToken;
        m_codeFlowNonce = sent.queryItemValue(QStringLiteral("nonce")).toUtf8();
    }

    void authorizationCodeConfidentialCustomScheme()
    {
        LoginSettings s = settings(QStringLiteral("portolan-confidential"), OAuthFlowKind::AuthorizationCode,
                                   {QStringLiteral("openid"), QStringLiteral("api:read")});
        s.redirectUri = QUrl(QStringLiteral("org.portolan.demo:/callback"));
        UserAgentBrowser browser;
        const LoginResult result = browserLogin(s, &browser);
        QVERIFY2(result.ok, qPrintable(result.error.text() + browser.outcome.error));
        QVERIFY(result.tokens.scopes.contains(QStringLiteral("api:read")));
    }

    void implicitIdTokenToken()
    {
        LoginSettings s = settings(QStringLiteral("portolan-implicit"), OAuthFlowKind::Implicit, {QStringLiteral("openid")});
        s.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:8765/callback"));
        UserAgentBrowser browser;
        const LoginResult result = browserLogin(s, &browser);
        QVERIFY2(result.ok, qPrintable(result.error.text() + browser.outcome.error));
        QVERIFY(browser.outcome.redirect.hasFragment());
        QVERIFY(!result.tokens.accessToken.isEmpty());
        QCOMPARE(result.tokens.tokenType.toLower(), QStringLiteral("bearer"));
        QCOMPARE(result.idTokenClaims.value(QStringLiteral("sub")).toString(), QStringLiteral("alice"));
        QCOMPARE(QUrlQuery(browser.openedUrl).queryItemValue(QStringLiteral("response_type")), QStringLiteral("id_token token"));

        // OIDC Core §3.2.2.9: the provider's at_hash binds the access token, and the login checked it.
        QVERIFY(result.idTokenClaims.contains(QStringLiteral("at_hash")));
        IdTokenExpectations expected;
        expected.issuer = m_provider.issuer().toString();
        expected.clientId = QStringLiteral("portolan-implicit");
        expected.accessToken = result.tokens.accessToken + "x";  // a token swapped in on the way
        const IdTokenValidation swapped = validateIdToken(result.tokens.idToken, providerKeys(), expected);
        QVERIFY2(!swapped.valid && swapped.error.contains(QLatin1String("at_hash")), qPrintable(swapped.error));
    }

    void redirectChecks_data()
    {
        QTest::addColumn<QString>("mutation");
        QTest::addColumn<QString>("expectedError");
        QTest::newRow("wrong state") << "state" << "state_mismatch";
        QTest::newRow("wrong iss") << "iss" << "issuer_mismatch";
        QTest::newRow("missing iss") << "no-iss" << "issuer_missing";
        QTest::newRow("other redirect URI") << "port" << "cancelled";
    }

    void redirectChecks()
    {
        QFETCH(QString, mutation);
        QFETCH(QString, expectedError);
        LoginSettings s = settings(QStringLiteral("portolan-native"), OAuthFlowKind::AuthorizationCode, {QStringLiteral("openid")});
        s.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:8765/callback"));
        OAuthLogin login(&m_client, &m_discovery);
        UserAgentBrowser browser;
        browser.login = &login;
        bool consumed = true;
        browser.tamper = [&](const QUrl &url) {
            if (mutation == QLatin1String("state"))
                return withQueryItem(url, QStringLiteral("state"), QStringLiteral("forged"));
            if (mutation == QLatin1String("iss"))
                return withQueryItem(url, QStringLiteral("iss"), QStringLiteral("http://127.0.0.1:1"));
            if (mutation == QLatin1String("no-iss"))
                return withQueryItem(url, QStringLiteral("iss"), {}, true);
            QUrl other = url;
            other.setPort(8766);
            // A URL that is not the redirect URI is not consumed: the login keeps waiting.
            consumed = login.handleRedirect(other);
            login.cancel();
            return url;
        };
        const LoginResult result = run(s, &browser, &login);
        QVERIFY(!result.ok);
        QCOMPARE(result.error.error, expectedError);
        if (mutation == QLatin1String("port"))
            QVERIFY(!consumed);
    }

    void authorizationErrorResponse()
    {
        // prompt=none without a session: the provider answers login_required on the redirect.
        LoginSettings s = settings(QStringLiteral("portolan-native"), OAuthFlowKind::AuthorizationCode, {QStringLiteral("openid")});
        s.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:8765/callback"));
        s.authorizationParameters.append({QStringLiteral("prompt"), QStringLiteral("none")});
        UserAgentBrowser browser;
        const LoginResult result = browserLogin(s, &browser);
        QVERIFY(!result.ok);
        QCOMPARE(result.error.error, QStringLiteral("login_required"));
        QVERIFY(!result.error.description.isEmpty());
        QVERIFY(result.error.text().contains(QStringLiteral("login_required: ")));
    }

    void passwordGrant()
    {
        const LoginResult result = run(settings(QStringLiteral("portolan-confidential"), OAuthFlowKind::Password,
                                                {QStringLiteral("openid"), QStringLiteral("email")}));
        QVERIFY2(result.ok, qPrintable(result.error.text()));
        QCOMPARE(result.idTokenClaims.value(QStringLiteral("sub")).toString(), QStringLiteral("alice"));
        QVERIFY(result.settings.password.isEmpty());  // not kept after the grant
    }

    void passwordGrantRejected()
    {
        LoginSettings s = settings(QStringLiteral("portolan-confidential"), OAuthFlowKind::Password, {QStringLiteral("openid")});
        s.password = "wrong-password-value";
        const LoginResult result = run(s);
        QVERIFY(!result.ok);
        QCOMPARE(result.error.error, QStringLiteral("invalid_grant"));
        QCOMPARE(result.error.httpStatus, 400);
        QVERIFY(!result.error.text().contains(QStringLiteral("wrong-password-value")));
    }

    void idTokenAlgorithms_data()
    {
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QString>("alg");
        QTest::newRow("RS256") << "portolan-confidential" << "RS256";
        QTest::newRow("PS256") << "portolan-password-ps256" << "PS256";
        QTest::newRow("ES256") << "portolan-password-es256" << "ES256";
        QTest::newRow("EdDSA") << "portolan-password-eddsa" << "EdDSA";
    }

    void idTokenAlgorithms()
    {
        QFETCH(QString, clientId);
        QFETCH(QString, alg);
        const LoginResult result = run(settings(clientId, OAuthFlowKind::Password, {QStringLiteral("openid")}));
        QVERIFY2(result.ok, qPrintable(result.error.text()));
        QCOMPARE(DecodedJwt::decode(result.tokens.idToken).algorithm(), alg);
        QCOMPARE(result.idTokenClaims.value(QStringLiteral("aud")).toString(), clientId);
        const JwtInspection inspection = inspectJwt(result.tokens.idToken, providerKeys());
        QVERIFY2(inspection.signatureStatus.startsWith(QStringLiteral("valid")), qPrintable(inspection.signatureStatus));
    }

    void idTokenRejections()
    {
        QVERIFY2(!m_codeFlowIdToken.isEmpty(), "needs authorizationCodePkceOverLoopback");
        const QJsonArray keys = providerKeys();
        IdTokenExpectations expected;
        expected.issuer = m_provider.issuer().toString();
        expected.clientId = QStringLiteral("portolan-native");
        expected.nonce = m_codeFlowNonce;
        QVERIFY2(validateIdToken(m_codeFlowIdToken, keys, expected).valid,
                 qPrintable(validateIdToken(m_codeFlowIdToken, keys, expected).error));

        // Tampered: same header and signature, different subject.
        const QList<QByteArray> parts = m_codeFlowIdToken.split('.');
        QJsonObject claims = DecodedJwt::decode(m_codeFlowIdToken).payload;
        claims.insert(QStringLiteral("sub"), QStringLiteral("mallory"));
        const QByteArray tampered = parts[0] + '.' + base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.' + parts[2];
        IdTokenValidation v = validateIdToken(tampered, keys, expected);
        QVERIFY(!v.valid);
        QVERIFY2(v.error.contains(QStringLiteral("signature")), qPrintable(v.error));

        IdTokenExpectations later = expected;
        later.now = QDateTime::currentDateTimeUtc().addSecs(2 * 3600);
        v = validateIdToken(m_codeFlowIdToken, keys, later);
        QVERIFY(!v.valid);
        QVERIFY2(v.error.contains(QStringLiteral("expired")), qPrintable(v.error));

        IdTokenExpectations otherClient = expected;
        otherClient.clientId = QStringLiteral("someone-else");
        v = validateIdToken(m_codeFlowIdToken, keys, otherClient);
        QVERIFY(!v.valid);
        QVERIFY2(v.error.contains(QStringLiteral("aud")), qPrintable(v.error));

        IdTokenExpectations otherNonce = expected;
        otherNonce.nonce = "another-nonce";
        v = validateIdToken(m_codeFlowIdToken, keys, otherNonce);
        QVERIFY(!v.valid);
        QVERIFY2(v.error.contains(QStringLiteral("nonce")), qPrintable(v.error));

        IdTokenExpectations otherIssuer = expected;
        otherIssuer.issuer = QStringLiteral("http://127.0.0.1:1");
        QVERIFY(!validateIdToken(m_codeFlowIdToken, keys, otherIssuer).valid);

        // alg none is never accepted, whatever the claims say.
        QJsonObject none{{QStringLiteral("alg"), QStringLiteral("none")}};
        const QByteArray unsigned_ = base64UrlEncode(QJsonDocument(none).toJson(QJsonDocument::Compact)) + '.' + parts[1] + '.';
        v = validateIdToken(unsigned_, keys, expected);
        QVERIFY(!v.valid);
        QVERIFY2(v.error.contains(QStringLiteral("not accepted")), qPrintable(v.error));
    }

    void clientCredentials_data()
    {
        QTest::addColumn<QString>("clientId");
        QTest::newRow("client_secret_basic") << "portolan-confidential";
        QTest::newRow("client_secret_post") << "portolan-post";
        QTest::newRow("private_key_jwt") << "portolan-jwt";
    }

    void clientCredentials()
    {
        QFETCH(QString, clientId);
        const LoginResult result = run(settings(clientId, OAuthFlowKind::ClientCredentials, {QStringLiteral("api:read")}));
        QVERIFY2(result.ok, qPrintable(result.error.text()));
        QCOMPARE(result.tokens.scopes, QStringList{QStringLiteral("api:read")});
        QVERIFY(result.tokens.expiresAt > QDateTime::currentDateTimeUtc());
        // The provider says the token is active and belongs to this client.
        ClientConfig introspector = settings(QStringLiteral("portolan-confidential"), OAuthFlowKind::Password, {}).client;
        QJsonObject response;
        bool done = false;
        m_client.introspect(result.settings.introspectionUrl, introspector, result.tokens.accessToken, QStringLiteral("access_token"),
                            [&](const QJsonObject &r, const OAuthError &) { response = r; done = true; });
        QTRY_VERIFY(done);
        QVERIFY(response.value(QStringLiteral("active")).toBool());
        QCOMPARE(response.value(QStringLiteral("client_id")).toString(), clientId);
    }

    void tlsClientAuth()
    {
        QTemporaryDir certificateDir;
        test::TestCertificates certificates;
        QString error;
        test::OidcProvider provider;
        QVERIFY2(provider.startWithMtls(certificateDir.path(), &certificates, &error), qPrintable(error));
        QVERIFY(provider.mtlsUrl().isValid());
        auto read = [](const QString &path) {
            QFile file(path);
            file.open(QIODevice::ReadOnly);
            return file.readAll();
        };
        LoginSettings s;
        s.flow = OAuthFlowKind::ClientCredentials;
        s.tokenUrl = QUrl(provider.mtlsUrl().toString() + QLatin1String("/token"));
        s.scopes = {QStringLiteral("api:read")};
        s.client.clientId = QStringLiteral("portolan-mtls");
        s.client.authMethod = ClientAuthMethod::TlsClientAuth;
        s.client.clientCertificatePem = read(certificates.clientCertificate);
        s.client.clientKeyPem = read(certificates.clientKey);
        s.client.caCertificatesPem = read(certificates.caCertificate);
        const LoginResult result = run(s);
        QVERIFY2(result.ok, qPrintable(result.error.text()));
        QCOMPARE(result.tokens.scopes, QStringList{QStringLiteral("api:read")});

        // A certificate from the same CA but for another subject is refused.
        s.client.clientCertificatePem = read(certificates.serverCertificate);
        s.client.clientKeyPem = read(certificates.serverKey);
        const LoginResult refused = run(s);
        QVERIFY(!refused.ok);
        QCOMPARE(refused.error.error, QStringLiteral("invalid_client"));
    }

    void clientAuthenticationFailure()
    {
        LoginSettings s = settings(QStringLiteral("portolan-confidential"), OAuthFlowKind::ClientCredentials, {});
        s.client.clientSecret = "not-the-secret-1234";
        const LoginResult result = run(s);
        QVERIFY(!result.ok);
        QCOMPARE(result.error.error, QStringLiteral("invalid_client"));
        QCOMPARE(result.error.httpStatus, 401);
        QVERIFY(!result.error.text().contains(QStringLiteral("not-the-secret-1234")));
    }

    void deviceFlow()
    {
        LoginSettings s = settings(QStringLiteral("portolan-device"), OAuthFlowKind::DeviceAuthorization,
                                   {QStringLiteral("openid"), QStringLiteral("offline_access")});
        OAuthLogin login(&m_client, &m_discovery);
        test::TestUserAgent agent;
        test::TestUserAgent::Outcome approval;
        QString shownCode;
        connect(&login, &OAuthLogin::deviceCodeReady, this,
                [&](const QString &userCode, const QUrl &uri, const QUrl &complete, int expiresIn) {
                    shownCode = userCode;
                    QVERIFY(uri.isValid() && expiresIn > 0);
                    // The person opens the verification page and approves.
                    QTimer::singleShot(0, this, [&, complete, userCode] { approval = agent.browse(complete, {}, userCode); });
                });
        const LoginResult result = run(s, nullptr, &login, 60'000);
        QVERIFY2(approval.ok, qPrintable(approval.error));
        QVERIFY2(approval.lastPage.contains("Sign-in Success"), approval.lastPage.constData());
        QVERIFY(!shownCode.isEmpty());
        QVERIFY2(result.ok, qPrintable(result.error.text()));
        QVERIFY(!result.tokens.refreshToken.isEmpty());
        QCOMPARE(result.idTokenClaims.value(QStringLiteral("sub")).toString(), QStringLiteral("alice"));
    }

    void deviceFlowDenied()
    {
        // Nobody approves; the flow keeps polling (authorization_pending) until cancelled.
        LoginSettings s = settings(QStringLiteral("portolan-device"), OAuthFlowKind::DeviceAuthorization, {QStringLiteral("openid")});
        OAuthLogin login(&m_client, &m_discovery);
        QSignalSpy codes(&login, &OAuthLogin::deviceCodeReady);
        QSignalSpy finished(&login, &OAuthLogin::finished);
        login.start(s);
        QVERIFY(codes.wait(10'000));
        QTest::qWait(6'000);  // one poll at the provider's 5 s interval
        QVERIFY(finished.isEmpty());
        login.cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().value<LoginResult>().error.error, QStringLiteral("cancelled"));
    }

    void deviceFlowExpires()
    {
        // This client's user codes live 3 s, less than the 5 s polling interval.
        LoginSettings s = settings(QStringLiteral("portolan-device-expiring"), OAuthFlowKind::DeviceAuthorization,
                                   {QStringLiteral("openid")});
        OAuthLogin login(&m_client, &m_discovery);
        int expiresIn = 0;
        connect(&login, &OAuthLogin::deviceCodeReady, this,
                [&](const QString &, const QUrl &, const QUrl &, int seconds) { expiresIn = seconds; });
        const LoginResult result = run(s, nullptr, &login, 30'000);
        QCOMPARE(expiresIn, 3);
        QVERIFY(!result.ok);
        QCOMPARE(result.error.error, QStringLiteral("expired_token"));
    }

    void storedCredentialLifecycle()
    {
        // Store a password-grant login, then introspect, refresh, auto-refresh, revoke.
        QTemporaryDir dir;
        CredentialStore store(dir.filePath(QStringLiteral("credentials.json")));
        TokenManager tokens(&store, &m_client);
        tokens.setDiscovery(&m_discovery);
        const LoginResult result = run(settings(QStringLiteral("portolan-confidential"), OAuthFlowKind::Password,
                                                {QStringLiteral("openid"), QStringLiteral("offline_access")}));
        QVERIFY2(result.ok, qPrintable(result.error.text()));
        CredentialInfo info;
        Secrets secrets;
        credentialFromLogin(result, &info, &secrets);
        info.api = QStringLiteral("test-api");
        info.scheme = QStringLiteral("oidc");
        QString id;
        store.save(info, secrets, [&](const StoreResult &, const CredentialInfo &saved) { id = saved.id; });
        QTRY_VERIFY(!id.isEmpty());
        QVERIFY(store.info(id).hasRefreshToken);

        QJsonObject response;
        QString error = QStringLiteral("pending");
        tokens.introspect(id, {}, [&](const QJsonObject &r, const QString &e) { response = r; error = e; });
        QTRY_VERIFY(error != QLatin1String("pending"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(response.value(QStringLiteral("active")).toBool());
        QCOMPARE(response.value(QStringLiteral("sub")).toString(), QStringLiteral("alice"));

        bool ok = false;
        error = QStringLiteral("pending");
        tokens.refresh(id, [&](bool o, const QString &e) { ok = o; error = e; });
        QTRY_VERIFY(error != QLatin1String("pending"));
        QVERIFY2(ok, qPrintable(error));
        Secrets after;
        store.readSecrets(id, [&](const SecretsResult &r) { after = r.secrets; });
        QTRY_VERIFY(!after.isEmpty());
        QVERIFY(after.value(QLatin1String(secret::AccessToken)) != secrets.value(QLatin1String(secret::AccessToken)));

        // An access token about to expire is refreshed before it is handed out.
        CredentialInfo expiring = store.info(id);
        expiring.expiresAt = QDateTime::currentDateTimeUtc().addSecs(10);
        QVERIFY(store.updateInfo(expiring, &error));
        QSignalSpy refreshed(&tokens, &TokenManager::refreshed);
        Secrets current;
        tokens.currentSecrets(id, [&](const SecretsResult &r) { current = r.secrets; });
        QTRY_VERIFY(!current.isEmpty());
        QCOMPARE(refreshed.size(), 1);
        QVERIFY(current.value(QLatin1String(secret::AccessToken)) != after.value(QLatin1String(secret::AccessToken)));
        QVERIFY(store.info(id).expiresAt > QDateTime::currentDateTimeUtc().addSecs(3000));

        // Revocation (RFC 7009): the provider then reports the old token inactive.
        const QByteArray revokedToken = current.value(QLatin1String(secret::AccessToken));
        error = QStringLiteral("pending");
        tokens.revoke(id, [&](bool o, const QString &e) { ok = o; error = e; });
        QTRY_VERIFY(error != QLatin1String("pending"));
        QVERIFY2(ok, qPrintable(error));
        QVERIFY(!store.info(id).hasRefreshToken);
        bool done = false;
        m_client.introspect(QUrl(store.info(id).introspectionUrl), result.settings.client, revokedToken, {},
                            [&](const QJsonObject &r, const OAuthError &) { response = r; done = true; });
        QTRY_VERIFY(done);
        QCOMPARE(response.value(QStringLiteral("active")).toBool(true), false);
    }

    void dpopBoundTokens()
    {
        LoginSettings s = settings(QStringLiteral("portolan-native"), OAuthFlowKind::AuthorizationCode,
                                   {QStringLiteral("openid"), QStringLiteral("email"), QStringLiteral("offline_access")});
        s.redirectUri = QUrl(QStringLiteral("org.portolan.demo:/callback"));
        s.useDpop = true;
        UserAgentBrowser browser;
        const LoginResult result = browserLogin(s, &browser);
        QVERIFY2(result.ok, qPrintable(result.error.text()));
        QCOMPARE(result.tokens.tokenType, QStringLiteral("DPoP"));
        QVERIFY(!result.dpopKey.isNull());

        QTemporaryDir dir;
        CredentialStore store(dir.filePath(QStringLiteral("credentials.json")));
        TokenManager tokens(&store, &m_client);
        tokens.setDiscovery(&m_discovery);  // refreshed ID tokens are validated too
        CredentialInfo info;
        Secrets secrets;
        credentialFromLogin(result, &info, &secrets);
        info.api = QStringLiteral("dpop-api");
        info.scheme = QStringLiteral("oidc");
        QString id;
        store.save(info, secrets, [&](const StoreResult &, const CredentialInfo &saved) { id = saved.id; });
        QTRY_VERIFY(!id.isEmpty());
        QVERIFY(store.info(id).dpop);

        // userinfo with a DPoP proof (the provider demands server nonces).
        QJsonObject claims;
        QString error = QStringLiteral("pending");
        tokens.userinfo(id, [&](const QJsonObject &c, const QString &e) { claims = c; error = e; });
        QTRY_VERIFY_WITH_TIMEOUT(error != QLatin1String("pending"), 10'000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(claims.value(QStringLiteral("email")).toString(), QStringLiteral("alice@example.test"));

        // The same token as a plain bearer token is refused: it is bound to the key.
        QNetworkRequest request(QUrl(info.userinfoUrl));
        request.setRawHeader("Authorization", "Bearer " + result.tokens.accessToken);
        QNetworkReply *reply = m_network.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10'000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
        reply->deleteLater();

        // Through the RequestSigner, as the HTTP engine sends it: a signer with a
        // fresh nonce cache meets the resource server's use_dpop_nonce first.
        {
            ApiDocument document;
            document.info.title = QStringLiteral("DPoP API");
            SecurityScheme oidc;
            oidc.name = QStringLiteral("oidc");
            oidc.type = SecuritySchemeType::OpenIdConnect;
            document.securitySchemes.append(oidc);
            CredentialInfo filed = store.info(id);
            filed.api = apiIdentity(document);
            QVERIFY(store.updateInfo(filed, &error));
            TokenClient freshClient(&m_network);
            TokenManager freshTokens(&store, &freshClient);
            RequestSigner signer(&store, &freshTokens);
            const SecurityAlternative alternative{SchemeUse{QStringLiteral("oidc"), {}}};
            const QUrl resource(info.userinfoUrl);
            auto send = [&](int *status, QByteArray *challenge, QByteArray *nonce, QByteArray *body) {
                SignResult signature;
                bool signedDone = false;
                signer.sign(document, alternative, QStringLiteral("GET"), resource, [&](const SignResult &r) {
                    signature = r;
                    signedDone = true;
                });
                QTRY_VERIFY(signedDone);
                QVERIFY2(signature.ok, qPrintable(signature.error));
                QNetworkRequest request(resource);
                signature.auth.applyTo(&request);
                QVERIFY(request.rawHeader("Authorization").startsWith("DPoP "));
                QVERIFY(!request.rawHeader("DPoP").isEmpty());
                QNetworkReply *reply = m_network.get(request);
                QSignalSpy finished(reply, &QNetworkReply::finished);
                QVERIFY(finished.wait(10'000));
                *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                *challenge = reply->rawHeader("WWW-Authenticate");
                *nonce = reply->rawHeader("DPoP-Nonce");
                *body = reply->readAll();
                reply->deleteLater();
            };
            int status = 0;
            QByteArray challenge, nonce, body;
            send(&status, &challenge, &nonce, &body);
            QCOMPARE(status, 401);
            QVERIFY2(challenge.contains("use_dpop_nonce"), challenge.constData());
            bool retry = false;
            error = QStringLiteral("pending");
            signer.refreshAfterUnauthorized(id, resource, challenge, nonce, [&](bool r, const QString &e) { retry = r; error = e; });
            QTRY_VERIFY(error != QLatin1String("pending"));
            QVERIFY2(retry, qPrintable(error));
            send(&status, &challenge, &nonce, &body);
            QCOMPARE(status, 200);
            QVERIFY(body.contains("alice@example.test"));
        }

        // A refresh keeps the binding: the new token is DPoP again. (One second
        // later, so the new ID token's iat, and so the token, differs.)
        QTest::qWait(1100);
        bool ok = false;
        error = QStringLiteral("pending");
        tokens.refresh(id, [&](bool o, const QString &e) { ok = o; error = e; });
        QTRY_VERIFY(error != QLatin1String("pending"));
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(store.info(id).tokenType, QStringLiteral("DPoP"));
        Secrets refreshed;
        store.readSecrets(id, [&](const SecretsResult &r) { refreshed = r.secrets; });
        QTRY_VERIFY(!refreshed.isEmpty());
        QVERIFY(refreshed.value(QLatin1String(secret::IdToken)) != secrets.value(QLatin1String(secret::IdToken)));
    }

    void signerRefreshesOnInvalidToken()
    {
        // An OpenAPI document with an openIdConnect scheme; the resource is userinfo.
        ApiDocument document;
        document.info.title = QStringLiteral("Signer test");
        SecurityScheme scheme;
        scheme.name = QStringLiteral("oidc");
        scheme.type = SecuritySchemeType::OpenIdConnect;
        scheme.openIdConnectUrl = m_provider.discoveryUrl().toString();
        document.securitySchemes.append(scheme);
        const SecurityAlternative alternative{SchemeUse{QStringLiteral("oidc"), {QStringLiteral("openid")}}};

        QTemporaryDir dir;
        CredentialStore store(dir.filePath(QStringLiteral("credentials.json")));
        TokenManager tokens(&store, &m_client);
        RequestSigner signer(&store, &tokens);
        QCOMPARE(signer.evaluate(document, {alternative}).first().satisfied(), false);

        LoginSettings s;
        QString error;
        QVERIFY(settingsFromScheme(scheme, OAuthFlowKind::Password, QUrl(), &s, &error));
        s.client = settings(QStringLiteral("portolan-confidential"), OAuthFlowKind::Password, {}).client;
        s.username = QStringLiteral("alice");
        s.password = "demo-password";
        s.scopes << QStringLiteral("email");
        const LoginResult result = run(s);
        QVERIFY2(result.ok, qPrintable(result.error.text()));
        CredentialInfo info;
        Secrets secrets;
        credentialFromLogin(result, &info, &secrets);
        info.api = apiIdentity(document);
        info.scheme = QStringLiteral("oidc");
        QString id;
        store.save(info, secrets, [&](const StoreResult &, const CredentialInfo &saved) { id = saved.id; });
        QTRY_VERIFY(!id.isEmpty());
        const QList<AlternativeStatus> statuses = signer.evaluate(document, {alternative});
        QVERIFY2(statuses.first().satisfied(), qPrintable(statuses.first().schemes.first().problem));
        QCOMPARE(statuses.first().schemes.first().credentialId, id);

        // The stored access token goes bad (expired or revoked server-side; the
        // provider would revoke the whole grant, so the test corrupts it instead).
        Secrets stale = secrets;
        stale.insert(QLatin1String(secret::AccessToken), secrets.value(QLatin1String(secret::AccessToken)) + "x");
        CredentialInfo current = store.info(id);
        bool resaved = false;
        store.save(current, stale, [&](const StoreResult &, const CredentialInfo &) { resaved = true; });
        QTRY_VERIFY(resaved);

        const QUrl resource(info.userinfoUrl);
        auto send = [&]() {
            SignResult signature;
            bool signedDone = false;
            signer.sign(document, alternative, QStringLiteral("GET"), resource, [&](const SignResult &r) {
                signature = r;
                signedDone = true;
            });
            [&] { QTRY_VERIFY(signedDone); }();
            [&] { QVERIFY2(signature.ok, qPrintable(signature.error)); }();
            QNetworkRequest request(resource);
            signature.auth.applyTo(&request);
            QNetworkReply *reply = m_network.get(request);
            QSignalSpy finished(reply, &QNetworkReply::finished);
            finished.wait(10'000);
            reply->deleteLater();
            return reply;
        };
        QNetworkReply *first = send();
        QCOMPARE(first->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
        const QByteArray challenge = first->rawHeader("WWW-Authenticate");
        QVERIFY2(challenge.contains("invalid_token"), challenge.constData());
        bool retry = false;
        error = QStringLiteral("pending");
        signer.refreshAfterUnauthorized(id, challenge, {}, [&](bool r, const QString &e) { retry = r; error = e; });
        QTRY_VERIFY(error != QLatin1String("pending"));
        QVERIFY2(retry, qPrintable(error));
        QNetworkReply *second = send();
        QCOMPARE(second->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(second->readAll().contains("alice@example.test"));
    }
};

QTEST_GUILESS_MAIN(TestOAuthFlows)
#include "tst_oauthflows.moc"
