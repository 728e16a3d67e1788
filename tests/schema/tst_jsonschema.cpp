// The JSON Schema engine's behaviour beyond the official suite: what errors
// say and where (pointer, line:column, keyword path), OpenAPI's dialects
// (nullable, readOnly/writeOnly, discriminator), ECMA-262 patterns, format
// assertion as a setting, limits that end hostile schemas, compile-once reuse
// across threads, and the built-in meta-schemas.
#include "jsonpointer.h"
#include "jsonschema.h"
#include "schematestsupport.h"

#include <QtTest>

#include <atomic>
#include <thread>

using namespace portolan;
using namespace portolan::jsonschema;

namespace {

std::unique_ptr<SourceDocument> document(const char *text, const char *url = "file:///test/doc.yaml")
{
    auto doc = test::parseDocument(QUrl(QString::fromLatin1(url)), QByteArray(text));
    if (!doc)
        qFatal("test document does not parse: %s", text);
    return doc;
}

NodeRef at(const SourceDocument *doc, const char *pointer)
{
    return NodeRef{doc, jsonpointer::resolve(doc->tree(), doc->tree().root(), *jsonpointer::split(pointer))};
}

QStringList messages(const ValidationResult &result)
{
    QStringList out;
    for (const ValidationError &e : result.errors)
        out << e.message;
    return out;
}

} // namespace

