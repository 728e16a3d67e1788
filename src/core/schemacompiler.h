#pragma once

#include "ecmaregex.h"
#include "jsonnumber.h"
#include "jsonschema.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

// The engine's inside: compiled schemas (Schema, Keyword) and the compiler
// that builds them. Only jsonschema*.cpp include this.
namespace portolan::jsonschema {

// A schema resource: a document root or a subschema with its own `$id`.
// $dynamicRef looks its $dynamicAnchors up along the dynamic scope.
struct Resource {
    QUrl url;
    std::unordered_map<std::string, const Schema *> dynamicAnchors;
};

enum TypeBit : std::uint8_t {
    TypeNull = 1, TypeBoolean = 2, TypeObject = 4, TypeArray = 8, TypeNumber = 16, TypeString = 32, TypeInteger = 64,
};

enum class KeywordKind : std::uint8_t {
    Ref, DynamicRef, Type, Enum, Const, MultipleOf, Maximum, Minimum, MaxLength, MinLength, Pattern, Format,
    Items, PrefixItems, Contains, MaxItems, MinItems, UniqueItems, MaxProperties, MinProperties, Required,
    Properties, PatternProperties, AdditionalProperties, PropertyNames, DependentRequired, DependentSchemas,
    AllOf, AnyOf, OneOf, Not, IfThenElse, UnevaluatedItems, UnevaluatedProperties,
};

struct PatternSchema {
    std::string_view pattern;
    EcmaRegex regex;
    const Schema *schema = nullptr;
};

struct NamedSchema {
    std::string_view name;
    const Schema *schema = nullptr;
};

struct Dependency {
    std::string_view name;
    std::vector<std::string_view> required;
};

// The subschemas a keyword gives by name or by pattern (properties,
// dependentSchemas, patternProperties), or the expression of `pattern`.
// Allocated for those keywords alone, as KeywordDetail is: they are few of a
// document's keywords, and their three lists made every keyword a third larger.
struct NamedSchemas {
    std::vector<NamedSchema> named;        // properties (in propertyOrder), dependentSchemas
    std::vector<std::int32_t> slots;       // properties: hash table of indexes into `named`, -1 empty
    std::vector<PatternSchema> patterns;   // patternProperties; pattern
};

// What only some keywords need, allocated for those alone: a schema has a
// keyword for most of its members, and memory touched costs page faults.
// DependentRequired, Enum, Const, MultipleOf, Maximum, Minimum and Contains
// always have one.
struct KeywordDetail {
    std::vector<Dependency> dependencies;  // dependentRequired
    std::vector<NodeId> values;            // enum, const (in valueTree)
    const NodeTree *valueTree = nullptr;
    JsonNumber number;                     // multipleOf, maximum, minimum
    std::uint64_t maxContains = UINT64_MAX;
    QString problem;                       // why a $ref leads nowhere
    std::string dynamicAnchor;             // DynamicRef with dynamicBookend
    std::vector<std::pair<std::string, int>> discriminator;  // AnyOf/OneOf: property value -> branch
    std::string_view discriminatorProperty;
};

// One keyword of a compiled schema; which fields matter depends on `kind`.
// Those evaluation reads for the common keywords are here, the rest in `detail`.
struct Keyword {
    KeywordKind kind;
    std::uint8_t types = 0;
    bool exclusive = false;                // Maximum/Minimum
    bool dynamicBookend = false;           // DynamicRef: the static target has the $dynamicAnchor named in detail
    // Properties, PatternProperties: evaluated in their sibling additionalProperties'
    // pass over the members (see the validator), not on their own.
    bool inAdditionalPass = false;
    int propertiesIndex = -1;              // AdditionalProperties: sibling keywords it excludes
    int patternPropertiesIndex = -1;
    std::string_view name;                 // as written, for schema paths
    const Schema *schema = nullptr;        // the one subschema; null for a $ref that leads nowhere
    std::uint64_t count = 0;               // max*/min*; items: first index; contains: minContains
    std::string_view text;                 // format name; $ref/$dynamicRef target
    std::vector<const Schema *> schemas;   // allOf/anyOf/oneOf/prefixItems; [if, then, else]
    std::vector<std::string_view> strings; // required; enum, const: the values' texts, if all are strings
    std::unique_ptr<NamedSchemas> byName;  // Properties, DependentSchemas, PatternProperties, Pattern
    std::unique_ptr<KeywordDetail> detail;

