// {{variables}} from environments, their file (no secret values in it), and
// redaction of secret variable values wherever they end up.
#include "environment.h"
#include "redaction.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan::http;

class TestEnvironment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void substitutesEverywhere()
    {
        Environment dev{QStringLiteral("dev"),
                        {{QStringLiteral("host"), QStringLiteral("api.dev.example.com"), false},
                         {QStringLiteral("id"), QStringLiteral("42"), false},
                         {QStringLiteral("token"), QStringLiteral("tok-SECRET-123"), true}}};
        HttpRequest request;
        Substitution hostOnly;
        request.url = QUrl(substituteVariables(QStringLiteral("https://{{host}}/items/{{ id }}?q={{missing}}"), dev, &hostOnly));
        QCOMPARE(request.url.toString(), QStringLiteral("https://api.dev.example.com/items/42?q=%7B%7Bmissing%7D%7D"));
        request.url = QUrl(QStringLiteral("https://api.dev.example.com/items/{{ id }}?q={{missing}}"));
        request.headers = {{"Authorization", "Bearer {{token}}"}, {"X-Id", "{{id}}"}};
        request.body = RequestBodyData::fromBytes(R"({"id": "{{id}}"})");
        Substitution result;
        const HttpRequest out = substituteVariables(request, dev, &result);
        QCOMPARE(out.url.host(), QStringLiteral("api.dev.example.com"));
        QCOMPARE(out.url.path(), QStringLiteral("/items/42"));
        QCOMPARE(result.missing, QStringList{QStringLiteral("missing")});
        QCOMPARE(headerValue(out.headers, "Authorization"), QByteArray("Bearer tok-SECRET-123"));
        QCOMPARE(headerValue(out.headers, "X-Id"), QByteArray("42"));
        QCOMPARE(out.body.inMemoryBytes(), QByteArray(R"({"id": "42"})"));
        QCOMPARE(result.secrets.size(), 1);

        // A secret variable's value is replaced by its name wherever it went.
        const HttpRequest safe = redacted(out, result.secrets);
        QCOMPARE(headerValue(safe.headers, "Authorization"), QByteArray("Bearer <redacted>"));
        request.headers = {{"X-Custom", "token={{token}}"}};
        Substitution second;
        const HttpRequest custom = redacted(substituteVariables(request, dev, &second), second.secrets);
        QCOMPARE(headerValue(custom.headers, "X-Custom"), QByteArray("token=<secret:token>"));
    }

    void secretWithoutValueIsMissing()
    {
        Environment locked{QStringLiteral("prod"), {{QStringLiteral("token"), QString(), true}}};
        Substitution result;
        QCOMPARE(substituteVariables(QStringLiteral("Bearer {{token}}"), locked, &result), QStringLiteral("Bearer {{token}}"));
        QCOMPARE(result.missing, QStringList{QStringLiteral("token")});
    }

    void fileKeepsNoSecretValue()
    {
        QTemporaryDir dir;
        const EnvironmentStore store(dir.filePath(QStringLiteral("env/environments.json")));
        QString error;
        QVERIFY2(store.save({{QStringLiteral("dev"), {{QStringLiteral("host"), QStringLiteral("h"), false},
                                                     {QStringLiteral("token"), QStringLiteral("tok-SECRET-123"), true}}}},
                            &error),
                 qPrintable(error));
        QFile file(store.file());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("tok-SECRET-123"));
        const QList<Environment> loaded = store.load(&error);
        QVERIFY(error.isEmpty());
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(loaded.first().find(QStringLiteral("host"))->value, QStringLiteral("h"));
        QVERIFY(loaded.first().find(QStringLiteral("token"))->secret);
        QVERIFY(loaded.first().find(QStringLiteral("token"))->value.isEmpty());

        file.close();
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{broken");
        file.close();
        QVERIFY(store.load(&error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("damaged at byte")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestEnvironment)
#include "tst_environment.moc"
