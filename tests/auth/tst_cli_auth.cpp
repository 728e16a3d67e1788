// portolan-cli login / tokens end to end: the real binary, the real
// oidc-provider and the real keychain (run inside dbus-run-session), and the
// traces (--trace) of logins, device polls, refresh, revocation, introspection
// and tls_client_auth token requests.
#include "hartrace.h"
#include "oidcprovider.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace portolan;

class TestCliAuth : public QObject {
    Q_OBJECT

    test::OidcProvider m_provider;
    QTemporaryDir m_home;
    QString m_spec;

    struct Run {
        int code = -1;
        QString out;
        QString err;
    };

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_home.filePath(QStringLiteral("cache")));
        return env;
    }

    static QString program() { return QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli"); }

    Run cli(const QStringList &arguments, const QByteArray &input = {})
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(program(), arguments);
        process.write(input);
        process.closeWriteChannel();
        Run run;
        if (!process.waitForFinished(60'000)) {
            process.kill();
            process.waitForFinished();
        }
        run.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    QJsonArray list()
    {
        const Run run = cli({QStringLiteral("tokens"), QStringLiteral("list"), QStringLiteral("--json")});
        return QJsonDocument::fromJson(run.out.toUtf8()).array();
    }

    QString idForScheme(const QString &scheme)
    {
        for (const QJsonValue &value : list())
            if (value.toObject().value(QStringLiteral("scheme")).toString() == scheme)
                return value.toObject().value(QStringLiteral("id")).toString();
        return {};
    }

    // Runs a browser-based login: waits for the URL on stderr, plays the user, and
    // lets the CLI's loopback listener receive the redirect.
    Run browserLogin(const QStringList &arguments, bool device)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(program(), arguments);
        process.waitForStarted();
        process.closeWriteChannel();
        QString err;
        const QRegularExpression urlPattern(device ? QStringLiteral("\\(or open (\\S+)\\)") : QStringLiteral("\\n  (http\\S+)\\n"));
        QRegularExpressionMatch match;
        QDeadlineTimer deadline(30'000);
        while (!deadline.hasExpired() && process.state() == QProcess::Running) {
            process.waitForReadyRead(200);
            err += QString::fromUtf8(process.readAllStandardError());
            match = urlPattern.match(err);
            if (match.hasMatch())
                break;
        }
        Run run;
        if (!match.hasMatch()) {
            run.err = err;
            process.kill();
            process.waitForFinished();
            return run;
        }
        test::TestUserAgent agent;
        const QUrl url(match.captured(1));
        const QString redirectUri = QUrlQuery(url).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded);
        const auto outcome = device ? agent.browse(url, {}) : agent.browseAndDeliver(url, redirectUri);
        if (!outcome.ok)
            qWarning("user agent: %s", qPrintable(outcome.error));
        if (!process.waitForFinished(60'000)) {
            process.kill();
            process.waitForFinished();
        }
        run.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = err + QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    // The secrets a credential holds, as `tokens show --show-secrets` prints them.
    QList<QByteArray> storedSecrets(const QString &id)
    {
        const Run shown = cli({QStringLiteral("tokens"), QStringLiteral("show"), id, QStringLiteral("--show-secrets")});
        QList<QByteArray> values;
        const QRegularExpression line(QStringLiteral("^(access_token|refresh_token|id_token): (\\S+)$"), QRegularExpression::MultilineOption);
        for (auto it = line.globalMatch(shown.out); it.hasNext();)
            values << it.next().captured(2).toUtf8();
        return values;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "no D-Bus session for the keychain: run the tests with tests/run-all.sh");
        QVERIFY2(QFile::exists(program()), "build portolan-cli first");
        QString error;
        if (!m_provider.start(&error))
            QFAIL(qPrintable(error));
        const QString issuer = m_provider.issuer().toString();
        m_spec = m_home.filePath(QStringLiteral("api.yaml"));
        QFile spec(m_spec);
        QVERIFY(spec.open(QIODevice::WriteOnly));
        spec.write(QStringLiteral("openapi: 3.0.3\n"
                                  "info: {title: CLI Auth API, version: '1'}\n"
                                  "paths: {}\n"
                                  "components:\n"
                                  "  securitySchemes:\n"
                                  "    key: {type: apiKey, in: header, name: X-API-Key}\n"
                                  "    basicAuth: {type: http, scheme: basic}\n"
                                  "    oidc: {type: openIdConnect, openIdConnectUrl: '%1/.well-known/openid-configuration'}\n"
                                  "    oauth:\n"
                                  "      type: oauth2\n"
                                  "      flows:\n"
                                  "        authorizationCode:\n"
                                  "          authorizationUrl: %1/auth\n"
                                  "          tokenUrl: %1/token\n"
                                  "          scopes: {openid: o, offline_access: r}\n"
                                  "        password: {tokenUrl: '%1/token', scopes: {'api:read': r}}\n"
                                  "    remote:\n"
                                  "      type: oauth2\n"
                                  "      flows: {clientCredentials: {tokenUrl: 'http://as.example.invalid/token', scopes: {}}}\n")
                       .arg(issuer).toUtf8());
    }

    void apiKeyFromStdin()
    {
        const Run login = cli({QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("key")}, "cli-secret-key-42\n");
        QVERIFY2(login.code == 0, qPrintable(login.err));
        QVERIFY(login.out.contains(QStringLiteral("Stored credential")));
        QVERIFY(!login.out.contains(QStringLiteral("cli-secret-key-42")));
        const QString id = idForScheme(QStringLiteral("key"));
        QVERIFY(!id.isEmpty());
        // The metadata file never holds the key.
        QDirIterator files(m_home.filePath(QStringLiteral("data")), QDir::Files, QDirIterator::Subdirectories);
        int scanned = 0;
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains("cli-secret-key-42"), qPrintable(file.fileName()));
            ++scanned;
        }
        QVERIFY(scanned > 0);  // the credential list is there, without the key
        const Run shown = cli({QStringLiteral("tokens"), QStringLiteral("show"), id.left(8), QStringLiteral("--show-secrets")});
        QVERIFY(shown.out.contains(QStringLiteral("api_key: cli-secret-key-42")));
        const Run deleted = cli({QStringLiteral("tokens"), QStringLiteral("delete"), id});
        QCOMPARE(deleted.code, 0);
        QVERIFY(idForScheme(QStringLiteral("key")).isEmpty());
    }

    void usageErrors()
    {
        QCOMPARE(cli({QStringLiteral("login"), m_spec}).code, 2);  // no --scheme
        QCOMPARE(cli({QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("nope")}).code, 2);
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("frobnicate")}).code, 2);
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("show")}).code, 2);
        const Run unknown = cli({QStringLiteral("tokens"), QStringLiteral("show"), QStringLiteral("ffffffffffff")});
        QCOMPARE(unknown.code, 1);
        QVERIFY(unknown.err.contains(QStringLiteral("no stored credential")));
    }

    void passwordFlowAndTokenCommands()
    {
        const Run wrong = cli({QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("oidc"),
                               QStringLiteral("--flow"), QStringLiteral("password"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-confidential"), QStringLiteral("--client-secret-stdin"),
                               QStringLiteral("--username"), QStringLiteral("alice"), QStringLiteral("--password-stdin")},
                              "confidential-secret\nnot-the-password\n");
        QCOMPARE(wrong.code, 1);
        QVERIFY2(wrong.err.contains(QStringLiteral("invalid_grant")), qPrintable(wrong.err));
        QVERIFY(!wrong.err.contains(QStringLiteral("not-the-password")) && !wrong.err.contains(QStringLiteral("confidential-secret")));

        const Run login = cli({QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("oidc"),
                               QStringLiteral("--flow"), QStringLiteral("password"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-confidential"), QStringLiteral("--client-secret-stdin"),
                               QStringLiteral("--username"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
                               QStringLiteral("--scope"), QStringLiteral("openid offline_access")},
                              "confidential-secret\ndemo-password\n");
        QVERIFY2(login.code == 0, qPrintable(login.err));
        QVERIFY(login.out.contains(QStringLiteral("subject:    alice")));
        const QString id = idForScheme(QStringLiteral("oidc"));
        QVERIFY(!id.isEmpty());

        const Run decoded = cli({QStringLiteral("tokens"), QStringLiteral("show"), id, QStringLiteral("--decode")});
        QVERIFY2(decoded.out.contains(QStringLiteral("id_token: signature valid (RS256")), qPrintable(decoded.out));
        QVERIFY(!decoded.out.contains(QStringLiteral("access_token: ey")));  // decoding shows claims, not tokens

        const Run introspected = cli({QStringLiteral("tokens"), QStringLiteral("introspect"), id});
        QCOMPARE(introspected.code, 0);
        QCOMPARE(QJsonDocument::fromJson(introspected.out.toUtf8()).object().value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("refresh"), id}).code, 0);
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("revoke"), id}).code, 0);
        const Run afterRevoke = cli({QStringLiteral("tokens"), QStringLiteral("refresh"), id});
        QCOMPARE(afterRevoke.code, 1);
        QVERIFY(afterRevoke.err.contains(QStringLiteral("no refresh token")));
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("delete"), id}).code, 0);
    }

    // Extra token parameters: secret ones (by name or marked) only in the keychain,
    // and sent again on refresh from there.
    void secretTokenParametersGoToTheKeychain()
    {
        const Run login = cli({QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("oidc"),
                               QStringLiteral("--flow"), QStringLiteral("password"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-confidential"), QStringLiteral("--client-secret-stdin"),
                               QStringLiteral("--username"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
                               QStringLiteral("--scope"), QStringLiteral("openid offline_access"),
                               QStringLiteral("--token-param"), QStringLiteral("ui_locales=de-CH"),
                               QStringLiteral("--token-param"), QStringLiteral("session_password=named-like-a-secret"),
                               QStringLiteral("--secret-token-param"), QStringLiteral("tenant_pin=marked-4711")},
                              "confidential-secret\ndemo-password\n");
        QVERIFY2(login.code == 0, qPrintable(login.err));
        const QString id = idForScheme(QStringLiteral("oidc"));
        QDirIterator files(m_home.filePath(QStringLiteral("data")), {QStringLiteral("credentials.json")}, QDir::Files,
                           QDirIterator::Subdirectories);
        QVERIFY(files.hasNext());
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll();
        QVERIFY(stored.contains("de-CH"));
        QVERIFY2(!stored.contains("named-like-a-secret") && !stored.contains("marked-4711"), stored.constData());
        const Run shown = cli({QStringLiteral("tokens"), QStringLiteral("show"), id, QStringLiteral("--show-secrets")});
        QVERIFY2(shown.out.contains(QStringLiteral("token_parameter:tenant_pin: marked-4711")), qPrintable(shown.out));
        QVERIFY(shown.out.contains(QStringLiteral("token_parameter:session_password: named-like-a-secret")));
        // Userinfo was fetched after the login, for the same subject, and kept with the secrets.
        QVERIFY2(shown.out.contains(QStringLiteral("\"sub\":\"alice\"")), qPrintable(shown.out));
        const Run refreshed = cli({QStringLiteral("tokens"), QStringLiteral("refresh"), id});
        QVERIFY2(refreshed.code == 0, qPrintable(refreshed.err));
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("delete"), id}).code, 0);
    }

    void plainHttpNeedsAllowing()
    {
        const QStringList login{QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("remote"),
                                QStringLiteral("--client-id"), QStringLiteral("c"), QStringLiteral("--client-secret-stdin")};
        const Run refused = cli(login, "a-client-secret\n");
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("plain http to as.example.invalid")), qPrintable(refused.err));
        const Run allowed = cli(login + QStringList{QStringLiteral("--allow-http"), QStringLiteral("as.example.invalid")},
                                "a-client-secret\n");
        QCOMPARE(allowed.code, 1);  // nothing answers there, but it was tried
        QVERIFY2(!allowed.err.contains(QStringLiteral("plain http")), qPrintable(allowed.err));
        QVERIFY(!allowed.err.contains(QStringLiteral("a-client-secret")));
    }

    void privateKeyJwtPasswordAndRefresh()
    {
        // The key file's path is stored; a later `tokens refresh` (another process) signs with it again.
        const Run login = cli({QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("oauth"),
                               QStringLiteral("--flow"), QStringLiteral("password"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-jwt"), QStringLiteral("--auth-method"), QStringLiteral("private_key_jwt"),
                               QStringLiteral("--private-key"), m_provider.privateKeyJwtPath(), QStringLiteral("--username"),
                               QStringLiteral("bob"), QStringLiteral("--password-stdin")},
                              "demo-password\n");
        QVERIFY2(login.code == 0, qPrintable(login.err));
        QVERIFY(login.out.contains(QStringLiteral("scopes:     api:read")));
        const QString id = idForScheme(QStringLiteral("oauth"));
        const Run refreshed = cli({QStringLiteral("tokens"), QStringLiteral("refresh"), id});
        QVERIFY2(refreshed.code == 0, qPrintable(refreshed.err));
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("delete"), id}).code, 0);
    }

    void authorizationCodeWithLoopback()
    {
        const Run run = browserLogin({QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("oauth"),
                                      QStringLiteral("--flow"), QStringLiteral("authorizationCode"), QStringLiteral("--client-id"),
                                      QStringLiteral("portolan-native"), QStringLiteral("--no-browser")},
                                     false);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(QStringLiteral("flow:       authorizationCode")));
        QVERIFY(run.out.contains(QStringLiteral("refresh:    yes")));
        QVERIFY(run.err.contains(QStringLiteral("code_challenge_method=S256")));
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("delete"), idForScheme(QStringLiteral("oauth"))}).code, 0);
    }

    void deviceFlow()
    {
        const Run run = browserLogin({QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("oidc"),
                                      QStringLiteral("--flow"), QStringLiteral("deviceAuthorization"), QStringLiteral("--client-id"),
                                      QStringLiteral("portolan-device"), QStringLiteral("--no-browser")},
                                     true);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QVERIFY(run.err.contains(QStringLiteral("enter the code")));
        QVERIFY(run.out.contains(QStringLiteral("subject:    alice")));
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("delete"), idForScheme(QStringLiteral("oidc"))}).code, 0);
    }

    // Login, introspection, refresh and revocation, each traced with --trace: every
    // request in order with its status, and no secret in the files.
    void tokenCommandTraces()
    {
        QVERIFY(QDir(m_home.filePath(QStringLiteral("cache"))).removeRecursively());  // provider keys fetched anew
        const QString loginTrace = m_home.filePath(QStringLiteral("login.har"));
        const Run login = cli({QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("oidc"),
                               QStringLiteral("--flow"), QStringLiteral("password"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-confidential"), QStringLiteral("--client-secret-stdin"),
                               QStringLiteral("--username"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
                               QStringLiteral("--scope"), QStringLiteral("openid offline_access"), QStringLiteral("--trace"), loginTrace},
                              "confidential-secret\ndemo-password\n");
        QVERIFY2(login.code == 0, qPrintable(login.err));
        const QString id = idForScheme(QStringLiteral("oidc"));
        QList<QByteArray> secrets = storedSecrets(id);
        QCOMPARE(secrets.size(), 3);
        secrets << "confidential-secret" << "demo-password";
        auto checkTrace = [&](const QString &path, const QStringList &expected) {
            const auto [lines, har] = test::HarTrace::read(path);
            if (lines != expected)
                return QStringLiteral("%1: %2 instead of %3").arg(path, lines.join(QLatin1String(", ")), expected.join(QLatin1String(", ")));
            for (const QByteArray &secret : secrets)
                if (har.contains(secret) || har.contains(QUrl::toPercentEncoding(QString::fromUtf8(secret))))
                    return QStringLiteral("%1 contains a secret").arg(path);
            return QString();
        };
        QString problem = checkTrace(loginTrace, {QStringLiteral("GET /.well-known/openid-configuration 200"), QStringLiteral("POST /token 200"),
                                                  QStringLiteral("GET /jwks 200"), QStringLiteral("GET /me 200")});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        const QString introspectTrace = m_home.filePath(QStringLiteral("introspect.har"));
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("introspect"), id, QStringLiteral("--trace"), introspectTrace}).code, 0);
        problem = checkTrace(introspectTrace, {QStringLiteral("POST /token/introspection 200")});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        const QString refreshTrace = m_home.filePath(QStringLiteral("refresh.har"));
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("refresh"), id, QStringLiteral("--trace"), refreshTrace}).code, 0);
        secrets += storedSecrets(id);  // the new tokens are in the trace's response, redacted
        problem = checkTrace(refreshTrace, {QStringLiteral("POST /token 200")});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        const QString revokeTrace = m_home.filePath(QStringLiteral("revoke.har"));
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("revoke"), id, QStringLiteral("--trace"), revokeTrace}).code, 0);
        problem = checkTrace(revokeTrace, {QStringLiteral("POST /token/revocation 200"), QStringLiteral("POST /token/revocation 200")});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("delete"), id}).code, 0);
    }

    // The device flow's polls: each token request until the user approved, the device code redacted.
    void deviceFlowTrace()
    {
        const QString path = m_home.filePath(QStringLiteral("device.har"));
        const Run run = browserLogin({QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), QStringLiteral("oidc"),
                                      QStringLiteral("--flow"), QStringLiteral("deviceAuthorization"), QStringLiteral("--client-id"),
                                      QStringLiteral("portolan-device"), QStringLiteral("--no-browser"), QStringLiteral("--trace"), path},
                                     true);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const auto [lines, har] = test::HarTrace::read(path);
        const qsizetype authorization = lines.indexOf(QStringLiteral("POST /device/auth 200"));
        QVERIFY2(authorization >= 0, qPrintable(lines.join(QLatin1String(", "))));
        const QStringList polls = lines.mid(authorization + 1).filter(QRegularExpression(QStringLiteral("^POST /token ")));
        QVERIFY2(!polls.isEmpty() && polls.last() == QLatin1String("POST /token 200"), qPrintable(lines.join(QLatin1String(", "))));
        for (const QString &poll : polls.mid(0, polls.size() - 1))
            QCOMPARE(poll, QStringLiteral("POST /token 400"));  // authorization_pending / slow_down
        const QJsonArray entries = QJsonDocument::fromJson(har).object()[QStringLiteral("log")][QStringLiteral("entries")].toArray();
        int redactedCodes = 0;
        for (const QJsonValue &entry : entries) {
            const QString sent = entry[QStringLiteral("request")][QStringLiteral("postData")][QStringLiteral("text")].toString();
            const QString deviceCode = QUrlQuery(sent).queryItemValue(QStringLiteral("device_code"), QUrl::FullyDecoded);
            if (!deviceCode.isEmpty()) {
                QCOMPARE(deviceCode, QStringLiteral("<redacted>"));
                ++redactedCodes;
            }
        }
        QCOMPARE(redactedCodes, polls.size());
        for (const QByteArray &secret : storedSecrets(idForScheme(QStringLiteral("oidc"))))
            QVERIFY(!har.contains(secret));
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("delete"), idForScheme(QStringLiteral("oidc"))}).code, 0);
    }

    // tls_client_auth token requests go over their own connections (one pool per
    // certificate); they are in the trace too, at login and at refresh.
    void tlsClientAuthTrace()
    {
        QTemporaryDir certificateDir;
        test::TestCertificates certificates;
        QString error;
        test::OidcProvider provider;
        QVERIFY2(provider.startWithMtls(certificateDir.path(), &certificates, &error), qPrintable(error));
        const QString spec = m_home.filePath(QStringLiteral("mtls.yaml"));
        QFile file(spec);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(provider.mtlsDocument());
        file.close();
        const QString loginTrace = m_home.filePath(QStringLiteral("mtls-login.har"));
        const Run login = cli({QStringLiteral("login"), spec, QStringLiteral("--scheme"), QStringLiteral("mtls"), QStringLiteral("--client-id"),
                               QStringLiteral("portolan-mtls"), QStringLiteral("--auth-method"), QStringLiteral("tls_client_auth"),
                               QStringLiteral("--private-key"), certificates.clientKey, QStringLiteral("--client-cert"),
                               certificates.clientCertificate, QStringLiteral("--cacert"), certificates.caCertificate,
                               QStringLiteral("--username"), QStringLiteral("carol"), QStringLiteral("--password-stdin"),
                               QStringLiteral("--scope"), QStringLiteral("api:read"), QStringLiteral("--trace"), loginTrace},
                              "demo-password\n");
        QVERIFY2(login.code == 0, qPrintable(login.err));
        const auto [lines, har] = test::HarTrace::read(loginTrace);
        QCOMPARE(lines, QStringList{QStringLiteral("POST /token 200")});
        QVERIFY2(har.contains(provider.mtlsUrl().toString().toUtf8() + "/token"), har.constData());
        QVERIFY(!har.contains("demo-password"));
        const QString id = idForScheme(QStringLiteral("mtls"));
        const QList<QByteArray> secrets = storedSecrets(id);
        QVERIFY(!secrets.isEmpty());
        for (const QByteArray &secret : secrets)
            QVERIFY(!har.contains(secret));

        const QString refreshTrace = m_home.filePath(QStringLiteral("mtls-refresh.har"));
        const Run refreshed = cli({QStringLiteral("tokens"), QStringLiteral("refresh"), id, QStringLiteral("--trace"), refreshTrace});
        QVERIFY2(refreshed.code == 0, qPrintable(refreshed.err));
        QCOMPARE(test::HarTrace::read(refreshTrace).lines, QStringList{QStringLiteral("POST /token 200")});
        QCOMPARE(cli({QStringLiteral("tokens"), QStringLiteral("delete"), id}).code, 0);
    }
};

QTEST_GUILESS_MAIN(TestCliAuth)
#include "tst_cli_auth.moc"
