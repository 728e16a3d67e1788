// {{variables}} from environments, their file (no secret values in it), and
// redaction of secret variable values wherever they end up.
#include "environment.h"
#include "historystore.h"
#include "redaction.h"

#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

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

    // A value is inserted into a URL percent-encoded: "&" does not split a
    // parameter, "#" does not start a fragment, "/" does not add a segment.
    void valuesAreEncodedInUrls()
    {
        const QString value = QStringLiteral("a&b=c d+e#f/g%h");
        const Environment env{QStringLiteral("dev"), {{QStringLiteral("v"), value, false}}};
        HttpRequest request;
        request.url = QUrl(QStringLiteral("https://api.example.com/items/{{v}}?q={{v}}&other=1"));
        Substitution result;
        const QUrl url = substituteVariables(request, env, &result).url;
        const QUrlQuery query(url);
        QCOMPARE(query.queryItems(QUrl::FullyDecoded).size(), 2);
        QCOMPARE(query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded), value);
        QCOMPARE(query.queryItemValue(QStringLiteral("other")), QStringLiteral("1"));
        QVERIFY(!url.hasFragment());
        QCOMPARE(url.path(QUrl::FullyEncoded).count(QLatin1Char('/')), 2);  // "/items/<one segment>"
        QCOMPARE(url.path(QUrl::FullyDecoded), QStringLiteral("/items/") + value);
    }

    // A secret variable in the path, or with characters a URL encodes, never
    // reaches the history files in clear, in any encoding.
    void secretVariablesNeverReachHistoryInClear()
    {
        const QByteArray secret = "s3cret tok&en/x";
        const Environment env{QStringLiteral("prod"), {{QStringLiteral("tok"), QString::fromUtf8(secret), true}}};
        HttpRequest request;
        request.url = QUrl(QStringLiteral("https://api.example.com/keys/{{tok}}/items?key={{tok}}&page=2"));
        request.body = RequestBodyData::fromBytes("token={{tok}}");
        Substitution substitution;
        Exchange exchange;
        exchange.id = QStringLiteral("e1");
        exchange.startedAt = QDateTime::currentDateTimeUtc();
        exchange.original = substituteVariables(request, env, &substitution);
        exchange.secrets = substitution.secrets;
        Hop hop;
        hop.request.method = "GET";
        hop.request.url = exchange.original.url;
        hop.request.body = RequestBodyData::fromBytes("token=" + QUrl::toPercentEncoding(QString::fromUtf8(secret)));
        exchange.hops.append(hop);

        QTemporaryDir dir;
        HistoryStore history(dir.path());
        QString error;
        QVERIFY2(history.append(QStringLiteral("api"), exchange, &error), qPrintable(error));
        const QByteArray encoded = QUrl::toPercentEncoding(QString::fromUtf8(secret));
        QDirIterator files(dir.path(), QDir::Files, QDirIterator::Subdirectories);
        int checked = 0;
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray text = file.readAll();
            for (const QByteArray &form : {secret, encoded, QByteArray(encoded).replace("%20", "+"), QByteArray("s3cret")})
                QVERIFY2(!text.contains(form), qPrintable(file.fileName() + QStringLiteral(": ") + QString::fromUtf8(form)));
            QVERIFY(text.contains("secret:tok") || text.contains("secret%3Atok"));
            ++checked;
        }
        QCOMPARE(checked, 1);
    }

    // Files under the data folder are the user's alone: folders 0700, files 0600.
    void dataFilesAreOwnerOnly()
    {
        QTemporaryDir dir;
        const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
        const auto ownerOnlyFolder = ownerOnly | QFileDevice::ExeOwner;
        auto permissions = [](const QString &path) {
            // Qt sets the User flags alongside the Owner ones on Unix; compare the Owner/Group/Other bits only.
            return QFileInfo(path).permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser);
        };
        const EnvironmentStore environments(dir.filePath(QStringLiteral("data/environments.json")));
        QString error;
        QVERIFY2(environments.save({{QStringLiteral("dev"), {{QStringLiteral("host"), QStringLiteral("h"), false}}}}, &error),
                 qPrintable(error));
        QCOMPARE(permissions(environments.file()), ownerOnly);
        QCOMPARE(permissions(dir.filePath(QStringLiteral("data"))), ownerOnlyFolder);

        HistoryStore history(dir.filePath(QStringLiteral("history")));
        Exchange exchange;
        exchange.id = QStringLiteral("e2");
        exchange.startedAt = QDateTime::currentDateTimeUtc();
        exchange.original.url = QUrl(QStringLiteral("https://api.example.com/"));
        QVERIFY2(history.append(QStringLiteral("api"), exchange, &error), qPrintable(error));
        const QString folder = history.directoryFor(QStringLiteral("api"));
        QCOMPARE(permissions(folder), ownerOnlyFolder);
        const QStringList files = QDir(folder).entryList(QDir::Files);
        QCOMPARE(files.size(), 1);
        QCOMPARE(permissions(QDir(folder).filePath(files.first())), ownerOnly);
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
