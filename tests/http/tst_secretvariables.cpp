// Secret environment variables: their values live in the real keychain
// (gnome-keyring through QtKeychain), portolan-cli sets them from stdin and
// substitutes them into requests sent to httpbin, and no byte of a value
// reaches the per-user folders. Without a keychain: a clear error, nothing on disk.
#include "environment.h"
#include "httpbin.h"
#include "secretvariables.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace portolan::http;
using portolan::test::HttpBin;

namespace {
const char kDocument[] = R"(openapi: 3.0.3
info: {title: secret variables, version: '1'}
servers: [{url: 'http://127.0.0.1:{port}', variables: {port: {default: '1'}}}]
paths:
  /anything:
    get:
      operationId: anything
      responses: {'200': {description: ok}}
)";

QString uniqueName(const char *prefix)
{
    return QLatin1String(prefix) + QUuid::createUuid().toString(QUuid::Id128).left(12);
}
} // namespace

class TestSecretVariables : public QObject {
    Q_OBJECT
private:
    HttpBin m_httpbin;
    QTemporaryDir m_home;  // HOME and XDG_* of the portolan-cli processes
    QString m_document;
    QList<QPair<QString, QString>> m_stored;  // (environment, variable) to remove from the keychain at the end

    struct Run {
        int code = -1;
        QByteArray out, err;
    };
    Run cli(const QStringList &arguments, const QByteArray &stdinBytes = {}, bool withKeychain = true)
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), m_home.path());
        for (const char *name : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"})
            environment.insert(QLatin1String(name), m_home.filePath(QLatin1String(name)));
        if (!withKeychain)
            environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/portolan-test-bus"));
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli"), arguments);
        process.write(stdinBytes);
        process.closeWriteChannel();
        Run run;
        if (process.waitForFinished(30'000) && process.exitStatus() == QProcess::NormalExit)
            run.code = process.exitCode();
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }
    QStringList filesContaining(const QByteArray &needle) const
    {
        QStringList hits;
        for (QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories); it.hasNext();) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
                hits.append(file.fileName());
        }
        return hits;
    }
    bool keychainAvailable()
    {
        SecretVariableStore store;
        const QString environment = uniqueName("probe-");
        bool done = false, ok = false;
        store.save(environment, QStringLiteral("x"), QStringLiteral("probe"), [&](const SecretVariableResult &r) {
            ok = r.ok;
            done = true;
        });
        QTest::qWaitFor([&] { return done; }, 10'000);
        if (ok)
            m_stored.append({environment, QStringLiteral("x")});
        return ok;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        m_document = m_home.filePath(QStringLiteral("api.yaml"));
        QFile file(m_document);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kDocument);
    }
    void cleanupTestCase()
    {
        SecretVariableStore store;
        for (const auto &[environment, variable] : std::as_const(m_stored)) {
            bool done = false;
            store.remove(environment, variable, [&](const SecretVariableResult &) { done = true; });
            QTRY_VERIFY_WITH_TIMEOUT(done, 10'000);
        }
    }

    void roundTripInTheKeychain()
    {
        QVERIFY2(keychainAvailable(), "the keychain did not store a secret (run the tests with tests/run-all.sh)");
        const QString environmentName = uniqueName("env-");
        const QString value = QStringLiteral("tok-") + QUuid::createUuid().toString(QUuid::Id128);
        {
            SecretVariableStore writer;
            bool done = false;
            SecretVariableResult saved;
            writer.save(environmentName, QStringLiteral("token"), value, [&](const SecretVariableResult &r) {
                saved = r;
                done = true;
            });
            QTRY_VERIFY_WITH_TIMEOUT(done, 10'000);
            QVERIFY2(saved.ok && !saved.sessionOnly, qPrintable(saved.error));
        }
        // A fresh store has no cached value: it must come from the keychain.
        SecretVariableStore reader;
        const Environment stored{environmentName, {{QStringLiteral("host"), QStringLiteral("h"), false},
                                                   {QStringLiteral("token"), QString(), true}}};
        Environment filled;
        QStringList problems{QStringLiteral("pending")};
        reader.fill(stored, [&](const Environment &e, const QStringList &p) {
            filled = e;
            problems = p;
        });
        QTRY_VERIFY_WITH_TIMEOUT(problems != QStringList{QStringLiteral("pending")}, 10'000);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QCOMPARE(filled.find(QStringLiteral("token"))->value, value);
        QCOMPARE(filled.find(QStringLiteral("host"))->value, QStringLiteral("h"));

        // Removed from the keychain: another store finds no value, which is no keychain failure.
        bool removed = false;
        reader.remove(environmentName, QStringLiteral("token"), [&](const SecretVariableResult &r) { removed = r.ok; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 10'000);
        SecretVariableStore later;
        problems = {QStringLiteral("pending")};
        later.fill(stored, [&](const Environment &e, const QStringList &p) {
            filled = e;
            problems = p;
        });
        QTRY_VERIFY_WITH_TIMEOUT(problems != QStringList{QStringLiteral("pending")}, 10'000);
        QCOMPARE(problems, QStringList());
        QVERIFY(filled.find(QStringLiteral("token"))->value.isEmpty());
    }

    void cliSendsTheSecretFromTheKeychain()
    {
        QVERIFY2(keychainAvailable(), "the keychain did not store a secret (run the tests with tests/run-all.sh)");
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        const QString environmentName = uniqueName("cli-");
        const QByteArray value = "s3cret-" + QUuid::createUuid().toByteArray(QUuid::Id128);

        const Run set = cli({QStringLiteral("env"), QStringLiteral("set-secret"), environmentName, QStringLiteral("api_token")},
                            value + '\n');
        QVERIFY2(set.code == 0, set.err.constData());
        m_stored.append({environmentName, QStringLiteral("api_token")});
        QVERIFY(!set.out.contains(value));
        // The environments file names the variable as a secret, without its value.
        QString error;
        const QList<Environment> environments
            = EnvironmentStore(m_home.filePath(QStringLiteral("XDG_DATA_HOME/portolan/portolan/environments.json"))).load(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(environments.size(), 1);
        QVERIFY(environments.first().find(QStringLiteral("api_token"))->secret);

        const Run call = cli({QStringLiteral("call"), m_document, QStringLiteral("anything"), QStringLiteral("--server-var"),
                              QStringLiteral("port=%1").arg(m_httpbin.port()), QStringLiteral("--env"), environmentName,
                              QStringLiteral("--header"), QStringLiteral("X-Api-Token: Bearer {{api_token}}"), QStringLiteral("-v")});
        QVERIFY2(call.code == 0, call.err.constData());
        const QJsonObject headers = QJsonDocument::fromJson(call.out).object().value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("X-Api-Token")).toString().toUtf8(), "Bearer " + value);
        QVERIFY2(!call.err.contains(value), call.err.constData());  // -v shows the request redacted
        QVERIFY2(call.err.contains("X-Api-Token: Bearer <secret:api_token>"), call.err.constData());

        // Environments, history and anything else under HOME/XDG_*: no trace of the value.
        QVERIFY(QFile::exists(m_home.filePath(QStringLiteral("XDG_DATA_HOME/portolan/portolan/environments.json"))));
        QCOMPARE(filesContaining(value), QStringList());
    }

    void withoutKeychainNothingIsWritten()
    {
        const QString environmentName = uniqueName("nokeychain-");
        const QByteArray value = "never-on-disk-" + QUuid::createUuid().toByteArray(QUuid::Id128);
        const Run set = cli({QStringLiteral("env"), QStringLiteral("set-secret"), environmentName, QStringLiteral("api_token")},
                            value, false);
        QCOMPARE(set.code, 1);
        QVERIFY2(set.err.contains("keychain") && set.err.contains("Fix:"), set.err.constData());
        QCOMPARE(filesContaining(value), QStringList());

        // A secret the keychain cannot give: the call names the variable and the cause, and sends nothing.
        const EnvironmentStore file(m_home.filePath(QStringLiteral("XDG_DATA_HOME/portolan/portolan/environments.json")));
        QString error;
        QList<Environment> environments = file.load(&error);
        environments.append({environmentName, {{QStringLiteral("api_token"), QString(), true}}});
        QVERIFY2(file.save(environments, &error), qPrintable(error));
        const Run call = cli({QStringLiteral("call"), m_document, QStringLiteral("anything"), QStringLiteral("--server-var"),
                              QStringLiteral("port=1"), QStringLiteral("--env"), environmentName, QStringLiteral("--header"),
                              QStringLiteral("X-Api-Token: {{api_token}}")},
                             {}, false);
        QCOMPARE(call.code, 1);
        QVERIFY2(call.err.contains("no value for {{api_token}}") && call.err.contains("secret variable 'api_token'")
                     && call.err.contains("keychain"),
                 call.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestSecretVariables)
#include "tst_secretvariables.moc"
