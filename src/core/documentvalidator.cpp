#include "documentvalidator.h"

#include "jsonpointer.h"
#include "jsonschema.h"
#include "oasnames.h"
#include "referenceresolver.h"
#include "schemafailure.h"
#include "schemamessages.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QThreadPool>

#include <array>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <set>

namespace portolan {

using jsonschema::Dialect;

namespace {

// Whether the caller's flag, if it gave one, asks the check to stop.
bool isCancelled(const std::atomic_bool *flag)
{
    return flag && flag->load();
}

// ---- the official schemas --------------------------------------------------

struct Version {
    const char *folder;                 // under :/oas-schemas/
    std::vector<const char *> files;    // every file $refs may reach
    const char *structure;              // validates a document, Schema Objects only as objects
    const char *withSchemas;            // also checks Schema Objects against the OAS dialect (3.1+), or null
    Dialect dialect;                    // the dialect the official schema is written in
    Dialect schemaObjects;              // the dialect of the document's Schema Objects
    const char *pathItem;               // the Path Item Object's definition in `structure`
};

const Version kSwagger20{"v2.0", {"schema.json"}, "schema.json", nullptr, Dialect::Draft4, Dialect::Swagger20,
                         "/definitions/pathItem"};
const Version kOpenApi30{"v3.0", {"schema.yaml"}, "schema.yaml", nullptr, Dialect::Draft4, Dialect::OpenApi30,
                         "/definitions/PathItem"};
const Version kOpenApi31{"v3.1", {"schema.yaml", "schema-base.yaml", "dialect.yaml", "meta.yaml"}, "schema.yaml",
                         "schema-base.yaml", Dialect::Draft2020_12, Dialect::OpenApi31, "/$defs/path-item"};
const Version kOpenApi32{"v3.2", {"schema.yaml", "schema-base.yaml", "dialect.yaml", "meta.yaml"}, "schema.yaml",
                         "schema-base.yaml", Dialect::Draft2020_12, Dialect::OpenApi31, "/$defs/path-item"};

// The official schema for a description, from its root's `openapi` or
// `swagger` field as the model reads them (`openapi` wins). Read from the tree
// rather than the model: the structure check starts before the model is built.
const Version *versionOf(const NodeTree &tree)
{
    const NodeId openapi = tree.member(tree.root(), "openapi");
    if (openapi != kNoNode) {
        const std::string_view version = tree.text(openapi);
        auto startsWith = [&](std::string_view prefix) { return version.substr(0, prefix.size()) == prefix; };
        if (startsWith("3.0."))
            return &kOpenApi30;
        if (startsWith("3.1."))
            return &kOpenApi31;
        if (startsWith("3.2."))
            return &kOpenApi32;
        return nullptr;  // the loader already warned about the version
    }
    const NodeId swagger = tree.member(tree.root(), "swagger");
    return swagger != kNoNode && tree.text(swagger) == "2.0" ? &kSwagger20 : nullptr;
}

// The files of one version, parsed once per process, each under the URL of its
// own `$id` so that their $refs to each other resolve without a network.
class OfficialSchemas {
public:
    static const OfficialSchemas &of(const Version &version)
    {
        static std::mutex mutex;
        static std::map<const Version *, std::unique_ptr<OfficialSchemas>> loaded;
        const std::lock_guard<std::mutex> lock(mutex);
        auto &slot = loaded[&version];
        if (!slot)
            slot.reset(new OfficialSchemas(version));
        return *slot;
    }

    const SourceDocuments &documents() const { return m_documents; }
    // The JSON Schema meta-schemas the engine ships, under the URLs it knows them by:
    // failures inside them (a Schema Object's `type: integr`) are explained from them.
    const SourceDocuments &metaSchemas() const { return m_metaSchemas; }
    QUrl url(const char *file) const { return m_urls.value(QString::fromLatin1(file)); }

private:
    explicit OfficialSchemas(const Version &version)
    {
        for (const char *name : version.files) {
            QFile file(QStringLiteral(":/oas-schemas/%1/%2").arg(QLatin1String(version.folder), QLatin1String(name)));
            if (!file.open(QIODevice::ReadOnly)) {  // a build without the resources: no validation, no crash
                qWarning("the embedded OpenAPI schema %s is missing", qPrintable(file.fileName()));
                continue;
            }
            ParseResult parsed = parseJsonOrYaml(file.readAll());
            const NodeTree &tree = parsed.tree;
            NodeId id = tree.member(tree.root(), "$id");
            if (id == kNoNode)
                id = tree.member(tree.root(), "id");  // draft 4
            QString text = QString::fromUtf8(tree.text(id).data(), qsizetype(tree.text(id).size()));
            if (text.endsWith(QLatin1Char('#')))
                text.chop(1);
            const QUrl url(text);
            m_urls.insert(QString::fromLatin1(name), url);
            m_documents.push_back(std::make_unique<SourceDocument>(url, std::move(parsed.tree), parsed.format));
        }
        const bool draft4 = version.dialect == Dialect::Draft4;
        QDirIterator it(draft4 ? QStringLiteral(":/jsonschema/draft-04") : QStringLiteral(":/jsonschema/draft2020-12"),
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (!file.fileName().endsWith(QLatin1String(".json")) || !file.open(QIODevice::ReadOnly))
                continue;
            ParseResult parsed = parseJson(file.readAll());
            const QString name = QFileInfo(file.fileName()).completeBaseName();
            const QUrl url = draft4 ? QUrl(QStringLiteral("http://json-schema.org/draft-04/schema"))
                             : file.fileName().contains(QLatin1String("/meta/"))
                                 ? QUrl(QStringLiteral("https://json-schema.org/draft/2020-12/meta/") + name)
                                 : QUrl(QStringLiteral("https://json-schema.org/draft/2020-12/schema"));
            if (!parsed.error)
                m_metaSchemas.push_back(std::make_unique<SourceDocument>(url, std::move(parsed.tree), parsed.format));
        }
    }

