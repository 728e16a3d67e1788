// Responses checked against the document they came from: from httpbin and
// from a loopback server that answers with documented and undocumented shapes.
#include "contractserver.h"
#include "documentloader.h"
#include "exchangesender.h"
#include "httpbin.h"
#include "bodyvalidator.h"
#include "responsecontract.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan;
using namespace portolan::http;
using portolan::test::ContractServer;
using portolan::test::HttpBin;

namespace {

const char kDocument[] = R"(openapi: 3.0.3
info: {title: contract, version: '1'}
paths:
  /get:
    get:
      operationId: echo
      responses:
        '200':
          description: httpbin's echo of the request
          headers:
            X-Rate-Limit: {required: true, schema: {type: integer}}
          content:
            application/json:
              schema:
                type: object
                required: [args, headers, origin, url]
                properties:
                  args: {type: object}
                  headers: {type: object, additionalProperties: {type: string}}
                  origin: {type: integer}
                  url: {type: string}
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: pets
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
        4XX:
          description: client error
          content:
            application/problem+json:
              schema: {type: object, required: [title], properties: {title: {type: string}}}
  /pets/new:
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses:
        '201': {description: created}
  /empty:
    delete:
      operationId: remove
      responses:
        '204': {description: gone}
  /anything:
    get:
      operationId: anything
      responses:
        default:
          description: whatever httpbin echoes
          content:
            application/json:
              schema:
                type: object
                required: [method, url, headers]
                properties:
                  method: {type: string, enum: [GET]}
                  url: {type: string}
                  headers: {type: object, additionalProperties: {type: string}}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
        tag: {type: string, nullable: true}
        secret: {type: string, writeOnly: true}
    NewPet:
      type: object
      required: [name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string, minLength: 1}
)";

struct Fetched {
    int status = 0;
    HeaderList headers;
    QByteArray body;
};

