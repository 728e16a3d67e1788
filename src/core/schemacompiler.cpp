#include "schemacompiler.h"

#include "ecmaregex.h"
#include "jsonpointer.h"
#include "parser.h"

#include <QFile>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(Q_OS_UNIX)
#include <sys/mman.h>
#endif

namespace portolan::jsonschema {

bool isDraft4Family(Dialect dialect)
{
    return dialect == Dialect::Draft4 || dialect == Dialect::Swagger20 || dialect == Dialect::OpenApi30;
}

bool isOpenApiDialect(Dialect dialect)
{
    return dialect == Dialect::Swagger20 || dialect == Dialect::OpenApi30 || dialect == Dialect::OpenApi31;
}

namespace {

// Every name compileKeyword() compiles, in any dialect: one added there is
// added here.
constexpr std::string_view kKeywordNames[] = {
    "$ref", "$dynamicRef", "allOf", "anyOf", "oneOf", "not", "properties", "additionalProperties",
    "patternProperties", "items", "additionalItems", "dependencies", "type", "enum", "const", "multipleOf",
    "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "maxLength", "minLength", "maxItems",
    "minItems", "maxProperties", "minProperties", "uniqueItems", "pattern", "format", "required",
    "prefixItems", "contains", "propertyNames", "dependentSchemas", "dependentRequired", "if",
    "unevaluatedItems", "unevaluatedProperties"};

constexpr unsigned firstCharacterBit(char c)
{
    return c == '$' ? 26 : unsigned(static_cast<unsigned char>(c) - 'a');  // past 26 for any other
}

// By length, a bit for each first character a keyword of that length has.
constexpr std::array<std::uint32_t, 22> kKeywordShapes = [] {
    std::array<std::uint32_t, 22> shapes{};
    for (const std::string_view name : kKeywordNames)
        shapes[name.size()] |= std::uint32_t(1) << firstCharacterBit(name.front());
    return shapes;
}();

// False for most names that are no keyword (description, example, title,
// x-…): a schema's members are mostly those, and the comparisons with every
// keyword that compileKeyword() makes cost each of them about forty.
bool mayBeKeyword(std::string_view key)
{
    if (key.empty() || key.size() >= kKeywordShapes.size())
        return false;
    const unsigned bit = firstCharacterBit(key.front());
    return bit <= 26 && (kKeywordShapes[key.size()] >> bit & 1);
}

// The members of an OpenAPI Schema Object that compileBody() reads besides
// the keywords, in one pass over its members.
enum OpenApiField { OReadOnly, OWriteOnly, ONullable, ODiscriminator };
constexpr std::array<std::string_view, 4> kOpenApiFields{"readOnly", "writeOnly", "nullable", "discriminator"};

QString urlKey(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveFragment).toString(QUrl::FullyEncoded);
}

QString qstr(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// The meta-schemas the product ships (resources/jsonschema), by URL.
QString builtinResource(const QString &key)
{
    static const QLatin1String draft4("http://json-schema.org/draft-04/schema");
    static const QLatin1String draft2020("https://json-schema.org/draft/2020-12/");
    if (key == draft4)
        return QStringLiteral(":/jsonschema/draft-04/schema.json");
    if (key == draft2020 + QLatin1String("schema"))
        return QStringLiteral(":/jsonschema/draft2020-12/schema.json");
    if (key.startsWith(draft2020 + QLatin1String("meta/"))) {
        const QString name = key.mid(draft2020.size() + 5);
        if (!name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('.')))
            return QStringLiteral(":/jsonschema/draft2020-12/meta/%1.json").arg(name);
    }
    return {};
}

const QLatin1String kVocabularyPrefix("https://json-schema.org/draft/2020-12/vocab/");

} // namespace

std::optional<Dialect> dialectForUrl(const QString &schemaUrl)
{
    const QString key = urlKey(QUrl(schemaUrl));
    if (key == QLatin1String("http://json-schema.org/draft-04/schema") || key == QLatin1String("https://json-schema.org/draft-04/schema"))
        return Dialect::Draft4;
    if (key == QLatin1String("https://json-schema.org/draft/2020-12/schema"))
        return Dialect::Draft2020_12;
    if (key.startsWith(QLatin1String("https://spec.openapis.org/oas/3.1/dialect"))
        || key.startsWith(QLatin1String("https://spec.openapis.org/oas/3.2/dialect")))
        return Dialect::OpenApi31;
    return std::nullopt;
}

void indexProperties(Keyword &properties)
{
    NamedSchemas &schemas = properties.namedSchemas();
    std::size_t size = 1;
    while (size < 2 * schemas.named.size())
        size *= 2;
    schemas.slots.assign(size, -1);
    for (std::size_t i = 0; i < schemas.named.size(); ++i) {
        const std::string_view name = schemas.named[i].name;
        if (i > 0 && schemas.named[i - 1].name == name)
            continue;  // a repeated name: the binary search finds the first
        const std::size_t h = propertyHash(name);
        for (std::size_t probe = 0; probe < kPropertyProbes; ++probe) {
            std::int32_t &slot = schemas.slots[(h + probe) & (size - 1)];
            if (slot < 0) {
                slot = std::int32_t(i);
                break;
            }
        }
    }
}

SchemaCompiler::SchemaCompiler(CompileLimits limits) : m_limits(limits) {}

void SchemaCompiler::addDocument(const SourceDocument *document)
{
    m_documents.insert(urlKey(document->url()), document);
}

const SourceDocument *SchemaCompiler::addOwnedDocument(std::unique_ptr<SourceDocument> document)
{
    const SourceDocument *raw = document.get();
    m_ownedDocuments.push_back(std::move(document));
    addDocument(raw);
    return raw;
}

void SchemaCompiler::problem(const SourceDocument *doc, NodeId node, const QString &message)
{
    if (!m_problems || !doc)
        return;
    m_problems->push_back({message, doc->location(node, jsonpointer::pointerTo(doc->tree(), node))});
}

