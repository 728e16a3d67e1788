#include "loadhelper.h"
#include "statichttpserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace portolan::test;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run cli(const QStringList &arguments)
{
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli"), arguments);
    finished.wait(60'000);  // in the event loop: a test's HTTP server answers meanwhile
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

const char kPetsJson[] =
    "{\n"
    "  \"openapi\": \"3.0.3\",\n"
    "  \"info\": {\"title\": \"Pets\", \"version\": \"1\"},\n"
    "  \"servers\": [{\"url\": \"https://{env}.example.com\", \"variables\": {\"env\": {\"default\": \"prod\", \"enum\": [\"prod\", \"dev\"]}}}],\n"
    "  \"components\": {\"securitySchemes\": {\n"
    "      \"petstore_auth\": {\"type\": \"oauth2\", \"flows\": {\"implicit\": {\"authorizationUrl\": \"https://a/auth\", \"scopes\": {\"read:pets\": \"read\"}}}},\n"
    "      \"key\": {\"type\": \"apiKey\", \"in\": \"query\", \"name\": \"k\"}}},\n"
    "  \"security\": [{\"key\": []}],\n"
    "  \"paths\": {\"/pets/{id}\": {\"get\": {\"operationId\": \"getPet\", \"tags\": [\"pets\"],\n"
    "      \"security\": [{\"petstore_auth\": [\"read:pets\"]}],\n"
    "      \"responses\": {\"200\": {\"$ref\": \"#/components/responses/Nope\"}}}}}\n"
    "}\n";

} // namespace

// portolan-cli inspect, run as a user would run it.
class InspectCliTest final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonSummary()
    {
        Files files;
        const QString path = files.write(QStringLiteral("api.json"), kPetsJson);
        const Run run = cli({QStringLiteral("inspect"), QStringLiteral("--json"), path});
        QCOMPARE(run.exitCode, 0);
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(run.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("openapi"));
        QCOMPARE(o.value(QStringLiteral("version")).toString(), QStringLiteral("3.0.3"));
        QCOMPARE(o.value(QStringLiteral("title")).toString(), QStringLiteral("Pets"));
        const QJsonObject server = o.value(QStringLiteral("servers")).toArray().at(0).toObject();
        QCOMPARE(server.value(QStringLiteral("variables")).toObject().value(QStringLiteral("env")).toObject().value(QStringLiteral("default")).toString(), QStringLiteral("prod"));
        const QJsonObject op = o.value(QStringLiteral("operations")).toArray().at(0).toObject();
        QCOMPARE(op.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
        QCOMPARE(op.value(QStringLiteral("path")).toString(), QStringLiteral("/pets/{id}"));
        QCOMPARE(op.value(QStringLiteral("deprecated")).toBool(true), false);
        const QJsonObject use = op.value(QStringLiteral("security")).toArray().at(0).toArray().at(0).toObject();
        QCOMPARE(use.value(QStringLiteral("scheme")).toString(), QStringLiteral("petstore_auth"));
        QCOMPARE(use.value(QStringLiteral("scopes")).toArray().at(0).toString(), QStringLiteral("read:pets"));
        const QJsonArray schemes = o.value(QStringLiteral("securitySchemes")).toArray();
        QCOMPARE(schemes.size(), 2);
        const QJsonObject flow = schemes.at(0).toObject().value(QStringLiteral("flows")).toArray().at(0).toObject();
        QCOMPARE(flow.value(QStringLiteral("flow")).toString(), QStringLiteral("implicit"));
        QCOMPARE(flow.value(QStringLiteral("scopes")).toObject().value(QStringLiteral("read:pets")).toString(), QStringLiteral("read"));
        QCOMPARE(schemes.at(1).toObject().value(QStringLiteral("parameterName")).toString(), QStringLiteral("k"));
        QJsonObject diagnostic;
        for (const QJsonValue d : o.value(QStringLiteral("diagnostics")).toArray()) {
            if (d.toObject().value(QStringLiteral("message")).toString().contains(QLatin1String("#/components/responses/Nope")))
                diagnostic = d.toObject();
        }
        QCOMPARE(diagnostic.value(QStringLiteral("severity")).toString(), QStringLiteral("error"));
        QCOMPARE(diagnostic.value(QStringLiteral("line")).toInt(), 11);
        QCOMPARE(diagnostic.value(QStringLiteral("pointer")).toString(), QStringLiteral("/paths/~1pets~1{id}/get/responses/200"));
        QCOMPARE(diagnostic.value(QStringLiteral("file")).toString(), path);
    }

    // Keys and texts the document spells (a variable's or scope's name, a
    // path) are escaped and encoded as JSON needs; the writer's own keys are not.
    void jsonSummaryEscapesTheDocumentsNames()
    {
        Files files;
        const QString path = files.write(QStringLiteral("api.yaml"),
            "openapi: 3.0.3\n"
            "info: {title: \"Tab\\tand \\\"quote\\\"\", version: '1'}\n"
            "servers: [{url: 'https://{a\"b}.example', variables: {'a\"b': {default: x}}}]\n"
            "components:\n"
            "  securitySchemes:\n"
            "    o: {type: oauth2, flows: {implicit: {authorizationUrl: 'https://a/auth', scopes: {'back\\slash': r}}}}\n"
            "paths:\n"
            "  /caf\u00e9/\"q\":\n"
            "    get: {operationId: \"na\u00efve\", responses: {'200': {description: ok}}}\n");
        const Run run = cli({QStringLiteral("inspect"), QStringLiteral("--json"), path});
        QCOMPARE(run.exitCode, 0);
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(run.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, run.out.constData());
        QCOMPARE(o.value(QStringLiteral("title")).toString(), QStringLiteral("Tab\tand \"quote\""));
        const QJsonObject variables = o.value(QStringLiteral("servers")).toArray().at(0).toObject().value(QStringLiteral("variables")).toObject();
        QCOMPARE(variables.keys(), QStringList{QStringLiteral("a\"b")});
        const QJsonObject flow = o.value(QStringLiteral("securitySchemes")).toArray().at(0).toObject().value(QStringLiteral("flows")).toArray().at(0).toObject();
        QCOMPARE(flow.value(QStringLiteral("scopes")).toObject().keys(), QStringList{QStringLiteral("back\\slash")});
        const QJsonObject op = o.value(QStringLiteral("operations")).toArray().at(0).toObject();
        QCOMPARE(op.value(QStringLiteral("path")).toString(), QStringLiteral("/caf\u00e9/\"q\""));
        QCOMPARE(op.value(QStringLiteral("operationId")).toString(), QStringLiteral("na\u00efve"));
    }

    // The summary goes out in chunks of 64 KiB: texts longer than a chunk,
    // and many operations across chunk ends, arrive whole.
    void jsonSummaryLargerThanItsChunks()
    {
        const QString longSummary = QString(100'000, QLatin1Char('s')) + QStringLiteral("\u00e9\"");
        QByteArray yaml = "openapi: 3.0.3\ninfo: {title: Big, version: '1'}\npaths:\n";
        for (int i = 0; i < 2000; ++i)
            yaml += "  /items/" + QByteArray::number(i) + ":\n    get: {operationId: op" + QByteArray::number(i) + ", responses: {'200': {description: ok}}}\n";
        yaml += "  /long:\n    get: {summary: \"" + longSummary.toUtf8().replace("\"", "\\\"") + "\", responses: {'200': {description: ok}}}\n";
        Files files;
        const Run run = cli({QStringLiteral("inspect"), QStringLiteral("--json"), files.write(QStringLiteral("api.yaml"), yaml)});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.size() > 3 * 64 * 1024);
        QJsonParseError error;
        const QJsonArray operations = QJsonDocument::fromJson(run.out, &error).object().value(QStringLiteral("operations")).toArray();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(operations.size(), 2001);
        QCOMPARE(operations.at(1999).toObject().value(QStringLiteral("operationId")).toString(), QStringLiteral("op1999"));
        QCOMPARE(operations.at(2000).toObject().value(QStringLiteral("summary")).toString(), longSummary);
    }

    void humanSummary()
    {
        Files files;
        const QString path = files.write(QStringLiteral("api.yaml"), "swagger: '2.0'\ninfo: {title: Old, version: '1'}\nhost: h.example\npaths:\n  /x: {delete: {deprecated: true, responses: {'204': {description: ok}}}}\n");
        const Run run = cli({QStringLiteral("inspect"), path});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("Swagger 2.0"), run.out.constData());
        QVERIFY(run.out.contains("https://h.example/"));
        QVERIFY(run.out.contains("DELETE  /x"));
        QVERIFY(run.out.contains("(deprecated)"));
    }

    // A document on the web, or one that names documents there, is loaded by
    // portolan-cli-client, to which portolan-cli (which links no network
    // library) hands the run: the same summary as from local files.
    void remoteDocumentsAreFetched()
    {
        StaticHttpServer server;
        server.serve(QStringLiteral("/pets.json"), kPetsJson);
        server.serve(QStringLiteral("/shared.yaml"), "Pet: {type: object, properties: {id: {type: integer}}}\n");
        Files files;
        auto operations = [](const Run &run) {
            return QJsonDocument::fromJson(run.out).object().value(QStringLiteral("operations")).toArray();
        };
        const Run local = cli({QStringLiteral("inspect"), QStringLiteral("--json"), files.write(QStringLiteral("pets.json"), kPetsJson)});
        const Run web = cli({QStringLiteral("inspect"), QStringLiteral("--json"), server.url(QStringLiteral("/pets.json"))});
        QCOMPARE(web.exitCode, 0);
        QVERIFY2(!operations(web).isEmpty(), web.err.constData());
        QCOMPARE(operations(web), operations(local));

        const QString referring = files.write(QStringLiteral("referring.yaml"),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n"
            "          description: ok\n          content: {application/json: {schema: {$ref: '"
            + server.url(QStringLiteral("/shared.yaml")).toUtf8() + "#/Pet'}}}\n");
        const Run referred = cli({QStringLiteral("lint"), referring});
        QCOMPARE(server.requests(QStringLiteral("/shared.yaml")), 1);
        QVERIFY2(referred.exitCode == 0, referred.out.constData());
        QVERIFY2(!referred.out.contains("cannot download") && !referred.err.contains("cannot download"), referred.out.constData());
    }

    void exitCodes()
    {
        Files files;
        QCOMPARE(cli({QStringLiteral("inspect"), files.write(QStringLiteral("no.yaml"), "just: yaml\n")}).exitCode, 1);
        const Run syntax = cli({QStringLiteral("inspect"), files.write(QStringLiteral("bad.json"), "{\n  \"openapi\": \"3.0.0\",\n  oops\n}")});
        QCOMPARE(syntax.exitCode, 1);
        QVERIFY2(syntax.err.contains("bad.json:3:3"), syntax.err.constData());
        QCOMPARE(cli({QStringLiteral("inspect"), files.path(QStringLiteral("missing.yaml"))}).exitCode, 1);
        QCOMPARE(cli({QStringLiteral("inspect")}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("inspect"), QStringLiteral("--bogus"), QStringLiteral("x")}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("nosuchcommand")}).exitCode, 2);
        QCOMPARE(cli({}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("--help")}).exitCode, 0);
    }
};

QTEST_MAIN(InspectCliTest)
#include "tst_inspectcli.moc"