    SourceDocuments m_documents;
    SourceDocuments m_metaSchemas;
    QHash<QString, QUrl> m_urls;
};

// `jsonSchemaDialect` values that mean the OpenAPI dialect the embedded schema checks.
bool isOasDialect(const QString &url, const Version &version)
{
    const QString prefix = QStringLiteral("https://spec.openapis.org/oas/%1/dialect/").arg(QLatin1String(version.folder + 1));
    return url.isEmpty() || url.startsWith(prefix);
}

QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

// The first value on the way to `path` that names a `$schema` other than the
// OpenAPI dialect: a Schema Object in another dialect, checked against that
// dialect's meta-schema rather than the OpenAPI one.
NodeId otherDialectSchema(const NodeTree &tree, const std::vector<std::string> &path, const Version &version)
{
    NodeId node = tree.root();
    for (const std::string &token : path) {
        node = jsonpointer::resolve(tree, node, {token});
        if (node == kNoNode)
            return kNoNode;
        const NodeId dialect = tree.isObject(node) ? tree.member(node, "$schema") : kNoNode;
        if (dialect != kNoNode && !isOasDialect(text(tree.text(dialect)), version))
            return node;
    }
    return kNoNode;
}

// ---- OpenAPI messages ------------------------------------------------------

bool isStyleField(const std::string &name) { return name == "style" || name == "explode" || name == "allowReserved"; }

bool hasMember(const NodeTree &tree, NodeId object, const char *key)
{
    return tree.isObject(object) && tree.member(object, key) != kNoNode;
}

// The `in` value of each `contains` in a `not: {allOf: [contains, contains]}`.
QStringList containedLocations(const TreeValue &notSchema)
{
    QStringList locations;
    const TreeValue allOf = notSchema.member("allOf");
    if (allOf.kind() != NodeKind::Array)
        return locations;
    for (const Member *m = allOf.tree->membersBegin(allOf.id); m != allOf.tree->membersEnd(allOf.id); ++m) {
        const TreeValue in = TreeValue{allOf.tree, m->value}.member("contains").member("properties").member("in").member("const");
        if (in.isValid())
            locations.push_back(text(in.text()));
    }
    return locations;
}

bool inPropertyNames(const SchemaFailure &f)
{
    return std::find(f.schemaPath.begin(), f.schemaPath.end(), "propertyNames") != f.schemaPath.end();
}

// The key after `dependentSchemas` in the keyword path: the property whose presence applied the schema.
QString dependentOn(const SchemaFailure &f)
{
    for (std::size_t i = 0; i + 1 < f.schemaPath.size(); ++i) {
        if (f.schemaPath[i] == "dependentSchemas" || f.schemaPath[i] == "dependencies")
            return text(f.schemaPath[i + 1]);
    }
    return {};
}

// What the official schema's failure means, in OpenAPI's words.
QString oasMessage(const Cause &cause, const NodeTree &tree, const Version &version)
{
    const bool swagger = &version == &kSwagger20;
    const SchemaFailure &f = *cause.failure;
    const OasPlace place = oasPlace(tree, f.instancePath);
    const QString subject = place.subject();
    const std::string &k = f.keyword;

    if ((k == "additionalProperties" || k == "unevaluatedProperties" || k == "false") && !f.properties.empty()) {
        const std::string &name = f.properties.front();
        if (f.instancePath == std::vector<std::string>{"paths"})
            return QStringLiteral("`paths` key '%1' must start with '/'").arg(text(name));
        if (!f.instancePath.empty() && f.instancePath.back() == "responses" && place.field == QLatin1String("responses"))
            return QStringLiteral("response code '%1' is not valid: use %2").arg(text(name), swagger
                       ? QStringLiteral("a three-digit status code or default")
                       : QStringLiteral("a status code 100–599, a range such as 2XX, or default"));
        if (isStyleField(name) && place.field.isEmpty() && hasMember(tree, f.instance, "content"))
            return QStringLiteral("%1 has `content`, so `%2` is not allowed (it applies to `schema`)").arg(place.object, text(name));
        return QStringLiteral("unknown property '%1' in %2").arg(text(name), subject);
    }
    if (k == "not") {
        const std::vector<std::string> required = stringsOf(f.keywordValue.member("required"));
        if (required.size() == 1 && isStyleField(required.front()) && hasMember(tree, f.instance, "content"))
            return QStringLiteral("%1 has `content`, so `%2` is not allowed (it applies to `schema`)").arg(subject, text(required.front()));
        const QString dependent = dependentOn(f);
        if (required.size() == 1 && !dependent.isEmpty())
            return QStringLiteral("%1 may have `%2` or `%3`, not both").arg(subject, dependent, text(required.front()));
        const QStringList locations = containedLocations(f.keywordValue);
        if (locations.size() == 2)
            return QStringLiteral("%1: a `%2` parameter cannot be used with `%3` parameters").arg(subject, locations[1], locations[0]);
        if (inPropertyNames(f) && f.keywordValue.member("enum").isValid()) {
            const QString name = text(f.properties.empty() ? f.instancePath.back() : f.properties.front());
            return QStringLiteral("'%1' must be written as the `%2` field of %3, not in `%4`").arg(name, name.toLower(), place.object, place.field);
        }
    }
    if (k == "contains" || k == "maxContains") {
        // OpenAPI 3.2: at most one `querystring` parameter (contains in=querystring, maxContains 1).
        const TreeValue in = f.schema.member("contains").member("properties").member("in").member("const");
        const TreeValue most = f.schema.member("maxContains");
        if (in.isValid() && most.isValid())
            return QStringLiteral("%1 may have at most %2 `%3` parameter").arg(subject, most.text() == "1" ? QStringLiteral("one") : text(most.text()), text(in.text()));
    }
    if (k == "minItems" && place.field == QLatin1String("enum") && f.keywordValue.text() == "1")
        return QStringLiteral("%1 has an empty enum").arg(place.object);
    if ((k == "enum" || k == "const") && cause.allowed.isEmpty() && place.field == QLatin1String("required")
        && (f.keywordValue.text() == "true" || stringsOf(f.keywordValue) == std::vector<std::string>{"true"}))
        return QStringLiteral("path %1 must be required (`required: true`)").arg(place.object);
    if (place.inSchema && (place.field == QLatin1String("type") || place.field.startsWith(QLatin1String("type.")))
        && (k == "enum" || k == "anyOf") && tree.kind(f.instance) == NodeKind::String)
        return QStringLiteral("%1 is not a valid type (array, boolean, integer, number, object, string%2)")
            .arg(valueText(tree, f.instance), version.dialect == Dialect::Draft2020_12 ? QStringLiteral(", null") : QString());
    if (k == "pattern" && inPropertyNames(f) && !f.properties.empty()) {
        const QString name = text(f.properties.front());
        return QStringLiteral("component name '%1' may only contain letters, digits, '.', '-' and '_'").arg(name);
    }
    return failureMessage(cause, tree, subject);
}

SourceLocation locationOf(const SourceDocument &document, const SchemaFailure &f, NodeId root)
{
    const qint64 offset = failureOffset(f, document.tree(), root);
    const TextPosition at = offset >= 0 ? document.positionAt(std::uint32_t(offset)) : TextPosition{};
    QString pointer = root == document.tree().root() ? jsonpointer::fromTokens(f.instancePath)
                                                      : jsonpointer::pointerTo(document.tree(), f.instance);
    if (f.keyword != "required" && !f.properties.empty())
        pointer = jsonpointer::append(pointer, f.properties.front());
    return {document.displayName(), at.line, at.column, pointer};
}

// What one check (the structure, or the examples) works with: a schema set
// over the official schemas and the description's documents, and a reader
// that explains failures from them, compiling the branches of alternatives in
// `checkedDialect` (that of the schemas checked against). Compiling is not
// thread-safe, so each thread has its own.
struct CheckTools {
    CheckTools(const Version &v, Dialect checkedDialect, const SourceDocuments &documents, const std::atomic_bool *cancelled)
        : version(v), official(OfficialSchemas::of(v)), options(optionsFor(cancelled)), reader(set, checkedDialect, options)
    {
        for (const auto &document : official.documents()) {
            set.addDocument(document.get());
            reader.addSchemaDocument(document.get());
        }
        for (const auto &document : official.metaSchemas())
            reader.addSchemaDocument(document.get());
        for (const auto &document : documents) {
            set.addDocument(document.get());
            reader.addSchemaDocument(document.get());
        }
    }

