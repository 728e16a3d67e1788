#include "jsonpointer.h"
#include "loadhelper.h"
#include "parser.h"
#include "referenceresolver.h"
#include "referencescan.h"
#include "statichttpserver.h"

#include <QElapsedTimer>

using namespace portolan;
using namespace portolan::test;

namespace {

const QByteArray kHeader = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

QString schemaTitle(const ApiDocument &api, const NodeRef &schema)
{
    ReferenceResolver resolver(api.documents);
    return resolver.resolve(schema).member("title").string();
}

const Operation &onlyOperation(const ApiDocument &api)
{
    if (api.operations.size() != 1)
        qFatal("expected one operation, got %d", int(api.operations.size()));
    return api.operations.front();
}

} // namespace

class ReferencesTest final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void internalWithEscapes()
    {
        Files files;
        const QString root = files.write(QStringLiteral("api.yaml"), kHeader + R"(
paths:
  /pets/{id}:
    get:
      parameters:
        - $ref: '#/components/parameters/a~1b~0c'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet%20Type'}
components:
  parameters:
    a/b~c: {name: id, in: path, required: true, schema: {type: string}}
  schemas:
    Pet Type: {title: PetTitle, type: object}
)");
        const LoadResult r = loadFile(root);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const ApiDocument &api = *r.document;
        QVERIFY2(api.diagnostics.isEmpty(), qPrintable(dump(api.diagnostics)));
        const Operation &op = onlyOperation(api);
        const OperationDetails details = operationDetails(api, op);
        const QList<Parameter> &parameters = details.parameters;
        QCOMPARE(parameters.size(), 1);
        QCOMPARE(parameters[0].name, QStringLiteral("id"));
        QCOMPARE(schemaTitle(api, details.responses[0].content[0].schema), QStringLiteral("PetTitle"));
    }

    // The sites a document's $refs stand at, as "pointer -> text", in document
    // order: none inside data values, but "default" or "enum" as a name is no data keyword.
    void referenceSitesLeaveDataValuesOut_data()
    {
        QTest::addColumn<QByteArray>("source");
        // (moc misreads a raw string of this JSON, so it is spelled with escapes)
        QTest::newRow("json") << QByteArray(
            "{\"a\": {\"$ref\": \"#/x\"},\n"
            " \"b\": {\"example\": {\"$ref\": \"#/in-example\"}, \"default\": [{\"$ref\": \"#/in-default\"}],\n"
            "       \"enum\": [{\"$ref\": \"#/in-enum\"}], \"const\": {\"$ref\": \"#/in-const\"}, \"items\": {\"$ref\": \"#/y\"}},\n"
            " \"c\": {\"$ref\": \"#/first\", \"$ref\": \"#/last\"},\n"
            " \"d\": {\"$ref\": \"#/string\", \"$ref\": 7},\n"
            " \"e\": {\"example\": \"plain\", \"items\": {\"$ref\": \"#/z\"}, \"value\": {\"$ref\": \"#/in-value\"}},\n"
            " \"f\": {\"responses\": {\"default\": {\"$ref\": \"#/r\"}}, \"properties\": {\"enum\": {\"$ref\": \"#/p\"}}}}\n");
        QTest::newRow("yaml") << QByteArray(R"(
a: {$ref: '#/x'}
b:
  example: {$ref: '#/in-example'}
  default: [{$ref: '#/in-default'}]
  enum: [{$ref: '#/in-enum'}]
  const: {$ref: '#/in-const'}
  items: {$ref: '#/y'}
c: {$ref: '#/first', $ref: '#/last'}
d: {$ref: '#/string', $ref: 7}
e: {example: plain, items: {$ref: '#/z'}, value: {$ref: '#/in-value'}}
f: {responses: {default: {$ref: '#/r'}}, properties: {enum: {$ref: '#/p'}}}
)");
    }

    void referenceSitesLeaveDataValuesOut()
    {
        QFETCH(QByteArray, source);
        ParseResult parsed = parseJsonOrYaml(source, ParseLimits{}, nullptr);
        QVERIFY2(!parsed.error, qPrintable(parsed.error ? parsed.error->message : QString()));
        QStringList sites;
        for (const ReferenceSite &site : collectReferences(parsed.tree))
            sites << jsonpointer::pointerTo(parsed.tree, site.refObject) + QStringLiteral(" -> ") + QString::fromUtf8(site.ref(parsed.tree).data(), qsizetype(site.ref(parsed.tree).size()));
        QCOMPARE(sites, QStringList({QStringLiteral("/a -> #/x"), QStringLiteral("/b/items -> #/y"), QStringLiteral("/c -> #/last"),
                                     QStringLiteral("/e/items -> #/z"), QStringLiteral("/f/responses/default -> #/r"),
                                     QStringLiteral("/f/properties/enum -> #/p")}));
    }

    void externalRelativeFilesWithSpacesAndBrackets()
    {
        Files files;
        files.write(QStringLiteral("shared dir/pet [v1].yaml"), "Pet:\n  title: ExternalPet\n  type: object\n  properties:\n    owner: {$ref: '../people/owner.json#/Owner'}\n");
        files.write(QStringLiteral("people/owner.json"), "{\"Owner\": {\"title\": \"Owner\"}}");
        const QString root = files.write(QStringLiteral("api.yaml"), kHeader + R"(
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: './shared dir/pet [v1].yaml#/Pet'}
)");
        const LoadResult r = loadFile(root);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const ApiDocument &api = *r.document;
        QVERIFY2(api.diagnostics.isEmpty(), qPrintable(dump(api.diagnostics)));
        QCOMPARE(api.documents.size(), std::size_t(3));
        const NodeRef schema = operationDetails(api, onlyOperation(api)).responses[0].content[0].schema;
        QCOMPARE(schemaTitle(api, schema), QStringLiteral("ExternalPet"));
        ReferenceResolver resolver(api.documents);
        const NodeRef owner = resolver.resolve(resolver.resolve(schema).member("properties").member("owner"));
        QCOMPARE(owner.member("title").string(), QStringLiteral("Owner"));
    }

    void circularReferencesLoadAndAreMarked()
    {
        Files files;
        files.write(QStringLiteral("other.yaml"), "Node:\n  type: object\n  properties:\n    back: {$ref: 'api.yaml#/components/schemas/Tree'}\n");
        const QString root = files.write(QStringLiteral("api.yaml"), kHeader + R"(
paths:
  /tree:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Tree'}
components:
  schemas:
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
        node: {$ref: 'other.yaml#/Node'}
    SelfChain: {$ref: '#/components/schemas/SelfChain'}
    IntoLoop: {$ref: '#/components/schemas/LoopA'}
    LoopA: {$ref: '#/components/schemas/LoopB'}
    LoopB: {$ref: '#/components/schemas/LoopC'}
    LoopC: {$ref: '#/components/schemas/LoopA'}
    Long0: {$ref: '#/components/schemas/Long1'}
    Long1: {$ref: '#/components/schemas/Long2'}
    Long2: {$ref: '#/components/schemas/Long3'}
    Long3: {$ref: '#/components/schemas/Long4'}
    Long4: {$ref: '#/components/schemas/Long5'}
    Long5: {$ref: '#/components/schemas/Long6'}
    Long6: {title: end of a long chain}
)");
        const LoadResult r = loadFile(root);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const ApiDocument &api = *r.document;
        QStringList pointers;
        for (const CircularReference &c : api.circularReferences)
            pointers.push_back(QFileInfo(c.file).fileName() + c.pointer);
        QVERIFY2(pointers.contains(QStringLiteral("api.yaml/components/schemas/Tree/properties/children/items")), qPrintable(pointers.join(QLatin1Char(' '))));
        QVERIFY2(pointers.contains(QStringLiteral("other.yaml/Node/properties/back")) || pointers.contains(QStringLiteral("api.yaml/components/schemas/Tree/properties/node")),
                 qPrintable(pointers.join(QLatin1Char(' '))));
        QVERIFY(pointers.contains(QStringLiteral("api.yaml/components/schemas/SelfChain")));
        ReferenceResolver resolver(api.documents);
        QString why;
        const NodeId selfChain = api.rootDocument()->tree().member(api.rootDocument()->tree().member(api.rootDocument()->tree().member(api.rootDocument()->tree().root(), "components"), "schemas"), "SelfChain");
        QVERIFY(!resolver.resolve({api.rootDocument(), selfChain}, &why).isValid());
        QVERIFY(why.contains(QLatin1String("circular")));
        // A cycle entered after a step, and a long chain that is none.
        const NodeRef schemas = NodeRef{api.rootDocument(), api.rootDocument()->tree().root()}.member("components").member("schemas");
        why.clear();
        QVERIFY(!resolver.resolve(schemas.member("IntoLoop"), &why).isValid());
        QVERIFY(why.contains(QLatin1String("circular")));
        QCOMPARE(resolver.resolve(schemas.member("Long0"), &why).member("title").text(), std::string_view("end of a long chain"));
    }

    void everyBrokenReferenceIsReported()
    {
        Files files;
        const QString root = files.write(QStringLiteral("api.yaml"), kHeader + R"(
paths:
  /a:
    get:
      responses:
        '200': {$ref: '#/components/responses/Missing'}
        default: {$ref: '#/components/responses/MissingDefault'}
components:
  schemas:
    Unused:
      properties:
        x: {$ref: '#/components/schemas/Nowhere'}
        y: {$ref: 'missing-file.yaml#/X'}
        z: {$ref: '#not-a-pointer'}
        example: {$ref: '#/components/schemas/NoExample'}
  examples:
    Document: {value: {$ref: '#/not/a/reference'}}
)");
        const LoadResult r = loadFile(root);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const Diagnostics &d = r.document->diagnostics;
        const Diagnostic missing = findDiagnostic(d, QStringLiteral("#/components/responses/Missing"));
        QCOMPARE(missing.location.pointer, QStringLiteral("/paths/~1a/get/responses/200"));
        QCOMPARE(missing.location.line, 8);
        QCOMPARE(missing.location.column, 16);
        const Diagnostic nowhere = findDiagnostic(d, QStringLiteral("#/components/schemas/Nowhere"));
        QCOMPARE(nowhere.location.pointer, QStringLiteral("/components/schemas/Unused/properties/x"));
        QCOMPARE(nowhere.location.line, 14);
        const Diagnostic file = findDiagnostic(d, QStringLiteral("missing-file.yaml"));
        QCOMPARE(file.severity, Severity::Error);
        QCOMPARE(file.location.pointer, QStringLiteral("/components/schemas/Unused/properties/y"));
        QVERIFY(hasDiagnostic(d, QStringLiteral("has no $anchor 'not-a-pointer'")));
        // Where "default" and "example" are names, not data keywords.
        QCOMPARE(findDiagnostic(d, QStringLiteral("#/components/responses/MissingDefault")).location.pointer,
                 QStringLiteral("/paths/~1a/get/responses/default"));
        QCOMPARE(findDiagnostic(d, QStringLiteral("#/components/schemas/NoExample")).location.pointer,
                 QStringLiteral("/components/schemas/Unused/properties/example"));
        // An Example's value is data: a "$ref" in it is no reference.
        QVERIFY(!hasDiagnostic(d, QStringLiteral("#/not/a/reference")));
    }

    // OpenAPI 3.1 Schema Objects name each other by $anchor too ("#pet"),
    // wherever the document or a file it names holds them.
    void anchorsResolveInTheirOwnResource()
    {
        Files files;
        files.write(QStringLiteral("shared.yaml"), "Owner:\n  $anchor: owner\n  title: Owner\n  type: object\n");
        const QString root = files.write(QStringLiteral("api.yaml"), R"(openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#pet'}
              example: {name: 3}
        '201':
          description: in another file
          content:
            application/json:
              schema: {$ref: 'shared.yaml#owner'}
              example: [not, an, object]
        '202':
          description: a dynamic anchor
          content:
            application/json:
              schema: {$ref: '#node'}
        '404':
          description: an anchor of another resource
          content:
            application/json:
              schema: {$ref: '#hidden'}
components:
  schemas:
    Pet:
      $anchor: pet
      title: Pet
      type: object
      properties:
        name: {type: string}
    Tree:
      $dynamicAnchor: node
      title: Tree
    Elsewhere:
      $id: https://example.com/elsewhere
      $defs:
        Hidden: {$anchor: hidden, title: Hidden}
)");
        const LoadResult r = loadFile(root);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const ApiDocument &api = *r.document;
        const OperationDetails details = operationDetails(api, onlyOperation(api));
        QCOMPARE(details.responses.size(), 4);
        QCOMPARE(schemaTitle(api, details.responses[0].content[0].schema), QStringLiteral("Pet"));
        QCOMPARE(schemaTitle(api, details.responses[1].content[0].schema), QStringLiteral("Owner"));
        QCOMPARE(schemaTitle(api, details.responses[2].content[0].schema), QStringLiteral("Tree"));
        // "#hidden" is https://example.com/elsewhere#hidden, not this document's.
        const Diagnostic hidden = findDiagnostic(api.diagnostics, QStringLiteral("'#hidden'"));
        QVERIFY2(hidden.message.contains(QLatin1String("has no $anchor 'hidden'")), qPrintable(dump(api.diagnostics)));
        QCOMPARE(hidden.location.pointer, QStringLiteral("/paths/~1pets/get/responses/404/content/application~1json/schema"));
        // The examples are checked against the anchored schemas.
        QVERIFY2(hasDiagnostic(api.diagnostics, QStringLiteral("`/name` must be a string"), Severity::Warning), qPrintable(dump(api.diagnostics)));
        QVERIFY2(hasDiagnostic(api.diagnostics, QStringLiteral("must be an object (found an array)"), Severity::Warning), qPrintable(dump(api.diagnostics)));
        QCOMPARE(api.diagnostics.size(), 3);
    }

    void syntaxErrorInReferencedFileIsLocated()
    {
        Files files;
        files.write(QStringLiteral("bad.json"), "{\n  \"X\": {\"type\": !}\n}");
        const QString root = files.write(QStringLiteral("api.yaml"), kHeader + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'bad.json#/X'}\n");
        const LoadResult r = loadFile(root);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        bool located = false;
        for (const Diagnostic &d : r.document->diagnostics)
            located |= d.location.file.endsWith(QLatin1String("bad.json")) && d.location.line == 2 && d.location.column == 17;
        QVERIFY2(located, qPrintable(dump(r.document->diagnostics)));
    }

    void urlDocumentsFetchRelativeReferences()
    {
        StaticHttpServer server;
        server.serve(QStringLiteral("/specs/api.yaml"), kHeader + "servers: [{url: /v2}]\npaths:\n  /p:\n    get:\n      parameters: [{$ref: 'common/params.yaml#/Limit'}]\n      responses: {'200': {description: ok}}\n");
        server.serve(QStringLiteral("/specs/common/params.yaml"), "Limit: {name: limit, in: query, schema: {type: integer}}\n");
        const LoadResult r = load(QUrl(server.url(QStringLiteral("/specs/api.yaml"))));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        QVERIFY2(r.document->diagnostics.isEmpty(), qPrintable(dump(r.document->diagnostics)));
        QCOMPARE(operationDetails(*r.document, onlyOperation(*r.document)).parameters[0].name, QStringLiteral("limit"));
        QCOMPARE(server.requests(QStringLiteral("/specs/common/params.yaml")), 1);
        // Relative server URLs are relative to where the document came from.
        QCOMPARE(r.document->servers[0].url, server.url(QStringLiteral("/v2")));
    }

    void urlDocumentMayNotReadLocalFiles()
    {
        Files files;
        const QString secret = files.write(QStringLiteral("secret.yaml"), "X: {title: secret}\n");
        StaticHttpServer server;
        server.serve(QStringLiteral("/api.yaml"), kHeader + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '" + QUrl::fromLocalFile(secret).toString().toUtf8() + "#/X'}\n");
        const LoadResult r = load(QUrl(server.url(QStringLiteral("/api.yaml"))));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const Diagnostic refused = findDiagnostic(r.document->diagnostics, QStringLiteral("may not read local files"));
        QCOMPARE(refused.location.pointer, QStringLiteral("/components/schemas/A"));
        QCOMPARE(r.document->documents.size(), std::size_t(1));
    }

    // A chain of 305 remote documents: the load stops at the fetch budget and says so.
    void remoteFetchCountIsBounded()
    {
        StaticHttpServer server;
        server.serve(QStringLiteral("/api.yaml"), kHeader + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'd1.yaml#/X'}\n");
        for (int i = 1; i <= 305; ++i)
            server.serve(QStringLiteral("/d%1.yaml").arg(i), "X: {title: T" + QByteArray::number(i)
                                                                 + ", properties: {next: {$ref: 'd" + QByteArray::number(i + 1) + ".yaml#/X'}}}\n");
        const LoadResult r = load(QUrl(server.url(QStringLiteral("/api.yaml"))));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const Diagnostic stopped = findDiagnostic(r.document->diagnostics, QStringLiteral("one load may fetch"));
        QVERIFY2(stopped.message.contains(QLatin1String("100")), qPrintable(stopped.message));
        QVERIFY(stopped.location.file.contains(QLatin1String("/d99.yaml")));  // at the $ref that would be fetch 101
        QCOMPARE(server.requests(QStringLiteral("/d99.yaml")), 1);
        QCOMPARE(server.requests(QStringLiteral("/d100.yaml")), 0);
    }

    void remoteBytesAreBounded()
    {
        StaticHttpServer server;
        server.serve(QStringLiteral("/api.yaml"), kHeader + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'big.yaml#/X'}\n");
        server.serve(QStringLiteral("/big.yaml"), "X: {description: '" + QByteArray(1 << 20, 'a') + "'}\n");
        LoadOptions options;
        options.maxRemoteBytes = 512 * 1024;
        const LoadResult r = load(QUrl(server.url(QStringLiteral("/api.yaml"))), options);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const Diagnostic stopped = findDiagnostic(r.document->diagnostics, QStringLiteral("more than the 0.5 MB one load may fetch"));
        QCOMPARE(stopped.location.pointer, QStringLiteral("/components/schemas/A"));
    }

    void remoteTimeIsBounded()
    {
        StaticHttpServer server;
        server.serve(QStringLiteral("/api.yaml"), kHeader + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'slow.yaml#/X'}\n");
        server.hang(QStringLiteral("/slow.yaml"));
        LoadOptions options;
        options.remoteTimeBudgetMs = 1000;
        QElapsedTimer clock;
        clock.start();
        const LoadResult r = load(QUrl(server.url(QStringLiteral("/api.yaml"))), options);
        QVERIFY2(clock.elapsed() < 10'000, "the time budget did not stop the load");  // the per-request timeout is 30 s
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const Diagnostic stopped = findDiagnostic(r.document->diagnostics, QStringLiteral("longer than the 1 s"));
        QCOMPARE(stopped.location.pointer, QStringLiteral("/components/schemas/A"));
    }

    // A $ref's document is fetched from the origin the $ref names: a redirect
    // elsewhere is refused, and the other server never hears of it.
    void referenceRedirectToAnotherOriginIsRefused()
    {
        StaticHttpServer server, other;
        other.serve(QStringLiteral("/x.yaml"), "X: {title: elsewhere}\n");
        server.serve(QStringLiteral("/api.yaml"), kHeader + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'moved.yaml#/X'}\n");
        server.redirect(QStringLiteral("/moved.yaml"), other.url(QStringLiteral("/x.yaml")));
        const LoadResult r = load(QUrl(server.url(QStringLiteral("/api.yaml"))));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const Diagnostic refused = findDiagnostic(r.document->diagnostics, QStringLiteral("another origin"));
        QCOMPARE(refused.location.pointer, QStringLiteral("/components/schemas/A"));
        QCOMPARE(other.requests(QStringLiteral("/x.yaml")), 0);
    }

    // A document reached through a redirect on the same origin is stored under
    // the URL its $ref used, so the $ref resolves.
    void referenceReachedByRedirectResolves()
    {
        StaticHttpServer server;
        server.serve(QStringLiteral("/specs/api.yaml"), kHeader + "paths:\n  /p:\n    get:\n      parameters: [{$ref: 'old/params.yaml#/Limit'}]\n      responses: {'200': {description: ok}}\n");
        server.redirect(QStringLiteral("/specs/old/params.yaml"), server.url(QStringLiteral("/specs/new/params.yaml")));
        server.serve(QStringLiteral("/specs/new/params.yaml"), "Limit: {name: limit, in: query, schema: {type: integer}}\n");
        const LoadResult r = load(QUrl(server.url(QStringLiteral("/specs/api.yaml"))));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        QVERIFY2(r.document->diagnostics.isEmpty(), qPrintable(dump(r.document->diagnostics)));
        QCOMPARE(operationDetails(*r.document, onlyOperation(*r.document)).parameters[0].name, QStringLiteral("limit"));
    }

    void httpErrorsAreDiagnostics()
    {
        StaticHttpServer server;
        server.serve(QStringLiteral("/api.yaml"), kHeader + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'gone.yaml#/X'}\n");
        const LoadResult r = load(QUrl(server.url(QStringLiteral("/api.yaml"))));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const Diagnostic gone = findDiagnostic(r.document->diagnostics, QStringLiteral("HTTP 404"));
        QCOMPARE(gone.location.pointer, QStringLiteral("/components/schemas/A"));
        const LoadResult missingRoot = load(QUrl(server.url(QStringLiteral("/nothing.yaml"))));
        QVERIFY(!missingRoot.document);
        QVERIFY(hasDiagnostic(missingRoot.errors, QStringLiteral("HTTP 404")));
    }
};

QTEST_MAIN(ReferencesTest)
#include "tst_references.moc"
