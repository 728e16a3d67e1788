// Builds requests from operations of real (small) OpenAPI documents loaded
// by the real loader, sends them to httpbin, and checks what httpbin parsed.
#include "documentloader.h"
#include "examplegenerator.h"
#include "exchangesender.h"
#include "httpbin.h"
#include "requestbuilder.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan;
using namespace portolan::http;
using portolan::test::HttpBin;

namespace {

const char kOpenApi[] = R"(openapi: 3.0.3
info: {title: builder test, version: '1'}
servers:
  - url: http://127.0.0.1:{port}/anything
    variables:
      port: {default: '1'}
paths:
  /styles/{plain}/{label}/{matrix}:
    get:
      operationId: styles
      parameters:
        - {name: plain, in: path, required: true, schema: {type: array, items: {type: string}}}
        - {name: label, in: path, required: true, style: label, explode: true, schema: {type: array, items: {type: string}}}
        - {name: matrix, in: path, required: true, style: matrix, explode: true, schema: {type: object}}
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
        - {name: tags, in: query, style: spaceDelimited, explode: false, schema: {type: array, items: {type: string}}}
        - {name: pipes, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {type: string}}}
        - {name: filter, in: query, style: deepObject, explode: true, schema: {type: object}}
        - {name: raw, in: query, allowReserved: true, schema: {type: string}}
        - {name: X-Flags, in: header, schema: {type: array, items: {type: string}}}
        - {name: pref, in: cookie, schema: {type: string}}
        - {name: limit, in: query, required: true, schema: {type: integer}}
      responses: {'200': {description: ok}}
  /json:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses: {'200': {description: ok}}
  /form:
    post:
      operationId: form
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties: {note: {type: string}, meta: {type: object}, colours: {type: array}, sizes: {type: array}}
            encoding:
              meta: {contentType: application/json}
              colours: {style: form, explode: false}
      responses: {'200': {description: ok}}
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties: {name: {type: string}, meta: {type: object}, avatar: {type: string, format: binary}}
            encoding:
              avatar: {contentType: image/png}
      responses: {'200': {description: ok}}
  /raw:
    post:
      operationId: raw
      requestBody:
        content:
          text/plain: {schema: {type: string}}
          application/octet-stream: {schema: {type: string, format: binary}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Pet:
      allOf:
        - $ref: '#/components/schemas/Named'
        - type: object
          properties:
            kind: {oneOf: [{type: string, enum: [cat, dog]}, {type: integer}]}
            tags: {type: array, items: {type: string, format: email}}
            parent: {$ref: '#/components/schemas/Pet'}
            id: {type: integer, readOnly: true}
    Named:
      type: object
      required: [name]
      properties:
        name: {type: string, example: Rex}
)";