    static jsonschema::ValidationOptions optionsFor(const std::atomic_bool *cancelled)
    {
        jsonschema::ValidationOptions options;
        options.cancelled = cancelled;
        options.maxErrors = 500;
        return options;
    }

    const Version &version;
    const OfficialSchemas &official;
    jsonschema::SchemaSet set;
    jsonschema::ValidationOptions options;
    FailureReader reader;
};

// Frees `tools` on a pool thread. Freeing the thousands of schemas compiled
// for the examples took 3 ms of a 70 ms load that waited for it; nothing in
// them refers back to the documents, which may go first.
void freeInPool(std::shared_ptr<CheckTools> tools)
{
    if (tools)
        QThreadPool::globalInstance()->start([tools = std::move(tools)]() mutable { tools.reset(); });
}

// ---- examples --------------------------------------------------------------

// Nodes seen, a bit per node of each document: the example walk marks every
// schema of the document, and a tree set cost a node allocation each.
class NodeSet {
public:
    // False if `node` was in the set already.
    bool insert(NodeRef node)
    {
        if (!m_last || m_last->first != node.document) {
            auto it = std::find_if(m_documents.begin(), m_documents.end(), [&](const auto &d) { return d.first == node.document; });
            if (it == m_documents.end())
                it = m_documents.insert(m_documents.end(), {node.document, std::vector<bool>(node.tree().nodeCount())});
            m_last = &*it;
        }
        std::vector<bool>::reference bit = m_last->second[node.id];
        if (bit)
            return false;
        bit = true;
        return true;
    }

private:
    std::list<std::pair<const SourceDocument *, std::vector<bool>>> m_documents;  // a list: m_last stays valid
    std::pair<const SourceDocument *, std::vector<bool>> *m_last = nullptr;
};

// An example value and the schema it illustrates, as the walk finds them.
struct Example {
    NodeRef schema;
    NodeRef value;
    QString what;  // "example", "example 'name'"
};

// The members of a schema the example walk reads.
enum WalkedKey { WRef, WExample, WExamples, WProperties, WAllOf, WAnyOf, WOneOf, WItems, WAdditionalProperties, WWalkedKeyCount };
constexpr std::array<std::string_view, WWalkedKeyCount> kWalkedKeys{
    "$ref", "example", "examples", "properties", "allOf", "anyOf", "oneOf", "items", "additionalProperties"};

} // namespace

// Finds the `example`/`examples` values and the schemas they illustrate, each
// value once however many operations share it, in the order they are reported.
class ExampleWalk {
public:
    ExampleWalk(const ApiDocument &api, const std::atomic_bool *cancelled) : m_api(api), m_resolver(api.documents), m_cancelled(cancelled) {}

