// Logging in with well-known providers from portolan-cli, end to end: each
// preset is added to a document that declares no security scheme, pointed at
// the loopback stand-in of its provider (tests/services/providers), logged in
// through (a script plays the browser, or the device flow), and the stored
// credential is sent by `call` to Debian's httpbin. Also GitHub's real
// description, the fixed-port loopback flow, the busy-port error and the
// login trace. The real binary, real keychain (run inside dbus-run-session).
#include "hartrace.h"
#include "httpbin.h"
#include "oidcprovider.h"
#include "providerpresets.h"
#include "providerstandins.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace portolan;

namespace {
// A port number nobody listens on right now, for redirect URIs "registered" with a
// fixed port: the feature under test is listening on a port chosen in advance.
quint16 unusedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}
} // namespace

class TestCliProviders final : public QObject {
    Q_OBJECT

    test::ProviderStandIns m_standIns;
    test::HttpBin m_httpbin;
    QTemporaryDir m_home;

    struct Run {
        int code = -1;
        QString out;
        QString err;
        QUrl authorizationUrl;
    };

    static QString program() { return QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli"); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_home.filePath(QStringLiteral("cache")));
        return env;
    }

    Run cli(const QStringList &arguments, const QByteArray &input = {})
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(program(), arguments);
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(60'000)) {
            process.kill();
            process.waitForFinished();
        }
        Run run;
        run.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    enum class Browser { Loopback, Paste, Device, None };