    NamedSchemas &namedSchemas()
    {
        if (!byName)
            byName = std::make_unique<NamedSchemas>();
        return *byName;
    }
    KeywordDetail &details()
    {
        if (!detail)
            detail = std::make_unique<KeywordDetail>();
        return *detail;
    }
};

// The order of `properties`: ordering by length first settles most
// comparisons without comparing bytes.
inline bool propertyOrder(std::string_view a, std::string_view b)
{
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// The first and the last sizeof(Word) bytes of a text at least that long,
// a word each (they overlap in shorter texts).
template <typename Word>
std::pair<Word, Word> endWords(std::string_view text)
{
    std::pair<Word, Word> words;
    std::memcpy(&words.first, text.data(), sizeof(Word));
    std::memcpy(&words.second, text.data() + text.size() - sizeof(Word), sizeof(Word));
    return words;
}

// Whether two property names are equal: for short names a call to memcmp
// cost more than the comparison.
inline bool keyEquals(std::string_view a, std::string_view b)
{
    const std::size_t n = a.size();
    if (n != b.size())
        return false;
    if (n >= 8)
        return endWords<std::uint64_t>(a) == endWords<std::uint64_t>(b) && (n <= 16 || std::memcmp(a.data() + 8, b.data() + 8, n - 16) == 0);
    if (n >= 4)
        return endWords<std::uint32_t>(a) == endWords<std::uint32_t>(b);
    for (std::size_t i = 0; i < n; ++i) {
        if (a[i] != b[i])
            return false;
    }
    return true;
}

// A hash of the first and last bytes and the length, read a word at a time:
// property names are short, and a loop over their bytes cost more than the
// comparisons it saved. Names that collide only cost probes (see below).
inline std::size_t propertyHash(std::string_view name)
{
    const char *p = name.data();
    const std::size_t n = name.size();
    std::uint64_t a = 0, b = 0;
    if (n >= 8) {
        std::memcpy(&a, p, 8);
        std::memcpy(&b, p + n - 8, 8);
    } else if (n >= 4) {
        std::uint32_t x, y;
        std::memcpy(&x, p, 4);
        std::memcpy(&y, p + n - 4, 4);
        a = x;
        b = y;
    } else if (n > 0) {
        a = static_cast<unsigned char>(p[0]) | std::uint64_t(static_cast<unsigned char>(p[n / 2])) << 8;
        b = static_cast<unsigned char>(p[n - 1]);
    }
    const std::uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ ((b + n) * 0xC2B2AE3D27D4EB4Full);
    return std::size_t(h ^ (h >> 32));
}

// A name's slot is found within this many probes of its hash, or it is looked
// up by binary search: names made to collide cost no more than that.
inline constexpr std::size_t kPropertyProbes = 8;

// Fills the slots of `properties` from its sorted names: every member of every
// validated object is looked up there, and hashing costs less than
// comparing the name with a binary search's worth of others.
void indexProperties(Keyword &properties);

// The subschema a `properties` keyword gives for `name`, or null. Always
// inline: the call cost a fifth of a look-up.
Q_ALWAYS_INLINE const Schema *findProperty(const Keyword &properties, std::string_view name)
{
    const std::vector<std::int32_t> &slots = properties.byName->slots;
    if (!slots.empty()) {
        const std::size_t mask = slots.size() - 1;
        const std::size_t h = propertyHash(name);
        for (std::size_t probe = 0; probe < kPropertyProbes; ++probe) {
            const std::int32_t i = slots[(h + probe) & mask];
            if (i < 0)
                return nullptr;
            if (keyEquals(properties.byName->named[std::size_t(i)].name, name))
                return properties.byName->named[std::size_t(i)].schema;
        }
    }
    const std::vector<NamedSchema> &named = properties.byName->named;
    const auto it = std::lower_bound(named.begin(), named.end(), name,
                                     [](const NamedSchema &n, std::string_view v) { return propertyOrder(n.name, v); });
    return it != named.end() && it->name == name ? it->schema : nullptr;
}

enum Vocabulary : std::uint8_t { VocabValidation = 1, VocabFormatAssertion = 2 };

// A schema's keywords, in storage its compiler owns (see KeywordStore).
class Keywords {
public:
    Keywords() = default;
    Keywords(const Keyword *data, std::size_t size) : m_data(data), m_size(size) {}
    const Keyword *begin() const { return m_data; }
    const Keyword *end() const { return m_data + m_size; }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const Keyword &front() const { return *m_data; }
    const Keyword &operator[](std::size_t i) const { return m_data[i]; }

private:
    const Keyword *m_data = nullptr;
    std::size_t m_size = 0;
};

class Schema {
public:
    const SourceDocument *document = nullptr;
    NodeId node = kNoNode;
    const Resource *resource = nullptr;
    Dialect dialect = Dialect::Draft2020_12;
    bool alwaysFalse = false;        // `false`, or a schema the compiler gave up on
    bool hasUnevaluated = false;     // needs annotations from its in-place applicators
    bool readOnly = false;
    bool writeOnly = false;
    std::uint8_t vocabularies = VocabValidation;
    // What a value must be for this schema's own `type` and `required` to
    // pass (all types, and no keyword, when it has none): the validator
    // passes over alternatives a value cannot match without evaluating them.
    std::uint8_t types = 0x7F;
    std::int16_t requiredIndex = -1;  // in keywords
    // Its one keyword is `type`: the validator passes a value of that type
    // without evaluating it (see Evaluator::passesByType()).
    bool typeOnly = false;
    // Its one keyword is a `$ref` that leads somewhere: where (see Evaluator::evaluate()).
    const Schema *refTarget = nullptr;
    Keywords keywords;
};

// Where a compiler's schemas keep their keywords: a few large blocks rather
// than an allocation per schema. Thousands of the 13,000 schemas compiled for
// GitHub's examples are `type` and nothing else; those of one type share a keyword.
class KeywordStore {
public:
    // Moves `keywords` into the store.
    Keywords place(std::vector<Keyword> &keywords);

private:
    static constexpr std::size_t kBlock = 512;
    std::vector<std::unique_ptr<Keyword[]>> m_blocks;
    std::size_t m_used = 0;  // of the last block
    std::size_t m_room = 0;  // the last block's size
    std::array<const Keyword *, 256> m_typeOnly{};  // by Keyword::types
};

bool isDraft4Family(Dialect dialect);
bool isOpenApiDialect(Dialect dialect);

class SchemaCompiler {
public:
    explicit SchemaCompiler(CompileLimits limits);

    void setRetriever(Retriever retriever) { m_retriever = std::move(retriever); }
    void addDocument(const SourceDocument *document);
    const SourceDocument *addOwnedDocument(std::unique_ptr<SourceDocument> document);
    const Schema *compile(NodeRef node, Dialect dialect, QVector<SchemaProblem> *problems);
    const Schema *compile(const QUrl &url, Dialect dialect, QVector<SchemaProblem> *problems);
    bool readsDynamicAnchors() const { return m_readsDynamicAnchors; }

private:
    struct RefKey {
        const Resource *resource;
        std::string_view ref;
        bool operator==(const RefKey &o) const { return resource == o.resource && ref == o.ref; }
    };
    struct RefKeyHash {
        std::size_t operator()(const RefKey &k) const { return std::hash<const void *>()(k.resource) ^ TextHash()(k.ref); }
    };
    // What the index knows of a schema position: its base URI, dialect and resource.
    struct Context {
        QUrl base;
        Dialect dialect = Dialect::Draft2020_12;
        std::uint8_t vocabularies = VocabValidation;
        Resource *resource = nullptr;
    };
    // A context by its place in m_contexts, plus one: 0 is none. Nodes that
    // change nothing of their parent's context share its entry.
    using ContextId = std::uint32_t;
    struct Located {
        NodeRef node;
        ContextId context = 0;
    };
    // What is known of a node: nothing (0), the context it was indexed in,
    // or once it is compiled, kCompiled and its schema's place in m_schemas,
    // plus one (its context is then in m_schemaContexts).
    using NodeState = std::uint32_t;
    static constexpr NodeState kCompiled = NodeState(1) << 31;
    // The NodeState of each node of each document, in an array per
    // document: every schema position is looked up, many of them several
    // times, and even QHash's look-ups were a third of compiling GitHub's
    // examples. The arrays are zeroed pages of their own, which stay
    // untouched for nodes never looked up (calloc took them from the heap
    // whenever it had the room, and wrote zeros over all of them).
    class NodeStates {
    public:
        NodeState &at(const SourceDocument *doc, NodeId node);  // `node` must be one of `doc`

    private:
        struct Unmap {
            std::size_t bytes = 0;
            void operator()(NodeState *p) const;
        };
        std::unordered_map<const SourceDocument *, std::unique_ptr<NodeState[], Unmap>> m_byDocument;
        const SourceDocument *m_lastDocument = nullptr;  // most look-ups are in the document of the one before
        NodeState *m_last = nullptr;
    };

    const Context &context(ContextId id) const { return m_contexts[id - 1]; }
    ContextId addContext(Context context);
    ContextId contextOf(const SourceDocument *doc, NodeId node)
    {
        const NodeState state = m_nodes.at(doc, node);
        return state & kCompiled ? m_schemaContexts[(state & ~kCompiled) - 1] : state;
    }
    bool isIndexed(const SourceDocument *doc, NodeId node) { return m_nodes.at(doc, node) != 0; }
    void index(const SourceDocument *doc, NodeId node, ContextId context, int depth);
    void indexChildren(const SourceDocument *doc, NodeId node, ContextId context, int depth);
    ContextId contextFor(const SourceDocument *doc, NodeId node, Dialect dialect);
    EcmaRegex compileRegex(std::string_view pattern);
    Context applySchemaKeyword(const SourceDocument *doc, NodeId node, Context context);
    Resource *resourceFor(const QUrl &url, const SourceDocument *doc, NodeId node, const Context &from);
    const SourceDocument *documentFor(const QUrl &documentUrl, QString *error);
    std::optional<Located> locate(const QUrl &url, Dialect dialect, QString *error);

    Schema *schemaFor(const SourceDocument *doc, NodeId node, ContextId parent);
    void drain();
    void compileBody(Schema &schema, ContextId context);
    void compileKeyword(Schema &schema, ContextId context, std::string_view key, NodeId value);
    void compileDiscriminators(Schema &schema, NodeId discriminator);
    const Schema *subschema(const Schema &parent, ContextId context, NodeId value, std::string_view keyword);
    bool readCount(const Schema &schema, std::string_view key, NodeId value, std::uint64_t *out);
    void problem(const SourceDocument *doc, NodeId node, const QString &message);
    void finishDynamicAnchors();

    CompileLimits m_limits;
    Retriever m_retriever;
    std::vector<std::unique_ptr<SourceDocument>> m_ownedDocuments;
    QHash<QString, const SourceDocument *> m_documents;   // by URL without fragment
    QHash<QString, Located> m_resources;                  // $id and document URLs
    QHash<QString, Located> m_anchors;                    // "url#name"
    std::deque<Resource> m_resourceStore;
    std::vector<Keyword> m_keywords;                      // compileBody's, before they move into m_keywordStore
    KeywordStore m_keywordStore;
    std::deque<Context> m_contexts;  // see ContextId
    NodeStates m_nodes;
    std::vector<ContextId> m_schemaContexts;  // of m_schemas' schemas, in their order
    struct DocumentRoot {
        QUrl base;
        Resource *resource = nullptr;
    };
    std::unordered_map<const SourceDocument *, DocumentRoot> m_documentRoots;  // see contextFor()
    std::unordered_set<const SourceDocument *> m_compiledFrom;  // documents compile(NodeRef) has seen
    std::unordered_map<std::string_view, EcmaRegex, TextHash> m_regexes;  // by pattern, see compileRegex()
    std::unordered_map<RefKey, const Schema *, RefKeyHash> m_refTargets;  // $refs resolved before: their QUrls cost more than compiling
    std::deque<Schema> m_schemas;
    std::vector<std::pair<Schema *, ContextId>> m_pending;
    struct DynamicAnchor {
        Resource *resource;
        std::string name;
        NodeRef node;
    };
    std::vector<DynamicAnchor> m_dynamicAnchors;
    int m_retrievals = 0;
    bool m_readsDynamicAnchors = false;  // a Keyword with dynamicBookend was compiled
    QVector<SchemaProblem> *m_problems = nullptr;
};

} // namespace portolan::jsonschema
