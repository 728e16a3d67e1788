// `portolan-cli call` after `portolan-cli login`: the credential the login
// stored is chosen by the client core without --credential, for every scheme
// kind, against the real OpenID Provider and httpbin; --no-auth sends
// without; when nothing satisfies the requirement a warning names the schemes
// and the login command; invalid input is refused (exit 2) unless --no-validate.
#include "httpbin.h"
#include "oidcprovider.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan;

class TestCliCallAfterLogin : public QObject {
    Q_OBJECT
private:
    test::OidcProvider m_provider;
    test::HttpBin m_httpbin;
    QTemporaryDir m_home;
    QString m_spec;

    struct Run {
        int code = -1;
        QString out;
        QString err;
        QJsonObject echo() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
        QString header(const char *name) const
        {
            return echo().value(QStringLiteral("headers")).toObject().value(QLatin1String(name)).toString();
        }
    };

    static QString program() { return QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli"); }

    Run cli(const QStringList &arguments, const QByteArray &input = {})
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        process.setProcessEnvironment(env);
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
    Run login(const QString &scheme, const QStringList &options, const QByteArray &input)
    {
        return cli(QStringList{QStringLiteral("login"), m_spec, QStringLiteral("--scheme"), scheme} + options, input);
    }
    Run call(const QString &operation, const QStringList &options = {})
    {
        return cli(QStringList{QStringLiteral("call"), m_spec, operation, QStringLiteral("--no-history")} + options);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("no D-Bus session: run inside dbus-run-session with gnome-keyring unlocked (tests/run-all.sh does)");
        QVERIFY2(QFile::exists(program()), "build portolan-cli first");
        QString error;
        QVERIFY2(m_provider.start(&error), qPrintable(error));
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        m_spec = m_home.filePath(QStringLiteral("api.yaml"));
        QFile spec(m_spec);
        QVERIFY(spec.open(QIODevice::WriteOnly));
        const auto operation = [](const QString &name, const QString &scheme) {
            return QStringLiteral("  /anything/%1:\n    get:\n      operationId: %1\n      security: [{%2: []}]\n"
                                  "      responses: {'200': {description: echo}}\n").arg(name, scheme);
        };
        QString paths;
        for (const char *scheme : {"keyHeader", "keyQuery", "keyCookie", "basicAuth", "bearerAuth", "oauth", "oidc", "never"})
            paths += operation(QString::fromLatin1(scheme), QString::fromLatin1(scheme));
        spec.write(QStringLiteral("openapi: 3.0.3\n"
                                  "info: {title: call after login, version: '1'}\n"
                                  "servers: [{url: '%2'}]\n"
                                  "paths:\n%3"
                                  "  /digest-auth/auth/{user}/{pw}:\n"
                                  "    get:\n"
                                  "      operationId: digest\n"
                                  "      security: [{digestAuth: []}]\n"
                                  "      parameters:\n"
                                  "        - {name: user, in: path, required: true, schema: {type: string}}\n"
                                  "        - {name: pw, in: path, required: true, schema: {type: string}}\n"
                                  "      responses: {'200': {description: ok}}\n"
                                  "  /anything/items/{id}:\n"
                                  "    get:\n"
                                  "      operationId: item\n"
                                  "      security: []\n"
                                  "      parameters:\n"
                                  "        - {name: id, in: path, required: true, schema: {type: integer, maximum: 10}}\n"
                                  "      responses: {'200': {description: ok}}\n"
                                  "components:\n"
                                  "  securitySchemes:\n"
                                  "    keyHeader: {type: apiKey, in: header, name: X-Api-Key}\n"
                                  "    keyQuery: {type: apiKey, in: query, name: api_key}\n"
                                  "    keyCookie: {type: apiKey, in: cookie, name: session}\n"
                                  "    basicAuth: {type: http, scheme: basic}\n"
                                  "    bearerAuth: {type: http, scheme: bearer}\n"
                                  "    digestAuth: {type: http, scheme: digest}\n"
                                  "    never: {type: http, scheme: bearer}\n"
                                  "    oidc: {type: openIdConnect, openIdConnectUrl: '%1/.well-known/openid-configuration'}\n"
                                  "    oauth:\n"
                                  "      type: oauth2\n"
                                  "      flows:\n"
                                  "        clientCredentials: {tokenUrl: '%1/token', scopes: {'api:read': r}}\n")
                       .arg(m_provider.issuer().toString(), m_httpbin.baseUrl().toString(), paths)
                       .toUtf8());
    }

    void callUsesTheLoggedInCredential_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QStringList>("loginOptions");
        QTest::addColumn<QByteArray>("stdinText");
        QTest::newRow("apiKey header") << "keyHeader" << QStringList() << QByteArray("header-key-1\n");
        QTest::newRow("apiKey query") << "keyQuery" << QStringList() << QByteArray("query-key-2\n");
        QTest::newRow("apiKey cookie") << "keyCookie" << QStringList() << QByteArray("cookie-key-3\n");
        QTest::newRow("basic") << "basicAuth" << QStringList{"--username", "ann"} << QByteArray("basic-pw\n");
        QTest::newRow("bearer") << "bearerAuth" << QStringList() << QByteArray("bearer-token-4\n");
        QTest::newRow("oauth2 client credentials")
            << "oauth" << QStringList{"--client-id", "portolan-post", "--auth-method", "client_secret_post", "--client-secret-stdin"}
            << QByteArray("post-secret\n");
        QTest::newRow("openIdConnect password")
            << "oidc"
            << QStringList{"--flow", "password", "--client-id", "portolan-confidential", "--client-secret-stdin", "--username",
                           "alice", "--password-stdin", "--scope", "openid api:read"}
            << QByteArray("confidential-secret\ndemo-password\n");
    }
    void callUsesTheLoggedInCredential()
    {
        QFETCH(QString, scheme);
        QFETCH(QStringList, loginOptions);
        QFETCH(QByteArray, stdinText);
        const Run stored = login(scheme, loginOptions, stdinText);
        QVERIFY2(stored.code == 0, qPrintable(stored.err));

        const Run sent = call(scheme);
        QVERIFY2(sent.code == 0, qPrintable(sent.err));
        QVERIFY2(!sent.err.contains(QLatin1String("warning")), qPrintable(sent.err));
        const QJsonObject echo = sent.echo();
        const QJsonObject headers = echo.value(QStringLiteral("headers")).toObject();
        if (scheme == QLatin1String("keyHeader")) {
            QCOMPARE(sent.header("X-Api-Key"), QStringLiteral("header-key-1"));
        } else if (scheme == QLatin1String("keyQuery")) {
            QCOMPARE(echo.value(QStringLiteral("args")).toObject().value(QStringLiteral("api_key")).toString(),
                     QStringLiteral("query-key-2"));
        } else if (scheme == QLatin1String("keyCookie")) {
            QCOMPARE(sent.header("Cookie"), QStringLiteral("session=cookie-key-3"));
        } else if (scheme == QLatin1String("basicAuth")) {
            QCOMPARE(sent.header("Authorization"), QStringLiteral("Basic ") + QString::fromLatin1(QByteArray("ann:basic-pw").toBase64()));
        } else if (scheme == QLatin1String("bearerAuth")) {
            QCOMPARE(sent.header("Authorization"), QStringLiteral("Bearer bearer-token-4"));
        } else {
            // A token the provider issued: a Bearer token of some length.
            QVERIFY2(sent.header("Authorization").startsWith(QLatin1String("Bearer ")), qPrintable(sent.out));
            QVERIFY(sent.header("Authorization").size() > 20);
        }

        // --no-auth: the same call without any credential.
        const Run bare = call(scheme, {QStringLiteral("--no-auth")});
        QVERIFY2(bare.code == 0, qPrintable(bare.err));
        QVERIFY(!bare.echo().value(QStringLiteral("headers")).toObject().contains(QStringLiteral("Authorization")));
        QVERIFY(!bare.echo().value(QStringLiteral("headers")).toObject().contains(QStringLiteral("X-Api-Key")));
        QVERIFY(!bare.echo().value(QStringLiteral("headers")).toObject().contains(QStringLiteral("Cookie")));
        QVERIFY(!bare.echo().value(QStringLiteral("args")).toObject().contains(QStringLiteral("api_key")));
    }

