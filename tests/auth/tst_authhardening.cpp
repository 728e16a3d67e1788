// Where an authorization server, a document or a callback could steer a login
// somewhere it should not go: redirects from back-channel endpoints, plain
// http to other hosts, non-http URLs handed to a browser, implicit tokens
// outside the fragment, and secret token parameters headed for a file.
#include "authorizationrequest.h"
#include "credential.h"
#include "oauthlogin.h"
#include "oidc.h"
#include "rpconformanceprovider.h"
#include "tokenclient.h"
#include "urlpolicy.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace portolan;
using namespace portolan::auth;

class AuthHardeningTest final : public QObject {
    Q_OBJECT

private:
    test::RpConformanceProvider m_provider;
    QNetworkAccessManager m_network;
    TokenClient m_client{&m_network};

    QString trap() const { return m_provider.endpoint(QStringLiteral("redirects"), QStringLiteral("/trap")).toString(); }
    QUrl redirecting(const char *path) const
    {
        return m_provider.endpoint(QStringLiteral("redirects"), QLatin1String(path));
    }
    ClientConfig client() const
    {
        ClientConfig c;
        c.clientId = QStringLiteral("rp-client");
        c.clientSecret = "rp-secret";
        return c;
    }

    LoginResult run(const LoginSettings &s)
    {
        OidcDiscovery discovery(&m_network);
        OAuthLogin login(&m_client, &discovery);
        QSignalSpy spy(&login, &OAuthLogin::finished);
        login.start(s);
        if (spy.isEmpty() && !spy.wait(15'000))
            return {};
        return spy.first().first().value<LoginResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_provider.start(&error), qPrintable(error));
    }

    // Finding 3: a 307 from /token delivered the client secret and the password elsewhere.
    void backChannelRedirectsAreErrors()
    {
        QStringList errors;
        int pending = 0;
        auto collect = [&](const QString &error) {
            errors.append(error);
            --pending;
        };
        ++pending;
        m_client.requestToken(redirecting("/token"), client(),
                              {{QStringLiteral("grant_type"), QStringLiteral("password")},
                               {QStringLiteral("username"), QStringLiteral("alice")},
                               {QStringLiteral("password"), QStringLiteral("hunter2-password")}},
                              {}, [&](const TokenResult &r) { collect(r.error.text()); });
        ++pending;
        m_client.revoke(redirecting("/revoke"), client(), "a-refresh-token", QStringLiteral("refresh_token"),
                        [&](const OAuthError &e) { collect(e.text()); });
        ++pending;
        m_client.introspect(redirecting("/introspect"), client(), "an-access-token", {},
                            [&](const QJsonObject &, const OAuthError &e) { collect(e.text()); });
        ++pending;
        m_client.userinfo(redirecting("/userinfo"), "an-access-token", QStringLiteral("Bearer"), {},
                          [&](const QJsonObject &, const OAuthError &e) { collect(e.text()); });
        OidcDiscovery discovery(&m_network);
        ++pending;
        discovery.discover(redirecting("/.well-known/openid-configuration"),
                           [&](const ProviderMetadata &, const QString &e) { collect(e); });
        ++pending;
        discovery.fetchJwks(redirecting("/jwks"), false, [&](const QJsonArray &, const QString &e) { collect(e); });
        QTRY_COMPARE_WITH_TIMEOUT(pending, 0, 15'000);
        QCOMPARE(errors.size(), 6);
        for (const QString &error : std::as_const(errors)) {
            QVERIFY2(error.contains(QLatin1String("redirecting to ") + trap()), qPrintable(error));
            QVERIFY2(!error.contains(QLatin1String("hunter2")), qPrintable(error));
        }
        QCOMPARE(m_provider.stats(QStringLiteral("redirects")).value(QLatin1String("trap")).toInt(), 0);
    }

    // Finding 9.
    void plainHttpOnlyToLoopbackOrAllowedHosts_data()
    {
        QTest::addColumn<QString>("tokenUrl");
        QTest::addColumn<QString>("discoveryUrl");
        QTest::addColumn<QStringList>("allowed");
        QTest::addColumn<bool>("refused");
        const QString remote = QStringLiteral("http://as.example.invalid/token");
        QTest::newRow("http to another host") << remote << QString() << QStringList() << true;
        QTest::newRow("allowed by the user") << remote << QString() << QStringList{QStringLiteral("AS.example.invalid")} << false;
        QTest::newRow("allowed for another host") << remote << QString() << QStringList{QStringLiteral("other.invalid")} << true;
        QTest::newRow("https") << "https://as.example.invalid/token" << QString() << QStringList() << false;
        QTest::newRow("loopback") << "http://127.0.0.1:9/token" << QString() << QStringList() << false;
        QTest::newRow("localhost") << "http://localhost:9/token" << QString() << QStringList() << false;
        QTest::newRow("discovery over http") << QString() << "http://idp.example.invalid/.well-known/openid-configuration"
                                             << QStringList() << true;
    }

    void plainHttpOnlyToLoopbackOrAllowedHosts()
    {
        QFETCH(QString, tokenUrl);
        QFETCH(QString, discoveryUrl);
        QFETCH(QStringList, allowed);
        QFETCH(bool, refused);
        LoginSettings s;
        s.flow = OAuthFlowKind::ClientCredentials;
        s.client = client();
        s.tokenUrl = QUrl(tokenUrl);
        s.discoveryUrl = QUrl(discoveryUrl);
        s.allowedHttpHosts = allowed;
        const LoginResult result = run(s);
        QVERIFY(!result.ok);  // nothing answers there; the question is why it failed
        QCOMPARE(result.error.error == QLatin1String("insecure_endpoint"), refused);
        if (refused)
            QVERIFY2(result.error.description.contains(QLatin1String("example.invalid")), qPrintable(result.error.description));
    }

    // Finding 13.
    void onlyHttpUrlsAreOpened_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("opened");
        QTest::newRow("https") << "https://as.example/device?user_code=ABCD" << true;
        QTest::newRow("http") << "http://127.0.0.1:8080/authorize" << true;
        QTest::newRow("file") << "file:///etc/passwd" << false;
        QTest::newRow("javascript") << "javascript:alert(1)" << false;
        QTest::newRow("data") << "data:text/html,<script>x</script>" << false;
        QTest::newRow("custom scheme") << "ms-settings:network" << false;
        QTest::newRow("smb") << "smb://server/share" << false;
        QTest::newRow("no host") << "https:///path" << false;
    }

    void onlyHttpUrlsAreOpened()
    {
        QFETCH(QString, url);
        QFETCH(bool, opened);
        QList<QUrl> launched;
        QString error;
        const bool ok = openInBrowser(QUrl(url), [&](const QUrl &u) { launched.append(u); return true; }, &error);
        QCOMPARE(ok, opened);
        QCOMPARE(launched.size(), opened ? 1 : 0);
        QCOMPARE(error.isEmpty(), opened);
    }

    void authorizationUrlMustBeHttp()
    {
        LoginSettings s;
        s.flow = OAuthFlowKind::AuthorizationCode;
        s.client = client();
        s.authorizationUrl = QUrl(QStringLiteral("file:///tmp/login.html"));
        s.tokenUrl = QUrl(QStringLiteral("http://127.0.0.1:9/token"));
        s.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:9/callback"));
        struct NeverOpened : BrowserLauncher {
            int opened = 0;
            void openAuthorizationUrl(const QUrl &, const QUrl &) override { ++opened; }
        } browser;
        OidcDiscovery discovery(&m_network);
        OAuthLogin login(&m_client, &discovery);
        QSignalSpy spy(&login, &OAuthLogin::finished);
        login.start(s, &browser);
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.first().first().value<LoginResult>().error.error, QStringLiteral("invalid_authorization_url"));
        QCOMPARE(browser.opened, 0);
    }