const SourceDocument *SchemaCompiler::documentFor(const QUrl &documentUrl, QString *error)
{
    const QString key = urlKey(documentUrl);
    if (const SourceDocument *known = m_documents.value(key))
        return known;
    const QString resource = builtinResource(key);
    if (!resource.isEmpty()) {
        QFile file(resource);
        if (file.open(QIODevice::ReadOnly)) {
            ParseResult parsed = parseJson(file.readAll());
            if (!parsed.error)
                return addOwnedDocument(std::make_unique<SourceDocument>(documentUrl.adjusted(QUrl::RemoveFragment),
                                                                         std::move(parsed.tree), parsed.format));
        }
    }
    if (!m_retriever) {
        *error = QStringLiteral("no document is known at %1").arg(key);
        return nullptr;
    }
    if (m_retrievals >= m_limits.maxRetrievals) {
        *error = QStringLiteral("not retrieving %1: already retrieved %2 documents").arg(key).arg(m_retrievals);
        return nullptr;
    }
    ++m_retrievals;
    std::unique_ptr<SourceDocument> fetched = m_retriever(documentUrl.adjusted(QUrl::RemoveFragment), error);
    if (!fetched) {
        if (error->isEmpty())
            *error = QStringLiteral("could not retrieve %1").arg(key);
        return nullptr;
    }
    const SourceDocument *doc = addOwnedDocument(std::move(fetched));
    m_documents.insert(key, doc);  // also under the URL asked for, should the retriever have followed a redirect
    return doc;
}

SchemaCompiler::NodeState &SchemaCompiler::NodeStates::at(const SourceDocument *doc, NodeId node)
{
    if (doc != m_lastDocument) {
        auto &values = m_byDocument[doc];
        if (!values) {
            const std::size_t bytes = std::max<std::size_t>(doc->tree().nodeCount(), 1) * sizeof(NodeState);
#if defined(Q_OS_UNIX)
            void *zeroed = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (zeroed == MAP_FAILED)
                throw std::bad_alloc();
#else
            void *zeroed = std::calloc(bytes, 1);
            if (!zeroed)
                throw std::bad_alloc();
#endif
            values = std::unique_ptr<NodeState[], Unmap>(static_cast<NodeState *>(zeroed), Unmap{bytes});
        }
        m_lastDocument = doc;
        m_last = values.get();
    }
    return m_last[node];
}

void SchemaCompiler::NodeStates::Unmap::operator()(NodeState *p) const
{
#if defined(Q_OS_UNIX)
    ::munmap(p, bytes);
#else
    std::free(p);
#endif
}

// A few at most for each node of the documents, far below kCompiled.
SchemaCompiler::ContextId SchemaCompiler::addContext(Context context)
{
    m_contexts.push_back(std::move(context));
    return ContextId(m_contexts.size());
}

Resource *SchemaCompiler::resourceFor(const QUrl &url, const SourceDocument *doc, NodeId node, const Context &from)
{
    const QString key = urlKey(url);
    const auto it = m_resources.constFind(key);
    if (it != m_resources.constEnd() && context(it->context).resource)
        return context(it->context).resource;
    m_resourceStore.push_back(Resource{url.adjusted(QUrl::RemoveFragment), {}});
    Resource *resource = &m_resourceStore.back();
    Context located = from;
    located.base = resource->url;
    located.resource = resource;
    m_resources.insert(key, Located{NodeRef{doc, node}, addContext(std::move(located))});
    return resource;
}

// `$schema` at a resource root: a known dialect, or a meta-schema whose
// `$vocabulary` says which keywords count.
SchemaCompiler::Context SchemaCompiler::applySchemaKeyword(const SourceDocument *doc, NodeId node, Context context)
{
    const NodeTree &tree = doc->tree();
    const NodeId schemaUrl = tree.member(node, "$schema");
    if (!tree.isString(schemaUrl) || (isOpenApiDialect(context.dialect) && context.dialect != Dialect::OpenApi31))
        return context;
    const QString url = qstr(tree.text(schemaUrl));
    if (const std::optional<Dialect> known = dialectForUrl(url)) {
        if (!(*known == Dialect::Draft2020_12 && context.dialect == Dialect::OpenApi31))
            context.dialect = *known;
        context.vocabularies = VocabValidation;
        return context;
    }
    // A custom meta-schema: its $vocabulary decides.
    QString error;
    const SourceDocument *meta = documentFor(QUrl(url), &error);
    if (!meta) {
        problem(doc, schemaUrl, QStringLiteral("unknown $schema %1: %2").arg(url, error));
        return context;
    }
    const NodeTree &metaTree = meta->tree();
    const NodeId vocabularies = metaTree.member(metaTree.root(), "$vocabulary");
    if (const std::optional<Dialect> metaDialect = dialectForUrl(qstr(metaTree.text(metaTree.member(metaTree.root(), "$schema")))))
        context.dialect = *metaDialect;
    if (!metaTree.isObject(vocabularies))
        return context;
    context.vocabularies = 0;
    for (const Member *m = metaTree.membersBegin(vocabularies); m != metaTree.membersEnd(vocabularies); ++m) {
        const QString vocabulary = qstr(m->key());
        if (vocabulary == kVocabularyPrefix + QLatin1String("validation"))
            context.vocabularies |= VocabValidation;
        else if (vocabulary == kVocabularyPrefix + QLatin1String("format-assertion"))
            context.vocabularies |= VocabFormatAssertion;
        else if (!vocabulary.startsWith(kVocabularyPrefix) && metaTree.boolValue(m->value, false))
            problem(doc, schemaUrl, QStringLiteral("the meta-schema %1 requires the unknown vocabulary %2").arg(url, vocabulary));
    }
    return context;
}

