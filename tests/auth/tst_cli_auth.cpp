// portolan-cli login / tokens end to end: the real binary, the real
// oidc-provider and the real keychain (run inside dbus-run-session).
#include "oidcprovider.h"

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
                                  "        password: {tokenUrl: '%1/token', scopes: {'api:read': r}}\n")
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
};

QTEST_GUILESS_MAIN(TestCliAuth)
#include "tst_cli_auth.moc"