const char kSwagger[] = R"({"swagger": "2.0", "info": {"title": "s", "version": "1"},
 "host": "127.0.0.1:1", "basePath": "/anything", "schemes": ["http"],
 "paths": {"/items": {
   "get": {"operationId": "list", "parameters": [
      {"name": "multi", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
      {"name": "pipes", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"}],
     "responses": {"200": {"description": "ok"}}},
   "post": {"operationId": "post", "consumes": ["application/x-www-form-urlencoded"], "parameters": [
      {"name": "tsv", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
      {"name": "each", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"}],
     "responses": {"200": {"description": "ok"}}}}}})";

std::shared_ptr<const ApiDocument> loadDocument(const QString &path)
{
    DocumentLoader loader(nullptr);
    QSignalSpy finished(&loader, &DocumentLoader::finished);
    loader.load(QUrl::fromLocalFile(path));
    if (!finished.wait(30'000))
        return nullptr;
    const LoadResult result = finished.takeFirst().at(0).value<LoadResult>();
    for (const Diagnostic &d : result.errors)
        qWarning("%s", qPrintable(d.message));
    return result.document;
}

const Operation *operation(const ApiDocument &document, const QString &id)
{
    for (const Operation &o : document.operations) {
        if (o.operationId() == id)
            return &o;
    }
    return nullptr;
}

QJsonArray strings(std::initializer_list<const char *> items)
{
    QJsonArray array;
    for (const char *s : items)
        array.append(QString::fromUtf8(s));
    return array;
}

} // namespace

class TestRequestBuilder : public QObject {
    Q_OBJECT
private:
    HttpBin m_httpbin;
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;
    std::shared_ptr<const ApiDocument> m_openApi;
    std::shared_ptr<const ApiDocument> m_swagger;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(file.fileName()));
        return file.fileName();
    }
    BuildInput input() const
    {
        BuildInput in;
        in.serverVariables.insert(QStringLiteral("port"), QString::number(m_httpbin.port()));
        return in;
    }
    QJsonObject sendAndEcho(const HttpRequest &request)
    {
        ExchangeSender sender(&m_network);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        sender.send(request);
        if (!finished.wait(20'000) || sender.exchange().error != TransportError::None) {
            qWarning("send failed: %s", qPrintable(sender.exchange().errorMessage));
            return {};
        }
        return QJsonDocument::fromJson(sender.exchange().finalHop().response.body.read()).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        m_openApi = loadDocument(writeFile(QStringLiteral("openapi.yaml"), kOpenApi));
        QVERIFY(m_openApi);
        m_swagger = loadDocument(writeFile(QStringLiteral("swagger.json"), kSwagger));
        QVERIFY(m_swagger);
    }

    void everyParameterStyleReachesTheServer()
    {
        const Operation *op = operation(*m_openApi, QStringLiteral("styles"));
        QVERIFY(op);
        BuildInput in = input();
        in.parameters = {
            {ParameterLocation::Path, QStringLiteral("plain"), strings({"a", "b c"})},
            {ParameterLocation::Path, QStringLiteral("label"), strings({"x", "y"})},
            {ParameterLocation::Path, QStringLiteral("matrix"), QJsonObject{{QStringLiteral("G"), 2}, {QStringLiteral("R"), 1}}},
            {ParameterLocation::Query, QStringLiteral("ids"), QJsonArray{3, 4}},
            {ParameterLocation::Query, QStringLiteral("tags"), strings({"red", "big"})},
            {ParameterLocation::Query, QStringLiteral("pipes"), strings({"p", "q"})},
            {ParameterLocation::Query, QStringLiteral("filter"), QJsonObject{{QStringLiteral("age"), 3}, {QStringLiteral("name"), QStringLiteral("A&B")}}},
            {ParameterLocation::Query, QStringLiteral("raw"), QStringLiteral("/a/b:c")},
            {ParameterLocation::Query, QStringLiteral("limit"), 10},
            {ParameterLocation::Header, QStringLiteral("X-Flags"), strings({"f1", "f2"})},
            {ParameterLocation::Cookie, QStringLiteral("pref"), QStringLiteral("dark mode")},
        };
        const BuildResult built = RequestBuilder(*m_openApi).build(*op, in);
        QVERIFY2(built.ok(), built.ok() ? "" : qPrintable(built.errors.first().toString()));
        QCOMPARE(built.request.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority),
                 QByteArray("/anything/styles/a,b%20c/.x.y/;G=2;R=1?ids=3&ids=4&tags=red%20big&pipes=p%7Cq"
                            "&filter%5Bage%5D=3&filter%5Bname%5D=A%26B&raw=/a/b:c&limit=10"));

        const QJsonObject echo = sendAndEcho(built.request);
        QVERIFY(!echo.isEmpty());
        // httpbin re-encodes the URL it reports, so compare the decoded paths.
        const QUrl echoed(echo.value(QStringLiteral("url")).toString());
        QCOMPARE(echoed.path(QUrl::FullyDecoded), built.request.url.path(QUrl::FullyDecoded));
        QCOMPARE(echoed.path(QUrl::FullyDecoded), QStringLiteral("/anything/styles/a,b c/.x.y/;G=2;R=1"));
        const QJsonObject args = echo.value(QStringLiteral("args")).toObject();
        QCOMPARE(args.value(QStringLiteral("ids")).toArray(), QJsonArray({QStringLiteral("3"), QStringLiteral("4")}));
        QCOMPARE(args.value(QStringLiteral("tags")).toString(), QStringLiteral("red big"));
        QCOMPARE(args.value(QStringLiteral("pipes")).toString(), QStringLiteral("p|q"));
        QCOMPARE(args.value(QStringLiteral("filter[age]")).toString(), QStringLiteral("3"));
        QCOMPARE(args.value(QStringLiteral("filter[name]")).toString(), QStringLiteral("A&B"));
        QCOMPARE(args.value(QStringLiteral("raw")).toString(), QStringLiteral("/a/b:c"));
        const QJsonObject headers = echo.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("X-Flags")).toString(), QStringLiteral("f1,f2"));
        QCOMPARE(headers.value(QStringLiteral("Cookie")).toString(), QStringLiteral("pref=dark%20mode"));
    }

    void missingRequiredValuesStopTheBuild()
    {
        const Operation *op = operation(*m_openApi, QStringLiteral("styles"));
        BuildInput in = input();
        in.parameters = {{ParameterLocation::Path, QStringLiteral("plain"), QStringLiteral("a")}};
        const BuildResult built = RequestBuilder(*m_openApi).build(*op, in);
        QVERIFY(!built.ok());
        QStringList locations;
        for (const BuildError &e : built.errors)
            locations.append(e.location);
        QVERIFY(locations.contains(QStringLiteral("path parameter 'label'")));
        QVERIFY(locations.contains(QStringLiteral("path parameter 'matrix'")));
        QVERIFY(locations.contains(QStringLiteral("query parameter 'limit'")));
        QVERIFY(!locations.contains(QStringLiteral("query parameter 'ids'")));

        const BuildResult noBody = RequestBuilder(*m_openApi).build(*operation(*m_openApi, QStringLiteral("createPet")), input());
        QCOMPARE(noBody.errors.size(), 1);
        QCOMPARE(noBody.errors.first().location, QStringLiteral("body"));
    }

    void exampleBodyFromSchemaIsSentAsJson()
    {
        const Operation *op = operation(*m_openApi, QStringLiteral("createPet"));
        const ExampleValue ordered = ExampleGenerator(*m_openApi).forMediaType(operationDetails(*m_openApi, *op).requestBody->content.first());
        // The schema's order (allOf parts first, as declared), not QJsonObject's alphabetical one.
        QCOMPARE(ordered.keys(), (QStringList{QStringLiteral("name"), QStringLiteral("kind"), QStringLiteral("tags")}));
        QCOMPARE(ordered.toText(), QByteArray("{\n    \"name\": \"Rex\",\n    \"kind\": \"cat\",\n"
                                              "    \"tags\": [\n        \"user@example.com\"\n    ]\n}\n"));
        QCOMPARE(ordered.toText(false), QByteArray(R"({"name":"Rex","kind":"cat","tags":["user@example.com"]})"));
        const QJsonValue example = ordered.toJson();
        const QJsonObject pet = example.toObject();
        QCOMPARE(pet.value(QStringLiteral("name")).toString(), QStringLiteral("Rex"));     // spec example, via allOf
        QCOMPARE(pet.value(QStringLiteral("kind")).toString(), QStringLiteral("cat"));     // first oneOf branch, enum
        QCOMPARE(pet.value(QStringLiteral("tags")).toArray().first().toString(), QStringLiteral("user@example.com"));
        QVERIFY(!pet.contains(QStringLiteral("id")));       // readOnly is not sent
        QVERIFY(!pet.contains(QStringLiteral("parent")));   // the cycle back to Pet is cut

        BuildInput in = input();
        in.body.source = BodyInput::Source::Value;
        in.body.value = example;
        const BuildResult built = RequestBuilder(*m_openApi).build(*op, in);
        QVERIFY(built.ok());
        QCOMPARE(headerValue(built.request.headers, "Content-Type"), QByteArray("application/json"));
        const QJsonObject echo = sendAndEcho(built.request);
        QCOMPARE(echo.value(QStringLiteral("json")).toObject(), pet);
    }

    void formBodyHonoursTheEncodingObject()
    {
        BuildInput in = input();
        in.body.source = BodyInput::Source::Value;
        in.body.value = QJsonObject{{QStringLiteral("meta"), QJsonObject{{QStringLiteral("a"), 1}}},
                                    {QStringLiteral("colours"), strings({"red", "green"})},
                                    {QStringLiteral("sizes"), strings({"S", "M"})},
                                    {QStringLiteral("note"), QStringLiteral("x&y=z ü")}};
        const BuildResult built = RequestBuilder(*m_openApi).build(*operation(*m_openApi, QStringLiteral("form")), in);
        QVERIFY(built.ok());
        QCOMPARE(built.request.body.inMemoryBytes(),
                 QByteArray("note=x%26y%3Dz%20%C3%BC&meta=%7B%22a%22%3A1%7D&colours=red,green&sizes=S&sizes=M"));  // schema order
        const QJsonObject form = sendAndEcho(built.request).value(QStringLiteral("form")).toObject();
        QCOMPARE(form.value(QStringLiteral("meta")).toString(), QStringLiteral(R"({"a":1})"));
        QCOMPARE(form.value(QStringLiteral("colours")).toString(), QStringLiteral("red,green"));
        QCOMPARE(form.value(QStringLiteral("sizes")).toArray(), strings({"S", "M"}));
        QCOMPARE(form.value(QStringLiteral("note")).toString(), QStringLiteral("x&y=z ü"));
    }

    void multipartWithFilesAndPartTypes()
    {
        QByteArray png(200'000, Qt::Uninitialized);
        for (char &c : png)
            c = char(QRandomGenerator::global()->bounded(256));
        const QString avatar = writeFile(QStringLiteral("avatar.png"), png);
        BuildInput in = input();
        in.body.source = BodyInput::Source::Value;
        in.body.value = QJsonObject{{QStringLiteral("name"), QStringLiteral("Rex")},
                                    {QStringLiteral("meta"), QJsonObject{{QStringLiteral("age"), 3}}}};
        in.body.fileFields.insert(QStringLiteral("avatar"), avatar);
        const BuildResult built = RequestBuilder(*m_openApi).build(*operation(*m_openApi, QStringLiteral("upload")), in);
        QVERIFY(built.ok());
        QVERIFY(!built.request.body.isInMemory());  // the file is streamed from disk
        QVERIFY(headerValue(built.request.headers, "Content-Type").startsWith("multipart/form-data; boundary="));
        // Parts in the schema's order: name, meta, then the file (streamed from disk, so in a later segment).
        const QByteArray head = built.request.body.segments.first().bytes;
        const qsizetype name = head.indexOf("name=\"name\"");
        const qsizetype meta = head.indexOf("name=\"meta\"");
        QVERIFY(name >= 0 && meta > name);
        QVERIFY(head.indexOf("Content-Disposition: form-data; name=\"avatar\"; filename=\"avatar.png\"\r\nContent-Type: image/png\r\n") > meta);
        const QJsonObject echo = sendAndEcho(built.request);
        const QJsonObject form = echo.value(QStringLiteral("form")).toObject();
        QCOMPARE(form.value(QStringLiteral("name")).toString(), QStringLiteral("Rex"));
        QCOMPARE(form.value(QStringLiteral("meta")).toString(), QStringLiteral(R"({"age":3})"));
        const QString file = echo.value(QStringLiteral("files")).toObject().value(QStringLiteral("avatar")).toString();
        QVERIFY2(file.startsWith(QLatin1String("data:image/png;base64,")), qPrintable(file.left(60)));
        QCOMPARE(QByteArray::fromBase64(file.section(QLatin1Char(','), 1).toLatin1()), png);
    }

    void rawTextAndBinaryFileBodies()
    {
        const Operation *op = operation(*m_openApi, QStringLiteral("raw"));
        BuildInput text = input();
        text.body.source = BodyInput::Source::Raw;
        text.body.contentType = QStringLiteral("text/plain");
        text.body.raw = "line one\nline two ✓";
        const BuildResult textBuilt = RequestBuilder(*m_openApi).build(*op, text);
        QVERIFY(textBuilt.ok());
        QCOMPARE(sendAndEcho(textBuilt.request).value(QStringLiteral("data")).toString(), QStringLiteral("line one\nline two ✓"));

        QByteArray binary(50'000, Qt::Uninitialized);
        for (char &c : binary)
            c = char(QRandomGenerator::global()->bounded(256));
        BuildInput file = input();
        file.body.source = BodyInput::Source::File;
        file.body.contentType = QStringLiteral("application/octet-stream");
        file.body.filePath = writeFile(QStringLiteral("blob.bin"), binary);
        const BuildResult fileBuilt = RequestBuilder(*m_openApi).build(*op, file);
        QVERIFY(fileBuilt.ok());
        const QString data = sendAndEcho(fileBuilt.request).value(QStringLiteral("data")).toString();
        QVERIFY2(data.startsWith(QLatin1String("data:application/octet-stream;base64,")), qPrintable(data.left(50)));
        QCOMPARE(QByteArray::fromBase64(data.section(QLatin1Char(','), 1).toLatin1()), binary);

        file.body.filePath = m_dir.filePath(QStringLiteral("missing.bin"));
        const BuildResult missing = RequestBuilder(*m_openApi).build(*op, file);
        QVERIFY(!missing.ok());
        QVERIFY(missing.errors.first().message.contains(QLatin1String("missing.bin")));
    }

    void swaggerCollectionFormatsReachTheServer()
    {
        const Operation *list = operation(*m_swagger, QStringLiteral("list"));
        QVERIFY(list);
        BuildInput in;
        in.serverUrl = QStringLiteral("http://127.0.0.1:%1/anything").arg(m_httpbin.port());
        const RequestBuilder builder(*m_swagger);
        const QList<Parameter> declared = operationDetails(*m_swagger, *list).parameters;
        in.parameters = {{ParameterLocation::Query, QStringLiteral("multi"), builder.valueFromText(declared[0], QStringLiteral("a,b"))},
                         {ParameterLocation::Query, QStringLiteral("pipes"), builder.valueFromText(declared[1], QStringLiteral("[\"c\",\"d\"]"))}};
        const BuildResult built = builder.build(*list, in);
        QVERIFY2(built.ok(), built.ok() ? "" : qPrintable(built.errors.first().toString()));
        QCOMPARE(built.request.url.query(QUrl::FullyEncoded), QStringLiteral("multi=a&multi=b&pipes=c%7Cd"));
        const QJsonObject args = sendAndEcho(built.request).value(QStringLiteral("args")).toObject();
        QCOMPARE(args.value(QStringLiteral("multi")).toArray(), strings({"a", "b"}));
        QCOMPARE(args.value(QStringLiteral("pipes")).toString(), QStringLiteral("c|d"));

        const Operation *post = operation(*m_swagger, QStringLiteral("post"));
        BuildInput form = in;
        form.parameters.clear();
        form.body.source = BodyInput::Source::Value;
        form.body.value = QJsonObject{{QStringLiteral("tsv"), strings({"x", "y"})}, {QStringLiteral("each"), strings({"1", "2"})}};
        const BuildResult formBuilt = builder.build(*post, form);
        QVERIFY(formBuilt.ok());
        QCOMPARE(formBuilt.request.body.inMemoryBytes(), QByteArray("tsv=x%09y&each=1&each=2"));  // the parameters' order
    }
};

QTEST_GUILESS_MAIN(TestRequestBuilder)
#include "tst_requestbuilder.moc"
