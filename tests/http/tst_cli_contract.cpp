// portolan-cli call checks the response against the document: problems on
// stderr, exit 3 with --strict. Against httpbin and a loopback server that
// answers with documented and undocumented shapes.
#include "contractserver.h"
#include "httpbin.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using portolan::test::ContractServer;
using portolan::test::HttpBin;

namespace {

const char kDocument[] = R"(openapi: 3.1.0
info: {title: contract cli, version: '1'}
servers:
  - url: http://127.0.0.1:{port}
    variables: {port: {default: '1'}}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: pets
          headers:
            X-Total: {required: true, schema: {type: integer}}
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  required: [id, name]
                  properties: {id: {type: integer}, name: {type: string}}
  /uuid:
    get:
      operationId: uuid
      responses:
        '200':
          description: a fresh UUID from httpbin
          content:
            application/json:
              schema:
                type: object
                required: [uuid]
                properties:
                  uuid: {type: string, minLength: 36}
  /status/{code}:
    get:
      operationId: status
      parameters: [{name: code, in: path, required: true, schema: {type: integer}}]
      responses:
        '200': {description: ok}
)";

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};

} // namespace

class TestCliContract : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_document;
    HttpBin m_httpbin;
    ContractServer m_server;

    // Runs portolan-cli call while this thread's event loop keeps answering for the loopback server.
    Run call(QStringList arguments, quint16 port)
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        process.setProcessEnvironment(environment);
        arguments = QStringList{QStringLiteral("call"), m_document} + arguments
                    + QStringList{QStringLiteral("--server-var"), QStringLiteral("port=%1").arg(port), QStringLiteral("--no-history")};
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli"), arguments);
        Run run;
        if (!finished.wait(30'000))
            return run;
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli")));
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        QVERIFY(m_server.isListening());
        m_document = m_dir.filePath(QStringLiteral("api.yaml"));
        QFile file(m_document);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kDocument);
    }

    void documentedShapeIsSilentEvenWhenStrict()
    {
        m_server.on("/pets", {200, "application/json", R"([{"id": 1, "name": "Rex"}])", {{"X-Total", "1"}}});
        const Run run = call({QStringLiteral("listPets"), QStringLiteral("--strict")}, m_server.serverPort());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray(R"([{"id": 1, "name": "Rex"}])"));
        QVERIFY2(!run.err.contains("contract"), run.err.constData());
    }

    void problemsGoToStderrAndStrictExitsThree()
    {
        m_server.on("/pets", {200, "application/json", "[\n  {\"id\": \"one\", \"name\": \"Rex\"}\n]", {}});
        const Run lenient = call({QStringLiteral("listPets")}, m_server.serverPort());
        QCOMPARE(lenient.exitCode, 0);
        QVERIFY(lenient.out.startsWith("[\n"));  // the body is printed as received
        QVERIFY2(lenient.err.contains("portolan-cli call: contract: required header 'X-Total' is missing"), lenient.err.constData());
        QVERIFY2(lenient.err.contains("portolan-cli call: contract: `/0/id` must be an integer (found a string) (body 2:10)"),
                 lenient.err.constData());

        const Run strict = call({QStringLiteral("listPets"), QStringLiteral("--strict")}, m_server.serverPort());
        QCOMPARE(strict.exitCode, 3);
        QCOMPARE(strict.err, lenient.err);
    }

    void undocumentedStatusAndContentType()
    {
        m_server.on("/pets", {503, "text/html", "<h1>down</h1>", {}});
        Run run = call({QStringLiteral("listPets"), QStringLiteral("--strict")}, m_server.serverPort());
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("status 503 is not documented (documented: 200, and no default)"), run.err.constData());

        m_server.on("/pets", {200, "application/xml", "<pets/>", {{"X-Total", "0"}}});
        run = call({QStringLiteral("listPets"), QStringLiteral("--strict")}, m_server.serverPort());
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("content type 'application/xml' is not documented for response 200"), run.err.constData());
    }

    void httpbinResponses()
    {
        Run run = call({QStringLiteral("uuid"), QStringLiteral("--strict")}, m_httpbin.port());
        QVERIFY2(run.exitCode == 0, run.err.constData());

        run = call({QStringLiteral("status"), QStringLiteral("--param"), QStringLiteral("code=418"), QStringLiteral("--strict")},
                   m_httpbin.port());
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("status 418 is not documented"), run.err.constData());

        // Without --strict the same problem is only reported.
        run = call({QStringLiteral("status"), QStringLiteral("--param"), QStringLiteral("code=418")}, m_httpbin.port());
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.err.contains("status 418 is not documented"));
    }
};

QTEST_GUILESS_MAIN(TestCliContract)
#include "tst_cli_contract.moc"
