// Real-world providers in the engine: the preset data file, token endpoint
// answers as providers really send them (against the loopback stand-ins of
// tests/services/providers), loopback redirect URIs as registered, the nonce
// whenever openid is asked for, and the login trace with secrets redacted.
#include "loopbackreceiver.h"
#include "oauthlogin.h"
#include "providerpresets.h"
#include "providerstandins.h"
#include "tokenclient.h"

#include <harexport.h>
#include <networkrecorder.h>
#include <schemeoverrides.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

using namespace portolan;
using namespace portolan::auth;

namespace {

// A raw HTTP GET to a loopback receiver: the status code, or 0 when nobody answered.
int getStatus(const QUrl &url)
{
    QTcpSocket socket;
    const QString host = url.host() == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : url.host();
    socket.connectToHost(host, quint16(url.port()));
    if (!socket.waitForConnected(3000))
        return 0;
    socket.write("GET " + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray response;
    QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired() && !response.contains("\r\n") && socket.state() != QAbstractSocket::UnconnectedState) {
        QCoreApplication::processEvents();
        socket.waitForReadyRead(50);
        response += socket.readAll();
    }
    const QList<QByteArray> statusLine = response.left(response.indexOf("\r\n")).split(' ');
    return statusLine.value(1).toInt();
}

// A port number nobody listens on right now, for redirect URIs "registered" with a
// fixed port: the feature under test is listening on a port chosen in advance.
quint16 unusedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

class CapturingBrowser : public BrowserLauncher {
public:
    QUrl opened;
    void openAuthorizationUrl(const QUrl &url, const QUrl &) override { opened = url; }
};

} // namespace

class TestProviders final : public QObject {
    Q_OBJECT

    test::ProviderStandIns m_standIns;
    QNetworkAccessManager m_network;