void SchemaCompiler::index(const SourceDocument *doc, NodeId node, ContextId contextId, int depth)
{
    const NodeTree &tree = doc->tree();
    if (depth > 600 || isIndexed(doc, node))
        return;
    if (!tree.isObject(node)) {
        m_nodes.at(doc, node) = contextId;
        return;
    }
    if (tree.isString(tree.member(node, "$schema")))
        contextId = addContext(applySchemaKeyword(doc, node, context(contextId)));
    auto anchor = [&](std::string_view name, bool dynamic) {
        if (name.empty())
            return;
        const Context &current = context(contextId);
        m_anchors.insert(urlKey(current.base) + QLatin1Char('#') + qstr(name), Located{NodeRef{doc, node}, contextId});
        if (dynamic)
            m_dynamicAnchors.push_back({current.resource, std::string(name), NodeRef{doc, node}});
    };
    auto newResource = [&](std::string_view id) {
        Context changed = context(contextId);
        const QUrl url = changed.base.resolved(QUrl(qstr(id)));
        changed.base = url.adjusted(QUrl::RemoveFragment);
        changed.resource = resourceFor(changed.base, doc, node, changed);
        contextId = addContext(std::move(changed));
        return url;
    };
    if (isDraft4Family(context(contextId).dialect)) {
        const NodeId id = tree.member(node, "id");
        if (tree.isString(id) && tree.member(node, "$ref") == kNoNode) {  // $ref overrides its siblings, id too
            const std::string_view text = tree.text(id);
            if (!text.empty() && text.front() == '#') {
                anchor(text.substr(1), false);
            } else {
                const QUrl url = newResource(text);
                if (url.hasFragment())
                    anchor(url.fragment(QUrl::FullyDecoded).toStdString(), false);
            }
        }
    } else {
        const NodeId id = tree.member(node, "$id");
        if (tree.isString(id))
            newResource(tree.text(id));
        if (const NodeId a = tree.member(node, "$anchor"); tree.isString(a))
            anchor(tree.text(a), false);
        if (const NodeId a = tree.member(node, "$dynamicAnchor"); tree.isString(a)) {
            anchor(tree.text(a), true);
        }
    }
    m_nodes.at(doc, node) = contextId;
    indexChildren(doc, node, contextId, depth);
}

namespace {

// The keywords that hold subschemas, and how: one schema, a list of them, or
// a map of names to them. `Visits` gives the order indexChildren() visits
// them in (draft 4's `items` is one schema or a list). One pass over a
// schema's members finds them all, where a look-up per keyword scanned the
// members a dozen times for every schema indexed.
enum class Holds { Schema, List, Map };

constexpr std::array<std::string_view, 12> kDraft4Holders{
    "additionalItems", "additionalProperties", "not", "items", "allOf", "anyOf", "oneOf",
    "properties", "patternProperties", "definitions", "dependencies", "$ref"};
constexpr std::size_t kDraft4Ref = 11;
constexpr std::pair<std::size_t, Holds> kDraft4Visits[] = {
    {0, Holds::Schema}, {1, Holds::Schema}, {2, Holds::Schema}, {3, Holds::Schema},
    {4, Holds::List}, {5, Holds::List}, {6, Holds::List}, {3, Holds::List},
    {7, Holds::Map}, {8, Holds::Map}, {9, Holds::Map}, {10, Holds::Map}};

constexpr std::array<std::string_view, 20> k2020Holders{
    "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
    "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    "allOf", "anyOf", "oneOf", "prefixItems",
    "properties", "patternProperties", "$defs", "dependentSchemas", "definitions"};
constexpr std::pair<std::size_t, Holds> k2020Visits[] = {
    {0, Holds::Schema}, {1, Holds::Schema}, {2, Holds::Schema}, {3, Holds::Schema}, {4, Holds::Schema},
    {5, Holds::Schema}, {6, Holds::Schema}, {7, Holds::Schema}, {8, Holds::Schema}, {9, Holds::Schema},
    {10, Holds::Schema}, {11, Holds::List}, {12, Holds::List}, {13, Holds::List}, {14, Holds::List},
    {15, Holds::Map}, {16, Holds::Map}, {17, Holds::Map}, {18, Holds::Map}, {19, Holds::Map}};

// Calls `visit` with each subschema `values` holds, in the order of `visits`.
template <typename Values, typename Visits, typename Visit>
void forEachSubschema(const NodeTree &tree, const Values &values, const Visits &visits, Visit &&visit)
{
    auto schema = [&](NodeId value) {
        if (tree.isObject(value) || tree.kind(value) == NodeKind::Bool)
            visit(value);
    };
    for (const auto &[key, holds] : visits) {
        const NodeId value = values[key];
        if (holds == Holds::Schema) {
            schema(value);
        } else if ((holds == Holds::List && tree.isArray(value)) || (holds == Holds::Map && tree.isObject(value))) {
            for (const Member *m = tree.membersBegin(value); m != tree.membersEnd(value); ++m)
                schema(m->value);
        }
    }
}

} // namespace

// Recurses into the members of `node` that hold subschemas, so that the
// $id, $anchor and $dynamicAnchor in them are known before any $ref needs them.
void SchemaCompiler::indexChildren(const SourceDocument *doc, NodeId node, ContextId contextId, int depth)
{
    const NodeTree &tree = doc->tree();
    auto visit = [&](NodeId value) { index(doc, value, contextId, depth + 1); };
    if (isDraft4Family(context(contextId).dialect)) {
        const MemberValues<kDraft4Holders> values(tree, node);
        if (values[kDraft4Ref] != kNoNode)
            return;  // $ref overrides its siblings
        forEachSubschema(tree, values, kDraft4Visits, visit);
    } else {
        forEachSubschema(tree, MemberValues<k2020Holders>(tree, node), k2020Visits, visit);
    }
}

