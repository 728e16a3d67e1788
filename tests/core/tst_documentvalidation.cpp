#include "documentvalidator.h"
#include "loadhelper.h"

#include <QDirIterator>
#include <QRegularExpression>

using namespace portolan;
using namespace portolan::test;

namespace {

const QString kExamples = QStringLiteral(PORTOLAN_SOURCE_DIR "/tests/core/validation");
const QString kSpecs = QStringLiteral(PORTOLAN_SOURCE_DIR "/../shared/specs");

// A `# expect error: text` or `# expect warning: text` comment in an example:
// a diagnostic of that severity containing the text must be reported on its line.
struct Expectation {
    int line = 0;
    Severity severity = Severity::Error;
    QString text;
};

QList<Expectation> expectationsIn(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    static const QRegularExpression marker(QStringLiteral("#\\s*expect (error|warning):\\s*(.+)$"));
    QList<Expectation> out;
    int line = 0;
    while (!file.atEnd()) {
        ++line;
        const QString text = QString::fromUtf8(file.readLine()).trimmed();
        const QRegularExpressionMatch m = marker.match(text);
        if (m.hasMatch())
            out.push_back({line, m.captured(1) == QLatin1String("error") ? Severity::Error : Severity::Warning, m.captured(2).trimmed()});
    }
    return out;
}

QStringList examples(const QString &prefix)
{
    QStringList out;
    QDirIterator it(kExamples, {prefix + QStringLiteral("*.yaml")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.push_back(it.next());
    out.sort();
    return out;
}

Diagnostics errorsOf(const LoadResult &r)
{
    Diagnostics out;
    for (const Diagnostic &d : r.document ? r.document->diagnostics : r.errors) {
        if (d.severity == Severity::Error)
            out.push_back(d);
    }
    return out;
}

// A description with many examples, every third failing, one of them shared
// by several operations and one nested under a $dynamicRef (3.1) at
// operation `dynamicAt`, and the lines its example warnings must come at, in
// the order one thread checking them one after another reports them.
struct ManyExamples {
    QByteArray text;
    QList<int> lines;
};

ManyExamples manyExamples(const QByteArray &version, int operations, int dynamicAt)
{
    QByteArrayList out;
    auto line = [&](const QByteArray &text) {
        out.push_back(text);
        return int(out.size());
    };
    line("openapi: " + version);
    line("info: {title: t, version: \"1\"}");
    line("components:");
    line("  examples:");
    line("    shared:");
    const int shared = line("      value: {id: shared}");
    line("  schemas:");
    line("    Item:");
    line("      type: object");
    line("      required: [id]");
    line("      properties: {id: {type: integer}}");
    const int item = line("      example: {id: item}");  // the component schemas are walked last
    if (dynamicAt >= 0) {
        line("    Node:");
        line("      $dynamicAnchor: node");
        line("      type: object");
        line("      properties: {id: {type: integer}}");
        line("      additionalProperties: {$dynamicRef: '#node'}");
    }
    line("paths:");
    QList<int> lines;
    for (int i = 0; i < operations; ++i) {
        line("  /p" + QByteArray::number(i) + ":");
        line("    get:");
        line("      responses:");
        line("        \"200\":");
        line("          description: ok");
        line("          content:");
        line("            application/json:");
        if (i == dynamicAt) {
            line("              schema: {$ref: '#/components/schemas/Node'}");
            lines.push_back(line("              example: {id: 1, more: {id: x}}"));
            continue;
        }
        line("              schema: {$ref: '#/components/schemas/Item'}");
        const QByteArray value = "{id: " + (i % 3 == 0 ? QByteArray("x") : QByteArray::number(i)) + "}";
        if (i % 10 == 0) {
            line("              examples:");
            const int at = line("                e: {value: " + value + "}");
            if (i % 3 == 0)
                lines.push_back(at);
            line("                s: {$ref: '#/components/examples/shared'}");
            if (i == 0)
                lines.push_back(shared);  // checked once, where first met
            continue;
        }
        const int at = line("              example: " + value);
        if (i % 3 == 0)
            lines.push_back(at);
    }
    lines.push_back(item);
    return {out.join('\n') + '\n', lines};
}

} // namespace

// Documents checked against the official schema for their version: the
// examples written from the specification, one or more per rule, and the
// real documents beside the project.
class DocumentValidationTest final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void passingExamplesHaveNoError_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString &path : examples(QStringLiteral("pass-")))
            QTest::newRow(qPrintable(QDir(kExamples).relativeFilePath(path))) << path;
    }

    void passingExamplesHaveNoError()
    {
        QFETCH(QString, path);
        const LoadResult r = loadFile(path);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        QVERIFY2(r.document->diagnostics.isEmpty(), qPrintable(dump(r.document->diagnostics)));
    }

    void failingExamplesReportEachCauseOnceAtItsLine_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString &path : examples(QStringLiteral("fail-")))
            QTest::newRow(qPrintable(QDir(kExamples).relativeFilePath(path))) << path;
    }

    void failingExamplesReportEachCauseOnceAtItsLine()
    {
        QFETCH(QString, path);
        const QList<Expectation> expected = expectationsIn(path);
        QVERIFY2(!expected.isEmpty(), "a failing example marks what it expects");
        const LoadResult r = loadFile(path);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        const Diagnostics &found = r.document->diagnostics;
        for (const Expectation &e : expected) {
            int matches = 0;
            for (const Diagnostic &d : found) {
                if (d.location.line == e.line && d.severity == e.severity && d.message.contains(e.text))
                    ++matches;
            }
            QVERIFY2(matches == 1, qPrintable(QStringLiteral("line %1: expected one %2 containing \"%3\", got:\n%4")
                                                  .arg(e.line).arg(severityName(e.severity), e.text, dump(found))));
        }
        // One diagnostic per cause: nothing the example does not mark.
        QVERIFY2(found.size() == expected.size(), qPrintable(QStringLiteral("unexpected diagnostics:\n") + dump(found)));
        for (const Diagnostic &d : found)
            QCOMPARE(d.location.file, path);
    }

    // The OpenAPI Initiative's examples and the other real documents are
    // accepted by the official schemas: validation must not invent errors there.
    void realDocumentsHaveNoFalseError_data()
    {
        QTest::addColumn<QString>("path");
        if (!QFileInfo::exists(kSpecs))
            return;
        const QStringList valid = {
            QStringLiteral("oai-examples"),
            QStringLiteral("readme-oas-examples"),
            QStringLiteral("stripe"),
            QStringLiteral("swaggo-swag"),
            QStringLiteral("swagger-parser-specs/validate-schema/valid"),
            QStringLiteral("swagger-parser-specs/validate-spec/valid"),
        };
        for (const QString &folder : valid) {
            QDirIterator it(kSpecs + QLatin1Char('/') + folder, {QStringLiteral("*.yaml"), QStringLiteral("*.json")}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                if (isRootDocument(path))
                    QTest::newRow(qPrintable(QDir(kSpecs).relativeFilePath(path))) << path;
            }
        }
    }

    void realDocumentsHaveNoFalseError()
    {
        if (!QFileInfo::exists(kSpecs))
            QSKIP("../shared/specs is not there");
        QFETCH(QString, path);
        // Documents the official schema rejects (read and confirmed against the
        // schema by hand): every error validation adds there names that cause.
        static const QHash<QString, QString> violations = {
            {QStringLiteral("readme-oas-examples/3.0/json/openapi-workshop/post.json"),
             QStringLiteral("`responses` of operation POST /hoot must have at least one entry")},
            {QStringLiteral("swaggo-swag/example_celler_docs_swagger_swagger.yaml"),
             QStringLiteral("unknown property 'example' in parameter")},  // Swagger 2.0 parameters have no `example`
        };
        const QString known = violations.value(QDir(kSpecs).relativeFilePath(path));
        const LoadResult r = loadFile(path);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        // What validation adds: the errors that are not there without it.
        LoadOptions without;
        without.validate = false;
        const LoadResult plain = loadFile(path, without);
        QVERIFY(plain.document);
        QStringList before;
        for (const Diagnostic &d : errorsOf(plain))
            before.push_back(d.location.pointer);
        Diagnostics added;
        for (const Diagnostic &d : errorsOf(r)) {
            if (!before.contains(d.location.pointer) && (known.isEmpty() || !d.message.contains(known)))
                added.push_back(d);
        }
        QVERIFY2(added.isEmpty(), qPrintable(dump(added)));
        if (!known.isEmpty())
            QVERIFY2(hasDiagnostic(errorsOf(r), known), qPrintable(dump(errorsOf(r))));
    }

    // swagger-parser's own invalid examples: each is reported with a located error.
    void swaggerParserInvalidExamplesAreReported_data()
    {
        QTest::addColumn<QString>("path");
        const QString folder = kSpecs + QStringLiteral("/swagger-parser-specs/validate-schema/invalid");
        QDirIterator it(folder, {QStringLiteral("*.yaml")}, QDir::Files);
        while (it.hasNext()) {
            const QString path = it.next();
            QTest::newRow(qPrintable(QFileInfo(path).fileName())) << path;
        }
    }

    void swaggerParserInvalidExamplesAreReported()
    {
        if (!QFileInfo::exists(kSpecs))
            QSKIP("../shared/specs is not there");
        QFETCH(QString, path);
        const LoadResult r = loadFile(path);
        const Diagnostics errors = errorsOf(r);
        QVERIFY2(!errors.isEmpty(), qPrintable(path));
        for (const Diagnostic &d : errors)
            QVERIFY2(d.location.line > 0 || !r.document, qPrintable(formatDiagnostic(d)));
    }

    // Examples are found (as the model is read, or in the model once read)
    // and validated on a second thread while this one compiles their
    // schemas: the warnings come as one thread would give them, in the
    // walk's order, a shared value once; from a schema on that reads
    // $dynamicAnchors, the rest are checked one by one.
    // The walk skips values the parser saw no "example" or "examples" key
    // in (NodeTree::mayHoldExample); what it skips must hold none.
    void examplesAreFoundWhereverTheyLie_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<QList<int>>("lines");
        QTest::addColumn<QStringList>("pointers");
        const QByteArray head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
        QTest::newRow("deep in a component, beside schemas without any")
            << head + "paths: {}\n"
                      "components:\n"
                      "  schemas:\n"
                      "    Plain: {type: object, properties: {a: {type: string}, b: {type: array, items: {type: integer}}}}\n"
                      "    Deep:\n"
                      "      type: object\n"
                      "      properties:\n"
                      "        list:\n"
                      "          type: array\n"
                      "          items: {type: object, properties: {n: {type: integer, example: not-a-number}}}\n"
                      "    Last: {type: string}\n"
            << QList<int>{12} << QStringList{"/components/schemas/Deep/properties/list/items/properties/n/example"};
        QTest::newRow("in an operation's inline schema")
            << head + "paths:\n"
                      "  /p:\n"
                      "    get:\n"
                      "      responses:\n"
                      "        '200':\n"
                      "          description: ok\n"
                      "          content:\n"
                      "            application/json:\n"
                      "              schema: {type: object, properties: {n: {type: integer, example: not-a-number}}}\n"
            << QList<int>{11} << QStringList{"/paths/~1p/get/responses/200/content/application~1json/schema/properties/n/example"};
        // Operations whose own text holds no example are passed over unread,
        // unless what they take by $ref (through any chain) holds one.
        QTest::newRow("in a parameter the path item takes by $ref")
            << head + "paths:\n"
                      "  /p:\n"
                      "    parameters: [{$ref: '#/components/parameters/N'}]\n"
                      "    get:\n"
                      "      responses: {'200': {description: ok}}\n"
                      "components:\n"
                      "  parameters:\n"
                      "    N: {name: n, in: query, schema: {type: integer}, example: not-a-number}\n"
            << QList<int>{10} << QStringList{"/components/parameters/N/example"};
        QTest::newRow("in a response reached through a chain of $refs")
            << head + "paths:\n"
                      "  /p:\n"
                      "    get:\n"
                      "      responses:\n"
                      "        '200': {$ref: '#/components/responses/Alias'}\n"
                      "components:\n"
                      "  responses:\n"
                      "    Alias: {$ref: '#/components/responses/Ok'}\n"
                      "    Ok:\n"
                      "      description: ok\n"
                      "      content:\n"
                      "        application/json:\n"
                      "          schema: {type: integer}\n"
                      "          example: not-a-number\n"
            << QList<int>{16} << QStringList{"/components/responses/Ok/content/application~1json/example"};
        QTest::newRow("in a request body taken by $ref")
            << head + "paths:\n"
                      "  /p:\n"
                      "    post:\n"
                      "      requestBody: {$ref: '#/components/requestBodies/B'}\n"
                      "      responses: {'200': {description: ok}}\n"
                      "components:\n"
                      "  requestBodies:\n"
                      "    B:\n"
                      "      content:\n"
                      "        application/json:\n"
                      "          schema: {type: integer}\n"
                      "          examples: {one: {value: not-a-number}}\n"
            << QList<int>{14} << QStringList{"/components/requestBodies/B/content/application~1json/examples/one/value"};
        QTest::newRow("in a response two operations take by $ref, once")
            << head + "paths:\n"
                      "  /a:\n"
                      "    get:\n"
                      "      responses: {'200': {$ref: '#/components/responses/Shared'}}\n"
                      "  /b:\n"
                      "    get:\n"
                      "      responses: {'200': {$ref: '#/components/responses/Shared'}}\n"
                      "components:\n"
                      "  responses:\n"
                      "    Shared:\n"
                      "      description: ok\n"
                      "      content: {application/json: {schema: {type: integer}, example: not-a-number}}\n"
            << QList<int>{14} << QStringList{"/components/responses/Shared/content/application~1json/example"};
        // Swagger 2.0 takes a response's example for what the operation produces.
        QTest::newRow("in a Swagger 2.0 response two operations share, for what each produces")
            << QByteArray("swagger: '2.0'\ninfo: {title: t, version: '1'}\n"
                          "paths:\n"
                          "  /a:\n"
                          "    get:\n"
                          "      produces: [application/json]\n"
                          "      responses: {'200': {$ref: '#/responses/Shared'}}\n"
                          "  /b:\n"
                          "    get:\n"
                          "      produces: [application/problem+json]\n"
                          "      responses: {'200': {$ref: '#/responses/Shared'}}\n"
                          "responses:\n"
                          "  Shared:\n"
                          "    description: ok\n"
                          "    schema: {type: integer}\n"
                          "    examples:\n"
                          "      application/json: not-a-number\n"
                          "      application/problem+json: not-one-either\n")
            << QList<int>{17, 18}
            << QStringList{"/responses/Shared/examples/application~1json", "/responses/Shared/examples/application~1problem+json"};
        // Callbacks' operations are read through the operation that holds them.
        QTest::newRow("in a callback's operation, and in a webhook")
            << QByteArray("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
                          "paths:\n"
                          "  /subscribe:\n"
                          "    post:\n"
                          "      responses: {'200': {description: ok}}\n"
                          "      callbacks:\n"
                          "        onEvent:\n"
                          "          '{$request.body#/url}':\n"
                          "            post:\n"
                          "              requestBody:\n"
                          "                content: {application/json: {schema: {type: integer}, example: not-a-number}}\n"
                          "              responses: {'200': {description: ok}}\n"
                          "webhooks:\n"
                          "  ping:\n"
                          "    post:\n"
                          "      requestBody:\n"
                          "        content: {application/json: {schema: {type: integer}, example: not-one-either}}\n"
                          "      responses: {'200': {description: ok}}\n")
            << QList<int>{12, 18}
            << QStringList{"/paths/~1subscribe/post/callbacks/onEvent/{$request.body#~1url}/post/requestBody/content/application~1json/example",
                           "/webhooks/ping/post/requestBody/content/application~1json/example"};
        // The copy a merge key brings is checked, and named, as the schema it is merged into.
        QTest::newRow("merged in by a YAML merge key")
            << head + "paths: {}\n"
                      "components:\n"
                      "  schemas:\n"
                      "    Base: &base\n"
                      "      type: object\n"
                      "      properties:\n"
                      "        id: {type: integer, example: not-a-number}\n"
                      "    Pet:\n"
                      "      <<: *base\n"
                      "      description: a pet\n"
            << QList<int>{9, 9}  // Base's, then the copy merged into Pet (positions come from the alias' source)
            << QStringList{"/components/schemas/Base/properties/id/example", "/components/schemas/Pet/properties/id/example"};
    }

    void examplesAreFoundWhereverTheyLie()
    {
        QFETCH(QByteArray, source);
        QFETCH(QList<int>, lines);
        QFETCH(QStringList, pointers);
        Files files;
        const LoadResult r = loadFile(files.write(QStringLiteral("api.yaml"), source));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        // Loading finds them in the details the model's reading reads; a
        // check of the model once read walks its operations instead.
        const Diagnostics checked = validateDocument(*r.document);
        for (const Diagnostics &diagnostics : {r.document->diagnostics, checked}) {
            QList<int> found;
            QStringList foundPointers;
            for (const Diagnostic &d : diagnostics) {
                QVERIFY2(d.message.contains(QLatin1String("must be an integer (found a string)")), qPrintable(formatDiagnostic(d)));
                found.push_back(d.location.line);
                foundPointers.push_back(d.location.pointer);
            }
            QCOMPARE(found, lines);
            QCOMPARE(foundPointers, pointers);
        }
    }

    void manyExamplesAreReportedInOrder_data()
    {
        QTest::addColumn<QByteArray>("version");
        QTest::addColumn<int>("dynamicAt");
        QTest::newRow("3.0") << QByteArray("3.0.3") << -1;
        QTest::newRow("3.1 with $dynamicRef") << QByteArray("3.1.0") << 250;
    }

    void manyExamplesAreReportedInOrder()
    {
        QFETCH(QByteArray, version);
        QFETCH(int, dynamicAt);
        const ManyExamples doc = manyExamples(version, 600, dynamicAt);
        Files files;
        const QString path = files.write(QStringLiteral("many.yaml"), doc.text);
        const LoadResult r = loadFile(path);
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        QList<int> lines;
        for (const Diagnostic &d : r.document->diagnostics) {
            QVERIFY2(d.severity == Severity::Warning && d.message.contains(QLatin1String("does not match its schema")), qPrintable(formatDiagnostic(d)));
            lines.push_back(d.location.line);
        }
        QCOMPARE(lines, doc.lines);
        QVERIFY(findDiagnostic(r.document->diagnostics, QStringLiteral("example 's' does not match")).location.line == doc.lines[1]);

        std::atomic_bool cancelled{true};
        QVERIFY(!hasDiagnostic(validateDocument(*r.document, &cancelled), QStringLiteral("does not match its schema"), Severity::Warning));
    }

    // Hundreds of failing examples: some have their failures read by the
    // thread that validates them, with a schema set of its own, the others
    // by the thread that compiles them. Both read the branches of an
    // alternative in the Schema Objects' dialect: in draft 4 itself the
    // `nullable` description would fail too, and the other branch would be
    // the closest.
    void failuresReadOnEitherThreadReadAlike()
    {
        QByteArrayList lines{"openapi: 3.0.3", "info: {title: t, version: \"1\"}", "components:", "  schemas:",
                             "    Team:", "      type: object", "      required: [id, type]",
                             "      properties: {id: {type: integer}, type: {type: string}, description: {type: string, nullable: true}}",
                             "    EnterpriseTeam:", "      type: object", "      required: [id, created_at, group_id]",
                             "      properties: {id: {type: integer}, created_at: {type: string}, group_id: {type: integer}}",
                             "paths:"};
        const int operations = 300;
        for (int i = 0; i < operations; ++i) {
            lines << "  /t" + QByteArray::number(i) + ":" << "    get:" << "      responses:" << "        \"200\":"
                  << "          description: ok" << "          content:" << "            application/json:"
                  << "              schema: {oneOf: [$ref: '#/components/schemas/Team', $ref: '#/components/schemas/EnterpriseTeam']}"
                  << "              example: {id: " + QByteArray::number(i) + ", description: null}";
        }
        Files files;
        const LoadResult r = loadFile(files.write(QStringLiteral("teams.yaml"), lines.join('\n') + '\n'));
        QVERIFY2(r.document, qPrintable(dump(r.errors)));
        QCOMPARE(r.document->diagnostics.size(), operations);
        for (const Diagnostic &d : r.document->diagnostics)
            QCOMPARE(d.message, QStringLiteral("example does not match its schema: the value is missing the required 'type'"));
    }

private:
    // Fragments that other files $ref (definitions, parameters) are not documents.
    static bool isRootDocument(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return false;
        const QByteArray head = file.read(4096);
        return head.contains("openapi") || head.contains("swagger");
    }
};

QTEST_GUILESS_MAIN(DocumentValidationTest)
#include "tst_documentvalidation.moc"