    TokenResult requestToken(const QUrl &url, const ClientConfig &client = {}, const Parameters &parameters = {
                                 {QStringLiteral("grant_type"), QStringLiteral("authorization_code")}, {QStringLiteral("code"), QStringLiteral("abcd")}})
    {
        TokenClient tokens(&m_network);
        TokenResult result;
        bool done = false;
        tokens.requestToken(url, client, parameters, {}, [&](const TokenResult &r) {
            result = r;
            done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 10'000); }();
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        if (!m_standIns.start(&error))
            QFAIL(qPrintable(error));
    }

    void presetsCoverTheWellKnownProviders()
    {
        const ProviderPresets &presets = ProviderPresets::builtIn();
        for (const char *id : {"github", "gitlab", "google", "microsoft-entra", "auth0", "okta", "keycloak", "slack", "spotify", "discord"}) {
            const ProviderPreset *preset = presets.find(QLatin1String(id));
            QVERIFY2(preset, id);
            QVERIFY2(preset->documentation.first().startsWith(QLatin1String("https://")), id);
            QHash<QString, QString> values;
            for (const ProviderPreset::Placeholder &placeholder : preset->placeholders)
                values.insert(placeholder.name, QStringLiteral("example"));
            SecurityScheme scheme;
            LoginDefaults defaults;
            QString error;
            QVERIFY2(preset->instantiate(QStringLiteral("p"), values, &scheme, &defaults, &error), qPrintable(error));
            QVERIFY(scheme.userDefined);
            QCOMPARE(scheme.type, SecuritySchemeType::OAuth2);
            for (const OAuthFlow &flow : scheme.flows) {
                QVERIFY2(!flow.tokenUrl.contains(QLatin1Char('{')), qPrintable(flow.tokenUrl));
                QVERIFY2(QUrl(flow.tokenUrl).scheme() == QLatin1String("https") || flow.tokenUrl.startsWith(QLatin1String("example")),
                         qPrintable(flow.tokenUrl));
            }
            QCOMPARE(defaults.preset, QLatin1String(id));
            QVERIFY(defaults.redirectRule == QLatin1String("anyLoopbackPort") || defaults.redirectRule == QLatin1String("exact"));
        }
        const ProviderPreset *github = presets.find(QStringLiteral("github"));
        SecurityScheme scheme;
        LoginDefaults defaults;
        QString error;
        QVERIFY(github->instantiate(QStringLiteral("gh"), {}, &scheme, &defaults, &error));
        QCOMPARE(scheme.flows.size(), 2);  // the web flow and the device flow
        QCOMPARE(defaults.clientAuthentication, QStringLiteral("client_secret_post"));
        QVERIFY(github->quirks.contains(QStringLiteral("formEncodedTokenResponse")));
    }

    void presetPlaceholdersAreAskedFor()
    {
        const ProviderPreset *auth0 = ProviderPresets::builtIn().find(QStringLiteral("auth0"));
        SecurityScheme scheme;
        LoginDefaults defaults;
        QString error;
        QVERIFY(!auth0->instantiate(QStringLiteral("a"), {}, &scheme, &defaults, &error));
        QVERIFY2(error.contains(QStringLiteral("{domain}")), qPrintable(error));
        QVERIFY(!auth0->instantiate(QStringLiteral("a"), {{QStringLiteral("tenant"), QStringLiteral("x")}}, &scheme, &defaults, &error));
        QVERIFY(auth0->instantiate(QStringLiteral("a"), {{QStringLiteral("domain"), QStringLiteral("acme.eu.auth0.com")}}, &scheme,
                                   &defaults, &error));
        QCOMPARE(scheme.flows.first().tokenUrl, QStringLiteral("https://acme.eu.auth0.com/oauth/token"));
        QCOMPARE(defaults.discoveryUrl, QUrl(QStringLiteral("https://acme.eu.auth0.com/.well-known/openid-configuration")));
        // Entra's tenant has a default.
        const ProviderPreset *entra = ProviderPresets::builtIn().find(QStringLiteral("microsoft-entra"));
        QVERIFY(entra->instantiate(QStringLiteral("m"), {}, &scheme, &defaults, &error));
        QCOMPARE(scheme.flows.first().authorizationUrl, QStringLiteral("https://login.microsoftonline.com/common/oauth2/v2.0/authorize"));
    }

    void presetFileErrorsNameThePreset()
    {
        ProviderPresets presets;
        QString error;
        QVERIFY(!ProviderPresets::parse("{\"presets\": [{\"id\": \"x\", \"name\": \"X\", \"documentation\": [\"https://x\"],"
                                        "\"clientAuthentication\": \"none\", \"redirectUri\": {\"rule\": \"exact\"},"
                                        "\"scheme\": {\"type\": \"oauth2\", \"flows\": {\"clientCredentials\": {\"tokenUrl\": \"https://{host}/t\"}}}}]}",
                                        &presets, &error));
        QVERIFY2(error.contains(QStringLiteral("preset x")) && error.contains(QStringLiteral("{host}")), qPrintable(error));
        QVERIFY(!ProviderPresets::parse("[]", &presets, &error));
    }

    void schemeOverridesApplyAndRoundTrip()
    {
        SchemeOverrides overrides;
        SecurityScheme scheme;
        LoginDefaults defaults;
        QString error;
        QVERIFY(ProviderPresets::builtIn().find(QStringLiteral("github"))->instantiate(QStringLiteral("gh"), {}, &scheme, &defaults, &error));
        overrides.setScheme(scheme);
        overrides.loginDefaults.insert(QStringLiteral("gh"), defaults.toJson());
        overrides.apiRequirement = SecurityRequirement{{SchemeUse{QStringLiteral("gh"), {QStringLiteral("repo")}}}};
        overrides.operationRequirements.insert(QStringLiteral("GET /meta"), SecurityRequirement{});
        overrides.operationRequirements.insert(QStringLiteral("WEBHOOK POST push"), SecurityRequirement{});
        QStringList problems;
        const SchemeOverrides back = SchemeOverrides::fromJson(overrides.toJson(), &problems);
        QVERIFY(problems.isEmpty());
        QCOMPARE(back.toJson(), overrides.toJson());

        ApiDocument document;
        Operation meta;
        meta.method = QStringLiteral("GET");
        meta.pathText = "/meta";
        Operation user = meta;
        user.pathText = "/user";
        document.operations = {meta, user};
        Operation push;
        push.method = QStringLiteral("POST");
        push.pathText = "push";
        push.isWebhook = true;
        document.webhooks = {push};
        back.applyTo(document);
        QCOMPARE(document.securitySchemes.size(), 1);
        QVERIFY(document.securitySchemes.first().userDefined);
        QVERIFY(document.globalSecurityFromUser);
        QVERIFY(document.operations[0].securityFromUser);
        QVERIFY(document.operations[0].security->isEmpty());          // the user said: no auth here
        QCOMPARE(document.effectiveSecurity(document.operations[1]).first().first().scheme, QStringLiteral("gh"));
        QVERIFY(document.webhooks[0].securityFromUser);  // a webhook's requirement too, under its own key
        QVERIFY(document.webhooks[0].security->isEmpty());

        SchemeOverrides removable = back;
        QVERIFY(removable.removeScheme(QStringLiteral("gh")));
        QVERIFY(!removable.apiRequirement);
        QVERIFY(!removable.loginDefaults.contains(QStringLiteral("gh")));
        QVERIFY(!removable.removeScheme(QStringLiteral("gh")));
    }

    void securitySchemeFieldsAreChecked()
    {
        SecurityScheme scheme;
        QString error;
        QVERIFY(!securitySchemeFromJson(QStringLiteral("k"), QJsonObject{{QStringLiteral("type"), QStringLiteral("apiKey")}}, &scheme, &error));
        QVERIFY2(error.contains(QStringLiteral("name and in")), qPrintable(error));
        QVERIFY(!securitySchemeFromJson(QStringLiteral("o"), QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")}}, &scheme, &error));
        QVERIFY(!securitySchemeFromJson(QStringLiteral("x"), QJsonObject{{QStringLiteral("type"), QStringLiteral("magic")}}, &scheme, &error));
        QVERIFY(securitySchemeFromJson(QStringLiteral("b"), QJsonObject{{QStringLiteral("type"), QStringLiteral("http")},
                                                                        {QStringLiteral("scheme"), QStringLiteral("Bearer")}}, &scheme, &error));
        QCOMPARE(scheme.scheme, QStringLiteral("bearer"));
    }

    // Each real-world answer through the real token client over HTTP.
    void quirkRoundTrips()
    {
        TokenResult r = requestToken(m_standIns.quirk(QStringLiteral("expires-in-string")));
        QVERIFY2(r.ok, qPrintable(r.error.text()));
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(r.tokens.expiresAt) - 3600) <= 5);

        r = requestToken(m_standIns.quirk(QStringLiteral("expires")));
        QVERIFY(r.ok);
        QVERIFY(r.tokens.expiresAt > QDateTime::currentDateTimeUtc().addDays(59));

        r = requestToken(m_standIns.quirk(QStringLiteral("no-expiry")));
        QVERIFY(r.ok);
        QVERIFY(!r.tokens.expiresAt.isValid());
        CredentialInfo info;
        info.expiresAt = r.tokens.expiresAt;
        QVERIFY(!info.isExpired());  // valid, expiry unknown

        r = requestToken(m_standIns.quirk(QStringLiteral("lowercase-bearer")));
        QVERIFY(r.ok);
        QCOMPARE(r.tokens.tokenType, QStringLiteral("Bearer"));

        r = requestToken(m_standIns.quirk(QStringLiteral("bot")));
        QVERIFY(r.ok);
        QCOMPARE(r.tokens.tokenType, QStringLiteral("bot"));
        QCOMPARE(r.tokens.scopes, (QStringList{QStringLiteral("chat:write"), QStringLiteral("channels:read")}));

        r = requestToken(m_standIns.quirk(QStringLiteral("comma-scopes")));
        QVERIFY2(r.ok, qPrintable(r.error.text()));
        QCOMPARE(r.tokens.accessToken, QByteArray("q-access"));
        QCOMPARE(r.tokens.scopes, (QStringList{QStringLiteral("repo"), QStringLiteral("gist")}));
    }

    void quirkFailures()
    {
        TokenResult r = requestToken(m_standIns.quirk(QStringLiteral("form-error-200")));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.error, QStringLiteral("bad_verification_code"));
        QCOMPARE(r.error.description, QStringLiteral("The code passed is incorrect or expired."));

        r = requestToken(m_standIns.quirk(QStringLiteral("json-error-200")));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.error, QStringLiteral("bad_verification_code"));

        r = requestToken(m_standIns.quirk(QStringLiteral("ok-false")));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.error, QStringLiteral("invalid_client_id"));

