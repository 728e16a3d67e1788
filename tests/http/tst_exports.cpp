// HAR export, copy as curl, curl import and history, checked against httpbin
// and the real curl: what Portolan exports or imports must behave the same.
#include "curlcommand.h"
#include "exchangesender.h"
#include "harexport.h"
#include "historystore.h"
#include "httpbin.h"
#include "redaction.h"
#include "requestauthenticator.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan::http;
using portolan::test::HttpBin;

namespace {

const QByteArray kToken = "tok-SECRET-9f8e7d";
const QByteArray kApiKey = "key-SECRET-1234";
const QByteArray kCookie = "cookie-SECRET-55";

// Puts a bearer token and an API key query parameter on every request, the
// way the auth engine does, and reports where.
class KeyAndToken : public RequestAuthenticator {
public:
    void authenticate(const HttpRequest &request, std::function<void(AuthenticationResult)> done) override
    {
        AuthenticationResult r{true, {}, request, {}};
        setHeader(r.request.headers, "Authorization", "Bearer " + kToken);
        QString query = r.request.url.query(QUrl::FullyEncoded);
        r.request.url.setQuery(query + (query.isEmpty() ? "" : "&") + QStringLiteral("api_key=") + QString::fromLatin1(kApiKey));
        r.secrets = {{SecretUse::Location::Header, "Authorization", QStringLiteral("cred-1"), {}, kToken},
                     {SecretUse::Location::Query, "api_key", QStringLiteral("cred-2"), {}, kApiKey}};
        done(r);
    }
    void onUnauthorized(const HttpRequest &, const SentRequest &, const ReceivedResponse &, std::function<void(std::optional<AuthenticationResult>)> done) override
    {
        done(std::nullopt);
    }
};

QJsonObject echoOf(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

// The parts of an httpbin echo that describe what the server received.
QJsonObject essentials(QJsonObject echo, const QStringList &ignoredHeaders)
{
    QJsonObject headers = echo.value(QStringLiteral("headers")).toObject();
    for (const QString &h : ignoredHeaders)
        headers.remove(h);
    echo.insert(QStringLiteral("headers"), headers);
    echo.remove(QStringLiteral("origin"));
    return echo;
}

} // namespace

class TestExports : public QObject {
    Q_OBJECT
private:
    HttpBin m_httpbin;
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;