    // Runs `login`, plays the user: follows the authorization URL printed on
    // stderr to the CLI's loopback listener, or pastes the redirect it reached.
    Run login(const QStringList &arguments, const QByteArray &secretLine, Browser browser)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(program(), QStringList{QStringLiteral("login")} + arguments + QStringList{QStringLiteral("--no-browser")});
        process.waitForStarted();
        process.write(secretLine);
        if (browser != Browser::Paste)
            process.closeWriteChannel();
        Run run;
        if (browser == Browser::Loopback || browser == Browser::Paste) {
            const QRegularExpression urlPattern(QStringLiteral("\\n  (http\\S+)\\n"));
            QRegularExpressionMatch match;
            QDeadlineTimer deadline(30'000);
            while (!deadline.hasExpired() && process.state() == QProcess::Running && !match.hasMatch()) {
                process.waitForReadyRead(200);
                run.err += QString::fromUtf8(process.readAllStandardError());
                match = urlPattern.match(run.err);
            }
            if (match.hasMatch()) {
                run.authorizationUrl = QUrl(match.captured(1));
                const QString redirectUri = QUrlQuery(run.authorizationUrl).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded);
                test::TestUserAgent agent;
                const auto outcome = browser == Browser::Loopback ? agent.browseAndDeliver(run.authorizationUrl, redirectUri)
                                                                  : agent.browse(run.authorizationUrl, redirectUri);
                if (!outcome.ok)
                    qWarning("user agent: %s", qPrintable(outcome.error));
                if (browser == Browser::Paste) {
                    process.write(outcome.redirect.toEncoded() + '\n');
                    process.closeWriteChannel();
                }
            }
        }
        if (!process.waitForFinished(60'000)) {
            process.kill();
            process.waitForFinished();
        }
        run.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err += QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    static QString storedId(const Run &run)
    {
        return QRegularExpression(QStringLiteral("Stored credential (\\S+) ")).match(run.out).captured(1);
    }

    // A document with no security scheme at all, its server httpbin.
    QString writeDocument(const QString &name)
    {
        const QString path = m_home.filePath(name + QStringLiteral(".yaml"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(QStringLiteral("openapi: 3.0.3\n"
                                  "info: {title: %1, version: '1'}\n"
                                  "servers: [{url: '%2'}]\n"
                                  "paths:\n"
                                  "  /anything:\n"
                                  "    get: {operationId: getAnything, responses: {'200': {description: echo}}}\n")
                       .arg(name, m_httpbin.baseUrl().toString()).toUtf8());
        return path;
    }

    // `scheme add --preset`, then `scheme edit` pointing every endpoint at the stand-in.
    void addPresetScheme(const QString &document, const QString &id, const QHash<QString, QString> &values)
    {
        QStringList add{QStringLiteral("scheme"), QStringLiteral("add"), document, QStringLiteral("login"), QStringLiteral("--preset"), id,
                        QStringLiteral("--require")};
        for (auto it = values.begin(); it != values.end(); ++it)
            add << QStringLiteral("--set") << it.key() + QLatin1Char('=') + it.value();
        const Run added = cli(add);
        QVERIFY2(added.code == 0, qPrintable(added.err));

        const auth::ProviderPreset *preset = auth::ProviderPresets::builtIn().find(id);
        SecurityScheme scheme;
        auth::LoginDefaults defaults;
        QString error;
        QVERIFY2(preset->instantiate(QStringLiteral("login"), values, &scheme, &defaults, &error), qPrintable(error));
        const QStringList edit{QStringLiteral("scheme"), QStringLiteral("edit"), document, QStringLiteral("login")};
        auto standIn = [&](const QString &url) { return m_standIns.standInFor(id, QUrl(url)).toString(); };
        for (const OAuthFlow &flow : scheme.flows) {  // one flow per command
            QStringList flowEdit = edit + QStringList{QStringLiteral("--flow"), oauthFlowName(flow.kind)};
            if (!flow.authorizationUrl.isEmpty())
                flowEdit << QStringLiteral("--authorization-url") << standIn(flow.authorizationUrl);
            if (!flow.deviceAuthorizationUrl.isEmpty())
                flowEdit << QStringLiteral("--device-authorization-url") << standIn(flow.deviceAuthorizationUrl);
            flowEdit << QStringLiteral("--token-url") << standIn(flow.tokenUrl);
            const Run edited = cli(flowEdit);
            QVERIFY2(edited.code == 0, qPrintable(edited.err));
        }
        QStringList defaultsEdit = edit;
        if (!defaults.discoveryUrl.isEmpty())
            defaultsEdit << QStringLiteral("--discovery-url") << standIn(defaults.discoveryUrl.toString());
        if (!defaults.revocationUrl.isEmpty())
            defaultsEdit << QStringLiteral("--revocation-url") << standIn(defaults.revocationUrl.toString());
        const Run edited = cli(defaultsEdit);
        QVERIFY2(edited.code == 0, qPrintable(edited.err));
        const Run listed = cli({QStringLiteral("scheme"), QStringLiteral("list"), document});
        QVERIFY2(listed.out.contains(QStringLiteral("(yours, preset %1)").arg(id)), qPrintable(listed.out + listed.err));
        QVERIFY(listed.out.contains(QStringLiteral("The document declares no security schemes.")));
        QVERIFY(listed.out.contains(QStringLiteral("API requirement: login (yours)")));
    }

    // `call` with the stored credential: httpbin echoes the Authorization header it got.
    void callSendsToken(const QString &document, const QString &credential, const QString &operation, const QString &expectedPrefix,
                        const QStringList &extra = {})
    {
        const Run call = cli(QStringList{QStringLiteral("call"), document, operation, QStringLiteral("--credential"), credential,
                                         QStringLiteral("--no-history")} + extra);
        QVERIFY2(call.code == 0, qPrintable(call.err + call.out));
        const QJsonObject echo = QJsonDocument::fromJson(call.out.toUtf8()).object();
        const QString authorization = echo.value(QStringLiteral("headers")).toObject().value(QStringLiteral("Authorization")).toString();
        QVERIFY2(authorization.startsWith(expectedPrefix), qPrintable(authorization + QLatin1Char('\n') + call.out));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("no D-Bus session: run inside dbus-run-session with gnome-keyring unlocked (tests/run-all.sh does)");
        QVERIFY2(QFile::exists(program()), "build portolan-cli first");
        QString error;
        if (!m_standIns.start(&error))
            QFAIL(qPrintable(error));
        if (!m_httpbin.start())
            QFAIL(qPrintable(m_httpbin.error()));
    }

    void presetLogin_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("placeholders");  // name=value,…
        QTest::addColumn<QString>("flow");
        QTest::addColumn<bool>("secret");
        QTest::addColumn<int>("browser");
        QTest::addColumn<bool>("fixedPort");
        QTest::newRow("github web flow") << "github" << "" << "authorizationCode" << true << int(Browser::Loopback) << false;
        QTest::newRow("github device flow") << "github" << "" << "deviceAuthorization" << false << int(Browser::Device) << false;
        QTest::newRow("gitlab") << "gitlab" << "host=gitlab.example.com" << "authorizationCode" << true << int(Browser::Loopback) << true;
        QTest::newRow("google") << "google" << "" << "authorizationCode" << true << int(Browser::Loopback) << false;
        QTest::newRow("google device") << "google" << "" << "deviceAuthorization" << true << int(Browser::Device) << false;
        QTest::newRow("microsoft entra") << "microsoft-entra" << "" << "authorizationCode" << false << int(Browser::Loopback) << false;
        QTest::newRow("auth0") << "auth0" << "domain=acme.eu.auth0.com" << "authorizationCode" << true << int(Browser::Loopback) << true;
        QTest::newRow("okta") << "okta" << "domain=acme.okta.com" << "authorizationCode" << false << int(Browser::Loopback) << true;
        QTest::newRow("keycloak") << "keycloak" << "baseUrl=https://sso.example.com,realm=demo" << "authorizationCode" << true
                                  << int(Browser::Loopback) << true;
        QTest::newRow("slack") << "slack" << "" << "authorizationCode" << true << int(Browser::Paste) << false;
        QTest::newRow("spotify") << "spotify" << "" << "authorizationCode" << false << int(Browser::Loopback) << true;
        QTest::newRow("discord") << "discord" << "" << "authorizationCode" << true << int(Browser::Loopback) << true;
    }
    void presetLogin()
    {
        QFETCH(QString, id);
        QFETCH(QString, placeholders);
        QFETCH(QString, flow);
        QFETCH(bool, secret);
        QFETCH(int, browser);
        QFETCH(bool, fixedPort);
        QHash<QString, QString> values;
        for (const QString &pair : placeholders.split(QLatin1Char(','), Qt::SkipEmptyParts))
            values.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        const QString document = writeDocument(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
        addPresetScheme(document, id, values);
        if (QTest::currentTestFailed())
            return;

        QStringList arguments{document, QStringLiteral("--scheme"), QStringLiteral("login"), QStringLiteral("--client-id"),
                              QStringLiteral("portolan-") + id, QStringLiteral("--flow"), flow};
        if (secret)
            arguments << QStringLiteral("--client-secret-stdin");
        if (fixedPort)  // providers that want the redirect URI exactly as registered, port included
            arguments << QStringLiteral("--redirect-uri")
                      << QStringLiteral("http://127.0.0.1:%1/callback").arg(unusedPort());
        const Run run = login(arguments, secret ? QByteArray("secret-") + id.toUtf8() + '\n' : QByteArray(), Browser(browser));
        QVERIFY2(run.code == 0, qPrintable(run.err + run.out + m_standIns.output()));
        if (fixedPort)
            QCOMPARE(QUrlQuery(run.authorizationUrl).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
                     arguments.at(arguments.indexOf(QStringLiteral("--redirect-uri")) + 1));
        const QString credential = storedId(run);
        QVERIFY2(!credential.isEmpty(), qPrintable(run.out));
        // Bearer whatever the provider called it (GitHub "bearer", Slack "bot").
        callSendsToken(document, credential, QStringLiteral("getAnything"), QStringLiteral("Bearer %1-access-").arg(id));
    }

    void githubQuirksAreHandled()
    {
        const QString document = writeDocument(QStringLiteral("github-quirks"));
        addPresetScheme(document, QStringLiteral("github"), {});
        const QStringList base{document, QStringLiteral("--scheme"), QStringLiteral("login"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-github"), QStringLiteral("--client-secret-stdin")};
        // A wrong client secret: GitHub answers HTTP 200 with an error; the user reads GitHub's words.
        const Run refused = login(base, "not-the-secret\n", Browser::Loopback);
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("incorrect_client_credentials: The client_id and/or client_secret passed are incorrect.")),
                 qPrintable(refused.err));
        QVERIFY(!refused.err.contains(QStringLiteral("lacks access_token")));
        // Success: scopes comma-separated, token type "bearer", no expiry.
        const Run run = login(base + QStringList{QStringLiteral("--scope"), QStringLiteral("repo gist")}, "secret-github\n", Browser::Loopback);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("scopes:     repo gist")), qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral("token type: Bearer")));
        QVERIFY(run.out.contains(QStringLiteral("expires:    unknown")));  // valid, expiry unknown
        const Run listed = cli({QStringLiteral("tokens"), QStringLiteral("list")});
        QVERIFY2(!listed.out.contains(QStringLiteral("expired")), qPrintable(listed.out));
    }