    void digestAnswersTheChallengeAfterLogin()
    {
        const Run stored = login(QStringLiteral("digestAuth"), {QStringLiteral("--username"), QStringLiteral("dee")}, "digest-pw\n");
        QVERIFY2(stored.code == 0, qPrintable(stored.err));
        const Run sent = cli({QStringLiteral("call"), m_spec, QStringLiteral("digest"), QStringLiteral("--no-history"),
                              QStringLiteral("--param"), QStringLiteral("user=dee"), QStringLiteral("--param"),
                              QStringLiteral("pw=digest-pw"), QStringLiteral("-i")});
        QVERIFY2(sent.code == 0, qPrintable(sent.err));
        QVERIFY2(sent.out.startsWith(QLatin1String("HTTP/1.x 200")), qPrintable(sent.out));
    }

    void loggingInAgainReplaces()
    {
        // A second key for the same scheme replaces the first: one credential, the new value.
        QVERIFY(login(QStringLiteral("keyHeader"), {}, "header-key-5\n").code == 0);
        const Run listed = cli({QStringLiteral("tokens"), QStringLiteral("list"), QStringLiteral("--json")});
        int keys = 0;
        for (const QJsonValue &value : QJsonDocument::fromJson(listed.out.toUtf8()).array())
            keys += value.toObject().value(QStringLiteral("scheme")).toString() == QLatin1String("keyHeader");
        QCOMPARE(keys, 1);
        QCOMPARE(call(QStringLiteral("keyHeader")).header("X-Api-Key"), QStringLiteral("header-key-5"));
    }