    // Where the examples go, those found so far first (kept until this is called).
    void reportTo(std::function<void(Example &&)> found)
    {
        m_found = std::move(found);
        for (Example &example : std::exchange(m_kept, {}))
            m_found(std::move(example));
    }

    // The examples in the details of an operation of the paths or webhooks,
    // as the model's reading hands them over (see readApiModel()). Reading
    // them again, after the model, was most of a large description's walk.
    void takeOperation(const OperationDetails &details)
    {
        m_operationsTaken = true;
        if (!cancelled())
            checkDetails(details);
    }

    // The operations not taken, then the schemas under components (or definitions).
    void finish()
    {
        if (!m_operationsTaken) {
            for (const Operation &op : m_api.operations)
                checkOperation(op);
            for (const Operation &op : m_api.webhooks)
                checkOperation(op);
        }
        const SourceDocument *root = m_api.rootDocument();
        const NodeRef rootNode{root, root->tree().root()};
        const NodeRef schemas = m_api.format == SpecFormat::Swagger ? rootNode.member("definitions")
                                                                    : rootNode.member("components").member("schemas");
        forEachMember(schemas, [&](NodeRef schema) { walkSchema(schema, 0); });
    }

private:
    template <typename F>
    static void forEachMember(NodeRef container, F &&f)
    {
        if (container.kind() != NodeKind::Object && container.kind() != NodeKind::Array)
            return;
        const NodeTree &tree = container.tree();
        for (const Member *m = tree.membersBegin(container.id); m != tree.membersEnd(container.id); ++m)
            f(NodeRef{container.document, m->value});
    }

    bool cancelled() const { return isCancelled(m_cancelled); }

    void checkOperation(const Operation &op)
    {
        if (cancelled() || !mayFindExamples(op))
            return;
        if (!m_reader)
            m_reader.emplace(m_api);
        checkDetails(m_reader->read(op));
    }

    void checkDetails(const OperationDetails &details)
    {
        if (m_api.format != SpecFormat::Swagger) {  // Swagger 2.0 parameters have no examples
            for (const Parameter &p : details.parameters)
                checkExamples(p.schema, p.example, p.examples);
        }
        if (details.requestBody) {
            for (const MediaType &m : details.requestBody->content)
                checkMediaType(m);
        }
        for (const Response &r : details.responses) {
            for (const MediaType &m : r.content)
                checkMediaType(m);
        }
        for (const Callback &c : details.callbacks) {
            for (const Operation &callbackOperation : c.operations)
                checkOperation(callbackOperation);
        }
    }

    // Whether reading the details of `op` could find an example not found
    // yet: false when neither the operation nor its path item holds one, nor
    // any parameter, request body or response it takes by $ref (the walk
    // follows no other $ref out of them) that an earlier operation did not
    // take already. Most operations of a large description hold none, or
    // share one parameter's (Microsoft Graph beta's `top`), and reading
    // their details was nine tenths of its walk.
    bool mayFindExamples(const Operation &op)
    {
        const NodeTree &tree = op.node.tree();
        if (tree.mayHoldExample(op.node.id) || (op.pathItem != kNoNode && tree.mayHoldExample(op.pathItem)))
            return true;
        if (op.node.member("callbacks").isValid())
            return true;  // operations of their own, maybe by $ref: read as they are
        bool found = false;
        auto takenByReference = [&](NodeRef value) {
            // Every step of a $ref chain (a circular one ends the reader's reading too).
            // The "$ref" member is looked up once a step: this runs for every
            // parameter and response of every operation.
            for (int step = 0; !found && step < kMaxReferenceSteps; ++step) {
                const NodeRef ref = value.member("$ref");
                if (ref.kind() != NodeKind::String)
                    break;
                value = m_resolver.follow(value.document, ref.text());
                // Swagger 2.0: which of a response's examples counts depends on what the operation produces.
                found = value.isValid() && value.tree().mayHoldExample(value.id)
                        && (m_api.format == SpecFormat::Swagger || m_takenTargets.insert(value));
            }
        };
        forEachMember(op.node.member("parameters"), takenByReference);
        forEachMember(NodeRef{op.node.document, op.pathItem}.member("parameters"), takenByReference);
        takenByReference(op.node.member("requestBody"));
        forEachMember(op.node.member("responses"), takenByReference);
        return found;
    }

    void checkMediaType(const MediaType &m)
    {
        if (m_api.format == SpecFormat::Swagger) {
            // Swagger 2.0: `examples` maps a media type to its example value.
            const NodeRef value = m.examples.member(m.contentType.toStdString());
            if (value.isValid())
                check(m.schema, value, QStringLiteral("example"));
            return;
        }
        checkExamples(m.schema, m.example, m.examples);
        if (m.schema.isValid() && !ReferenceResolver::isReference(m.schema))
            walkSchema(m.schema, 0);
    }

    void checkExamples(NodeRef schema, NodeRef example, NodeRef examples)
    {
        if (!schema.isValid())
            return;
        if (example.isValid())
            check(schema, example, QStringLiteral("example"));
        if (examples.kind() != NodeKind::Object)
            return;
        const NodeTree &tree = examples.tree();
        for (const Member *m = tree.membersBegin(examples.id); m != tree.membersEnd(examples.id); ++m) {
            const NodeRef entry = m_resolver.resolve(NodeRef{examples.document, m->value});
            NodeRef value = entry.member("value");
            if (!value.isValid())
                value = entry.member("dataValue");  // 3.2
            if (value.isValid())
                check(schema, value, QStringLiteral("example '%1'").arg(text(m->key())));
        }
    }