    void slackOkFalseIsNamed()
    {
        const QString document = writeDocument(QStringLiteral("slack-refused"));
        addPresetScheme(document, QStringLiteral("slack"), {});
        const Run refused = login({document, QStringLiteral("--scheme"), QStringLiteral("login"), QStringLiteral("--client-id"),
                                   QStringLiteral("portolan-slack"), QStringLiteral("--client-secret-stdin")},
                                  "wrong-slack-secret\n", Browser::Paste);
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("bad_client_secret")), qPrintable(refused.err));
        // Slack's scopes go comma-separated in the authorization request.
        QVERIFY2(QUrlQuery(refused.authorizationUrl).queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded).contains(QLatin1Char(',')),
                 qPrintable(refused.authorizationUrl.toString()));
    }

    void refreshWithoutNewRefreshTokenKeepsTheOldOne()
    {
        // Spotify may answer a refresh without refresh_token: the old one stays, and works again.
        const QString document = writeDocument(QStringLiteral("spotify-refresh"));
        addPresetScheme(document, QStringLiteral("spotify"), {});
        const Run run = login({document, QStringLiteral("--scheme"), QStringLiteral("login"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-spotify"), QStringLiteral("--show-secrets")},
                              {}, Browser::Loopback);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const QString credential = storedId(run);
        const QString refreshToken = QRegularExpression(QStringLiteral("refresh_token: (\\S+)")).match(run.out).captured(1);
        QVERIFY(!refreshToken.isEmpty());
        for (int round = 0; round < 2; ++round) {
            const Run refreshed = cli({QStringLiteral("tokens"), QStringLiteral("refresh"), credential});
            QVERIFY2(refreshed.code == 0, qPrintable(refreshed.err + refreshed.out));
        }
        const Run shown = cli({QStringLiteral("tokens"), QStringLiteral("show"), credential, QStringLiteral("--show-secrets")});
        QVERIFY2(shown.out.contains(QStringLiteral("refresh_token: ") + refreshToken), qPrintable(shown.out));
        const QString accessToken = QRegularExpression(QStringLiteral("access_token: (\\S+)")).match(run.out).captured(1);
        QVERIFY(!accessToken.isEmpty());
        QVERIFY(!shown.out.contains(QStringLiteral("access_token: ") + accessToken + QLatin1Char('\n')));  // refreshed
    }

    void githubDescriptionWithPreset()
    {
        // GitHub's own description declares no security scheme; add the GitHub preset, log in, call.
        const QString description = QStringLiteral(PORTOLAN_SOURCE_DIR "/.deps/node/node_modules/@octokit/openapi/generated/api.github.com.json");
        QVERIFY2(QFile::exists(description), "npm @octokit/openapi is not installed in .deps/node (run packaging/install-deps.sh)");
        const Run before = cli({QStringLiteral("scheme"), QStringLiteral("list"), description});
        QVERIFY2(before.code == 0, qPrintable(before.err));
        QVERIFY(before.out.contains(QStringLiteral("The document declares no security schemes.")));
        QVERIFY(before.out.contains(QStringLiteral("the document does not declare its authentication")));
        addPresetScheme(description, QStringLiteral("github"), {});
        if (QTest::currentTestFailed())
            return;
        const Run run = login({description, QStringLiteral("--scheme"), QStringLiteral("login"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-github"), QStringLiteral("--client-secret-stdin"), QStringLiteral("--scope"),
                               QStringLiteral("read:user")},
                              "secret-github\n", Browser::Loopback);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        // GET /user, sent to httpbin's echo instead of api.github.com.
        callSendsToken(description, storedId(run), QStringLiteral("users/get-authenticated"), QStringLiteral("Bearer github-access-"),
                       {QStringLiteral("--server"), m_httpbin.url(QStringLiteral("/anything")).toString()});
        const Run removed = cli({QStringLiteral("scheme"), QStringLiteral("remove"), description, QStringLiteral("login")});
        QCOMPARE(removed.code, 0);
        QVERIFY(cli({QStringLiteral("scheme"), QStringLiteral("list"), description}).out.contains(QStringLiteral("declares no security schemes")));
    }

    void schemeFieldsByHand()
    {
        const QString document = writeDocument(QStringLiteral("by-hand"));
        const Run bad = cli({QStringLiteral("scheme"), QStringLiteral("add"), document, QStringLiteral("key"), QStringLiteral("--type"),
                             QStringLiteral("apiKey")});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("needs name and in")), qPrintable(bad.err));
        QCOMPARE(cli({QStringLiteral("scheme"), QStringLiteral("add"), document, QStringLiteral("key"), QStringLiteral("--type"), QStringLiteral("apiKey"),
                      QStringLiteral("--in"), QStringLiteral("header"), QStringLiteral("--param-name"), QStringLiteral("X-Api-Key")}).code, 0);
        QCOMPARE(cli({QStringLiteral("scheme"), QStringLiteral("add"), document, QStringLiteral("key"), QStringLiteral("--preset"),
                      QStringLiteral("github")}).code, 2);  // exists already
        QCOMPARE(cli({QStringLiteral("scheme"), QStringLiteral("require"), document, QStringLiteral("key"), QStringLiteral("--operation"),
                      QStringLiteral("getAnything")}).code, 0);
        const Run listed = cli({QStringLiteral("scheme"), QStringLiteral("list"), document});
        QVERIFY2(listed.out.contains(QStringLiteral("key  apiKey header X-Api-Key  (yours)")), qPrintable(listed.out));
        QVERIFY(listed.out.contains(QStringLiteral("Operation GET /anything: key (yours)")));
        const Run login = cli({QStringLiteral("login"), document, QStringLiteral("--scheme"), QStringLiteral("key")}, "by-hand-key-123\n");
        QVERIFY2(login.code == 0, qPrintable(login.err));
        const Run call = cli({QStringLiteral("call"), document, QStringLiteral("getAnything"), QStringLiteral("--credential"), storedId(login),
                              QStringLiteral("--no-history")});
        QVERIFY2(call.out.contains(QStringLiteral("by-hand-key-123")), qPrintable(call.out + call.err));
        QCOMPARE(cli({QStringLiteral("scheme"), QStringLiteral("remove"), document, QStringLiteral("key")}).code, 0);
        QVERIFY(!cli({QStringLiteral("scheme"), QStringLiteral("list"), document}).out.contains(QStringLiteral("Operation GET /anything")));
        // No secret in the scheme file.
        QDirIterator files(m_home.filePath(QStringLiteral("data")), QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains("by-hand-key-123"), qPrintable(f.fileName()));
        }
    }

    void busyFixedPortIsAClearError()
    {
        const QString document = writeDocument(QStringLiteral("busy"));
        addPresetScheme(document, QStringLiteral("discord"), {});
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        const Run run = login({document, QStringLiteral("--scheme"), QStringLiteral("login"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-discord"), QStringLiteral("--client-secret-stdin"), QStringLiteral("--redirect-uri"),
                               QStringLiteral("http://127.0.0.1:%1/callback").arg(squatter.serverPort())},
                              "secret-discord\n", Browser::None);
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains(QStringLiteral("port %1").arg(squatter.serverPort())), qPrintable(run.err));
    }

    void traceOfRefusedAndSuccessfulLogins()
    {
        const QString document = writeDocument(QStringLiteral("traced"));
        addPresetScheme(document, QStringLiteral("keycloak"), {{QStringLiteral("baseUrl"), QStringLiteral("https://sso.example.com")},
                                                               {QStringLiteral("realm"), QStringLiteral("demo")}});
        const QStringList base{document, QStringLiteral("--scheme"), QStringLiteral("login"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-keycloak"), QStringLiteral("--client-secret-stdin"), QStringLiteral("--scope"),
                               QStringLiteral("openid profile")};
        const QString refusedTrace = m_home.filePath(QStringLiteral("refused.har"));
        const Run refused = login(base + QStringList{QStringLiteral("--trace"), refusedTrace}, "wrong-keycloak-secret\n", Browser::Loopback);
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("invalid_client")), qPrintable(refused.err));
        QVERIFY2(refused.err.contains(QStringLiteral("POST %1").arg(m_standIns.baseUrl().toString())), qPrintable(refused.err));
        const auto [refusedLines, refusedHar] = test::HarTrace::read(refusedTrace);
        QCOMPARE(refusedLines, (QStringList{QStringLiteral("GET /keycloak/realms/demo/.well-known/openid-configuration 200"),
                                            QStringLiteral("POST /keycloak/realms/demo/protocol/openid-connect/token 401")}));
        QVERIFY(!refusedHar.contains("wrong-keycloak-secret"));
        QVERIFY(!QByteArray::fromBase64(refusedHar).contains("wrong-keycloak-secret"));
        QVERIFY(refusedHar.contains("invalid_client"));
        const QString code = QUrlQuery(refused.authorizationUrl).queryItemValue(QStringLiteral("code_challenge"));
        QVERIFY(!code.isEmpty());

        // Provider keys are cached per issuer across logins (earlier tests logged in with this
        // preset): start without them, so the trace shows the JWKS request too.
        QVERIFY(QDir(m_home.filePath(QStringLiteral("cache"))).removeRecursively());
        const QString successTrace = m_home.filePath(QStringLiteral("success.har"));
        const Run run = login(base + QStringList{QStringLiteral("--trace"), successTrace, QStringLiteral("--show-secrets")},
                              "secret-keycloak\n", Browser::Loopback);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const auto [lines, har] = test::HarTrace::read(successTrace);
        QCOMPARE(lines, (QStringList{QStringLiteral("GET /keycloak/realms/demo/.well-known/openid-configuration 200"),
                                     QStringLiteral("POST /keycloak/realms/demo/protocol/openid-connect/token 200"),
                                     QStringLiteral("GET /keycloak/jwks 200"), QStringLiteral("GET /keycloak/userinfo 200")}));
        QVERIFY(!har.contains("secret-keycloak"));
        for (const char *name : {"access_token", "refresh_token", "id_token"}) {
            const QString value = QRegularExpression(QStringLiteral("%1: (\\S+)").arg(QLatin1String(name))).match(run.out).captured(1);
            QVERIFY2(!value.isEmpty(), name);
            QVERIFY2(!har.contains(value.toUtf8()), name);
        }
        QVERIFY(!run.err.contains(QStringLiteral("The login's requests")));  // listed on failure only
    }
};

QTEST_MAIN(TestCliProviders)
#include "tst_cli_providers.moc"
