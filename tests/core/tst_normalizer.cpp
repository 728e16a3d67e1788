#include "jsonpointer.h"
#include "loadhelper.h"
#include "referenceresolver.h"

#include <QTcpServer>

using namespace portolan;
using namespace portolan::test;

namespace {

std::shared_ptr<const ApiDocument> loadText(Files &files, const QByteArray &text, const QString &name = QStringLiteral("api.yaml"))
{
    const LoadResult r = loadFile(files.write(name, text));
    if (!r.document)
        qWarning("%s", qPrintable(dump(r.errors)));
    return r.document;
}

QString requirementText(const SecurityRequirement &requirement)
{
    QStringList alternatives;
    for (const SecurityAlternative &alternative : requirement) {
        QStringList all;
        for (const SchemeUse &use : alternative)
            all.push_back(use.scheme + QLatin1Char('(') + use.scopes.join(QLatin1Char(',')) + QLatin1Char(')'));
        alternatives.push_back(QLatin1Char('{') + all.join(QLatin1Char('+')) + QLatin1Char('}'));
    }
    return QLatin1Char('[') + alternatives.join(QLatin1Char('|')) + QLatin1Char(']');
}

std::optional<Parameter> findParameter(const ApiDocument &api, const Operation &op, const QString &name)
{
    for (const Parameter &p : operationDetails(api, op).parameters) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

} // namespace

class NormalizerTest final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void swagger2()
    {
        Files files;
        const auto api = loadText(files, R"(
swagger: '2.0'
info: {title: Petstore, version: 1.0.0}
host: api.example.com
basePath: /v1
schemes: [https, http]
consumes: [application/json]
securityDefinitions:
  basicAuth: {type: basic}
  key: {type: apiKey, in: header, name: X-Key}
  implicitAuth: {type: oauth2, flow: implicit, authorizationUrl: 'https://a/auth', scopes: {read: Read}}
  passwordAuth: {type: oauth2, flow: password, tokenUrl: 'https://a/token', scopes: {}}
  appAuth: {type: oauth2, flow: application, tokenUrl: 'https://a/token', scopes: {admin: Admin}}
  codeAuth: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a/auth', tokenUrl: 'https://a/token', scopes: {}}
security: [{key: []}]
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, type: string}
      - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: pipes}
    put:
      operationId: updatePet
      parameters:
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: body, in: body, required: true, schema: {type: object, title: Pet}}
      responses:
        '200': {description: ok, schema: {type: object}}
    post:
      operationId: uploadImage
      consumes: [multipart/form-data]
      security: [{codeAuth: [read, write]}, {basicAuth: []}]
      parameters:
        - {name: file, in: formData, type: file, required: true}
        - {name: note, in: formData, type: string}
      responses:
        default: {description: error}
)");
        QVERIFY(api);
        QCOMPARE(api->format, SpecFormat::Swagger);
        QCOMPARE(api->specVersion, QStringLiteral("2.0"));
        QCOMPARE(api->servers.size(), 2);
        QCOMPARE(api->servers[0].url, QStringLiteral("https://api.example.com/v1"));
        QCOMPARE(api->servers[1].url, QStringLiteral("http://api.example.com/v1"));

        QCOMPARE(api->securitySchemes.size(), 6);
        const SecurityScheme *basic = api->securityScheme(QStringLiteral("basicAuth"));
        QCOMPARE(basic->type, SecuritySchemeType::Http);
        QCOMPARE(basic->scheme, QStringLiteral("basic"));
        QCOMPARE(api->securityScheme(QStringLiteral("key"))->parameterName, QStringLiteral("X-Key"));
        QCOMPARE(api->securityScheme(QStringLiteral("implicitAuth"))->flows[0].kind, OAuthFlowKind::Implicit);
        QCOMPARE(api->securityScheme(QStringLiteral("implicitAuth"))->flows[0].scopes[0].first, QStringLiteral("read"));
        QCOMPARE(api->securityScheme(QStringLiteral("passwordAuth"))->flows[0].kind, OAuthFlowKind::Password);
        QCOMPARE(api->securityScheme(QStringLiteral("appAuth"))->flows[0].kind, OAuthFlowKind::ClientCredentials);
        QCOMPARE(api->securityScheme(QStringLiteral("codeAuth"))->flows[0].kind, OAuthFlowKind::AuthorizationCode);
        QCOMPARE(api->securityScheme(QStringLiteral("codeAuth"))->flows[0].tokenUrl, QStringLiteral("https://a/token"));

        const Operation *put = findOperation(*api, QStringLiteral("PUT"), QStringLiteral("/pets/{id}"));
        QVERIFY(put);
        QCOMPARE(operationDetails(*api, *put).parameters.size(), 2);  // id, and tags overridden by the operation
        QCOMPARE(findParameter(*api, *put, QStringLiteral("tags"))->collectionFormat, QStringLiteral("multi"));
        QVERIFY(findParameter(*api, *put, QStringLiteral("tags"))->explode);
        QVERIFY(operationDetails(*api, *put).requestBody);
        QVERIFY(operationDetails(*api, *put).requestBody->required);
        QCOMPARE(operationDetails(*api, *put).requestBody->content[0].contentType, QStringLiteral("application/json"));
        QCOMPARE(operationDetails(*api, *put).requestBody->content[0].schema.member("title").string(), QStringLiteral("Pet"));
        QCOMPARE(operationDetails(*api, *put).responses[0].content[0].contentType, QStringLiteral("application/json"));
        QCOMPARE(requirementText(api->effectiveSecurity(*put)), QStringLiteral("[{key()}]"));

        const Operation *post = findOperation(*api, QStringLiteral("POST"), QStringLiteral("/pets/{id}"));
        QVERIFY(operationDetails(*api, *post).requestBody);
        QCOMPARE(operationDetails(*api, *post).requestBody->content[0].contentType, QStringLiteral("multipart/form-data"));
        QCOMPARE(operationDetails(*api, *post).requestBody->content[0].formParameters.size(), 2);
        QCOMPARE(operationDetails(*api, *post).requestBody->content[0].formParameters[0].in, ParameterLocation::FormData);
        QCOMPARE(findParameter(*api, *post, QStringLiteral("tags"))->collectionFormat, QStringLiteral("pipes"));
        QCOMPARE(findParameter(*api, *post, QStringLiteral("tags"))->style, QStringLiteral("pipeDelimited"));
        QCOMPARE(requirementText(api->effectiveSecurity(*post)), QStringLiteral("[{codeAuth(read,write)}|{basicAuth()}]"));
        QVERIFY2(api->diagnostics.isEmpty(), qPrintable(dump(api->diagnostics)));
    }

    void swagger2WithoutHostUsesTheDocumentsOrigin()
    {
        Files files;
        const auto api = loadText(files, "swagger: '2.0'\ninfo: {title: T, version: '1'}\nbasePath: /api\npaths: {}\n");
        QVERIFY(api);
        QCOMPARE(api->servers.size(), 1);
        QCOMPARE(api->servers[0].url, QStringLiteral("/api"));
    }

    void openapi30()
    {
        Files files;
        const auto api = loadText(files, R"(
openapi: 3.0.3
info: {title: Store, version: '2'}
servers:
  - url: 'https://{region}.example.com/{base}'
    variables:
      region: {default: eu, enum: [eu, us]}
      base: {default: v1}
components:
  securitySchemes:
    bearer: {type: http, scheme: Bearer, bearerFormat: JWT}
    digest: {type: http, scheme: digest}
    cookieKey: {type: apiKey, in: cookie, name: session}
    oidc: {type: openIdConnect, openIdConnectUrl: 'https://id/.well-known/openid-configuration'}
    oauth:
      type: oauth2
      flows:
        authorizationCode: {authorizationUrl: 'https://id/auth', tokenUrl: 'https://id/token', refreshUrl: 'https://id/refresh', scopes: {'read:pets': Read}}
        clientCredentials: {tokenUrl: 'https://id/token', scopes: {}}
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer, default: 20}}
security: [{bearer: []}, {}]
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: X-Trace, in: header, schema: {type: string}}
    get:
      operationId: getItem
      tags: [items]
      deprecated: true
      parameters:
        - $ref: '#/components/parameters/Limit'
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: filter, in: query, style: deepObject, explode: true, schema: {type: object}}
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        '200':
          description: ok
          headers: {X-Rate: {schema: {type: integer}}}
          content: {application/json: {schema: {type: object}}}
      callbacks:
        onEvent:
          '{$request.body#/url}':
            post:
              requestBody: {content: {application/json: {schema: {type: object}}}}
              responses: {'200': {description: ok}}
    delete:
      security: []
      responses: {'204': {description: gone}}
    patch:
      security: [{oauth: ['read:pets']}, {digest: [], cookieKey: []}]
      servers: [{url: 'https://patch.example.com'}]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {type: object}
            encoding: {tags: {style: form, explode: false}}
      responses: {'200': {description: ok}}
)");
        QVERIFY(api);
        QCOMPARE(api->specVersion, QStringLiteral("3.0.3"));
        QCOMPARE(api->servers[0].variables.size(), 2);
        QCOMPARE(api->servers[0].variables[0].enumValues, (QStringList{QStringLiteral("eu"), QStringLiteral("us")}));
        QCOMPARE(api->securityScheme(QStringLiteral("bearer"))->scheme, QStringLiteral("bearer"));
        QCOMPARE(api->securityScheme(QStringLiteral("bearer"))->bearerFormat, QStringLiteral("JWT"));
        QCOMPARE(api->securityScheme(QStringLiteral("cookieKey"))->in, QStringLiteral("cookie"));
        QCOMPARE(api->securityScheme(QStringLiteral("oidc"))->type, SecuritySchemeType::OpenIdConnect);
        const SecurityScheme *oauth = api->securityScheme(QStringLiteral("oauth"));
        QCOMPARE(oauth->flows.size(), 2);
        QCOMPARE(oauth->flows[0].refreshUrl, QStringLiteral("https://id/refresh"));

        const Operation *get = findOperation(*api, QStringLiteral("GET"), QStringLiteral("/items/{id}"));
        QVERIFY(get);
        QVERIFY(get->deprecated);
        QCOMPARE(operationDetails(*api, *get).parameters.size(), 5);
        QVERIFY(findParameter(*api, *get, QStringLiteral("X-Trace"))->required);  // the operation's version wins
        QCOMPARE(findParameter(*api, *get, QStringLiteral("limit"))->style, QStringLiteral("form"));
        QVERIFY(findParameter(*api, *get, QStringLiteral("limit"))->explode);
        QCOMPARE(findParameter(*api, *get, QStringLiteral("id"))->style, QStringLiteral("simple"));
        QVERIFY(!findParameter(*api, *get, QStringLiteral("id"))->explode);
        QCOMPARE(findParameter(*api, *get, QStringLiteral("filter"))->style, QStringLiteral("deepObject"));
        QCOMPARE(findParameter(*api, *get, QStringLiteral("session"))->in, ParameterLocation::Cookie);
        QCOMPARE(operationDetails(*api, *get).responses[0].headers[0].name, QStringLiteral("X-Rate"));
        QCOMPARE(operationDetails(*api, *get).callbacks.size(), 1);
        QCOMPARE(operationDetails(*api, *get).callbacks[0].operations[0].path(), QStringLiteral("{$request.body#/url}"));
        QCOMPARE(operationDetails(*api, *get).callbacks[0].operations[0].method, QStringLiteral("POST"));
        // A callback's operation is read when asked, as any other.
        const OperationDetails callback = operationDetails(*api, operationDetails(*api, *get).callbacks[0].operations[0]);
        QCOMPARE(callback.requestBody->content[0].contentType, QStringLiteral("application/json"));
        QCOMPARE(callback.responses[0].status, QStringLiteral("200"));
        QCOMPARE(operationPointer(*get), QStringLiteral("/paths/~1items~1{id}/get"));
        // What a diagnostic's pointer names lies in one operation; a member it names may be missing.
        const SourceDocument *root = api->rootDocument();
        auto at = [&](const char *pointer) { return NodeRef{root, jsonpointer::resolveDeepest(root->tree(), pointer)}; };
        QVERIFY(operationHolds(*get, at("/paths/~1items~1{id}/get/responses/200")));
        QVERIFY(operationHolds(*get, at("/paths/~1items~1{id}/get/no/such/member")));
        QVERIFY(!operationHolds(*get, at("/paths/~1items~1{id}")));
        QVERIFY(!operationHolds(*findOperation(*api, QStringLiteral("DELETE"), QStringLiteral("/items/{id}")),
                                at("/paths/~1items~1{id}/get/responses/200")));

        // Requirements: inherited global (bearer OR anonymous), [] = no auth, AND-sets kept.
        QCOMPARE(requirementText(api->effectiveSecurity(*get)), QStringLiteral("[{bearer()}|{}]"));
        const Operation *del = findOperation(*api, QStringLiteral("DELETE"), QStringLiteral("/items/{id}"));
        QVERIFY(del->security.has_value());
        QCOMPARE(requirementText(api->effectiveSecurity(*del)), QStringLiteral("[]"));
        const Operation *patch = findOperation(*api, QStringLiteral("PATCH"), QStringLiteral("/items/{id}"));
        QCOMPARE(requirementText(api->effectiveSecurity(*patch)), QStringLiteral("[{oauth(read:pets)}|{digest()+cookieKey()}]"));
        QCOMPARE(api->effectiveServers(*patch)[0].url, QStringLiteral("https://patch.example.com"));
        QCOMPARE(api->effectiveServers(*get)[0].url, QStringLiteral("https://{region}.example.com/{base}"));
        QCOMPARE(operationDetails(*api, *patch).requestBody->content[0].encoding[0].property, QStringLiteral("tags"));
        QVERIFY(!operationDetails(*api, *patch).requestBody->content[0].encoding[0].explode);
        QVERIFY2(api->diagnostics.isEmpty(), qPrintable(dump(api->diagnostics)));
    }

    void openapi31And32()
    {
        Files files;
        // 3.2: the device flow and the QUERY method are new there (the official 3.1 schema refuses them).
        const auto api = loadText(files, R"(
openapi: 3.2.0
info: {title: Hooks, version: '1'}
components:
  securitySchemes:
    mtls: {type: mutualTLS}
    device:
      type: oauth2
      flows:
        deviceAuthorization: {deviceAuthorizationUrl: 'https://id/device', tokenUrl: 'https://id/token', scopes: {}}
  parameters:
    Q: {name: q, in: query, description: original, schema: {type: string}}
  pathItems:
    Pet: {get: {responses: {'200': {description: ok}}}}
webhooks:
  newPet:
    post:
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {'200': {description: ok}}
paths:
  /search:
    query:
      parameters:
        - {$ref: '#/components/parameters/Q', description: overridden}
      security: [{mtls: []}, {device: []}]
      responses: {'200': {description: ok}}
  /pet:
    $ref: '#/components/pathItems/Pet'
)");
        QVERIFY(api);
        QCOMPARE(api->webhooks.size(), 1);
        QCOMPARE(api->webhooks[0].path(), QStringLiteral("newPet"));
        QVERIFY(api->webhooks[0].isWebhook);
        QCOMPARE(api->securityScheme(QStringLiteral("mtls"))->type, SecuritySchemeType::MutualTls);
        QCOMPARE(api->securityScheme(QStringLiteral("device"))->flows[0].kind, OAuthFlowKind::DeviceAuthorization);
        QCOMPARE(api->securityScheme(QStringLiteral("device"))->flows[0].deviceAuthorizationUrl, QStringLiteral("https://id/device"));
        const Operation *query = findOperation(*api, QStringLiteral("QUERY"), QStringLiteral("/search"));
        QVERIFY(query);
        QCOMPARE(operationDetails(*api, *query).parameters[0].description, QStringLiteral("overridden"));  // 3.1 $ref sibling
        QVERIFY(findOperation(*api, QStringLiteral("GET"), QStringLiteral("/pet")));
        QVERIFY2(api->diagnostics.isEmpty(), qPrintable(dump(api->diagnostics)));
    }

    void diagnosticsCarryLocations()
    {
        Files files;
        const auto api = loadText(files, R"(openapi: 3.0.0
info: {title: Broken, version: '1'}
components:
  securitySchemes:
    key: {type: apiKey, in: body, name: k}
paths:
  /a/{id}/{other}:
    get:
      operationId: same
      security: [{nosuch: []}]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
  /b:
    get:
      operationId: same
      parameters:
        - {name: ghost, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
)");
        QVERIFY(api);
        const Diagnostics &d = api->diagnostics;

        const Diagnostic unknown = findDiagnostic(d, QStringLiteral("unknown security scheme 'nosuch'"));
        QCOMPARE(unknown.severity, Severity::Error);
        QCOMPARE(unknown.location.pointer, QStringLiteral("/paths/~1a~1{id}~1{other}/get/security/0/nosuch"));
        QCOMPARE(unknown.location.line, 10);
        QVERIFY(unknown.location.file.endsWith(QLatin1String("api.yaml")));

        const Diagnostic undeclared = findDiagnostic(d, QStringLiteral("path parameter 'other' is not declared"));
        QCOMPARE(undeclared.severity, Severity::Error);
        QCOMPARE(undeclared.location.pointer, QStringLiteral("/paths/~1a~1{id}~1{other}/get"));
        QCOMPARE(undeclared.location.line, 9);
        QCOMPARE(undeclared.location.column, 7);

        const Diagnostic duplicate = findDiagnostic(d, QStringLiteral("duplicate operationId 'same'"));
        QCOMPARE(duplicate.location.pointer, QStringLiteral("/paths/~1b/get/operationId"));
        QCOMPARE(duplicate.location.line, 16);
        QVERIFY(duplicate.message.contains(QLatin1String("/paths/~1a~1{id}~1{other}/get")));

        QVERIFY(hasDiagnostic(d, QStringLiteral("path parameter 'ghost' does not appear"), Severity::Warning));
        // One diagnostic for the cause: the official schema's, which lists the allowed values.
        const Diagnostic badIn = findDiagnostic(d, QStringLiteral("`in` of security scheme 'key' must be one of: 'header', 'query' or 'cookie'"));
        QCOMPARE(badIn.location.line, 5);
        // Still loaded: the broken parts don't hide the rest.
        QCOMPARE(api->operations.size(), 2);
    }

    void notLoadable_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("not openapi") << QByteArray("name: just yaml\n") << "neither an 'openapi' nor a 'swagger' field";
        QTest::newRow("scalar") << QByteArray("hello world\n") << "not an OpenAPI or Swagger document";
        QTest::newRow("syntax") << QByteArray("openapi: 3.0.0\ninfo: [\n") << "";
        QTest::newRow("empty") << QByteArray("") << "empty";
        QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff\xfe", 5) << "";
    }

    void notLoadable()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        Files files;
        const LoadResult r = loadFile(files.write(QStringLiteral("x.yaml"), content));
        QVERIFY(!r.document);
        QVERIFY(!r.errors.isEmpty());
        QVERIFY2(r.errors.back().message.contains(message), qPrintable(dump(r.errors)));
        QVERIFY(r.errors.back().location.file.endsWith(QLatin1String("x.yaml")));
    }

    void sizeLimitIsEnforced()
    {
        Files files;
        const QString path = files.write(QStringLiteral("big.json"), "{\"openapi\": \"3.0.0\", \"pad\": \"" + QByteArray(3 * 1024 * 1024, 'x') + "\"}");
        LoadOptions options;
        options.maxSourceBytes = 1024 * 1024;
        const LoadResult r = loadFile(path, options);
        QVERIFY(!r.document);
        QVERIFY2(hasDiagnostic(r.errors, QStringLiteral("over the 1 MB limit")), qPrintable(dump(r.errors)));
    }

    // A tree's offsets are 32 bits: a file of 4 GiB is refused whatever the
    // limit says, before any of it is read (this one is sparse, and empty).
    void filesOf4GiBAreRefused()
    {
        Files files;
        const QString path = files.write(QStringLiteral("huge.json"), "{");
        QVERIFY(QFile::resize(path, qint64(4) << 30));
        LoadOptions options;
        options.maxSourceBytes = qint64(8) << 30;
        options.mapFiles = true;
        const LoadResult r = loadFile(path, options);
        QVERIFY(!r.document);
        QVERIFY2(hasDiagnostic(r.errors, QStringLiteral("the file is 4096 MB; documents of 4 GiB or more cannot be read")),
                 qPrintable(dump(r.errors)));
    }

    // Files of 1 MB and more are parsed while another thread reads them in
    // (see SourceArrival).
    void largeFilesAreReadWhole()
    {
        QByteArray content = R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {)";
        const int count = 20'000;
        for (int i = 0; i < count; ++i) {
            content += QStringLiteral(R"(%1"/p%2": {"get": {"operationId": "op%2", "responses": {"200": {"description": "%3"}}}})")
                           .arg(i ? QStringLiteral(",\n") : QString()).arg(i).arg(QString(200, QLatin1Char('a' + i % 26)))
                           .toUtf8();
        }
        content += "}}\n";
        QVERIFY(content.size() > 5 * 1024 * 1024);
        Files files;
        const LoadResult r = loadFile(files.write(QStringLiteral("large.json"), content));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        QCOMPARE(r.document->rootDocument()->tree().source(), content);
        QCOMPARE(r.document->operations.size(), count);
        QCOMPARE(r.document->operations.last().operationId(), QStringLiteral("op%1").arg(count - 1));
    }

    // A document of thousands of operations: the model and its diagnostics
    // come out in document order, and an operationId is a duplicate of its
    // first use, wherever that lies.
    void largeDocumentsKeepDocumentOrder()
    {
        const int count = 6000;
        auto operationId = [](int i) {
            if (i == 1500 || i == 3500)
                return QStringLiteral("shared%1").arg(i);  // path items that are $refs, which declare no operations to count
            if (i == 4000)
                return QStringLiteral("op10");    // first used in the first half
            if (i == 4500)
                return QStringLiteral("op4200");  // first used in the second half
            if (i == 2500)
                return QStringLiteral("op20");    // both in the first half
            return QStringLiteral("op%1").arg(i);
        };
        const QList<int> ghosts{1000, 3800, 4100, 5900};  // each declares a path parameter its path lacks
        QByteArray content = R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
"components": {"parameters": {"shared": {"name": "page", "in": "query", "schema": {"type": "integer"}}}}, "x-items": {"a": {"get": {"operationId": "shared1500", "parameters": [{"$ref": "#/components/parameters/shared"}], "responses": {"200": {"description": "ok"}}}}, "b": {"get": {"operationId": "shared3500", "parameters": [{"$ref": "#/components/parameters/shared"}], "responses": {"200": {"description": "ok"}}}}},
"paths": {)";
        for (int i = 0; i < count; ++i) {
            if (i == 1500 || i == 3500) {
                content += QStringLiteral(R"(,
"/p%1": {"$ref": "#/x-items/%2"})").arg(i).arg(i == 1500 ? 'a' : 'b').toUtf8();
                continue;
            }
            const QString notAnOperation = i == 5000 ? QStringLiteral(R"("put": "no operation", )") : QString();  // counted, not read
            const QString ghost = ghosts.contains(i) ? QStringLiteral(R"(, {"name": "ghost%1", "in": "path", "required": true, "schema": {"type": "string"}})").arg(i) : QString();
            content += QStringLiteral(R"(%1"/p%2": {%5"get": {"operationId": "%3", "parameters": [{"$ref": "#/components/parameters/shared"}%4], "responses": {"200": {"description": "ok"}}}})")
                           .arg(i ? QStringLiteral(",\n") : QString()).arg(i).arg(operationId(i), ghost, notAnOperation).toUtf8();
        }
        content += "}}\n";
        Files files;
        const LoadResult r = loadFile(files.write(QStringLiteral("many.json"), content));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const ApiDocument &api = *r.document;
        QCOMPARE(api.operations.size(), count);
        for (int i = 0; i < count; ++i) {
            const Operation &op = api.operations.at(i);
            QCOMPARE(op.path(), QStringLiteral("/p%1").arg(i));
            QCOMPARE(op.operationId(), operationId(i));
            QVERIFY(findParameter(api, op, QStringLiteral("page")));
        }

        QStringList expected;
        for (int i = 0; i < count; ++i) {
            if (ghosts.contains(i))
                expected.push_back(QStringLiteral("path parameter 'ghost%1' does not appear in the path '/p%1'").arg(i));
            if (operationId(i).startsWith(QLatin1String("op")) && operationId(i) != QStringLiteral("op%1").arg(i)) {
                const int first = operationId(i).mid(2).toInt();
                expected.push_back(QStringLiteral("duplicate operationId '%1' (first used at /paths/~1p%2/get)").arg(operationId(i)).arg(first));
            }
        }
        QStringList found;
        for (const Diagnostic &d : api.diagnostics) {
            if (d.message.contains(QLatin1String("ghost")) || d.message.startsWith(QLatin1String("duplicate operationId")))
                found.push_back(d.message);
        }
        QCOMPARE(found, expected);
        const Diagnostic duplicate = findDiagnostic(api.diagnostics, QStringLiteral("duplicate operationId 'op4200'"));
        QCOMPARE(duplicate.location.pointer, QStringLiteral("/paths/~1p4500/get/operationId"));
        QCOMPARE(duplicate.location.line, 3 + 4500);  // the paths begin on line 3, one to a line
    }

    // Long parameter lists are looked up by location and name, not searched
    // (a document can give an operation thousands): an operation's parameter
    // still replaces the path item's of the same location and name, and one
    // listed twice is still reported, in lists long and short.
    void parametersMergeByLocationAndName_data()
    {
        QTest::addColumn<int>("count");
        QTest::newRow("short") << 6;
        QTest::newRow("long") << 300;
    }

    void parametersMergeByLocationAndName()
    {
        QFETCH(int, count);
        auto parameter = [](const QString &name, const char *in, const QString &description) {
            return QStringLiteral(R"({"name": "%1", "in": "%2", "description": "%3", "schema": {"type": "string"}})").arg(name, QLatin1String(in), description);
        };
        QStringList shared, own;
        for (int i = 0; i < count; ++i)
            shared.push_back(parameter(QStringLiteral("p%1").arg(i), "query", QStringLiteral("path item")));
        for (int i = count / 2; i < count + count / 2; ++i)  // the second half overrides, the rest is new
            own.push_back(parameter(QStringLiteral("p%1").arg(i), "query", QStringLiteral("operation")));
        own.push_back(parameter(QStringLiteral("p%1").arg(count - 1), "header", QStringLiteral("another location")));
        own.push_back(parameter(QStringLiteral("p%1").arg(count), "query", QStringLiteral("twice")));
        const QByteArray content = QStringLiteral(R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"parameters": [%1], "get": {"parameters": [%2], "responses": {"200": {"description": "ok"}}}}}})")
                                       .arg(shared.join(QLatin1Char(',')), own.join(QLatin1Char(','))).toUtf8();
        Files files;
        const LoadResult r = loadFile(files.write(QStringLiteral("params.json"), content));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const QList<Parameter> params = operationDetails(*r.document, r.document->operations.at(0)).parameters;
        QCOMPARE(params.size(), count + count / 2 + 1);
        for (int i = 0; i < count + count / 2; ++i) {
            const Parameter &p = params.at(i);
            QCOMPARE(p.name, QStringLiteral("p%1").arg(i));
            QCOMPARE(p.in, ParameterLocation::Query);
            QCOMPARE(p.description, i < count / 2 ? QStringLiteral("path item") : i == count ? QStringLiteral("twice") : QStringLiteral("operation"));
        }
        QCOMPARE(params.last().in, ParameterLocation::Header);
        QStringList twice;
        for (const Diagnostic &d : r.document->diagnostics) {
            if (d.message.contains(QLatin1String("listed twice")))
                twice.push_back(d.message);
        }
        QCOMPARE(twice, QStringList{QStringLiteral("parameter 'p%1' in query is listed twice").arg(count)});
    }

    void modelIsHandedOverBeforeItsCheckEnds()
    {
        Files files;
        // An example its schema rejects: the check's warning comes with `finished` only.
        const QString path = files.write(QStringLiteral("api.yaml"),
                                         "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
                                         "      responses:\n        '200':\n          description: ok\n          content:\n"
                                         "            application/json:\n              schema: {type: integer}\n"
                                         "              example: text\n");
        DocumentLoader loader(nullptr);
        QStringList emitted;
        std::shared_ptr<const ApiDocument> handedOver;
        qsizetype operationsWhenHandedOver = -1;
        connect(&loader, &DocumentLoader::modelRead, this, [&](const std::shared_ptr<const ApiDocument> &document) {
            emitted << QStringLiteral("modelRead");
            handedOver = document;
            operationsWhenHandedOver = document->operations.size();
        });
        connect(&loader, &DocumentLoader::finished, this, [&] { emitted << QStringLiteral("finished"); });
        QSignalSpy finished(&loader, &DocumentLoader::finished);
        loader.load(QUrl::fromLocalFile(path));
        QVERIFY(finished.wait(30'000));
        QCOMPARE(emitted, (QStringList{QStringLiteral("modelRead"), QStringLiteral("finished")}));
        const LoadResult r = finished.at(0).at(0).value<LoadResult>();
        QVERIFY(r.document);
        QCOMPARE(handedOver, r.document);
        QCOMPARE(operationsWhenHandedOver, 1);
        QVERIFY2(hasDiagnostic(r.document->diagnostics, QStringLiteral("does not match its schema"), Severity::Warning),
                 qPrintable(dump(r.document->diagnostics)));
    }

    void noModelIsHandedOverWhenNoneIsRead()
    {
        Files files;
        const QString path = files.write(QStringLiteral("x.yaml"), "name: just yaml\n");
        DocumentLoader loader(nullptr);
        int handedOver = 0;
        connect(&loader, &DocumentLoader::modelRead, this, [&] { ++handedOver; });
        QSignalSpy finished(&loader, &DocumentLoader::finished);
        loader.load(QUrl::fromLocalFile(path));
        QVERIFY(finished.wait(30'000));
        QVERIFY(!finished.at(0).at(0).value<LoadResult>().document);
        QTest::qWait(50);  // nothing comes late either
        QCOMPARE(handedOver, 0);
    }

    void missingFileIsAClearError()
    {
        const LoadResult r = loadFile(QStringLiteral("/nonexistent/dir/api.yaml"));
        QVERIFY(!r.document);
        QVERIFY2(hasDiagnostic(r.errors, QStringLiteral("cannot read the file")), qPrintable(dump(r.errors)));
    }

    void cancelReportsCancelled()
    {
        Files files;
        const QString path = files.write(QStringLiteral("api.yaml"), "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n");
        DocumentLoader loader(nullptr);
        QSignalSpy spy(&loader, &DocumentLoader::finished);
        loader.load(QUrl::fromLocalFile(path));
        loader.cancel();
        QCOMPARE(spy.size(), 1);
        QVERIFY(spy.at(0).at(0).value<LoadResult>().cancelled);
        QVERIFY(!loader.isRunning());
        QTest::qWait(200);  // a late parse result must not produce a second signal
        QCOMPARE(spy.size(), 1);
    }

    void cancelDuringAFetchReportsCancelledOnce()
    {
        QTcpServer server;  // accepts and never answers: the fetch is running when cancelled
        QVERIFY(server.listen(QHostAddress::LocalHost));
        DocumentLoader loader(nullptr);
        QSignalSpy spy(&loader, &DocumentLoader::finished);
        loader.load(QUrl(QStringLiteral("http://127.0.0.1:%1/api.yaml").arg(server.serverPort())));
        QTRY_VERIFY_WITH_TIMEOUT(server.hasPendingConnections(), 10'000);
        loader.cancel();
        QTest::qWait(200);  // the aborted fetch must not report as a failure of its own
        QCOMPARE(spy.size(), 1);
        const LoadResult result = spy.at(0).at(0).value<LoadResult>();
        QVERIFY(result.cancelled);
        QCOMPARE(result.errors.size(), 1);
        QVERIFY(!loader.isRunning());
    }
};

QTEST_MAIN(NormalizerTest)
#include "tst_normalizer.moc"