    // A schema's own `example` (3.0, 2.0) or `examples` (3.1+), then those of the schemas inside it.
    void walkSchema(NodeRef schema, int depth)
    {
        if (depth > 32 || schema.kind() != NodeKind::Object || !schema.tree().mayHoldExample(schema.id))
            return;
        // Read in one pass: the walk visits every schema that may hold an example.
        const MemberValues<kWalkedKeys> members(schema.tree(), schema.id);
        if (schema.tree().isString(members[WRef]) || !m_walked.insert(schema))
            return;
        const auto at = [&](NodeId id) { return NodeRef{schema.document, id}; };
        if (members[WExample] != kNoNode)
            check(schema, at(members[WExample]), QStringLiteral("example"));
        const NodeRef examples = at(members[WExamples]);
        if (examples.kind() == NodeKind::Array)
            forEachMember(examples, [&](NodeRef value) { check(schema, value, QStringLiteral("example")); });
        forEachMember(at(members[WProperties]), [&](NodeRef s) { walkSchema(s, depth + 1); });
        for (const int list : {WAllOf, WAnyOf, WOneOf})
            forEachMember(at(members[list]), [&](NodeRef s) { walkSchema(s, depth + 1); });
        walkSchema(at(members[WItems]), depth + 1);
        walkSchema(at(members[WAdditionalProperties]), depth + 1);
    }

    void check(NodeRef schema, NodeRef value, const QString &what)
    {
        if (!m_checked.insert(value) || cancelled())
            return;
        if (m_found)
            m_found({schema, value, what});
        else
            m_kept.push_back({schema, value, what});
    }

    static constexpr int kMaxReferenceSteps = 64;

    const ApiDocument &m_api;
    ReferenceResolver m_resolver;
    const std::atomic_bool *m_cancelled;
    std::optional<OperationReader> m_reader;  // made when first needed: the operations taken need none
    std::function<void(Example &&)> m_found;
    std::vector<Example> m_kept;  // found before reportTo()
    bool m_operationsTaken = false;
    NodeSet m_checked;  // example values
    NodeSet m_walked;   // schemas
    NodeSet m_takenTargets;  // $ref targets holding examples that an operation read took (see mayFindExamples())
};

namespace {

// The warning for an example `value` that `result` found not to match its
// schema, read with `reader`; none when it matches.
std::optional<Diagnostic> exampleWarning(FailureReader &reader, NodeRef value, const QString &what,
                                         const jsonschema::ValidationResult &result)
{
    if (result.isValid())
        return std::nullopt;
    const SchemaFailures failures = reader.read(result, value);
    const std::vector<Cause> found = causes(failures);
    if (found.empty())
        return std::nullopt;
    const SchemaFailure &first = *found.front().failure;
    const QString at = first.instancePath.empty() ? QStringLiteral("the value")
                                                   : QStringLiteral("`%1`").arg(jsonpointer::fromTokens(first.instancePath));
    QString message = QStringLiteral("%1 does not match its schema: %2").arg(what, failureMessage(found.front(), value.tree(), at));
    if (found.size() > 1)
        message += QStringLiteral(" (and %1 more)").arg(found.size() - 1);
    return Diagnostic{Severity::Warning, message, locationOf(*value.document, first, value.id)};
}

// Whether the pipeline's second thread reads the failures it finds, with a
// set of its own. Swagger 2.0 and OpenAPI 3.0 Schema Objects know no anchors
// ($anchor, `id`) and no $dynamicRef, so a branch compiles the same in any
// set; in later dialects what a $ref finds may depend on what its set
// compiled before.
bool readsFailures(const Version &version)
{
    return version.schemaObjects == Dialect::Swagger20 || version.schemaObjects == Dialect::OpenApi30;
}

// An example with its schema compiled, to be validated.
struct ExampleCheck {
    const jsonschema::Schema *schema;
    NodeRef value;
    QString what;
    jsonschema::ValidationResult result;               // until its failures are read
    std::optional<Diagnostic> warning = std::nullopt;  // once they are
    bool validated = false;  // false when cancelled first
    bool read = false;       // `warning` is read
};

// The example check on two threads. Compiling costs the most, and stays on
// the calling thread in the walk's order (what a set compiled before can
// change what a later $ref finds). The second thread walks, handing each
// example over to be compiled, then validates them as they are compiled:
// validating schemas compiled before may overlap compiling (see SchemaSet).
// It also reads the failures of those it validates, with tools of its own:
// reading compiles the branches of alternatives, which the calling thread's
// set cannot do while it compiles.
class ExamplePipeline {
public:
    // Finishes `walk` (see ExampleWalk::finish()) on the second thread;
    // throws std::system_error when no thread can be had.
    ExamplePipeline(ExampleWalk &walk, const ApiDocument &api, const Version &version, const jsonschema::ValidationOptions &options)
        : m_walk(walk), m_api(api), m_version(version), m_options(options), m_thread([this] { walkThenValidate(); })
    {
    }
    ~ExamplePipeline()
    {
        finish();
        freeInPool(std::move(m_tools));
    }
    ExamplePipeline(const ExamplePipeline &) = delete;
    ExamplePipeline &operator=(const ExamplePipeline &) = delete;

    // The next example the walk found, once it has; none when the walk is over.
    std::optional<Example> next()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_progress.wait(lock, [&] { return m_taken < m_found.size() || m_walked; });
        if (m_taken == m_found.size())
            return std::nullopt;
        return std::move(m_found[m_taken++]);
    }

