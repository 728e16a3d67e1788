// portolan-cli call, run as a user runs it, against httpbin on loopback.
#include "closedport.h"
#include "httpbin.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using portolan::test::HttpBin;

namespace {
const char kDocument[] = R"(openapi: 3.0.3
info: {title: cli test, version: '1'}
servers:
  - url: http://127.0.0.1:{port}
    variables: {port: {default: '1'}}
paths:
  /anything/items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: X-Mode, in: header, schema: {type: string}}
      responses: {'200': {description: ok}}
    post:
      requestBody:
        required: true
        content: {application/json: {schema: {type: object}}}
      responses: {'200': {description: ok}}
  /redirect-to:
    get:
      operationId: redirectTo
      parameters: [{name: url, in: query, required: true, schema: {type: string}}]
      responses: {default: {description: any}}
  /status/{code}:
    get:
      operationId: status
      parameters: [{name: code, in: path, required: true, schema: {type: integer}}]
      responses: {default: {description: any}}
)";

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};
} // namespace

class TestCli : public QObject {
    Q_OBJECT
private:
    HttpBin m_httpbin;
    QTemporaryDir m_dir;
    QString m_document;

    Run call(QStringList arguments, const QByteArray &stdinData = {})
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        process.setProcessEnvironment(environment);
        arguments.prepend(QStringLiteral("call"));
        process.start(QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli"), arguments);
        process.write(stdinData);
        process.closeWriteChannel();
        Run run;
        if (!process.waitForFinished(30'000))
            return run;
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }
    QString port() const { return QStringLiteral("port=%1").arg(m_httpbin.port()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli")));
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        m_document = m_dir.filePath(QStringLiteral("api.yaml"));
        QFile file(m_document);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kDocument);
    }

    void printsTheBody()
    {
        const Run run = call({m_document, QStringLiteral("getItem"), QStringLiteral("--param"), QStringLiteral("id=5"),
                              QStringLiteral("--param"), QStringLiteral("tags=a,b"), QStringLiteral("--param"),
                              QStringLiteral("X-Mode=fast"), QStringLiteral("--server-var"), port()});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject echo = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(QUrl(echo.value(QStringLiteral("url")).toString()).path(), QStringLiteral("/anything/items/5"));
        QCOMPARE(echo.value(QStringLiteral("args")).toObject().value(QStringLiteral("tags")).toArray(),
                 QJsonArray({QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(echo.value(QStringLiteral("headers")).toObject().value(QStringLiteral("X-Mode")).toString(), QStringLiteral("fast"));
    }

    void includeAndVerbose()
    {
        const Run run = call({m_document, QStringLiteral("GET /anything/items/{id}"), QStringLiteral("--param"), QStringLiteral("id=1"),
                              QStringLiteral("--server-var"), port(), QStringLiteral("-i"), QStringLiteral("-v"),
                              QStringLiteral("--header"), QStringLiteral("Authorization: Bearer sekrit-value")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.startsWith("HTTP/1.x 200 OK\n"), run.out.left(100).constData());
        QVERIFY(run.out.contains("\nContent-Type: application/json\n"));
        QVERIFY(run.out.contains("\n\n{"));
        QVERIFY2(run.err.contains("> GET /anything/items/1 HTTP/1.1\n"), run.err.constData());
        QVERIFY(run.err.contains("> Host: 127.0.0.1:"));
        QVERIFY(run.err.contains("> Authorization: Bearer <redacted>\n"));
        QVERIFY(run.err.contains("< HTTP/1.x 200 OK\n"));
        QVERIFY(run.err.contains("* timings: "));
        QVERIFY(!run.err.contains("sekrit-value"));
        QVERIFY(run.out.contains("sekrit-value"));  // the body is the server's answer, printed as is

        const Run shown = call({m_document, QStringLiteral("getItem"), QStringLiteral("--param"), QStringLiteral("id=1"),
                                QStringLiteral("--server-var"), port(), QStringLiteral("-v"), QStringLiteral("--show-secrets"),
                                QStringLiteral("--header"), QStringLiteral("Authorization: Bearer sekrit-value")});
        QVERIFY(shown.err.contains("> Authorization: Bearer sekrit-value\n"));
    }

    // -v shows on the redirected hop what was withheld from the other origin
    // (localhost is another host than 127.0.0.1), and httpbin there got none of it.
    void verboseShowsWhatWasWithheld()
    {
        const QString target = QStringLiteral("http://localhost:%1/anything/landed").arg(m_httpbin.port());
        const Run run = call({m_document, QStringLiteral("redirectTo"), QStringLiteral("--param"), QStringLiteral("url=") + target,
                              QStringLiteral("--server-var"), port(), QStringLiteral("-v"),
                              QStringLiteral("--header"), QStringLiteral("Authorization: Bearer sekrit-value")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QByteArray expected = "* withheld: header Authorization (the redirect leaves http://127.0.0.1:"
            + QByteArray::number(m_httpbin.port()) + " for http://localhost:" + QByteArray::number(m_httpbin.port());
        QVERIFY2(run.err.contains(expected), run.err.constData());
        const QJsonObject echo = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(echo.value(QStringLiteral("url")).toString(), target);
        QVERIFY2(!run.out.contains("sekrit-value"), run.out.constData());
    }

    void bodiesFromFileAndStdin()
    {
        const QString bodyFile = m_dir.filePath(QStringLiteral("body.json"));
        QFile file(bodyFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"from":"file"})");
        file.close();
        Run run = call({m_document, QStringLiteral("POST /anything/items/{id}"), QStringLiteral("--param"), QStringLiteral("id=2"),
                        QStringLiteral("--server-var"), port(), QStringLiteral("--body"), QLatin1Char('@') + bodyFile});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QJsonObject echo = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(echo.value(QStringLiteral("json")).toObject().value(QStringLiteral("from")).toString(), QStringLiteral("file"));
        QCOMPARE(echo.value(QStringLiteral("headers")).toObject().value(QStringLiteral("Content-Type")).toString(), QStringLiteral("application/json"));

        run = call({m_document, QStringLiteral("POST /anything/items/{id}"), QStringLiteral("--param"), QStringLiteral("id=2"),
                    QStringLiteral("--server-var"), port(), QStringLiteral("--body"), QStringLiteral("-")},
                   R"({"from":"stdin"})");
        QVERIFY2(run.exitCode == 0, run.err.constData());
        echo = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(echo.value(QStringLiteral("json")).toObject().value(QStringLiteral("from")).toString(), QStringLiteral("stdin"));
    }

    void exitCodes()
    {
        Run run = call({m_document, QStringLiteral("status"), QStringLiteral("--param"), QStringLiteral("code=404"),
                        QStringLiteral("--server-var"), port(), QStringLiteral("-i")});
        QCOMPARE(run.exitCode, 0);  // any HTTP response is a success of the call
        QVERIFY(run.out.startsWith("HTTP/1.x 404 NOT FOUND"));

        const portolan::test::ClosedPort closedPort;
        QVERIFY(closedPort.port() != 0);
        const QString closed = QStringLiteral("port=%1").arg(closedPort.port());
        run = call({m_document, QStringLiteral("status"), QStringLiteral("--param"), QStringLiteral("code=200"),
                    QStringLiteral("--server-var"), closed});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("connection refused"), run.err.constData());

        run = call({m_document, QStringLiteral("getItem"), QStringLiteral("--server-var"), port()});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("path parameter 'id': Required"), run.err.constData());

        run = call({m_document, QStringLiteral("nope")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("no operation 'nope'"));

        run = call({m_document, QStringLiteral("getItem"), QStringLiteral("--bogus")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("Unknown option 'bogus'"), run.err.constData());

        run = call({m_document, QStringLiteral("getItem"), QStringLiteral("--param"), QStringLiteral("id=1"),
                    QStringLiteral("--credential"), QStringLiteral("no-such-credential")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("no stored credential 'no-such-credential'"));

        run = call({m_dir.filePath(QStringLiteral("missing.yaml")), QStringLiteral("getItem")});
        QCOMPARE(run.exitCode, 1);
    }

    void harFileAndHistoryHoldNoSecret()
    {
        const QString har = m_dir.filePath(QStringLiteral("out.har"));
        const Run run = call({m_document, QStringLiteral("getItem"), QStringLiteral("--param"), QStringLiteral("id=3"),
                              QStringLiteral("--server-var"), port(), QStringLiteral("--har"), har, QStringLiteral("--header"),
                              QStringLiteral("Cookie: session=cookie-secret-77")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QFile harFile(har);
        QVERIFY(harFile.open(QIODevice::ReadOnly));
        const QByteArray harText = harFile.readAll();
        const QJsonObject log = QJsonDocument::fromJson(harText).object().value(QStringLiteral("log")).toObject();
        QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
        QCOMPARE(log.value(QStringLiteral("entries")).toArray().size(), 1);
        QVERIFY(!harText.contains("cookie-secret-77"));

        QStringList files;
        for (QDirIterator it(m_dir.filePath(QStringLiteral("data/portolan/portolan/history")), QDir::Files,
                             QDirIterator::Subdirectories);
             it.hasNext();)
            files.append(it.next());
        QVERIFY(!files.isEmpty());
        for (const QString &name : files) {
            QFile f(name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY(!f.readAll().contains("cookie-secret-77"));
        }
    }

    void environmentVariables()
    {
        const QString dir = m_dir.filePath(QStringLiteral("data/portolan/portolan"));
        QDir().mkpath(dir);
        QFile file(dir + QStringLiteral("/environments.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"environments":[{"name":"dev","variables":[{"name":"item","value":"42"},{"name":"token","secret":true}]}]})");
        file.close();
        Run run = call({m_document, QStringLiteral("getItem"), QStringLiteral("--param"), QStringLiteral("id={{item}}"),
                        QStringLiteral("--server-var"), port(), QStringLiteral("--env"), QStringLiteral("dev")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QUrl(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("url")).toString()).path(),
                 QStringLiteral("/anything/items/42"));

        run = call({m_document, QStringLiteral("getItem"), QStringLiteral("--param"), QStringLiteral("id=1"), QStringLiteral("--server-var"),
                    port(), QStringLiteral("--env"), QStringLiteral("dev"), QStringLiteral("--header"), QStringLiteral("X-Token: {{token}}")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("no value for {{token}}"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