// A real GET over the network, the response as the HTTP engine records it.
Fetched fetch(const QUrl &url)
{
    QNetworkAccessManager network;
    ExchangeSender sender(&network);
    QSignalSpy done(&sender, &ExchangeSender::finished);
    HttpRequest request;
    request.url = url;
    sender.send(request);
    if (!done.wait(20'000))
        return {};
    const Exchange exchange = done.takeFirst().at(0).value<Exchange>();
    if (!exchange.hasResponse())
        return {};
    const ReceivedResponse &r = exchange.finalHop().response;
    return {r.status, r.headers, r.body.read()};
}

const ContractProblem *find(const ContractReport &report, ContractProblem::Kind kind)
{
    for (const ContractProblem &p : report.problems) {
        if (p.kind == kind)
            return &p;
    }
    return nullptr;
}

QString dump(const ContractReport &report)
{
    QStringList lines;
    for (const ContractProblem &p : report.problems)
        lines.push_back(QStringLiteral("%1 %2:%3 %4 (%5)").arg(contractProblemKindName(p.kind)).arg(p.line).arg(p.column).arg(p.message, p.pointer));
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestResponseContract : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::shared_ptr<const ApiDocument> m_api;
    std::unique_ptr<ResponseContract> m_contract;
    HttpBin m_httpbin;
    ContractServer m_server;

    const Operation &operation(const QString &id) const
    {
        for (const Operation &op : m_api->operations) {
            if (op.operationId() == id)
                return op;
        }
        qFatal("no operation %s", qPrintable(id));
    }

    ContractReport fetchAndCheck(const QString &operationId, const QUrl &url)
    {
        const Fetched f = fetch(url);
        if (f.status == 0)
            qWarning("no response from %s", qPrintable(url.toString()));
        return m_contract->check(operation(operationId), f.status, f.headers, f.body);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString path = m_dir.filePath(QStringLiteral("api.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kDocument);
        file.close();
        DocumentLoader loader(nullptr);
        QSignalSpy spy(&loader, &DocumentLoader::finished);
        loader.load(QUrl::fromLocalFile(path));
        QVERIFY(spy.wait(30'000));
        m_api = spy.takeFirst().at(0).value<LoadResult>().document;
        QVERIFY(m_api);
        m_contract = std::make_unique<ResponseContract>(m_api);
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        QVERIFY(m_server.isListening());
    }

    // --- httpbin -----------------------------------------------------------

    void httpbinEchoMatchesExceptTheDocumentedMistakes()
    {
        // httpbin's /get has `origin` as a string and no X-Rate-Limit header: the document says otherwise.
        const ContractReport report = fetchAndCheck(QStringLiteral("echo"), m_httpbin.url(QStringLiteral("/get")));
        QCOMPARE(report.documentedStatus, QStringLiteral("200"));
        QCOMPARE(report.documentedMediaType, QStringLiteral("application/json"));
        QVERIFY(report.bodyChecked);
        QCOMPARE(report.problems.size(), 2);
        const ContractProblem *header = find(report, ContractProblem::Kind::MissingHeader);
        QVERIFY2(header && header->message.contains(QLatin1String("X-Rate-Limit")), qPrintable(dump(report)));
        const ContractProblem *body = find(report, ContractProblem::Kind::BodySchema);
        QVERIFY2(body, qPrintable(dump(report)));
        QCOMPARE(body->pointer, QStringLiteral("/origin"));
        QVERIFY2(body->message.contains(QLatin1String("`/origin` must be an integer (found a string)")), qPrintable(body->message));
        QVERIFY(body->line >= 1);
        QVERIFY(body->column > 1);
    }

    void httpbinEchoMatchesTheDefaultResponse()
    {
        const ContractReport report = fetchAndCheck(QStringLiteral("anything"), m_httpbin.url(QStringLiteral("/anything")));
        QCOMPARE(report.documentedStatus, QStringLiteral("default"));
        QVERIFY(report.bodyChecked);
        QVERIFY2(report.isClean(), qPrintable(dump(report)));
    }

    void httpbinStatusFallsBackToDefaultOrIsUndocumented()
    {
        const ContractReport teapot = fetchAndCheck(QStringLiteral("echo"), m_httpbin.url(QStringLiteral("/status/418")));
        const ContractProblem *p = find(teapot, ContractProblem::Kind::UndocumentedStatus);
        QVERIFY2(p && p->message.contains(QLatin1String("418")), qPrintable(dump(teapot)));
        QVERIFY(teapot.documentedStatus.isEmpty());
    }

    void httpbinHtmlIsAnUndocumentedContentType()
    {
        const ContractReport report = fetchAndCheck(QStringLiteral("anything"), m_httpbin.url(QStringLiteral("/html")));
        const ContractProblem *p = find(report, ContractProblem::Kind::UndocumentedContentType);
        QVERIFY2(p && p->message.contains(QLatin1String("text/html")), qPrintable(dump(report)));
    }

    // --- loopback shapes ------------------------------------------------------

    void documentedShapeIsClean()
    {
        m_server.on("/pets", {200, "application/json; charset=utf-8", R"([{"id": 1, "name": "Rex", "tag": null}])", {}});
        const ContractReport report = fetchAndCheck(QStringLiteral("listPets"), QUrl(m_server.baseUrl() + QStringLiteral("/pets")));
        QVERIFY(report.bodyChecked);
        QVERIFY2(report.isClean(), qPrintable(dump(report)));
    }

    void bodyErrorsPointAtTheirLine()
    {
        m_server.on("/pets", {200, "application/json",
                              "[\n  {\"id\": 1, \"name\": \"Rex\"},\n  {\"id\": \"two\", \"name\": \"Tom\"},\n  {\"id\": 3}\n]", {}});
        const ContractReport report = fetchAndCheck(QStringLiteral("listPets"), QUrl(m_server.baseUrl() + QStringLiteral("/pets")));
        QCOMPARE(report.problems.size(), 2);
        const ContractProblem &type = report.problems[0];
        QCOMPARE(type.pointer, QStringLiteral("/1/id"));
        QCOMPARE(type.line, 3);
        QCOMPARE(type.column, 10);
        QVERIFY2(type.message.contains(QLatin1String("must be an integer (found a string)")), qPrintable(type.message));
        const ContractProblem &missing = report.problems[1];
        QCOMPARE(missing.pointer, QStringLiteral("/2"));
        QCOMPARE(missing.line, 4);
        QVERIFY2(missing.message.contains(QLatin1String("missing the required 'name'")), qPrintable(missing.message));
    }

    void writeOnlyPropertiesMustNotComeBack()
    {
        m_server.on("/pets", {200, "application/json", R"([{"id": 1, "name": "Rex", "secret": "s3"}])", {}});
        const ContractReport report = fetchAndCheck(QStringLiteral("listPets"), QUrl(m_server.baseUrl() + QStringLiteral("/pets")));
        QCOMPARE(report.problems.size(), 1);
        QCOMPARE(report.problems[0].pointer, QStringLiteral("/0/secret"));
    }

    void rangeResponseAndItsMediaType()
    {
        m_server.on("/pets", {404, "application/problem+json", R"({"title": "no such pet"})", {}});
        ContractReport report = fetchAndCheck(QStringLiteral("listPets"), QUrl(m_server.baseUrl() + QStringLiteral("/pets")));
        QCOMPARE(report.documentedStatus, QStringLiteral("4XX"));
        QVERIFY2(report.isClean(), qPrintable(dump(report)));

        m_server.on("/pets", {404, "application/json", R"({"title": "no such pet"})", {}});
        report = fetchAndCheck(QStringLiteral("listPets"), QUrl(m_server.baseUrl() + QStringLiteral("/pets")));
        const ContractProblem *p = find(report, ContractProblem::Kind::UndocumentedContentType);
        QVERIFY2(p && p->message.contains(QLatin1String("application/problem+json")), qPrintable(dump(report)));
    }

    void undocumentedStatusListsWhatIsDocumented()
    {
        m_server.on("/pets", {500, "application/json", R"({"error": "boom"})", {}});
        const ContractReport report = fetchAndCheck(QStringLiteral("listPets"), QUrl(m_server.baseUrl() + QStringLiteral("/pets")));
        QCOMPARE(report.problems.size(), 1);
        QCOMPARE(report.problems[0].kind, ContractProblem::Kind::UndocumentedStatus);
        QVERIFY2(report.problems[0].message.contains(QLatin1String("200, 4XX")), qPrintable(report.problems[0].message));
    }

    void bodyWhereNoneIsDocumented()
    {
        m_server.on("/empty", {204, "", "", {}});
        QVERIFY(fetchAndCheck(QStringLiteral("remove"), QUrl(m_server.baseUrl() + QStringLiteral("/empty"))).isClean());
        const ContractReport report = m_contract->check(operation(QStringLiteral("remove")), 204, {{"Content-Type", "text/plain"}}, "surprise");
        QCOMPARE(report.problems.size(), 1);
        QCOMPARE(report.problems[0].kind, ContractProblem::Kind::UndocumentedContentType);
    }

    void bodyThatIsNotJson()
    {
        m_server.on("/pets", {200, "application/json", "[{\"id\": 1,\n  oops]", {}});
        const ContractReport report = fetchAndCheck(QStringLiteral("listPets"), QUrl(m_server.baseUrl() + QStringLiteral("/pets")));
        QCOMPARE(report.problems.size(), 1);
        QCOMPARE(report.problems[0].kind, ContractProblem::Kind::BodyNotParsed);
        QCOMPARE(report.problems[0].line, 2);
    }

    // The same engine checks what is about to be sent: readOnly properties must not be.
    void requestBodiesAgainstTheirSchema()
    {
        const BodyValidator validator(*m_api);
        const std::optional<RequestBody> add = operationDetails(*m_api, operation(QStringLiteral("addPet"))).requestBody;
        QVERIFY(validator.validateRequest(add, "application/json", R"({"name": "Rex"})").problems.isEmpty());
        const BodyCheck check = validator.validateRequest(add, "application/json; charset=utf-8", "{\n  \"id\": 4,\n  \"name\": \"\"\n}");
        QVERIFY(check.checked);
        QStringList found;
        for (const BodyProblem &p : check.problems)
            found.push_back(QStringLiteral("%1:%2 %3").arg(p.line).arg(p.column).arg(p.message));
        QVERIFY2(check.problems.size() == 2, qPrintable(found.join(QLatin1Char('\n'))));
        QCOMPARE(check.problems[0].pointer, QStringLiteral("/id"));
        QCOMPARE(check.problems[0].line, 2);
        QCOMPARE(check.problems[1].pointer, QStringLiteral("/name"));
        QCOMPARE(check.problems[1].line, 3);
        QVERIFY2(check.problems[1].message.contains(QLatin1String("`/name` must not be empty")), qPrintable(check.problems[1].message));
        const BodyCheck broken = validator.validateRequest(add, "application/json", "{\"name\": ");
        QVERIFY(!broken.parsed);
        QCOMPARE(broken.problems.size(), 1);
        QVERIFY(validator.validateRequest(add, "text/plain", "anything").problems.isEmpty());
    }

    void mediaTypeMatching()
    {
        QList<MediaType> content;
        for (const char *type : {"application/json", "text/*", "*/*"}) {
            MediaType m;
            m.contentType = QString::fromLatin1(type);
            content.push_back(m);
        }
        QCOMPARE(documentedMediaType(content, "Application/JSON; charset=utf-8")->contentType, QStringLiteral("application/json"));
        QCOMPARE(documentedMediaType(content, "text/csv")->contentType, QStringLiteral("text/*"));
        QCOMPARE(documentedMediaType(content, "image/png")->contentType, QStringLiteral("*/*"));
        content.removeLast();
        QVERIFY(!documentedMediaType(content, "image/png"));
    }
};

QTEST_GUILESS_MAIN(TestResponseContract)
#include "tst_responsecontract.moc"