    // `check` must stay where it is until validated().
    void validate(ExampleCheck *check)
    {
        bool wake;
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_checks.push_back(check);
            wake = m_checks.size() - m_next == kBatch;
        }
        if (wake)
            m_work.notify_one();
    }

    // Returns when all checks handed over are validated, taking part in the
    // work. The second thread reads no failure it has not begun: with nothing
    // left to compile, the caller can read them with it (readRemaining()).
    void validated()
    {
        m_callerReads = true;
        std::vector<ExampleCheck *> batch;
        while (takeBatch(batch))
            validateBatch(batch, false);
        std::unique_lock<std::mutex> lock(m_mutex);
        m_progress.wait(lock, [&] { return m_validated == m_checks.size(); });
    }

    // After validated(): reads the failures not read yet with `reader`, the
    // second thread reading others beside it with its own (see
    // readsFailures()), and returns when both are done. The second thread
    // then ends.
    void readRemaining(FailureReader &reader)
    {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_reading = true;
        }
        m_work.notify_one();
        readClaimed(reader);
        finish();
    }

    // Waits for the second thread (for its walk, if next() was not called to the end).
    void finish()
    {
        if (!m_thread.joinable())
            return;
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_finished = true;
        }
        m_work.notify_one();
        m_thread.join();
    }

private:
    // Examples pass a few at a time: waking the other thread for each cost
    // more than validating most of them.
    static constexpr std::size_t kBatch = 16;

    void walkThenValidate()
    {
        m_walk.reportTo([this](Example &&example) {
            bool wake;
            {
                const std::lock_guard<std::mutex> lock(m_mutex);
                m_found.push_back(std::move(example));
                wake = m_found.size() - m_taken == kBatch;
            }
            if (wake)
                m_progress.notify_one();
        });
        m_walk.finish();
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_walked = true;
        }
        m_progress.notify_one();
        std::vector<ExampleCheck *> batch;
        for (;;) {
            bool reading;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_work.wait(lock, [&] { return m_checks.size() - m_next >= kBatch || m_finished || m_reading; });
                reading = m_reading;
            }
            if (reading) {  // everything is validated
                if (readsFailures(m_version))
                    readClaimed(ownReader());
                return;
            }
            if (!takeBatch(batch))
                return;
            validateBatch(batch, readsFailures(m_version));
        }
    }

    // Reads the failures of checks no thread has claimed, claiming each.
    void readClaimed(FailureReader &reader)
    {
        for (;;) {
            ExampleCheck *check = nullptr;
            {
                const std::lock_guard<std::mutex> lock(m_mutex);
                while (!check && m_readNext < m_checks.size()) {
                    ExampleCheck *c = m_checks[m_readNext++];
                    if (c->validated && !c->read && !c->result.isValid())
                        check = c;
                }
            }
            if (!check || isCancelled(m_options.cancelled))
                return;
            read(*check, reader);
        }
    }

    static void read(ExampleCheck &check, FailureReader &reader)
    {
        check.warning = exampleWarning(reader, check.value, check.what, check.result);
        check.result = {};
        check.read = true;
    }

    FailureReader &ownReader()
    {
        if (!m_tools)
            m_tools = std::make_shared<CheckTools>(m_version, m_version.schemaObjects, m_api.documents, m_options.cancelled);
        return m_tools->reader;
    }

    bool takeBatch(std::vector<ExampleCheck *> &batch)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const std::size_t end = std::min(m_checks.size(), m_next + kBatch);
        batch.assign(m_checks.begin() + std::ptrdiff_t(m_next), m_checks.begin() + std::ptrdiff_t(end));
        m_next = end;
        return !batch.empty();
    }

    void validateBatch(const std::vector<ExampleCheck *> &batch, bool readFailures)
    {
        for (ExampleCheck *check : batch) {
            if (isCancelled(m_options.cancelled))
                break;
            check->result = jsonschema::validate(*check->schema, check->value, m_options);
            if (readFailures && !check->result.isValid() && !m_callerReads)
                read(*check, ownReader());
            check->validated = true;
        }
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_validated += batch.size();
        }
        m_progress.notify_one();
    }

    ExampleWalk &m_walk;
    const ApiDocument &m_api;
    const Version &m_version;
    const jsonschema::ValidationOptions &m_options;
    std::shared_ptr<CheckTools> m_tools;  // the second thread's own, made for the first failure it reads
    std::atomic_bool m_callerReads{false};  // see validated()
    std::mutex m_mutex;  // guards what follows but m_thread
    std::condition_variable m_progress;  // examples found, checks validated
    std::condition_variable m_work;      // checks to validate
    std::vector<Example> m_found;
    std::size_t m_taken = 0;  // by next()
    bool m_walked = false;
    std::vector<ExampleCheck *> m_checks;
    std::size_t m_next = 0;   // to validate
    std::size_t m_validated = 0;
    bool m_reading = false;     // everything is validated, and failures are read
    std::size_t m_readNext = 0;  // the next check to claim for reading
    bool m_finished = false;
    std::thread m_thread;
};

// Checks `example`/`examples` values against the schemas they illustrate.
class ExampleChecker {
public:
    ExampleChecker(const ApiDocument &api, CheckTools &tools, Diagnostics &out) : m_api(api), m_tools(tools), m_out(out) {}