    void warningWhenNothingSatisfies()
    {
        const Run sent = call(QStringLiteral("never"));
        QCOMPARE(sent.code, 0);  // sent without credentials
        QVERIFY(!sent.echo().value(QStringLiteral("headers")).toObject().contains(QStringLiteral("Authorization")));
        QVERIFY2(sent.err.contains(QLatin1String("warning: No stored credential satisfies")), qPrintable(sent.err));
        QVERIFY2(sent.err.contains(QStringLiteral("portolan-cli login %1 --scheme never").arg(m_spec)), qPrintable(sent.err));
    }

    void invalidInputIsRefused()
    {
        Run sent = call(QStringLiteral("item"), {QStringLiteral("--param"), QStringLiteral("id=11")});
        QCOMPARE(sent.code, 2);
        QVERIFY2(sent.err.contains(QLatin1String("path parameter 'id': Must be at most 10")), qPrintable(sent.err));
        QVERIFY(sent.out.isEmpty());
        sent = call(QStringLiteral("item"), {QStringLiteral("--param"), QStringLiteral("id=eleven")});
        QCOMPARE(sent.code, 2);
        QVERIFY2(sent.err.contains(QLatin1String("Must be a whole number")), qPrintable(sent.err));
        sent = call(QStringLiteral("item"), {QStringLiteral("--param"), QStringLiteral("id=11"), QStringLiteral("--no-validate")});
        QVERIFY2(sent.code == 0, qPrintable(sent.err));
        QVERIFY(sent.echo().value(QStringLiteral("url")).toString().endsWith(QLatin1String("/anything/items/11")));
    }
};

QTEST_GUILESS_MAIN(TestCliCallAfterLogin)
#include "tst_cli_callafterlogin.moc"