    // Finding 10: implicit tokens only from the fragment.
    void implicitTokensOnlyFromTheFragment()
    {
        AuthorizationConfig config;
        config.authorizationUrl = QUrl(QStringLiteral("https://as.example/authorize"));
        config.clientId = QStringLiteral("c");
        config.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:5000/cb"));
        config.responseType = ResponseType::IdTokenToken;
        const AuthorizationRequest request(config);
        const QString answer = QStringLiteral("access_token=at&token_type=Bearer&id_token=x.y.z&state=")
            + QString::fromLatin1(request.state());
        const CallbackResult inQuery = request.consume(QUrl(QStringLiteral("http://127.0.0.1:5000/cb?") + answer));
        QVERIFY(!inQuery.ok);
        QCOMPARE(inQuery.error.error, QStringLiteral("invalid_response"));
        QVERIFY(inQuery.tokens.accessToken.isEmpty());
        const CallbackResult inFragment = request.consume(QUrl(QStringLiteral("http://127.0.0.1:5000/cb#") + answer));
        QVERIFY2(inFragment.ok, qPrintable(inFragment.error.text()));
        QCOMPARE(inFragment.tokens.accessToken, QByteArray("at"));
        // An error may still come in the query.
        const CallbackResult error = request.consume(QUrl(QStringLiteral("http://127.0.0.1:5000/cb?error=access_denied&state=")
                                                          + QString::fromLatin1(request.state())));
        QCOMPARE(error.error.error, QStringLiteral("access_denied"));
    }

    // Finding 12.
    void secretTokenParametersStayOutOfTheFile()
    {
        LoginResult result;
        result.ok = true;
        result.tokens.accessToken = "at";
        result.settings.flow = OAuthFlowKind::ClientCredentials;
        result.settings.tokenParameters = {{QStringLiteral("resource"), QStringLiteral("https://api.example")},
                                           {QStringLiteral("client_assertion"), QStringLiteral("signed.jwt.value")},
                                           {QStringLiteral("password"), QStringLiteral("hunter2")},
                                           {QStringLiteral("tenant_pin"), QStringLiteral("4711")}};
        result.settings.secretTokenParameters = {QStringLiteral("tenant_pin")};
        CredentialInfo info;
        Secrets secrets;
        credentialFromLogin(result, &info, &secrets);
        const QByteArray file = QJsonDocument(info.toJson()).toJson();
        QVERIFY(file.contains("https://api.example"));
        for (const char *value : {"signed.jwt.value", "hunter2", "4711"})
            QVERIFY2(!file.contains(value), value);
        QCOMPARE(secrets.value(QStringLiteral("token_parameter:tenant_pin")), QByteArray("4711"));
        QCOMPARE(secrets.value(QStringLiteral("token_parameter:client_assertion")), QByteArray("signed.jwt.value"));
        QCOMPARE(secrets.value(QStringLiteral("token_parameter:password")), QByteArray("hunter2"));

        // A file written before this rule: secret-named entries are not written back.
        CredentialInfo old;
        old.id = QStringLiteral("x");
        old.tokenParameters.insert(QStringLiteral("client_secret"), QStringLiteral("s3cr3t"));
        old.tokenParameters.insert(QStringLiteral("audience"), QStringLiteral("api"));
        const QJsonObject written = old.toJson().value(QLatin1String("tokenParameters")).toObject();
        QVERIFY(!written.contains(QLatin1String("client_secret")));
        QCOMPARE(written.value(QLatin1String("audience")).toString(), QStringLiteral("api"));
    }
};

QTEST_MAIN(AuthHardeningTest)
#include "tst_authhardening.moc"
