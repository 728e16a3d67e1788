// libFuzzer target for the JSON Schema engine: the input is parsed as JSON or
// YAML; a two-element array is [schema, instance], anything else is a schema
// validated against itself. The schema is compiled (and, for one input in four, checked
// against its meta-schema) in a dialect picked from the input's size, then the instance
// is validated with format assertion on. Any crash, sanitizer report, hang or
// runaway allocation is a bug in the engine: its limits must stop it first.
#include "jsonschema.h"
#include "parser.h"

#include <QByteArray>
#include <QUrl>

#include <cstddef>
#include <cstdint>
#include <memory>

using namespace portolan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    ParseResult parsed = parseJsonOrYaml(bytes);
    if (parsed.error)
        return 0;
    static const jsonschema::Dialect dialects[] = {jsonschema::Dialect::Draft2020_12, jsonschema::Dialect::Draft4,
                                                   jsonschema::Dialect::OpenApi30, jsonschema::Dialect::OpenApi31,
                                                   jsonschema::Dialect::Swagger20};
    const jsonschema::Dialect dialect = dialects[size % 5];

    jsonschema::CompileLimits limits;
    limits.maxSchemaNodes = 100'000;
    jsonschema::SchemaSet set(limits);
    const SourceDocument *document = set.addDocument(std::make_unique<SourceDocument>(
        QUrl(QStringLiteral("https://fuzz.invalid/schema.json")), std::move(parsed.tree), parsed.format));
    const NodeTree &tree = document->tree();
    NodeId schemaNode = tree.root();
    NodeId instanceNode = tree.root();
    if (tree.isArray(tree.root()) && tree.node(tree.root()).count == 2) {
        schemaNode = tree.element(tree.root(), 0);
        instanceNode = tree.element(tree.root(), 1);
    }

    QVector<jsonschema::SchemaProblem> problems;
    const jsonschema::Schema *schema = set.compile(NodeRef{document, schemaNode}, dialect, &problems);
    jsonschema::ValidationOptions options;
    options.assertFormat = true;
    options.maxSteps = 200'000;  // keep each run short; the default depth limit still applies
    options.direction = size % 3 == 0 ? jsonschema::Direction::Request : jsonschema::Direction::Response;
    if (schema) {
        const jsonschema::ValidationResult result = jsonschema::validate(*schema, NodeRef{document, instanceNode}, options);
        for (const jsonschema::ValidationError &error : result.errors)
            (void)error.message.size();
    }
    // Compiling a meta-schema dominates a run: one input in four checks the schema against it.
    if (size % 4 == 0) {
        if (const jsonschema::Schema *meta = set.metaSchema(dialect, &problems))
            (void)jsonschema::validate(*meta, NodeRef{document, schemaNode}, options);
    }
    return 0;
}
