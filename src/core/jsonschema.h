#pragma once

#include "diagnostic.h"
#include "nodetree.h"
#include "sourcedocument.h"

#include <QString>
#include <QUrl>
#include <QVector>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

// A JSON Schema engine over the core's node tree: draft 4 (as Swagger 2.0
// and OpenAPI 3.0 use it) and draft 2020-12 (as OpenAPI 3.1 and 3.2 use it).
// A SchemaSet compiles schemas once and keeps them; validate() then runs any
// number of times, from any thread, over values from documents or bodies.
namespace portolan::jsonschema {

enum class Dialect {
    Draft4,       // JSON Schema draft-04
    Swagger20,    // Swagger 2.0 Schema Objects: draft-04 plus readOnly and discriminator
    OpenApi30,    // OpenAPI 3.0 Schema Objects: draft-04 plus nullable, discriminator, readOnly/writeOnly
    Draft2020_12, // JSON Schema 2020-12
    OpenApi31,    // OpenAPI 3.1/3.2: 2020-12 with the OAS base vocabulary (discriminator, xml, example…)
};

// Which side of an exchange a value travels on: readOnly properties must not
// be sent in requests, writeOnly ones must not come back in responses, and
// `required` does not demand them there (OpenAPI's rule).
enum class Direction { Any, Request, Response };

struct ValidationOptions {
    bool assertFormat = false;          // `format` fails values it knows to be malformed
    Direction direction = Direction::Any;
    int maxErrors = 100;                // stop collecting after this many
    int maxDepth = 1000;                // nested schema evaluations ($ref cycles end here)
    qint64 maxSteps = 50'000'000;       // schema-keyword evaluations for one validate() call
    const std::atomic_bool *cancelled = nullptr;  // polled; a cancelled run is incomplete
};

struct ValidationError {
    QString message;          // what failed, in words ("expected integer, got string")
    QString instancePointer;  // JSON pointer of the failing value, from the validated value
    NodeId instanceNode = kNoNode;  // the failing value in the instance's tree
    int line = 0;             // 1-based position of the failing value; 0 when unknown
    int column = 0;
    QString schemaPath;       // keyword path as evaluated, through $refs: "/properties/id/$ref/type"
    QString schemaLocation;   // where that keyword is: "file:///api.yaml#/components/schemas/Pet/properties/id/type"
    QString keyword;          // "type", "required", … ("" for engine limits)
};

struct ValidationResult {
    QVector<ValidationError> errors;
    // The run stopped early (error limit, step budget, depth limit or
    // cancellation): `errors` says why in its last entry, and the value
    // may have more problems.
    bool incomplete = false;
    bool isValid() const { return errors.isEmpty(); }
};

// A problem in a schema itself, found while compiling: a keyword with a value
// of the wrong type, a pattern that is no ECMA-262 regular expression, a $ref
// that leads nowhere. The keyword is ignored (a broken $ref fails validation).
struct SchemaProblem {
    QString message;
    SourceLocation location;
};

// Fetches the document behind an absolute URL that an external $ref or
// $schema names (without the fragment). Returns null and sets `error` when
// it cannot. Called only while compiling, on the compiling thread.
using Retriever = std::function<std::unique_ptr<SourceDocument>(const QUrl &url, QString *error)>;

struct CompileLimits {
    int maxRetrievals = 64;              // documents the retriever may be asked for
    qint64 maxSchemaNodes = 5'000'000;   // compiled (sub)schemas in one set
};

class Schema;  // a compiled (sub)schema; owned by its SchemaSet
class SchemaCompiler;

// Compiles and owns schemas. The meta-schemas of draft-04 and 2020-12 are
// built in (their json-schema.org URLs resolve without a retriever).
// Compiling is not thread-safe; compiled schemas are immutable, so
// validate() may run on several threads while no compile() runs, and even
// while one does, on schemas compiled before, unless readsDynamicAnchors().
class SchemaSet {
public:
    explicit SchemaSet(CompileLimits limits = {});
    ~SchemaSet();
    SchemaSet(const SchemaSet &) = delete;
    SchemaSet &operator=(const SchemaSet &) = delete;

    void setRetriever(Retriever retriever);
    // A document $refs may reach by its URL (an OpenAPI description's files).
    // Borrowed: it must outlive the set.
    void addDocument(const SourceDocument *document);
    // A document the set keeps (a retrieved or generated one).
    const SourceDocument *addDocument(std::unique_ptr<SourceDocument> document);

    // The schema at `node` of an added or borrowed document, in `dialect`
    // unless its `$schema` says otherwise; $refs resolve against the
    // document's URL. Compiled once: the same node returns the same Schema.
    // Null when the node is no schema (not an object or a boolean).
    // Problems found on the way are appended to `problems`.
    const Schema *compile(NodeRef node, Dialect dialect, QVector<SchemaProblem> *problems = nullptr);
    // The schema a URL names ("https://json-schema.org/draft/2020-12/schema",
    // "file:///api.json#/definitions/Pet"), retrieved when not yet known.
    const Schema *compile(const QUrl &url, Dialect dialect, QVector<SchemaProblem> *problems = nullptr);
    // The built-in meta-schema of a dialect (draft-04 or 2020-12).
    const Schema *metaSchema(Dialect dialect, QVector<SchemaProblem> *problems = nullptr);
    // Whether a schema compiled so far has a $dynamicRef that validation
    // looks up in the $dynamicAnchors of its dynamic scope. Those grow as later
    // compiles reach more of their resources: such schemas may neither be
    // validated while a compile runs nor give the same result before and after.
    bool readsDynamicAnchors() const;

private:
    std::unique_ptr<SchemaCompiler> m_compiler;
};

// Validates `instance` against `schema`. Positions come from the instance's
// document: a response body parsed with parseJson() and wrapped in a
// SourceDocument gets line:column in its errors like a file does.
ValidationResult validate(const Schema &schema, NodeRef instance, const ValidationOptions &options = {});
// The same for a bare tree; line:column are computed from the tree's source.
ValidationResult validate(const Schema &schema, const NodeTree &tree, NodeId instance,
                          const ValidationOptions &options = {});

// The dialect a `$schema` URL names, if it is one this engine knows.
std::optional<Dialect> dialectForUrl(const QString &schemaUrl);

} // namespace portolan::jsonschema