    Exchange send(const HttpRequest &request, RequestAuthenticator *auth = nullptr, bool follow = true)
    {
        ExchangeSender sender(&m_network);
        sender.setAuthenticator(auth);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        SendOptions options;
        options.followRedirects = follow;
        sender.send(request, options);
        if (!finished.wait(20'000))
            qWarning("no finished signal");
        return sender.exchange();
    }
    static bool hasCurl() { return !QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty(); }
    QByteArray runShell(const QString &commandLine)
    {
        QProcess shell;
        shell.setWorkingDirectory(m_dir.path());
        shell.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), commandLine + QStringLiteral(" -s")});
        if (!shell.waitForFinished(20'000) || shell.exitCode() != 0)
            qWarning("shell failed: %s", shell.readAllStandardError().constData());
        return shell.readAllStandardOutput();
    }
    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return file.fileName();
    }
    QString base() const { return m_httpbin.baseUrl().toString(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        QVERIFY(m_dir.isValid());
    }

    void shellQuoting()
    {
        QCOMPARE(shellQuote(QStringLiteral("plain-word")), QStringLiteral("plain-word"));
        QCOMPARE(shellQuote(QStringLiteral("it's $HOME")), QStringLiteral("'it'\\''s $HOME'"));
        QString error;
        QCOMPARE(splitShellWords(QStringLiteral("a 'b c' \"d \\\"e\\\"\" $'f\\tg' h\\ i \\\n j"), &error),
                 QStringList({QStringLiteral("a"), QStringLiteral("b c"), QStringLiteral("d \"e\""), QStringLiteral("f\tg"),
                              QStringLiteral("h i"), QStringLiteral("j")}));
        QVERIFY(error.isEmpty());
        splitShellWords(QStringLiteral("curl 'unterminated"), &error);
        QCOMPARE(error, QStringLiteral("unterminated ' quote at character 6"));
    }

    void harIsHar12AndRedactedByDefault()
    {
        HttpRequest request;
        request.url = m_httpbin.url(QStringLiteral("/redirect-to?url=%2Fanything%2Fend"));
        request.headers = {{"Cookie", "sid=" + kCookie}};
        KeyAndToken auth;
        const Exchange exchange = send(request, &auth);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QVERIFY(exchange.finalHop().response.body.read().contains(kToken));  // httpbin echoes it back

        const QJsonObject har = toHar({exchange});
        const QByteArray text = QJsonDocument(har).toJson();
        for (const QByteArray &secret : {kToken, kApiKey, kCookie})
            QVERIFY2(!text.contains(secret), secret.constData());
        QVERIFY(text.contains("Bearer <credential:cred-1>"));
        QVERIFY(text.contains("%3Ccredential%3Acred-2%3E"));

        const QJsonObject log = har.value(QStringLiteral("log")).toObject();
        QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
        QCOMPARE(log.value(QStringLiteral("creator")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Portolan"));
        const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 2);
        for (const QJsonValue &v : entries) {
            const QJsonObject e = v.toObject();
            for (const char *key : {"startedDateTime", "time", "request", "response", "cache", "timings"})
                QVERIFY2(e.contains(QLatin1String(key)), key);
            const QJsonObject rq = e.value(QStringLiteral("request")).toObject();
            for (const char *key : {"method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize"})
                QVERIFY2(rq.contains(QLatin1String(key)), key);
            const QJsonObject rs = e.value(QStringLiteral("response")).toObject();
            for (const char *key : {"status", "statusText", "httpVersion", "cookies", "headers", "content", "redirectURL", "headersSize", "bodySize"})
                QVERIFY2(rs.contains(QLatin1String(key)), key);
            const QJsonObject timings = e.value(QStringLiteral("timings")).toObject();
            for (const char *key : {"send", "wait", "receive"})
                QVERIFY2(timings.value(QLatin1String(key)).toDouble() >= 0, key);
        }
        const QJsonObject first = entries[0].toObject().value(QStringLiteral("response")).toObject();
        QCOMPARE(first.value(QStringLiteral("status")).toInt(), 302);
        QCOMPARE(first.value(QStringLiteral("redirectURL")).toString(), QStringLiteral("/anything/end"));
        const QJsonObject last = entries[1].toObject();
        QCOMPARE(last.value(QStringLiteral("serverIPAddress")).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(last.value(QStringLiteral("response")).toObject().value(QStringLiteral("content")).toObject()
                     .value(QStringLiteral("mimeType")).toString(), QStringLiteral("application/json"));

        HarOptions raw;
        raw.redactSecrets = false;
        const QByteArray unredacted = QJsonDocument(toHar({exchange}, raw)).toJson();
        QVERIFY(unredacted.contains(kToken) && unredacted.contains(kApiKey) && unredacted.contains(kCookie));
    }

    // Each recorded request, replayed by the real curl from "copy as curl",
    // reaches httpbin exactly as Portolan's own send did, headers included.
    void copyAsCurlIsFaithful_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("GET query") << QByteArray("GET") << "/anything?q=a%20b&x=%27quoted%27" << QByteArray() << QByteArray();
        QTest::newRow("POST json") << QByteArray("POST") << "/anything" << QByteArray("application/json")
                                   << QByteArray(R"({"it's":"$HOME `x` \"q\""})");
        QTest::newRow("PATCH binary") << QByteArray("PATCH") << "/anything" << QByteArray("application/octet-stream")
                                      << QByteArray("\x00\x01\xff'\\\n\r end", 12);
        QTest::newRow("DELETE") << QByteArray("DELETE") << "/anything/1" << QByteArray() << QByteArray();
    }
    void copyAsCurlIsFaithful()
    {
        QVERIFY2(hasCurl(), "the curl command is not installed (packaging/install-deps.sh installs it)");
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        HttpRequest request;
        request.method = method;
        request.url = m_httpbin.url(path);
        request.headers = {{"X-Quote", "it's \"fine\" $PATH"}};
        if (!contentType.isEmpty())
            request.headers.append(HeaderField{"Content-Type", contentType});
        if (!body.isEmpty())
            request.body = RequestBodyData::fromBytes(body);
        const Exchange exchange = send(request);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        const QString curl = toCurl(exchange.finalHop().request);
        const QJsonObject ours = echoOf(exchange.finalHop().response.body.read());
        const QJsonObject theirs = echoOf(runShell(curl));
        QCOMPARE(essentials(theirs, {}), essentials(ours, {}));
    }

    void copyAsCurlStreamsMultipartFiles()
    {
        QVERIFY2(hasCurl(), "the curl command is not installed (packaging/install-deps.sh installs it)");
        QByteArray picture(30'000, 'p');
        picture[5] = '\0';
        QByteArray contentType;
        HttpRequest request;
        request.method = "POST";
        request.url = m_httpbin.url(QStringLiteral("/anything"));
        request.body = multipartFormData({{QStringLiteral("name"), "Rex", {}, {}, {}},
                                          {QStringLiteral("pic"), {}, writeFile(QStringLiteral("pic.bin"), picture), {}, "image/png"}},
                                         &contentType);
        request.headers = {{"Content-Type", contentType}};
        const Exchange exchange = send(request);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        const QString curl = toCurl(exchange.finalHop().request);
        QVERIFY2(curl.contains(QLatin1String("cat ")), qPrintable(curl));
        QCOMPARE(essentials(echoOf(runShell(curl)), {}), essentials(echoOf(exchange.finalHop().response.body.read()), {}));
    }

    // A curl command imported and sent by Portolan reaches httpbin as it does
    // when the real curl runs it (client identity headers aside).
    void importedCurlMatchesRealCurl_data()
    {
        QTest::addColumn<QString>("arguments");
        QTest::newRow("-X -H") << QStringLiteral("-X PUT -H 'X-A: 1' -H \"X-B: two words\" '%1/anything?q=1'");
        QTest::newRow("-d twice") << QStringLiteral("-d 'a=1' -d b=2 %1/anything");
        QTest::newRow("--data-raw @") << QStringLiteral("--data-raw '@not-a-file' %1/anything");
        QTest::newRow("-d @file") << QStringLiteral("-d @form.txt %1/anything");
        QTest::newRow("--data-binary @file") << QStringLiteral("--data-binary @form.txt -H 'Content-Type: text/plain' %1/anything");
        QTest::newRow("--data-urlencode") << QStringLiteral("--data-urlencode 'msg=a b&c' %1/anything");
        QTest::newRow("-F") << QStringLiteral("-F name=Rex -F 'pic=@pic.bin;type=image/png' %1/anything");
        QTest::newRow("-u") << QStringLiteral("-u 'alice:s3cret' %1/basic-auth/alice/s3cret");
        QTest::newRow("-b") << QStringLiteral("-b 'a=1; b=2' %1/cookies");
        QTest::newRow("--json") << QStringLiteral("--json '{\"k\":[1,2]}' %1/anything");
        QTest::newRow("-G") << QStringLiteral("-G -d x=1 -d y=2 %1/anything");
        QTest::newRow("-L") << QStringLiteral("-L %1/redirect/2");
        QTest::newRow("--compressed") << QStringLiteral("--compressed %1/gzip");
        QTest::newRow("--url -XPATCH") << QStringLiteral("-XPATCH --url %1/anything -H 'Accept: text/plain'");
    }
    void importedCurlMatchesRealCurl()
    {
        QVERIFY2(hasCurl(), "the curl command is not installed (packaging/install-deps.sh installs it)");
        QFETCH(QString, arguments);
        writeFile(QStringLiteral("form.txt"), "p=1\nq=2\n");
        writeFile(QStringLiteral("pic.bin"), QByteArray(2000, 'z'));
        const QString commandLine = QStringLiteral("curl ") + arguments.arg(base());
        const CurlImport imported = importCurl(commandLine, m_dir.path());
        QVERIFY2(imported.ok(), qPrintable(imported.error));
        const Exchange exchange = send(imported.request, nullptr, imported.followRedirects);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        const QStringList clientHeaders{QStringLiteral("User-Agent"), QStringLiteral("Accept"), QStringLiteral("Accept-Encoding"),
                                        QStringLiteral("Accept-Language"), QStringLiteral("Connection"), QStringLiteral("Content-Type")};
        QJsonObject ours = essentials(echoOf(exchange.finalHop().response.body.read()), clientHeaders);
        QJsonObject theirs = essentials(echoOf(runShell(commandLine)), clientHeaders);
        if (arguments.startsWith(QLatin1String("-F"))) {  // boundaries differ, hence the body and length
            for (QJsonObject *o : {&ours, &theirs}) {
                QJsonObject h = o->value(QStringLiteral("headers")).toObject();
                h.remove(QStringLiteral("Content-Length"));
                o->insert(QStringLiteral("headers"), h);
                o->remove(QStringLiteral("data"));
            }
        }
        QVERIFY(!theirs.isEmpty());
        QCOMPARE(ours, theirs);
        // The content type curl chose is the one imported (multipart aside: boundary).
        if (!arguments.startsWith(QLatin1String("-F")))
            QCOMPARE(echoOf(exchange.finalHop().response.body.read()).value(QStringLiteral("headers")).toObject().value(QStringLiteral("Content-Type")),
                     echoOf(runShell(commandLine)).value(QStringLiteral("headers")).toObject().value(QStringLiteral("Content-Type")));
    }

    void curlImportErrorsSayWhere()
    {
        QCOMPARE(importCurl(QStringLiteral("curl -H 'X-A: 1'")).error, QStringLiteral("the command has no URL"));
        QCOMPARE(importCurl(QStringLiteral("curl -H NoColon http://x")).error, QStringLiteral("header 'NoColon' has no name: value form"));
        QCOMPARE(importCurl(QStringLiteral("curl http://x -H")).error, QStringLiteral("option -H (word 2) needs a value"));
        QVERIFY(importCurl(QStringLiteral("curl -d @missing.txt http://x"), m_dir.path()).error.contains(QLatin1String("missing.txt")));
        const CurlImport flags = importCurl(QStringLiteral("curl -k -L --max-redirs 3 -m 2.5 --frobnicate https://x/"));
        QVERIFY(flags.ok());
        QVERIFY(flags.insecure && flags.followRedirects);
        QCOMPARE(flags.maxRedirects, 3);
        QCOMPARE(flags.timeoutMs, 2500);
        QCOMPARE(flags.warnings, QStringList{QStringLiteral("option --frobnicate is not supported and was ignored")});
    }

    // Arbitrary input never crashes the importer; it either imports or says why.
    void curlImportSurvivesGarbage()
    {
        const QString alphabet = QStringLiteral("curl -XHdFub@=:;'\"\\$ \n\thttp://x/{}[]&?%é");
        QRandomGenerator random(4711);
        for (int i = 0; i < 5000; ++i) {
            QString line;
            const int length = random.bounded(60);
            for (int j = 0; j < length; ++j)
                line += alphabet.at(random.bounded(int(alphabet.size())));
            const CurlImport imported = importCurl(line, m_dir.path());
            QVERIFY(imported.ok() || !imported.error.isEmpty());
            QVERIFY(!imported.ok() || imported.request.url.isValid());
        }
    }

    void historyKeepsNoSecret()
    {
        HttpRequest request;
        request.url = m_httpbin.url(QStringLiteral("/anything?page=2"));
        request.headers = {{"Cookie", "sid=" + kCookie}};
        KeyAndToken auth;
        const Exchange exchange = send(request, &auth);
        QVERIFY(exchange.hasResponse());

        const QString dir = m_dir.filePath(QStringLiteral("history"));
        HistoryStore store(dir, 3);
        const QString api = QStringLiteral("https://api.example.com/openapi.yaml");
        QString error;
        for (int i = 0; i < 5; ++i) {
            Exchange copy = exchange;
            copy.id = QStringLiteral("exchange-%1").arg(i);
            copy.startedAt = exchange.startedAt.addMSecs(i);
            QVERIFY2(store.append(api, copy, &error), qPrintable(error));
        }
        const QDir apiDir(store.directoryFor(api));
        const QStringList files = apiDir.entryList(QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 3);  // capped: the two oldest are gone
        QVERIFY(files.first().endsWith(QLatin1String("exchange-2.json")));
        for (const QString &name : files) {
            QFile file(apiDir.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray stored = file.readAll();
            for (const QByteArray &secret : {kToken, kApiKey, kCookie})
                QVERIFY2(!stored.contains(secret), secret.constData());
        }

        QList<HistoryEntry> entries = store.entries(api, &error);
        QVERIFY(error.isEmpty());
        QCOMPARE(entries.size(), 3);
        const HistoryEntry &e = entries.first();  // newest first
        QCOMPARE(e.id, QStringLiteral("exchange-4"));
        QCOMPARE(e.status, 200);
        QCOMPARE(e.request.url.path(), QStringLiteral("/anything"));
        QCOMPARE(headerValue(e.request.headers, "Cookie"), QByteArray("sid=<redacted>"));
        QCOMPARE(e.har.size(), 1);
        QCOMPARE(e.har.first().toObject().value(QStringLiteral("request")).toObject().value(QStringLiteral("method")).toString(),
                 QStringLiteral("GET"));

        // A damaged file is reported and left alone; the others are still listed.
        const QString damagedPath = apiDir.filePath(files.first());
        QFile damaged(damagedPath);
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write("{not json");
        damaged.close();
        entries = store.entries(api, &error);
        QCOMPARE(entries.size(), 2);
        QVERIFY2(error.contains(files.first()), qPrintable(error));
        QVERIFY(damaged.open(QIODevice::ReadOnly));
        QCOMPARE(damaged.readAll(), QByteArray("{not json"));
        damaged.close();

        QVERIFY(store.clear(api, &error));
        QVERIFY(!apiDir.exists());
        QVERIFY(store.entries(api, &error).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestExports)
#include "tst_exports.moc"