    // Checks the examples `walk` finds, those found so far first.
    void run(ExampleWalk &walk)
    {
        std::unique_ptr<ExamplePipeline> pipeline;
        try {
            pipeline = std::make_unique<ExamplePipeline>(walk, m_api, m_tools.version, m_tools.options);
        } catch (const std::system_error &) {  // no thread to be had: check each example here as it is found
            walk.reportTo([this](Example &&example) { check(example); });
            walk.finish();
            return;
        }
        // Examples are handed over until a schema reads $dynamicAnchors: its
        // result then depends on what is compiled before it is validated, so
        // from there on each is checked as it is compiled, as on one thread.
        bool handingOver = true;
        while (const std::optional<Example> example = pipeline->next()) {
            const jsonschema::Schema *schema = compile(*example);
            if (!schema)
                continue;
            if (handingOver && !m_tools.set.readsDynamicAnchors()) {
                m_handedOver.push_back({schema, example->value, example->what, {}});
                pipeline->validate(&m_handedOver.back());
                continue;
            }
            if (handingOver) {
                pipeline->validated();
                reportHandedOver();
                handingOver = false;
            }
            report(example->value, example->what, jsonschema::validate(*schema, example->value, m_tools.options));
        }
        pipeline->validated();
        if (handingOver)
            pipeline->readRemaining(m_tools.reader);
        reportHandedOver();
    }

private:
    const jsonschema::Schema *compile(const Example &example)
    {
        if (cancelled())
            return nullptr;
        return m_tools.set.compile(example.schema, m_tools.version.schemaObjects);
    }

    void check(const Example &example)
    {
        if (const jsonschema::Schema *schema = compile(example))
            report(example.value, example.what, jsonschema::validate(*schema, example.value, m_tools.options));
    }

    bool cancelled() const { return isCancelled(m_tools.options.cancelled); }

    // Reports the examples handed over for validation, in the order found.
    // Their failures are read already (ExamplePipeline::readRemaining()),
    // but at the switch to checking one by one, where they are read here.
    // Reading a failure compiles the branches of its alternatives, so it
    // waits until no validation runs. That these compiles now come after
    // those of later examples changes nothing: the branches are schemas their
    // example compiled already, unless the set's node limit was reached (what
    // fits under it then depends on the order).
    void reportHandedOver()
    {
        for (ExampleCheck &c : m_handedOver) {
            if (!c.validated || cancelled())
                break;
            if (!c.read)
                report(c.value, c.what, c.result);
            else if (c.warning)
                m_out.push_back(std::move(*c.warning));
        }
        m_handedOver.clear();
    }

    void report(NodeRef value, const QString &what, const jsonschema::ValidationResult &result)
    {
        if (std::optional<Diagnostic> warning = exampleWarning(m_tools.reader, value, what, result))
            m_out.push_back(std::move(*warning));
    }

    const ApiDocument &m_api;
    CheckTools &m_tools;  // the set the examples compile into, and the reader of their failures
    Diagnostics &m_out;
    std::deque<ExampleCheck> m_handedOver;  // a deque: the pipeline holds pointers into it
};

void prefixPaths(SchemaFailures &failures, const std::vector<std::string> &prefix)
{
    for (SchemaFailure &f : failures) {
        f.instancePath.insert(f.instancePath.begin(), prefix.begin(), prefix.end());
        for (SchemaFailures &branch : f.branches)
            prefixPaths(branch, prefix);
    }
}

// A path item given as a `$ref` is accepted by the official schema as it
// stands; what it leads to must be a path item too (a $ref to a model is a
// common slip). Checked in the root document, named by its path.
void checkReferencedPathItems(const SourceDocuments &documents, CheckTools &tools, Diagnostics &out)
{
    const Version &version = tools.version;
    jsonschema::SchemaSet &set = tools.set;
    const SourceDocument *root = documents.front().get();
    const NodeTree &tree = root->tree();
    const NodeId paths = tree.member(tree.root(), "paths");
    if (!tree.isObject(paths))
        return;
    const ReferenceResolver resolver(documents);
    const jsonschema::Schema *pathItem = nullptr;
    for (const Member *m = tree.membersBegin(paths); m != tree.membersEnd(paths); ++m) {
        const NodeRef entry{root, m->value};
        if (!ReferenceResolver::isReference(entry))
            continue;
        const NodeRef target = resolver.resolve(entry);
        if (!target.isValid() || target.document != root)
            continue;  // broken references are the loader's to report
        if (!pathItem) {
            QUrl url = tools.official.url(version.structure);
            url.setFragment(QString::fromLatin1(version.pathItem));
            pathItem = set.compile(url, version.dialect);
            if (!pathItem)
                return;
        }
        const jsonschema::ValidationResult result = jsonschema::validate(*pathItem, target, tools.options);
        if (result.isValid())
            continue;
        SchemaFailures failures = tools.reader.read(result, target);
        prefixPaths(failures, {"paths", std::string(m->key())});
        const QString ref = text(tree.text(tree.member(m->value, "$ref")));
        for (const Cause &cause : causes(failures)) {
            SchemaFailure local = *cause.failure;  // positions are looked up from the target
            local.instancePath.erase(local.instancePath.begin(), local.instancePath.begin() + 2);
            SourceLocation at = locationOf(*root, local, target.id);
            at.pointer = jsonpointer::pointerTo(tree, cause.failure->instance);
            out.push_back({Severity::Error, QStringLiteral("%1 (the path item is a $ref to %2)").arg(oasMessage(cause, tree, version), ref), at});
        }
    }
}