        const QUrl empty = m_standIns.quirk(QStringLiteral("empty-401"));
        r = requestToken(empty);
        QVERIFY(!r.ok);
        QCOMPARE(r.error.httpStatus, 401);
        QVERIFY2(r.error.description.contains(empty.toString()) && r.error.description.contains(QStringLiteral("empty body")),
                 qPrintable(r.error.text()));

        r = requestToken(m_standIns.quirk(QStringLiteral("html-500")));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.httpStatus, 500);
        QVERIFY(r.error.description.contains(QStringLiteral("text/html")));
    }

    void acceptJsonIsSent()
    {
        // GitHub answers form-encoded unless asked for JSON: the stand-in does too, and the
        // client's answer parsing copes either way; ask for JSON and look at what came back.
        http::NetworkRecorder recorder;
        TokenClient tokens(&recorder);
        ClientConfig client;
        client.clientId = QStringLiteral("portolan-github");
        client.clientSecret = "wrong-secret-value";
        client.authMethod = ClientAuthMethod::ClientSecretPost;
        bool done = false;
        TokenResult result;
        tokens.requestToken(m_standIns.standInFor(QStringLiteral("github"), QUrl(QStringLiteral("https://github.com/login/oauth/access_token"))),
                            client, {{QStringLiteral("code"), QStringLiteral("nonsense-code")}}, {},
                            [&](const TokenResult &r) { result = r; done = true; });
        QTRY_VERIFY(done);
        QVERIFY(!result.ok);
        QCOMPARE(result.error.error, QStringLiteral("incorrect_client_credentials"));
        QCOMPARE(result.error.httpStatus, 200);
        QCOMPARE(recorder.exchanges().size(), 1);
        const http::Hop &hop = recorder.exchanges().first().hops.first();
        QCOMPARE(http::headerValue(hop.request.headers, "Accept"), QByteArray("application/json"));
        QVERIFY(http::headerValue(hop.response.headers, "Content-Type").startsWith("application/json"));
        const QByteArray har = QJsonDocument(http::toHar(recorder.exchanges())).toJson();
        QVERIFY(!har.contains("wrong-secret-value"));
        QVERIFY(!har.contains("nonsense-code"));
        QVERIFY(har.contains("incorrect_client_credentials"));
    }

    void loopbackListensExactlyAsRegistered_data()
    {
        QTest::addColumn<QString>("host");
        QTest::newRow("IPv4") << "127.0.0.1";
        QTest::newRow("IPv6") << "[::1]";
        QTest::newRow("localhost") << "localhost";
    }
    void loopbackListensExactlyAsRegistered()
    {
        QFETCH(QString, host);
        const quint16 port = unusedPort();
        const QUrl registered(QStringLiteral("http://%1:%2/oauth/done").arg(host).arg(port));
        LoopbackReceiver receiver;
        QString error;
        if (!receiver.listen(registered, &error) && host == QLatin1String("[::1]") && error.contains(QStringLiteral("[::1]")))
            QSKIP("this machine has no IPv6 loopback");
        QVERIFY2(receiver.isListening(), qPrintable(error));
        QCOMPARE(receiver.redirectUri(), registered);
        receiver.expectResponseTo(QUrl(QStringLiteral("https://as.example/authorize?state=expected-state&client_id=c")));
        QSignalSpy received(&receiver, &LoopbackReceiver::redirectReceived);
        QUrl base = registered;
        if (host == QLatin1String("localhost"))
            base.setHost(QStringLiteral("127.0.0.1"));
        auto at = [&base](const QString &pathAndQuery) { return QUrl(base.toString(QUrl::RemovePath) + pathAndQuery); };
        QCOMPARE(getStatus(at(QStringLiteral("/callback?code=x&state=expected-state"))), 404);  // another path
        QCOMPARE(getStatus(at(QStringLiteral("/oauth/done?code=x&state=forged"))), 400);        // another login
        QCOMPARE(getStatus(at(QStringLiteral("/oauth/done?code=x"))), 400);
        QCOMPARE(received.count(), 0);
        QVERIFY(receiver.isListening());  // the login goes on
        QCOMPARE(getStatus(at(QStringLiteral("/oauth/done?code=the-code&state=expected-state"))), 200);
        QTRY_COMPARE(received.count(), 1);
        const QUrl delivered = received.first().first().toUrl();
        QCOMPARE(delivered.host(), registered.host());
        QCOMPARE(delivered.port(), int(port));
        QCOMPARE(QUrlQuery(delivered).queryItemValue(QStringLiteral("code")), QStringLiteral("the-code"));
        QVERIFY(!receiver.isListening());  // closed after the one callback
        QTRY_COMPARE(getStatus(at(QStringLiteral("/oauth/done?code=again&state=expected-state"))), 0);
        QCOMPARE(received.count(), 1);
    }

    void loopbackWithoutPortTakesAnyPort()
    {
        LoopbackReceiver receiver;
        QString error;
        QVERIFY2(receiver.listen(QUrl(QStringLiteral("http://127.0.0.1/callback")), &error), qPrintable(error));
        QVERIFY(receiver.redirectUri().port() > 0);
        QCOMPARE(receiver.redirectUri().path(), QStringLiteral("/callback"));
    }

    void busyPortIsNamed()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        LoopbackReceiver receiver;
        QString error;
        QVERIFY(!receiver.listen(QUrl(QStringLiteral("http://127.0.0.1:%1/callback").arg(squatter.serverPort())), &error));
        QVERIFY2(error.contains(QStringLiteral("port %1").arg(squatter.serverPort())), qPrintable(error));
        QVERIFY(!receiver.isListening());
        QVERIFY(!receiver.listen(QUrl(QStringLiteral("https://127.0.0.1:1/callback")), &error));
        QVERIFY(!LoopbackReceiver::isLoopback(QUrl(QStringLiteral("https://localhost/callback"))));
        QVERIFY(LoopbackReceiver::isLoopback(QUrl(QStringLiteral("http://[::1]:9/x"))));
    }

    void nonceWheneverOpenidIsRequested()
    {
        // A plain oauth2 scheme (not openIdConnect) asking for openid still sends a nonce.
        TokenClient tokens(&m_network);
        OidcDiscovery discovery(&m_network);
        OAuthLogin login(&tokens, &discovery);
        LoginSettings settings;
        settings.flow = OAuthFlowKind::AuthorizationCode;
        settings.authorizationUrl = QUrl(QStringLiteral("https://as.example/authorize"));
        settings.tokenUrl = QUrl(QStringLiteral("https://as.example/token"));
        settings.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:1/callback"));
        settings.client.clientId = QStringLiteral("c");
        settings.scopes = {QStringLiteral("read"), QStringLiteral("openid")};
        CapturingBrowser browser;
        login.start(settings, &browser);
        QVERIFY(!QUrlQuery(browser.opened).queryItemValue(QStringLiteral("nonce")).isEmpty());
        login.cancel();
        settings.scopes = {QStringLiteral("read")};
        login.start(settings, &browser);
        QVERIFY(!QUrlQuery(browser.opened).hasQueryItem(QStringLiteral("nonce")));
        login.cancel();
    }
};

QTEST_MAIN(TestProviders)
#include "tst_providers.moc"