class TestJsonSchema final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void errorsSayWhatWhereAndWhichKeyword()
    {
        const auto api = document(
            "openapi: 3.0.3\n"
            "components:\n"
            "  schemas:\n"
            "    Pets: {type: object, properties: {pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}\n"
            "    Pet:\n"
            "      type: object\n"
            "      required: [id]\n"
            "      properties:\n"
            "        id: {type: integer}\n");
        const auto body = document("{\n  \"pets\": [\n    {\"id\": 1},\n    {\"id\": \"two\"}\n  ]\n}\n", "http://127.0.0.1/pets");
        SchemaSet set;
        set.addDocument(api.get());
        const Schema *schema = set.compile(at(api.get(), "/components/schemas/Pets"), Dialect::OpenApi30);
        QVERIFY(schema);
        const ValidationResult result = validate(*schema, NodeRef{body.get(), body->tree().root()});
        QCOMPARE(result.errors.size(), 1);
        const ValidationError &e = result.errors.front();
        QCOMPARE(e.message, QStringLiteral("expected integer, got string"));
        QCOMPARE(e.instancePointer, QStringLiteral("/pets/1/id"));
        QCOMPARE(e.line, 4);
        QCOMPARE(e.column, 12);
        QCOMPARE(e.keyword, QStringLiteral("type"));
        QCOMPARE(e.schemaPath, QStringLiteral("/properties/pets/items/$ref/properties/id/type"));
        QCOMPARE(e.schemaLocation, QStringLiteral("file:///test/doc.yaml#/components/schemas/Pet/properties/id/type"));
    }

    void bareTreesGetPositionsToo()
    {
        const auto schemaDoc = document("{\"required\": [\"name\"], \"properties\": {\"name\": {\"minLength\": 2}}}");
        SchemaSet set;
        const Schema *schema = set.compile(NodeRef{schemaDoc.get(), schemaDoc->tree().root()}, Dialect::Draft2020_12);
        QVERIFY(schema);
        ParseResult body = parseJson("[\n {},\n {\"name\": \"x\"}\n]");
        QVERIFY(!body.error);
        const NodeTree &tree = body.tree;
        const ValidationResult first = validate(*schema, tree, tree.element(tree.root(), 0));
        QCOMPARE(messages(first), QStringList{QStringLiteral("required property 'name' is missing")});
        QCOMPARE(first.errors.front().line, 2);
        const ValidationResult second = validate(*schema, tree, tree.element(tree.root(), 1));
        QCOMPARE(second.errors.size(), 1);
        QCOMPARE(second.errors.front().message, QStringLiteral("string of 1 characters is shorter than 2"));
        QCOMPARE(second.errors.front().line, 3);
        QCOMPARE(second.errors.front().column, 11);
        QCOMPARE(second.errors.front().instancePointer, QStringLiteral("/name"));
    }

    void openApi30Nullable()
    {
        const auto doc = document("a: {type: string, nullable: true}\nb: {type: string}\nvalue: null\n");
        SchemaSet set;
        QVERIFY(validate(*set.compile(at(doc.get(), "/a"), Dialect::OpenApi30), at(doc.get(), "/value")).isValid());
        QVERIFY(!validate(*set.compile(at(doc.get(), "/b"), Dialect::OpenApi30), at(doc.get(), "/value")).isValid());
        // nullable is no keyword of draft 2020-12
        QVERIFY(!validate(*set.compile(at(doc.get(), "/a"), Dialect::OpenApi30), at(doc.get(), "/b")).isValid());
    }

    // Schemas keep their keywords in blocks their compiler owns, and those
    // that are `type` alone share one keyword per type: each still reports
    // its own keyword and location, in schemas enough to fill several blocks.
    void manySchemasKeepTheirOwnKeywords()
    {
        const int count = 3000;
        auto schemaOf = [](int i) {
            switch (i % 4) {
            case 0: return QByteArray("{\"type\": \"string\"}");
            case 1: return QByteArray("{\"type\": \"integer\"}");
            case 2: return "{\"minLength\": " + QByteArray::number(i % 7 + 2) + "}";
            default: return QByteArray("{\"type\": \"string\", \"nullable\": true}");
            }
        };
        QByteArray schemaText = "{\"type\": \"object\", \"properties\": {";
        QByteArray instanceText = "{";
        for (int i = 0; i < count; ++i) {
            const QByteArray separator = i ? ", " : "";
            schemaText += separator + "\"p" + QByteArray::number(i) + "\": " + schemaOf(i);
            // Every value fails its schema: a number for a string, a string
            // for an integer, one character short, and a number for a nullable string.
            const QByteArray value = i % 4 == 1 ? QByteArray("\"x\"") : i % 4 == 2 ? "\"" + QByteArray(i % 7 + 1, 'y') + "\"" : QByteArray::number(i);
            instanceText += separator + "\"p" + QByteArray::number(i) + "\": " + value;
        }
        schemaText += "}}";
        instanceText += "}";
        const auto schemaDoc = test::parseDocument(QUrl(QStringLiteral("file:///test/many.json")), schemaText);
        const auto instanceDoc = test::parseDocument(QUrl(QStringLiteral("file:///test/value.json")), instanceText);
        QVERIFY(schemaDoc && instanceDoc);
        SchemaSet set;
        const Schema *schema = set.compile(NodeRef{schemaDoc.get(), schemaDoc->tree().root()}, Dialect::OpenApi30);
        QVERIFY(schema);
        ValidationOptions options;
        options.maxErrors = count;
        const ValidationResult result = validate(*schema, NodeRef{instanceDoc.get(), instanceDoc->tree().root()}, options);
        QCOMPARE(result.errors.size(), count);
        for (int i = 0; i < count; ++i) {
            const ValidationError &e = result.errors.at(i);
            const QString property = QStringLiteral("p%1").arg(i);
            QCOMPARE(e.instancePointer, QLatin1Char('/') + property);
            const QString keyword = i % 4 == 2 ? QStringLiteral("minLength") : QStringLiteral("type");
            QCOMPARE(e.keyword, keyword);
            QCOMPARE(e.schemaLocation, QStringLiteral("file:///test/many.json#/properties/%1/%2").arg(property, keyword));
            const QString expected = i % 4 == 0 ? QStringLiteral("expected string, got number")
                                   : i % 4 == 1 ? QStringLiteral("expected integer, got string")
                                   : i % 4 == 2 ? QStringLiteral("string of %1 characters is shorter than %2").arg(i % 7 + 1).arg(i % 7 + 2)
                                                : QStringLiteral("expected one of string, null, got number");
            QCOMPARE(e.message, expected);
        }
    }

    void readOnlyAndWriteOnlyFollowTheDirection()
    {
        const auto doc = document(
            "User:\n"
            "  type: object\n"
            "  required: [id, password]\n"
            "  properties:\n"
            "    id: {$ref: '#/Id'}\n"
            "    password: {type: string, writeOnly: true}\n"
            "Id: {type: integer, readOnly: true}\n"
            "request: {password: secret}\n"
            "sentId: {id: 1, password: secret}\n"
            "response: {id: 1}\n"
            "leaked: {id: 1, password: secret}\n");
        SchemaSet set;
        const Schema *user = set.compile(at(doc.get(), "/User"), Dialect::OpenApi30);
        ValidationOptions request;
        request.direction = Direction::Request;
        ValidationOptions response;
        response.direction = Direction::Response;
        QVERIFY(validate(*user, at(doc.get(), "/request"), request).isValid());
        QCOMPARE(messages(validate(*user, at(doc.get(), "/sentId"), request)),
                 QStringList{QStringLiteral("'id' is read-only: it must not be sent in a request")});
        QVERIFY(validate(*user, at(doc.get(), "/response"), response).isValid());
        QCOMPARE(messages(validate(*user, at(doc.get(), "/leaked"), response)),
                 QStringList{QStringLiteral("'password' is write-only: it must not appear in a response")});
        QCOMPARE(messages(validate(*user, at(doc.get(), "/response"))),
                 QStringList{QStringLiteral("required property 'password' is missing")});
    }

    void discriminatorNamesTheBranchToReport()
    {
        const auto doc = document(
            "components:\n"
            "  schemas:\n"
            "    Pet:\n"
            "      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n"
            "      discriminator: {propertyName: kind, mapping: {kitty: '#/components/schemas/Cat'}}\n"
            "    Cat: {type: object, required: [kind, lives], properties: {lives: {type: integer}}}\n"
            "    Dog: {type: object, required: [kind, bark]}\n"
            "cat: {kind: kitty, lives: many}\n");
        SchemaSet set;
        const Schema *pet = set.compile(at(doc.get(), "/components/schemas/Pet"), Dialect::OpenApi30);
        const ValidationResult result = validate(*pet, at(doc.get(), "/cat"));
        QCOMPARE(messages(result), (QStringList{
            QStringLiteral("matches none of the 2 alternatives of oneOf; closest is #0 ('kind' is 'kitty'):"),
            QStringLiteral("expected integer, got string")}));
        QCOMPARE(result.errors[1].schemaPath, QStringLiteral("/oneOf/0/$ref/properties/lives/type"));
        QCOMPARE(result.errors[1].instancePointer, QStringLiteral("/lives"));
    }

    void patternsAreEcma262()
    {
        struct Case {
            const char *pattern;
            const char *value;
            bool matches;
        };
        const Case cases[] = {
            {"^\\d$", "\"\u0663\"", false},         // \d is ASCII only
            {"^a$", "\"a\\n\"", false},              // $ is the end, not before a final newline
            {"^\\cJ$", "\"\\n\"", true},
            {"^\\p{Letter}+$", "\"\u00e9t\u00e9\"", true},
            {"^\\s$", "\"\u00a0\"", true},          // Unicode white space
            {"^.$", "\"\\r\"", false},               // . stops at line terminators
            {"^.$", "\"\U0001F600\"", true},        // one code point, not two UTF-16 units
            {"^[^]$", "\"\\n\"", true},
            {"^\\u0041\\u{1F600}$", "\"A\U0001F600\"", true},
            // `^literal` and `^literal$` are answered by comparing bytes: the same answers.
            {"^x-", "\"x-logo\"", true},
            {"^x-", "\"X-logo\"", false},
            {"^x-", "\"ax-\"", false},
            {"^x-", "\"\\ufeffx-\"", false},    // a byte order mark is a character like any other
            {"^\\$ref$", "\"$ref\"", true},
            {"^\\$ref$", "\"$refs\"", false},
            {"^\\/", "\"/pets\"", true},
            {"^a.b", "\"axb\"", true},            // `.` is no literal: the regex decides
        };
        for (const Case &c : cases) {
            const QByteArray text = QByteArray("{\"schema\": {\"pattern\": ") + QByteArray(test::jsonString(c.pattern)) + "}, \"value\": " + c.value + "}";
            const auto doc = document(text.constData());
            SchemaSet set;
            QVector<SchemaProblem> problems;
            const Schema *schema = set.compile(at(doc.get(), "/schema"), Dialect::Draft2020_12, &problems);
            QVERIFY2(problems.isEmpty(), c.pattern);
            QVERIFY2(validate(*schema, at(doc.get(), "/value")).isValid() == c.matches, c.pattern);
        }
        // Catastrophic backtracking ends at the match limit instead of running for minutes.
        const auto evil = document("{\"schema\": {\"pattern\": \"^(a+)+$\"}, \"value\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}");
        SchemaSet evilSet;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!validate(*evilSet.compile(at(evil.get(), "/schema"), Dialect::Draft2020_12), at(evil.get(), "/value")).isValid());
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        for (const char *invalid : {"a\\Z", "(?i)a", "a++", "\\h", "[\\S]"}) {
            const QByteArray text = QByteArray("{\"pattern\": ") + QByteArray(test::jsonString(invalid)) + "}";
            const auto doc = document(text.constData());
            SchemaSet set;
            QVector<SchemaProblem> problems;
            set.compile(NodeRef{doc.get(), doc->tree().root()}, Dialect::Draft2020_12, &problems);
            QVERIFY2(problems.size() == 1, invalid);
            QVERIFY2(problems.front().message.startsWith(QLatin1String("'pattern' is not an ECMA-262 regular expression")), qPrintable(problems.front().message));
            QCOMPARE(problems.front().location.line, 1);
            QCOMPARE(problems.front().location.pointer, QStringLiteral("/pattern"));
        }
    }

    void formatAssertionIsASetting()
    {
        const auto doc = document("schema: {format: date}\nvalue: '2024-02-30'\n");
        SchemaSet set;
        const Schema *schema = set.compile(at(doc.get(), "/schema"), Dialect::OpenApi31);
        QVERIFY(validate(*schema, at(doc.get(), "/value")).isValid());
        ValidationOptions options;
        options.assertFormat = true;
        QCOMPARE(messages(validate(*schema, at(doc.get(), "/value"), options)), QStringList{QStringLiteral("\"2024-02-30\" is not a valid date")});

        const auto numbers = document("schema: {type: integer, format: int32}\nfits: 2147483647\nbig: 2147483648\n");
        const Schema *int32 = set.compile(at(numbers.get(), "/schema"), Dialect::OpenApi30);
        QVERIFY(validate(*int32, at(numbers.get(), "/fits"), options).isValid());
        QCOMPARE(messages(validate(*int32, at(numbers.get(), "/big"), options)), QStringList{QStringLiteral("2147483648 is not a valid int32")});
        QVERIFY(validate(*int32, at(numbers.get(), "/big")).isValid());
    }

    void swaggerFileType()
    {
        const auto doc = document("schema: {type: file}\nvalue: 'raw bytes'\n");
        SchemaSet set;
        QVector<SchemaProblem> problems;
        const Schema *file = set.compile(at(doc.get(), "/schema"), Dialect::Swagger20, &problems);
        QVERIFY(problems.isEmpty());
        QVERIFY(validate(*file, at(doc.get(), "/value")).isValid());
    }

    void numbersAreExact()
    {
        const auto doc = document("{\"max\": {\"maximum\": 18446744073709551615}, \"big\": 18446744073709551616,"
                                  " \"step\": {\"multipleOf\": 0.01}, \"price\": 19.99, \"bad\": 19.999,"
                                  " \"e\": {\"const\": 100}, \"hundred\": 1e2}");
        SchemaSet set;
        QVERIFY(!validate(*set.compile(at(doc.get(), "/max"), Dialect::Draft2020_12), at(doc.get(), "/big")).isValid());
        const Schema *step = set.compile(at(doc.get(), "/step"), Dialect::Draft2020_12);
        QVERIFY(validate(*step, at(doc.get(), "/price")).isValid());
        QVERIFY(!validate(*step, at(doc.get(), "/bad")).isValid());
        QVERIFY(validate(*set.compile(at(doc.get(), "/e"), Dialect::Draft2020_12), at(doc.get(), "/hundred")).isValid());
    }

    void cyclesAndBudgetsEndWithAClearError()
    {
        const auto loop = document("{\"$ref\": \"#\"}");
        SchemaSet set;
        const Schema *schema = set.compile(NodeRef{loop.get(), loop->tree().root()}, Dialect::Draft2020_12);
        ValidationResult result = validate(*schema, NodeRef{loop.get(), loop->tree().root()});
        QVERIFY(result.incomplete);
        QVERIFY2(result.errors.back().message.contains(QLatin1String("nested deeper than 1000 levels")), qPrintable(result.errors.back().message));

        // A large value with a step budget too small for it.
        QByteArray big = "[";
        for (int i = 0; i < 200'000; ++i)
            big += i ? ",{\"a\":[1,2,3]}" : "{\"a\":[1,2,3]}";
        big += "]";
        const auto value = test::parseDocument(QUrl(QStringLiteral("http://127.0.0.1/big")), big);
        const auto itemSchema = document("{\"items\": {\"properties\": {\"a\": {\"items\": {\"type\": \"integer\"}}}}}");
        const Schema *items = set.compile(NodeRef{itemSchema.get(), itemSchema->tree().root()}, Dialect::Draft2020_12);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(validate(*items, NodeRef{value.get(), value->tree().root()}).isValid());
        qInfo("validated 200,000 objects (1,000,000 values) in %lld ms", timer.elapsed());
        ValidationOptions tight;
        tight.maxSteps = 10'000;
        result = validate(*items, NodeRef{value.get(), value->tree().root()}, tight);
        QVERIFY(result.incomplete);
        QVERIFY(result.errors.back().message.contains(QLatin1String("step budget")));

        std::atomic_bool cancelled{true};
        ValidationOptions cancel;
        cancel.cancelled = &cancelled;
        result = validate(*items, NodeRef{value.get(), value->tree().root()}, cancel);
        QVERIFY(result.incomplete);
        QCOMPARE(result.errors.back().message, QStringLiteral("validation cancelled"));

        ValidationOptions few;
        few.maxErrors = 3;
        const auto strings = document("{\"items\": {\"type\": \"string\"}}");
        result = validate(*set.compile(NodeRef{strings.get(), strings->tree().root()}, Dialect::Draft2020_12), NodeRef{value.get(), value->tree().root()}, few);
        QVERIFY(result.incomplete);
        QCOMPARE(result.errors.size(), 4);
        QCOMPARE(result.errors.back().message, QStringLiteral("stopped after 3 errors"));
    }

    void deepInstancesDoNotExhaustTheStack()
    {
        const auto tree = document("{\"items\": {\"$ref\": \"#\"}, \"type\": \"array\"}");
        const QByteArray deep = QByteArray(500, '[') + QByteArray(500, ']');
        const auto value = test::parseDocument(QUrl(QStringLiteral("http://127.0.0.1/deep")), deep);
        QVERIFY(value);
        SchemaSet set;
        const Schema *schema = set.compile(NodeRef{tree.get(), tree->tree().root()}, Dialect::Draft2020_12);
        QVERIFY(validate(*schema, NodeRef{value.get(), value->tree().root()}).isValid());
    }

    void compiledOnceAndSharedAcrossThreads()
    {
        const auto doc = document("{\"$defs\": {\"n\": {\"type\": \"integer\", \"minimum\": 0}}, \"items\": {\"$ref\": \"#/$defs/n\"}}");
        SchemaSet set;
        const Schema *schema = set.compile(NodeRef{doc.get(), doc->tree().root()}, Dialect::Draft2020_12);
        QCOMPARE(set.compile(NodeRef{doc.get(), doc->tree().root()}, Dialect::Draft2020_12), schema);
        QCOMPARE(set.compile(QUrl(QStringLiteral("file:///test/doc.yaml#/$defs/n")), Dialect::Draft2020_12),
                 set.compile(QUrl(QStringLiteral("file:///test/doc.yaml#/$defs/n")), Dialect::Draft2020_12));
        const auto value = document("[1, 2, -3, 4, \"x\"]", "http://127.0.0.1/v");
        std::vector<int> errorCounts(4, -1);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 200; ++i)
                    errorCounts[std::size_t(t)] = int(validate(*schema, NodeRef{value.get(), value->tree().root()}).errors.size());
            });
        }
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(errorCounts, (std::vector<int>{2, 2, 2, 2}));
    }

    // Schemas compiled before validate on other threads while the set compiles
    // more, until one reads $dynamicAnchors (which later compiles extend).
    void validatedWhileOthersCompile()
    {
        QByteArray text = "{\"$defs\": {\"n\": {\"type\": \"integer\", \"minimum\": 0}}, \"items\": {\"$ref\": \"#/$defs/n\"}, \"others\": [";
        for (int i = 0; i < 2000; ++i)
            text += (i ? "," : "") + QByteArray("{\"properties\": {\"a\": {\"pattern\": \"^a") + QByteArray::number(i) + "$\"}}, \"required\": [\"a\"]}";
        text += "], \"dynamic\": {\"$dynamicAnchor\": \"node\", \"items\": {\"$dynamicRef\": \"#node\"}}}";
        const auto doc = document(text.constData());
        SchemaSet set;
        const Schema *schema = set.compile(NodeRef{doc.get(), doc->tree().root()}, Dialect::Draft2020_12);
        QVERIFY(!set.readsDynamicAnchors());
        const auto value = document("[1, 2, -3, 4, \"x\"]", "http://127.0.0.1/v");
        std::atomic_bool compiling{true};
        std::vector<int> errorCounts(2, -1);
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t) {
            threads.emplace_back([&, t] {
                do
                    errorCounts[std::size_t(t)] = int(validate(*schema, NodeRef{value.get(), value->tree().root()}).errors.size());
                while (compiling && errorCounts[std::size_t(t)] == 2);
            });
        }
        for (int i = 0; i < 2000; ++i)
            QVERIFY(set.compile(at(doc.get(), QByteArray("/others/" + QByteArray::number(i)).constData()), Dialect::Draft2020_12));
        QVERIFY(!set.readsDynamicAnchors());
        compiling = false;
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(errorCounts, (std::vector<int>{2, 2}));
        QVERIFY(set.compile(at(doc.get(), "/dynamic"), Dialect::Draft2020_12));
        QVERIFY(set.readsDynamicAnchors());
    }

    void retrieverIsAskedOncePerDocument()
    {
        const auto root = document("{\"properties\": {\"a\": {\"$ref\": \"http://example.test/defs.json#/$defs/a\"},"
                                   " \"b\": {\"$ref\": \"http://example.test/defs.json#/$defs/b\"}}}");
        SchemaSet set;
        int asked = 0;
        set.setRetriever([&asked](const QUrl &url, QString *) {
            ++asked;
            return test::parseDocument(url, "{\"$defs\": {\"a\": {\"type\": \"string\"}, \"b\": {\"type\": \"integer\"}}}");
        });
        const Schema *schema = set.compile(NodeRef{root.get(), root->tree().root()}, Dialect::Draft2020_12);
        QCOMPARE(asked, 1);
        const auto value = document("{\"a\": 1, \"b\": 2}");
        const ValidationResult result = validate(*schema, NodeRef{value.get(), value->tree().root()});
        QCOMPARE(messages(result), QStringList{QStringLiteral("expected string, got number")});
        QCOMPARE(result.errors.front().schemaLocation, QStringLiteral("http://example.test/defs.json#/$defs/a/type"));

        QVector<SchemaProblem> problems;
        SchemaSet offline;
        const auto broken = document("{\"$ref\": \"http://example.test/missing.json\"}");
        const Schema *unresolved = offline.compile(NodeRef{broken.get(), broken->tree().root()}, Dialect::Draft2020_12, &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY(problems.front().message.startsWith(QLatin1String("unresolvable $ref")));
        QVERIFY(!validate(*unresolved, NodeRef{value.get(), value->tree().root()}).isValid());
    }

    void builtInMetaSchemas()
    {
        const auto schemas = document("good: {type: object, properties: {a: {minimum: 1}}}\nbad: {type: 5, minLength: -1}\n");
        SchemaSet set;
        for (Dialect dialect : {Dialect::Draft4, Dialect::Draft2020_12}) {
            const Schema *meta = set.metaSchema(dialect);
            QVERIFY(meta);
            QVERIFY(validate(*meta, at(schemas.get(), "/good")).isValid());
            const ValidationResult bad = validate(*meta, at(schemas.get(), "/bad"));
            QVERIFY(!bad.isValid());
            QVERIFY(std::any_of(bad.errors.begin(), bad.errors.end(), [](const ValidationError &e) { return e.instancePointer == QLatin1String("/minLength"); }));
        }
    }
};

QTEST_GUILESS_MAIN(TestJsonSchema)
#include "tst_jsonschema.moc"