// The structure check: the root document against the official schema,
// Schema Objects in other dialects against theirs, and path items that are
// $refs. Needs only the parsed documents.
Diagnostics checkStructure(const SourceDocuments &documents, const std::atomic_bool *cancelled)
{
    Diagnostics out;
    const SourceDocument *root = documents.front().get();
    const Version *version = versionOf(root->tree());
    if (!version)
        return out;
    CheckTools tools(*version, version->dialect, documents, cancelled);
    jsonschema::SchemaSet &set = tools.set;
    const jsonschema::ValidationOptions &options = tools.options;

    // 3.1+: Schema Objects are checked against the OpenAPI dialect, unless the document names another.
    const NodeTree &tree = root->tree();
    const QString dialect = text(tree.text(tree.member(tree.root(), "jsonSchemaDialect")));
    const bool withSchemas = version->withSchemas && isOasDialect(dialect, *version);
    const jsonschema::Schema *schema = set.compile(tools.official.url(withSchemas ? version->withSchemas : version->structure), version->dialect);
    if (!schema)
        return out;
    const NodeRef document{root, tree.root()};
    const jsonschema::ValidationResult result = jsonschema::validate(*schema, document, options);
    const SchemaFailures failures = tools.reader.read(result, document);
    std::set<NodeId> otherDialects;
    for (const Cause &cause : causes(failures)) {
        // schema-base.yaml pins jsonSchemaDialect to its own (unpublished) id; any OpenAPI dialect URL is fine.
        if (cause.failure->instancePath == std::vector<std::string>{"jsonSchemaDialect"})
            continue;
        if (withSchemas) {
            const NodeId other = otherDialectSchema(tree, cause.failure->instancePath, *version);
            if (other != kNoNode) {
                otherDialects.insert(other);
                continue;
            }
        }
        if (cause.failure->keyword.empty())  // the validator's own limits
            out.push_back({Severity::Warning, QStringLiteral("validation stopped early: %1").arg(cause.failure->message),
                           {root->displayName(), 0, 0, {}}});
        else
            out.push_back({Severity::Error, oasMessage(cause, tree, *version), locationOf(*root, *cause.failure, tree.root())});
    }
    // Schema Objects whose `$schema` names another dialect: against that dialect's meta-schema.
    for (const NodeId node : otherDialects) {
        const QString url = text(tree.text(tree.member(node, "$schema")));
        const std::optional<Dialect> dialect = jsonschema::dialectForUrl(url);
        const jsonschema::Schema *meta = dialect ? set.metaSchema(*dialect) : nullptr;
        if (!meta) {
            out.push_back({Severity::Warning, QStringLiteral("Schema Object in the unknown dialect '%1' is not checked").arg(url),
                           root->location(tree.member(node, "$schema"), jsonpointer::pointerTo(tree, node))});
            continue;
        }
        const NodeRef schemaObject{root, node};
        const jsonschema::ValidationResult r = jsonschema::validate(*meta, schemaObject, options);
        FailureReader metaReader(set, *dialect, options);
        for (const Cause &cause : causes(metaReader.read(r, schemaObject)))
            out.push_back({Severity::Error, failureMessage(cause, tree, QStringLiteral("`%1`").arg(jsonpointer::fromTokens(cause.failure->instancePath))),
                           locationOf(*root, *cause.failure, node)});
    }
    checkReferencedPathItems(documents, tools, out);
    return out;
}

} // namespace

DocumentValidation::DocumentValidation(const ApiDocument &api, const std::atomic_bool *cancelled)
    : m_api(api), m_cancelled(cancelled), m_examples(std::make_unique<ExampleWalk>(api, cancelled))
{
    if (api.documents.empty())
        return;
    try {
        m_structureCheck = std::thread([this] { m_structure = checkStructure(m_api.documents, m_cancelled); });
    } catch (const std::system_error &) {  // no thread to be had: check here instead
        m_structure = checkStructure(m_api.documents, m_cancelled);
    }
}

DocumentValidation::~DocumentValidation()
{
    if (m_structureCheck.joinable())
        m_structureCheck.join();
}

void DocumentValidation::takeOperation(const OperationDetails &details)
{
    m_examples->takeOperation(details);
}

Diagnostics DocumentValidation::finish()
{
    Diagnostics examples;
    const Version *version = m_api.documents.empty() ? nullptr : versionOf(m_api.rootDocument()->tree());
    if (version) {
        auto tools = std::make_shared<CheckTools>(*version, version->schemaObjects, m_api.documents, m_cancelled);
        ExampleChecker(m_api, *tools, examples).run(*m_examples);
        freeInPool(std::move(tools));
    }
    if (m_structureCheck.joinable())
        m_structureCheck.join();
    return m_structure + examples;
}

Diagnostics validateDocument(const ApiDocument &api, const std::atomic_bool *cancelled)
{
    return DocumentValidation(api, cancelled).finish();
}

Diagnostics mergeValidationDiagnostics(const Diagnostics &loader, const Diagnostics &validation)
{
    if (validation.isEmpty())
        return loader;
    // The loader's structural checks see some of the same causes, at the same
    // value or at its parent object: the schema's message is the one kept.
    auto parentOf = [](const QString &pointer) { return pointer.left(std::max<qsizetype>(0, pointer.lastIndexOf(QLatin1Char('/')))); };
    QSet<QString> places;
    for (const Diagnostic &d : std::as_const(validation)) {
        if (d.severity == Severity::Error && !d.location.pointer.isEmpty()) {
            places.insert(d.location.file + QLatin1Char('#') + d.location.pointer);
            places.insert(d.location.file + QLatin1Char('#') + parentOf(d.location.pointer));
        }
    }
    Diagnostics merged;
    for (const Diagnostic &d : loader) {
        if (d.location.pointer.isEmpty() || !places.contains(d.location.file + QLatin1Char('#') + d.location.pointer))
            merged.push_back(d);
    }
    merged += validation;
    return merged;
}

} // namespace portolan