// The context of a node nobody indexed yet: the base URIs of the `$id`s
// on the way from its document's root.
SchemaCompiler::ContextId SchemaCompiler::contextFor(const SourceDocument *doc, NodeId node, Dialect dialect)
{
    if (const ContextId known = contextOf(doc, node))
        return known;
    const NodeTree &tree = doc->tree();
    Context context;
    context.dialect = dialect;
    // Once per document: its URL and resource are the same for every node in
    // it, and looking them up cost a URL string each time.
    auto [root, added] = m_documentRoots.try_emplace(doc);
    if (added) {
        root->second.base = doc->url().adjusted(QUrl::RemoveFragment);
        root->second.resource = resourceFor(root->second.base, doc, tree.root(), context);
    }
    context.base = root->second.base;
    context.resource = root->second.resource;
    // The way from the root that jsonpointer::pointerTo(node) spells, each
    // step then taken by name as the pointer's tokens would be,
    // without writing the pointer and splitting it again.
    NodeId current = tree.root();
    for (NodeId on = tree.root(); on != node && (tree.isObject(on) || tree.isArray(on));) {
        const Member *begin = tree.membersBegin(on);
        const Member *end = tree.membersEnd(on);
        const Member *m = std::lower_bound(begin, end, node, [](const Member &member, NodeId id) { return member.value < id; });
        if (m == end || tree.subtreeBegin(m->value) > node)
            break;  // not reachable (a copy a YAML merge key left unused, see NodeTree::subtreeBegin())
        if (const ContextId known = contextOf(doc, current)) {
            context = this->context(known);
        } else if (tree.isObject(current)) {
            const NodeId id = tree.member(current, isDraft4Family(context.dialect) ? "id" : "$id");
            if (tree.isString(id) && !tree.text(id).empty() && tree.text(id).front() != '#') {
                context.base = context.base.resolved(QUrl(qstr(tree.text(id)))).adjusted(QUrl::RemoveFragment);
                context.resource = resourceFor(context.base, doc, current, context);
            }
        }
        // The token as the pointer carried it: an index, or the key through
        // QString (which replaces bytes that are not UTF-8).
        std::string converted;
        std::string_view token = m->key();
        if (tree.isArray(on))
            token = converted = std::to_string(m - begin);
        else if (std::any_of(token.begin(), token.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
            token = converted = qstr(token).toStdString();
        current = tree.isObject(current) ? tree.member(current, token) : jsonpointer::resolve(tree, current, {std::string(token)});
        if (current == kNoNode)
            break;
        on = m->value;
    }
    return addContext(std::move(context));
}

// Documents repeat their patterns (a base64 or sha256 pattern a dozen times):
// each is translated and compiled once, and its copies share the compiled code.
EcmaRegex SchemaCompiler::compileRegex(std::string_view pattern)
{
    const auto found = m_regexes.find(pattern);
    if (found != m_regexes.end())
        return found->second;
    return m_regexes.emplace(pattern, compileEcmaRegex(qstr(pattern))).first->second;
}

std::optional<SchemaCompiler::Located> SchemaCompiler::locate(const QUrl &url, Dialect dialect, QString *error)
{
    const QString key = urlKey(url);
    if (!m_resources.contains(key)) {
        const SourceDocument *doc = documentFor(url, error);
        if (!doc)
            return std::nullopt;
        const NodeId root = doc->tree().root();
        index(doc, root, contextFor(doc, root, dialect), 0);
        if (!m_resources.contains(key))  // the document's own $id differs from where it was found
            resourceFor(url, doc, root, context(contextOf(doc, root)));
    }
    const Located resource = m_resources.value(key);
    const QString fragment = url.fragment(QUrl::FullyEncoded);
    if (fragment.isEmpty())
        return resource;
    if (!fragment.startsWith(QLatin1Char('/'))) {
        const auto it = m_anchors.constFind(key + QLatin1Char('#') + url.fragment(QUrl::FullyDecoded));
        if (it == m_anchors.constEnd()) {
            // The files of an OpenAPI description are no schemas, and hold
            // Schema Objects where OpenAPI, not JSON Schema, says: indexing
            // them from their root finds none of those Schema Objects' anchors.
            const SourceDocument *doc = resource.node.document;
            if (isOpenApiDialect(dialect) && resource.node.id == doc->tree().root()) {
                const NodeId found = doc->anchor(url.fragment(QUrl::FullyDecoded).toStdString());
                if (found != kNoNode) {
                    index(doc, found, contextFor(doc, found, dialect), 0);
                    return Located{NodeRef{doc, found}, contextOf(doc, found)};
                }
            }
            *error = QStringLiteral("no anchor '%1' in %2").arg(url.fragment(QUrl::FullyDecoded), key);
            return std::nullopt;
        }
        return *it;
    }
    const std::optional<std::vector<std::string>> tokens = jsonpointer::splitFragment(fragment.toStdString());
    if (!tokens) {
        *error = QStringLiteral("'%1' is not a JSON pointer").arg(fragment);
        return std::nullopt;
    }
    const SourceDocument *doc = resource.node.document;
    const NodeTree &tree = doc->tree();
    ContextId contextId = resource.context;
    NodeId current = resource.node.id;
    for (const std::string &token : *tokens) {
        current = tree.isObject(current) ? tree.member(current, token) : jsonpointer::resolve(tree, current, {token});
        if (current == kNoNode) {
            *error = QStringLiteral("%1 has nothing at #%2").arg(key, QString::fromUtf8(QByteArray::fromPercentEncoding(fragment.toUtf8())));
            return std::nullopt;
        }
        if (const ContextId known = contextOf(doc, current))
            contextId = known;
    }
    index(doc, current, contextId, 0);
    return Located{NodeRef{doc, current}, contextOf(doc, current)};
}

Schema *SchemaCompiler::schemaFor(const SourceDocument *doc, NodeId node, ContextId parent)
{
    if (node >= doc->tree().nodeCount())
        return nullptr;
    if (const NodeState state = m_nodes.at(doc, node); state & kCompiled)
        return &m_schemas[(state & ~kCompiled) - 1];
    const NodeTree &tree = doc->tree();
    if (!tree.isObject(node) && tree.kind(node) != NodeKind::Bool)
        return nullptr;
    if (!isIndexed(doc, node))
        index(doc, node, parent ? parent : contextFor(doc, node, Dialect::Draft2020_12), 0);
    if (qint64(m_schemas.size()) >= m_limits.maxSchemaNodes) {
        problem(doc, node, QStringLiteral("schema too large: more than %1 subschemas").arg(m_limits.maxSchemaNodes));
        return nullptr;
    }
    const ContextId contextId = contextOf(doc, node);
    const Context &context = this->context(contextId);
    Schema &schema = m_schemas.emplace_back();
    schema.document = doc;
    schema.node = node;
    schema.dialect = context.dialect;
    schema.resource = context.resource;
    schema.vocabularies = context.vocabularies;
    m_schemaContexts.push_back(contextId);
    m_nodes.at(doc, node) = kCompiled | NodeState(m_schemas.size());
    m_pending.emplace_back(&schema, contextId);
    return &schema;
}

void SchemaCompiler::drain()
{
    // A work list rather than recursion: $ref chains may be as long as the document.
    for (;;) {
        while (!m_pending.empty()) {
            auto [schema, context] = m_pending.back();
            m_pending.pop_back();
            compileBody(*schema, context);
        }
        finishDynamicAnchors();
        if (m_pending.empty())
            return;
    }
}

void SchemaCompiler::finishDynamicAnchors()
{
    for (const DynamicAnchor &anchor : m_dynamicAnchors) {
        if (anchor.resource && !anchor.resource->dynamicAnchors.count(anchor.name)) {
            if (const Schema *schema = schemaFor(anchor.node.document, anchor.node.id, 0))
                anchor.resource->dynamicAnchors.emplace(anchor.name, schema);
        }
    }
}

const Schema *SchemaCompiler::compile(NodeRef node, Dialect dialect, QVector<SchemaProblem> *problems)
{
    if (!node.isValid())
        return nullptr;
    m_problems = problems;
    // Once per document: its URL costs more than compiling a schema seen before.
    if (m_compiledFrom.insert(node.document).second && !m_documents.contains(urlKey(node.document->url())))
        addDocument(node.document);
    if (!isIndexed(node.document, node.id))
        index(node.document, node.id, contextFor(node.document, node.id, dialect), 0);
    const Schema *schema = schemaFor(node.document, node.id, 0);
    drain();
    m_problems = nullptr;
    return schema;
}

const Schema *SchemaCompiler::compile(const QUrl &url, Dialect dialect, QVector<SchemaProblem> *problems)
{
    m_problems = problems;
    QString error;
    const std::optional<Located> located = locate(url, dialect, &error);
    const Schema *schema = nullptr;
    if (located) {
        schema = schemaFor(located->node.document, located->node.id, located->context);
        drain();
    } else if (problems) {
        problems->push_back({error, SourceLocation{url.toString(), 0, 0, QString()}});
    }
    m_problems = nullptr;
    return schema;
}

const Schema *SchemaCompiler::subschema(const Schema &parent, ContextId context, NodeId value, std::string_view keyword)
{
    const NodeTree &tree = parent.document->tree();
    if (!tree.isObject(value) && tree.kind(value) != NodeKind::Bool) {
        problem(parent.document, value, QStringLiteral("'%1' must hold a schema (an object or a boolean)").arg(qstr(keyword)));
        return nullptr;
    }
    return schemaFor(parent.document, value, context);
}

bool SchemaCompiler::readCount(const Schema &schema, std::string_view key, NodeId value, std::uint64_t *out)
{
    const std::optional<JsonNumber> n = schema.document->tree().kind(value) == NodeKind::Number
        ? JsonNumber::parse(schema.document->tree().text(value)) : std::nullopt;
    if (!n || n->negative || !n->isInteger() || n->digits.size() + std::size_t(n->exponent) > 18) {
        problem(schema.document, value, QStringLiteral("'%1' must be a non-negative integer").arg(qstr(key)));
        return false;
    }
    std::uint64_t v = n->digits.empty() ? 0 : std::stoull(n->digits);
    for (std::int64_t i = 0; i < n->exponent; ++i)
        v *= 10;
    *out = v;
    return true;
}

void SchemaCompiler::compileBody(Schema &schema, ContextId context)
{
    const NodeTree &tree = schema.document->tree();
    const NodeId node = schema.node;
    if (tree.kind(node) == NodeKind::Bool) {
        schema.alwaysFalse = !tree.boolValue(node, true);
        return;
    }
    // Compiled aside, then moved at their number: many members are no keywords
    // (description, example, x-…), and room for them cost more than the move.
    m_keywords.clear();
    const bool refOnly = isDraft4Family(schema.dialect) && tree.member(node, "$ref") != kNoNode;
    if (refOnly) {
        compileKeyword(schema, context, "$ref", tree.member(node, "$ref"));  // $ref overrides its siblings in draft 4
    } else {
        for (const Member *m = tree.membersBegin(node); m != tree.membersEnd(node); ++m) {
            const std::string_view key = m->key();
            if (mayBeKeyword(key) && tree.member(node, key) == m->value)  // a repeated key: the last one counts, once
                compileKeyword(schema, context, key, m->value);
        }
    }
    if (!refOnly && isOpenApiDialect(schema.dialect)) {
        const MemberValues<kOpenApiFields> fields(tree, node);
        schema.readOnly = tree.boolValue(fields[OReadOnly], false);
        schema.writeOnly = tree.boolValue(fields[OWriteOnly], false);
        if (schema.dialect == Dialect::OpenApi30 && tree.boolValue(fields[ONullable], false)) {
            for (Keyword &k : m_keywords) {
                if (k.kind == KeywordKind::Type)
                    k.types |= TypeNull;
            }
        }
        if (tree.isObject(fields[ODiscriminator]))
            compileDiscriminators(schema, fields[ODiscriminator]);
    }
    // unevaluated* see what everything else evaluated, so they come last.
    std::stable_partition(m_keywords.begin(), m_keywords.end(), [](const Keyword &k) {
        return k.kind != KeywordKind::UnevaluatedItems && k.kind != KeywordKind::UnevaluatedProperties;
    });
    int properties = -1, patternProperties = -1;
    for (std::size_t i = 0; i < m_keywords.size(); ++i) {
        const KeywordKind kind = m_keywords[i].kind;
        if (kind == KeywordKind::Properties)
            properties = int(i);
        else if (kind == KeywordKind::PatternProperties)
            patternProperties = int(i);
        else if (kind == KeywordKind::UnevaluatedItems || kind == KeywordKind::UnevaluatedProperties)
            schema.hasUnevaluated = true;
        else if (kind == KeywordKind::Type)
            schema.types = m_keywords[i].types;
        else if (kind == KeywordKind::Required && i <= std::size_t(INT16_MAX))
            schema.requiredIndex = std::int16_t(i);
    }
    for (Keyword &k : m_keywords) {
        if (k.kind == KeywordKind::AdditionalProperties) {
            k.propertiesIndex = properties;
            k.patternPropertiesIndex = patternProperties;
            // Its pass over the members finds the declared and patterned ones anyway.
            for (const int sibling : {properties, patternProperties}) {
                if (sibling >= 0)
                    m_keywords[std::size_t(sibling)].inAdditionalPass = true;
            }
        }
    }
    schema.keywords = m_keywordStore.place(m_keywords);
    if (schema.keywords.size() == 1 && schema.keywords.front().kind == KeywordKind::Ref)
        schema.refTarget = schema.keywords.front().schema;
    schema.typeOnly = schema.keywords.size() == 1 && schema.keywords.front().kind == KeywordKind::Type;
}

Keywords KeywordStore::place(std::vector<Keyword> &keywords)
{
    const std::size_t n = keywords.size();
    if (n == 0)
        return {};
    const Keyword &first = keywords.front();
    const bool typeOnly = n == 1 && first.kind == KeywordKind::Type && first.name == "type" && !first.detail && !first.byName;
    if (typeOnly && m_typeOnly[first.types])
        return Keywords(m_typeOnly[first.types], 1);
    if (m_room - m_used < n) {
        m_room = std::max(kBlock, n);
        m_blocks.push_back(std::make_unique<Keyword[]>(m_room));
        m_used = 0;
    }
    Keyword *placed = m_blocks.back().get() + m_used;
    std::move(keywords.begin(), keywords.end(), placed);
    m_used += n;
    if (typeOnly) {
        placed->name = "type";  // shared by schemas of any document, so not a view into one
        m_typeOnly[placed->types] = placed;
    }
    return Keywords(placed, n);
}

// OpenAPI's discriminator names the branch of anyOf/oneOf a value means to
// match; the validator uses it to report that branch's errors.
void SchemaCompiler::compileDiscriminators(Schema &schema, NodeId discriminator)
{
    const NodeTree &tree = schema.document->tree();
    const NodeId property = tree.member(discriminator, "propertyName");
    if (!tree.isString(property))
        return;
    const NodeId mapping = tree.member(discriminator, "mapping");
    auto lastSegment = [](std::string_view ref) {
        const std::size_t slash = ref.rfind('/');
        return slash == std::string_view::npos ? ref : ref.substr(slash + 1);
    };
    for (Keyword &k : m_keywords) {  // compileBody's, not yet placed
        if (k.kind != KeywordKind::AnyOf && k.kind != KeywordKind::OneOf)
            continue;
        k.details().discriminatorProperty = tree.text(property);
        for (std::size_t i = 0; i < k.schemas.size(); ++i) {
            const Schema *branch = k.schemas[i];
            if (!branch)
                continue;
            const std::string_view ref = tree.text(tree.member(branch->node, "$ref"));
            if (ref.empty())
                continue;
            k.details().discriminator.emplace_back(std::string(lastSegment(ref)), int(i));
            if (tree.isObject(mapping)) {
                for (const Member *m = tree.membersBegin(mapping); m != tree.membersEnd(mapping); ++m) {
                    const std::string_view target = tree.text(m->value);
                    if (target == ref || lastSegment(target) == lastSegment(ref))
                        k.details().discriminator.emplace_back(std::string(m->key()), int(i));
                }
            }
        }
    }
}

// A keyword added here is added to kKeywordNames too.
void SchemaCompiler::compileKeyword(Schema &schema, ContextId contextId, std::string_view key, NodeId value)
{
    const Context &context = this->context(contextId);
    const NodeTree &tree = schema.document->tree();
    const bool draft4 = isDraft4Family(schema.dialect);
    const bool validation = schema.vocabularies & VocabValidation;
    Keyword k{};
    k.name = key;
    auto add = [&](KeywordKind kind) {
        k.kind = kind;
        m_keywords.push_back(std::move(k));
    };
    auto single = [&](KeywordKind kind) {
        if ((k.schema = subschema(schema, contextId, value, key)))
            add(kind);
    };
    auto list = [&](KeywordKind kind) {
        if (!tree.isArray(value) || tree.node(value).count == 0) {
            problem(schema.document, value, QStringLiteral("'%1' must be a non-empty array of schemas").arg(qstr(key)));
            return;
        }
        for (const Member *m = tree.membersBegin(value); m != tree.membersEnd(value); ++m)
            k.schemas.push_back(subschema(schema, contextId, m->value, key));
        add(kind);
    };
    auto map = [&](KeywordKind kind) {
        if (!tree.isObject(value)) {
            problem(schema.document, value, QStringLiteral("'%1' must be an object of schemas").arg(qstr(key)));
            return;
        }
        std::vector<NamedSchema> &named = k.namedSchemas().named;
        for (const Member *m = tree.membersBegin(value); m != tree.membersEnd(value); ++m) {
            if (const Schema *sub = subschema(schema, contextId, m->value, key))
                named.push_back({m->key(), sub});
        }
        std::sort(named.begin(), named.end(), [](const NamedSchema &a, const NamedSchema &b) { return propertyOrder(a.name, b.name); });
        if (kind == KeywordKind::Properties)
            indexProperties(k);
        add(kind);
    };
    auto count = [&](KeywordKind kind) {
        if (validation && readCount(schema, key, value, &k.count))
            add(kind);
    };
    auto number = [&](KeywordKind kind, bool exclusive) {
        if (!validation)
            return;
        const std::optional<JsonNumber> n = tree.kind(value) == NodeKind::Number ? JsonNumber::parse(tree.text(value)) : std::nullopt;
        if (!n) {
            problem(schema.document, value, QStringLiteral("'%1' must be a number").arg(qstr(key)));
            return;
        }
        if (kind == KeywordKind::MultipleOf && (n->negative || n->isZero())) {
            problem(schema.document, value, QStringLiteral("'multipleOf' must be greater than 0"));
            return;
        }
        k.details().number = *n;
        k.exclusive = exclusive;
        add(kind);
    };
    // "name": ["other", …] of dependentRequired (draft 4: dependencies).
    auto addDependency = [&](const Member &m) {
        Dependency d{m.key(), {}};
        for (const Member *r = tree.membersBegin(m.value); r != tree.membersEnd(m.value); ++r)
            d.required.push_back(tree.text(r->value));
        k.details().dependencies.push_back(std::move(d));
    };
    auto reference = [&](KeywordKind kind) {
        if (!tree.isString(value)) {
            problem(schema.document, value, QStringLiteral("'%1' must be a string").arg(qstr(key)));
            return;
        }
        k.text = tree.text(value);
        // The same $ref in the same resource leads to the same schema, unless
        // it names an anchor (a later one of the same name replaces it).
        const std::size_t hash = k.text.find('#');
        const bool lasting = kind == KeywordKind::Ref && context.resource
            && (hash == std::string_view::npos || hash + 1 == k.text.size() || k.text[hash + 1] == '/');
        const RefKey refKey{context.resource, k.text};
        if (lasting) {
            if (const auto known = m_refTargets.find(refKey); known != m_refTargets.end()) {
                k.schema = known->second;
                return add(kind);
            }
        }
        const QUrl target = context.base.resolved(QUrl(qstr(k.text)));
        QString error;
        if (const std::optional<Located> located = locate(target, schema.dialect, &error)) {
            k.schema = schemaFor(located->node.document, located->node.id, located->context);
            if (k.schema && lasting)
                m_refTargets.emplace(refKey, k.schema);
            if (!k.schema)
                error = QStringLiteral("%1 is no schema").arg(target.toString());
            if (kind == KeywordKind::DynamicRef && target.hasFragment() && !target.fragment().startsWith(QLatin1Char('/'))) {
                const NodeTree &targetTree = located->node.document->tree();
                const std::string name = target.fragment(QUrl::FullyDecoded).toStdString();
                k.dynamicBookend = targetTree.text(targetTree.member(located->node.id, "$dynamicAnchor")) == name;
                m_readsDynamicAnchors = m_readsDynamicAnchors || k.dynamicBookend;
                if (k.dynamicBookend)
                    k.details().dynamicAnchor = name;
            }
        }
        if (!k.schema) {
            k.details().problem = QStringLiteral("unresolvable %1 '%2': %3").arg(qstr(key), qstr(k.text), error);
            problem(schema.document, value, k.detail->problem);
        }
        add(kind);
    };

    if (key == "$ref") return reference(KeywordKind::Ref);
    if (!draft4 && key == "$dynamicRef") return reference(KeywordKind::DynamicRef);
    if (key == "allOf") return list(KeywordKind::AllOf);
    if (key == "anyOf") return list(KeywordKind::AnyOf);
    if (key == "oneOf") return list(KeywordKind::OneOf);
    if (key == "not") return single(KeywordKind::Not);
    if (key == "properties") return map(KeywordKind::Properties);
    if (key == "additionalProperties") return single(KeywordKind::AdditionalProperties);
    if (key == "patternProperties") {
        if (!tree.isObject(value))
            return problem(schema.document, value, QStringLiteral("'patternProperties' must be an object of schemas"));
        std::vector<PatternSchema> &patterns = k.namedSchemas().patterns;  // an empty map too: evaluation reads it
        for (const Member *m = tree.membersBegin(value); m != tree.membersEnd(value); ++m) {
            EcmaRegex regex = compileRegex(m->key());
            if (!regex.error.isEmpty()) {
                problem(schema.document, m->value, QStringLiteral("'%1' is not an ECMA-262 regular expression: %2").arg(qstr(m->key()), regex.error));
                continue;
            }
            if (const Schema *sub = subschema(schema, contextId, m->value, key))
                patterns.push_back({m->key(), std::move(regex), sub});
        }
        return add(KeywordKind::PatternProperties);
    }
    if (key == "items") {
        if (draft4 && tree.isArray(value)) {
            for (const Member *m = tree.membersBegin(value); m != tree.membersEnd(value); ++m)
                k.schemas.push_back(subschema(schema, contextId, m->value, key));
            return add(KeywordKind::PrefixItems);
        }
        if (!draft4)
            k.count = tree.isArray(tree.member(schema.node, "prefixItems")) ? tree.node(tree.member(schema.node, "prefixItems")).count : 0;
        return single(KeywordKind::Items);
    }
    if (draft4 && key == "additionalItems") {
        const NodeId items = tree.member(schema.node, "items");
        if (!tree.isArray(items))
            return;  // applies only after an array of `items`
        k.count = tree.node(items).count;
        return single(KeywordKind::Items);
    }
    if (draft4 && key == "dependencies") {
        if (!tree.isObject(value))
            return problem(schema.document, value, QStringLiteral("'dependencies' must be an object"));
        Keyword schemas{};
        schemas.name = key;
        schemas.kind = KeywordKind::DependentSchemas;
        std::vector<NamedSchema> &named = schemas.namedSchemas().named;  // none too: evaluation reads them
        for (const Member *m = tree.membersBegin(value); m != tree.membersEnd(value); ++m) {
            if (tree.isArray(m->value)) {
                addDependency(*m);
            } else if (const Schema *sub = subschema(schema, contextId, m->value, key)) {
                named.push_back({m->key(), sub});
            }
        }
        m_keywords.push_back(std::move(schemas));
        k.details();  // evaluation reads its dependencies
        return add(KeywordKind::DependentRequired);
    }
    if (key == "type") {
        if (!validation)
            return;
        auto bit = [&](std::string_view name) -> std::uint8_t {
            static const std::pair<std::string_view, std::uint8_t> names[] = {
                {"null", TypeNull}, {"boolean", TypeBoolean}, {"object", TypeObject}, {"array", TypeArray},
                {"number", TypeNumber}, {"string", TypeString}, {"integer", TypeInteger}};
            for (const auto &[n, b] : names) {
                if (n == name)
                    return b;
            }
            if (name == "file" && schema.dialect == Dialect::Swagger20)
                return 0xFF;  // an uploaded or downloaded file: any content
            problem(schema.document, value, QStringLiteral("unknown type '%1'").arg(qstr(name)));
            return 0;
        };
        if (tree.isString(value)) {
            k.types = bit(tree.text(value));
        } else if (tree.isArray(value)) {
            for (const Member *m = tree.membersBegin(value); m != tree.membersEnd(value); ++m)
                k.types |= bit(tree.text(m->value));
        } else {
            return problem(schema.document, value, QStringLiteral("'type' must be a string or an array of strings"));
        }
        return add(KeywordKind::Type);
    }
    if (key == "enum" || (!draft4 && key == "const")) {
        if (!validation)
            return;
        k.details().valueTree = &tree;
        // Strings, the usual values, are compared without going through the tree.
        auto texts = [&] {
            const std::vector<NodeId> &values = k.detail->values;
            if (std::all_of(values.begin(), values.end(), [&](NodeId v) { return tree.isString(v); })) {
                for (const NodeId v : values)
                    k.strings.push_back(tree.text(v));
            }
        };
        if (key == "const") {
            k.detail->values.push_back(value);
            texts();
            return add(KeywordKind::Const);
        }
        if (!tree.isArray(value))
            return problem(schema.document, value, QStringLiteral("'enum' must be an array"));
        for (const Member *m = tree.membersBegin(value); m != tree.membersEnd(value); ++m)
            k.detail->values.push_back(m->value);
        texts();
        return add(KeywordKind::Enum);
    }
    if (key == "multipleOf") return number(KeywordKind::MultipleOf, false);
    if (key == "maximum") return number(KeywordKind::Maximum, draft4 && tree.boolValue(tree.member(schema.node, "exclusiveMaximum"), false));
    if (key == "minimum") return number(KeywordKind::Minimum, draft4 && tree.boolValue(tree.member(schema.node, "exclusiveMinimum"), false));
    if (!draft4 && key == "exclusiveMaximum") return number(KeywordKind::Maximum, true);
    if (!draft4 && key == "exclusiveMinimum") return number(KeywordKind::Minimum, true);
    if (key == "maxLength") return count(KeywordKind::MaxLength);
    if (key == "minLength") return count(KeywordKind::MinLength);
    if (key == "maxItems") return count(KeywordKind::MaxItems);
    if (key == "minItems") return count(KeywordKind::MinItems);
    if (key == "maxProperties") return count(KeywordKind::MaxProperties);
    if (key == "minProperties") return count(KeywordKind::MinProperties);
    if (key == "uniqueItems") {
        if (validation && tree.boolValue(value, false))
            add(KeywordKind::UniqueItems);
        return;
    }
    if (key == "pattern") {
        if (!validation)
            return;
        if (!tree.isString(value))
            return problem(schema.document, value, QStringLiteral("'pattern' must be a string"));
        EcmaRegex regex = compileRegex(tree.text(value));
        if (!regex.error.isEmpty())
            return problem(schema.document, value, QStringLiteral("'pattern' is not an ECMA-262 regular expression: %1").arg(regex.error));
        k.namedSchemas().patterns.push_back({tree.text(value), std::move(regex), nullptr});
        return add(KeywordKind::Pattern);
    }
    if (key == "format") {
        if (tree.isString(value)) {
            k.text = tree.text(value);
            add(KeywordKind::Format);
        }
        return;
    }
    if (key == "required") {
        if (!validation)
            return;
        if (!tree.isArray(value))
            return problem(schema.document, value, QStringLiteral("'required' must be an array of strings"));
        for (const Member *m = tree.membersBegin(value); m != tree.membersEnd(value); ++m)
            k.strings.push_back(tree.text(m->value));
        return add(KeywordKind::Required);
    }
    if (draft4)
        return;
    if (key == "prefixItems") return list(KeywordKind::PrefixItems);
    if (key == "contains") {
        k.count = 1;
        k.details();  // evaluation reads its maxContains
        const NodeId minContains = tree.member(schema.node, "minContains");
        const NodeId maxContains = tree.member(schema.node, "maxContains");
        if (validation && minContains != kNoNode)
            readCount(schema, "minContains", minContains, &k.count);
        if (validation && maxContains != kNoNode)
            readCount(schema, "maxContains", maxContains, &k.detail->maxContains);
        return single(KeywordKind::Contains);
    }
    if (key == "propertyNames") return single(KeywordKind::PropertyNames);
    if (key == "dependentSchemas") return map(KeywordKind::DependentSchemas);
    if (key == "dependentRequired") {
        if (!validation)
            return;
        if (!tree.isObject(value))
            return problem(schema.document, value, QStringLiteral("'dependentRequired' must be an object"));
        for (const Member *m = tree.membersBegin(value); m != tree.membersEnd(value); ++m) {
            addDependency(*m);
        }
        k.details();  // evaluation reads its dependencies
        return add(KeywordKind::DependentRequired);
    }
    if (key == "if") {
        const NodeId thenNode = tree.member(schema.node, "then");
        const NodeId elseNode = tree.member(schema.node, "else");
        k.schemas = {subschema(schema, contextId, value, key),
                     thenNode == kNoNode ? nullptr : subschema(schema, contextId, thenNode, "then"),
                     elseNode == kNoNode ? nullptr : subschema(schema, contextId, elseNode, "else")};
        if (k.schemas[0])
            add(KeywordKind::IfThenElse);
        return;
    }
    if (key == "unevaluatedItems") return single(KeywordKind::UnevaluatedItems);
    if (key == "unevaluatedProperties") return single(KeywordKind::UnevaluatedProperties);
}

} // namespace portolan::jsonschema
