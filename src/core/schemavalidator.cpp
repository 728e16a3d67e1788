#include "schemacompiler.h"

#include "ecmaregex.h"
#include "jsonpointer.h"
#include "schemaformats.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <type_traits>
#include <unordered_map>

namespace portolan::jsonschema {

namespace {

QString qstr(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

bool boolText(std::string_view text)
{
    return !text.empty() && (text[0] == 't' || text[0] == 'T');
}

// A value for a message: compact JSON, shortened.
void appendJson(const NodeTree &tree, NodeId id, QString &out, int budget)
{
    if (out.size() > budget) {
        out += QLatin1String("…");
        return;
    }
    switch (tree.kind(id)) {
    case NodeKind::Null: out += QLatin1String("null"); return;
    case NodeKind::Bool: out += boolText(tree.text(id)) ? QLatin1String("true") : QLatin1String("false"); return;
    case NodeKind::Number: out += qstr(tree.text(id)); return;
    case NodeKind::String: {
        QString s = qstr(tree.text(id));
        if (s.size() > 40)
            s = s.left(40) + QStringLiteral("…");
        out += QLatin1Char('"') + s + QLatin1Char('"');
        return;
    }
    case NodeKind::Array:
    case NodeKind::Object: {
        const bool object = tree.isObject(id);
        out += object ? QLatin1Char('{') : QLatin1Char('[');
        for (const Member *m = tree.membersBegin(id); m != tree.membersEnd(id); ++m) {
            if (m != tree.membersBegin(id))
                out += QLatin1Char(',');
            if (out.size() > budget) {
                out += QLatin1String("…");
                break;
            }
            if (object)
                out += QLatin1Char('"') + qstr(m->key()) + QLatin1String("\":");
            appendJson(tree, m->value, out, budget);
        }
        out += object ? QLatin1Char('}') : QLatin1Char(']');
        return;
    }
    }
}

QString shortJson(const NodeTree &tree, NodeId id)
{
    QString out;
    appendJson(tree, id, out, 60);
    return out;
}

QString typeName(const NodeTree &tree, NodeId id)
{
    switch (tree.kind(id)) {
    case NodeKind::Null: return QStringLiteral("null");
    case NodeKind::Bool: return QStringLiteral("boolean");
    case NodeKind::Number: return QStringLiteral("number");
    case NodeKind::String: return QStringLiteral("string");
    case NodeKind::Array: return QStringLiteral("array");
    case NodeKind::Object: return QStringLiteral("object");
    }
    return {};
}

QString typeNames(std::uint8_t types)
{
    static const std::pair<std::uint8_t, const char *> names[] = {
        {TypeObject, "object"}, {TypeArray, "array"}, {TypeString, "string"}, {TypeNumber, "number"},
        {TypeInteger, "integer"}, {TypeBoolean, "boolean"}, {TypeNull, "null"}};
    QStringList list;
    for (const auto &[bit, name] : names) {
        if (types & bit)
            list << QString::fromLatin1(name);
    }
    return list.size() == 1 ? list.front() : QStringLiteral("one of %1").arg(list.join(QLatin1String(", ")));
}

std::size_t codePoints(std::string_view s)
{
    std::size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// Stack the evaluator may use: a fraction of the 8 MB Linux gives threads.
constexpr std::uintptr_t kStackBudget = 2 * 1024 * 1024;

// A step in an instance or schema path: a key, or an index when `index` >= 0.
struct PathToken {
    std::string_view key;
    std::int64_t index = -1;
};

// An instance or schema path: steps are taken and taken back for every value
// evaluated, so its storage only grows, and a step is written in place, field
// by field. (Through std::vector, the out-of-line emplace_back was 5 % of a
// large check's instructions; a token built beside the path and copied in
// was read back whole just after being written in halves, a store the CPU
// cannot forward.)
class Path {
public:
    Q_ALWAYS_INLINE void push(std::string_view key, std::int64_t index)
    {
        if (m_size == m_tokens.size())
            grow();
        PathToken &token = m_tokens[m_size++];
        token.key = key;
        token.index = index;
    }
    void pop() { --m_size; }
    const PathToken *begin() const { return m_tokens.data(); }
    const PathToken *end() const { return m_tokens.data() + m_size; }

private:
    Q_NEVER_INLINE void grow() { m_tokens.resize(std::max<std::size_t>(32, m_tokens.size() * 2)); }

    std::vector<PathToken> m_tokens;
    std::size_t m_size = 0;
};

// Pointers are built as UTF-8 and converted once, rather than through a
// QString per token (jsonpointer::append): every error recorded spells three.
// Keys with non-ASCII bytes go through QString first, as append takes them
// (bytes that are not UTF-8 become U+FFFD each on its own, whatever follows).
void appendToken(std::string &out, std::string_view key)
{
    QByteArray converted;
    if (std::any_of(key.begin(), key.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
        converted = qstr(key).toUtf8();
        key = std::string_view(converted.constData(), std::size_t(converted.size()));
    }
    jsonpointer::appendEscaped(out, key);
}

// `path`, then `last` if given.
QString pointerOf(const Path &path, const std::string_view *last = nullptr)
{
    std::string out;
    for (const PathToken &t : path) {
        if (t.index >= 0) {
            out += '/';
            out += std::to_string(t.index);
        } else {
            appendToken(out, t.key);
        }
    }
    if (last)
        appendToken(out, *last);
    return QString::fromUtf8(out.data(), qsizetype(out.size()));
}

QString appended(const QString &pointer, std::string_view key)
{
    std::string token;
    appendToken(token, key);
    return pointer + QString::fromUtf8(token.data(), qsizetype(token.size()));
}

// Which members (properties or items) of the current value some keyword has
// evaluated: what unevaluatedProperties/unevaluatedItems look at.
struct Annotations {
    std::vector<bool> evaluated;
    void mark(std::size_t i, std::size_t size)
    {
        if (evaluated.size() < size)
            evaluated.resize(size);
        evaluated[i] = true;
    }
    void merge(const Annotations &other)
    {
        if (evaluated.size() < other.evaluated.size())
            evaluated.resize(other.evaluated.size());
        for (std::size_t i = 0; i < other.evaluated.size(); ++i) {
            if (other.evaluated[i])
                evaluated[i] = true;
        }
    }
    bool has(std::size_t i) const { return i < evaluated.size() && evaluated[i]; }
};

class Evaluator {
public:
    Evaluator(const NodeTree &tree, const ValidationOptions &options) : m_tree(&tree), m_options(options) {}

    ValidationResult run(const Schema &schema, NodeId instance)
    {
        ValidationResult result;
        m_root = &result.errors;
        m_errors = m_root;
        m_stackBase = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
        evaluate(schema, instance, nullptr);
        if (m_aborted) {
            result.incomplete = true;
            result.errors.push_back(m_abortError);
        }
        return result;
    }

private:
    // One step into the value or the schema, taken back when it goes out of scope.
    class PathStep {
    public:
        PathStep(Path &path, std::string_view key) : m_path(path) { path.push(key, -1); }
        PathStep(Path &path, std::size_t index) : m_path(path) { path.push({}, std::int64_t(index)); }
        ~PathStep() { m_path.pop(); }
        PathStep(const PathStep &) = delete;
        PathStep &operator=(const PathStep &) = delete;

    private:
        Path &m_path;
    };

    void abort(const QString &message)
    {
        if (m_aborted)
            return;
        m_aborted = true;
        m_abortError.message = message;
        m_abortError.instancePointer = pointerOf(m_instancePath);
        m_abortError.schemaPath = schemaPointer();
    }

    // The message is made only when errors are recorded: evaluations inside
    // anyOf, oneOf, not and if fail often, quietly, and making their messages
    // (a value's JSON, a list of allowed values) was most of their cost.
    template <typename MakeMessage, typename = std::enable_if_t<std::is_invocable_r_v<QString, MakeMessage>>>
    void fail(const Schema &schema, std::string_view keyword, NodeId instance, MakeMessage &&makeMessage)
    {
        if (m_errors)
            record(schema, keyword, instance, makeMessage());
    }

    void fail(const Schema &schema, std::string_view keyword, NodeId instance, const QString &message)
    {
        if (m_errors)
            record(schema, keyword, instance, message);
    }

    void record(const Schema &schema, std::string_view keyword, NodeId instance, const QString &message)
    {
        if (m_errors->size() >= m_options.maxErrors) {
            if (m_errors == m_root)
                abort(QStringLiteral("stopped after %1 errors").arg(m_options.maxErrors));
            return;
        }
        ValidationError e;
        e.message = m_propertyName.empty() ? message : QStringLiteral("property name '%1': %2").arg(qstr(m_propertyName), message);
        e.instancePointer = pointerOf(m_instancePath);
        e.instanceNode = m_propertyName.empty() ? instance : m_propertyNameNode;
        e.schemaPath = schemaPointer();
        const NodeTree &schemaTree = schema.document->tree();
        if (schema.document != m_urlDocument) {  // errors come by the hundred from few documents
            m_urlDocument = schema.document;
            m_url = schema.document->url().toString(QUrl::RemoveFragment);
        }
        e.schemaLocation = m_url + QLatin1Char('#')
            + (schemaTree.kind(schema.node) == NodeKind::Bool ? jsonpointer::pointerTo(schemaTree, schema.node)
                                                               : appended(jsonpointer::pointerTo(schemaTree, schema.node), keyword));
        e.keyword = qstr(keyword);
        m_errors->push_back(std::move(e));
    }

    // Evaluates without recording errors: for anyOf, oneOf, not, if, contains.
    bool quietly(const Schema &schema, NodeId instance, Annotations *annotations)
    {
        QVector<ValidationError> *saved = m_errors;
        m_errors = nullptr;
        const bool valid = evaluate(schema, instance, annotations);
        m_errors = saved;
        return valid;
    }

    // A value of the type a `type`-only schema names passes it. Most members
    // of a document meet such a schema (descriptions, names, flags), and an
    // evaluation's checks, steps and calls cost several times the test.
    // Numbers take the long way when only an integer passes.
    Q_ALWAYS_INLINE bool passesByType(const Schema &schema, NodeId value) const
    {
        if (!schema.typeOnly)
            return false;
        const NodeKind kind = m_tree->kind(value);
        return schema.types & (kind == NodeKind::Number ? std::uint8_t(TypeNumber) : typeBit(kind));
    }

    // A member's value (by key) or an item (by index) against a subschema.
    template <typename Token>
    Q_ALWAYS_INLINE bool evaluateChild(const Schema &schema, NodeId child, Token instanceToken)
    {
        if (passesByType(schema, child))
            return true;
        PathStep i(m_instancePath, instanceToken);
        return evaluate(schema, child, nullptr);
    }

    // The same, where `schemaToken` names the subschema within its keyword
    // (a property name, a pattern, an index), as the keyword has several.
    template <typename Token, typename SchemaToken>
    Q_ALWAYS_INLINE bool evaluateChild(const Schema &schema, NodeId child, Token instanceToken, SchemaToken schemaToken)
    {
        if (passesByType(schema, child))
            return true;
        PathStep i(m_instancePath, instanceToken);
        PathStep s(m_schemaPath, schemaToken);
        return evaluate(schema, child, nullptr);
    }

    bool evaluate(const Schema &schema, NodeId instance, Annotations *annotations)
    {
        if (m_aborted)
            return false;
        if (++m_steps > m_options.maxSteps) {
            abort(QStringLiteral("validation stopped after %1 steps (the step budget): the schema or the value is too large or too recursive").arg(m_options.maxSteps));
            return false;
        }
        if ((m_steps & 0x3FF) == 0 && m_options.cancelled && m_options.cancelled->load(std::memory_order_relaxed)) {
            abort(QStringLiteral("validation cancelled"));
            return false;
        }
        // The depth limit counts evaluations; this bounds the bytes they take,
        // whatever the build (sanitizers make frames several times larger).
        const auto frame = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
        if (m_stackBase > frame && m_stackBase - frame > kStackBudget) {
            abort(QStringLiteral("schema evaluation nested too deeply (%1 levels used the %2 KB stack budget)").arg(m_depth).arg(kStackBudget / 1024));
            return false;
        }
        if (m_depth >= m_options.maxDepth) {
            abort(QStringLiteral("schema evaluation nested deeper than %1 levels: a $ref cycle that never moves into the value?").arg(m_options.maxDepth));
            return false;
        }
        if (schema.alwaysFalse) {
            fail(schema, {}, instance, QStringLiteral("no value is allowed here (the schema is false)"));
            return false;
        }
        if (schema.keywords.empty())
            return true;
        ++m_depth;
        // A `$ref`-only schema (a quarter of a large document's evaluations)
        // goes to its target at once, naming the $ref in the schema path as
        // its keyword would, where its resource is the one being evaluated:
        // it would not have changed the dynamic scope.
        if (schema.refTarget && !m_scope.empty() && m_scope.back() == schema.resource) {
            PathStep ref(m_schemaPath, schema.keywords.front().name);
            const bool valid = evaluate(*schema.refTarget, instance, annotations);
            --m_depth;
            return valid;
        }
        const bool newScope = m_scope.empty() || m_scope.back() != schema.resource;
        if (newScope)
            m_scope.push_back(schema.resource);
        const bool valid = schema.hasUnevaluated ? keywordsNoting(schema, instance, annotations) : keywords(schema, instance, annotations);
        if (newScope)
            m_scope.pop_back();
        --m_depth;
        return valid && !m_aborted;
    }

    // The schema's keywords in order; without errors to record, up to the first that fails.
    bool keywords(const Schema &schema, NodeId instance, Annotations *annotations)
    {
        bool valid = true;
        for (const Keyword &k : schema.keywords) {
            if (k.inAdditionalPass)
                continue;
            const bool ok = keyword(schema, k, instance, annotations);
            valid = valid && ok;
            if ((!ok && !m_errors) || m_aborted)
                break;
        }
        return valid;
    }

    // The same for a schema with unevaluatedProperties or unevaluatedItems:
    // its keywords note what they evaluate in annotations of its own, which
    // go to `annotations` if it is valid. Apart, as few schemas need it and
    // evaluate() runs for every value.
    Q_NEVER_INLINE bool keywordsNoting(const Schema &schema, NodeId instance, Annotations *annotations)
    {
        Annotations own;
        const bool valid = keywords(schema, instance, &own);
        if (valid && annotations)
            annotations->merge(own);
        return valid;
    }

    bool keyword(const Schema &schema, const Keyword &k, NodeId instance, Annotations *annotations)
    {
        if (isAssertion(k.kind)) {
            // Assertions evaluate no subschema: their keyword ends the schema
            // path while they run, added only when a message needs it.
            m_assertion = &k.name;
            const bool ok = assertion(schema, k, instance);
            m_assertion = nullptr;
            return ok;
        }
        if (k.kind == KeywordKind::AdditionalProperties && (k.propertiesIndex >= 0 || k.patternPropertiesIndex >= 0))
            return memberPass(schema, k, instance, annotations);  // it names each member's keyword in the schema path
        PathStep path(m_schemaPath, k.name);
        return applicator(schema, k, instance, annotations);
    }

    QString schemaPointer() const
    {
        return pointerOf(m_schemaPath, m_assertion);
    }

    static bool isAssertion(KeywordKind kind)
    {
        switch (kind) {
        case KeywordKind::Const:
        case KeywordKind::DependentRequired:
        case KeywordKind::Enum:
        case KeywordKind::Format:
        case KeywordKind::MaxItems:
        case KeywordKind::MaxLength:
        case KeywordKind::MaxProperties:
        case KeywordKind::Maximum:
        case KeywordKind::MinItems:
        case KeywordKind::MinLength:
        case KeywordKind::MinProperties:
        case KeywordKind::Minimum:
        case KeywordKind::MultipleOf:
        case KeywordKind::Pattern:
        case KeywordKind::Required:
        case KeywordKind::Type:
        case KeywordKind::UniqueItems:
            return true;
        default:
            return false;
        }
    }

    // Keywords that only look at the value. Kept out of the recursion's stack
    // frames: their messages need many temporaries.
    Q_NEVER_INLINE bool assertion(const Schema &schema, const Keyword &k, NodeId instance)
    {
        const NodeTree &tree = *m_tree;
        const NodeKind kind = tree.kind(instance);
        (void)kind;
        switch (k.kind) {
        case KeywordKind::Type: {
            std::uint8_t bit = 0;
            switch (kind) {
            case NodeKind::Null: bit = TypeNull; break;
            case NodeKind::Bool: bit = TypeBoolean; break;
            case NodeKind::Object: bit = TypeObject; break;
            case NodeKind::Array: bit = TypeArray; break;
            case NodeKind::String: bit = TypeString; break;
            case NodeKind::Number: bit = TypeNumber | (isInteger(schema, tree.text(instance)) ? TypeInteger : 0); break;
            }
            if (k.types & bit)
                return true;
            fail(schema, k.name, instance, [&] { return QStringLiteral("expected %1, got %2").arg(typeNames(k.types), typeName(tree, instance)); });
            return false;
        }
        case KeywordKind::Enum:
        case KeywordKind::Const: {
            if (!k.strings.empty() && m_steps + qint64(k.strings.size()) <= m_options.maxSteps) {
                // What equal() would answer, counting the steps it would.
                const auto found = kind == NodeKind::String ? std::find(k.strings.begin(), k.strings.end(), tree.text(instance)) : k.strings.end();
                m_steps += qint64(found - k.strings.begin()) + (found != k.strings.end());
                if (found != k.strings.end())
                    return true;
            } else {
                for (NodeId v : k.detail->values) {
                    if (equal(*k.detail->valueTree, v, tree, instance))
                        return true;
                }
            }
            const KeywordDetail &detail = *k.detail;
            if (k.kind == KeywordKind::Const) {
                fail(schema, k.name, instance, [&] { return QStringLiteral("must be %1").arg(shortJson(*detail.valueTree, detail.values.front())); });
            } else {
                fail(schema, k.name, instance, [&] {
                    QStringList allowed;
                    for (std::size_t i = 0; i < detail.values.size() && i < 8; ++i)
                        allowed << shortJson(*detail.valueTree, detail.values[i]);
                    if (detail.values.size() > 8)
                        allowed << QStringLiteral("…");
                    return QStringLiteral("%1 is not one of the allowed values: %2").arg(shortJson(tree, instance), allowed.join(QLatin1String(", ")));
                });
            }
            return false;
        }
        case KeywordKind::MultipleOf: {
            if (kind != NodeKind::Number)
                return true;
            const std::optional<JsonNumber> n = JsonNumber::parse(tree.text(instance));
            if (!n || isMultipleOf(*n, k.detail->number))
                return true;
            fail(schema, k.name, instance, [&] { return QStringLiteral("%1 is not a multiple of %2").arg(qstr(tree.text(instance)), qstr(schema.document->tree().text(schema.document->tree().member(schema.node, k.name)))); });
            return false;
        }
        case KeywordKind::Maximum:
        case KeywordKind::Minimum: {
            if (kind != NodeKind::Number)
                return true;
            const int c = compareNumber(tree.text(instance), k.detail->number);
            const bool maximum = k.kind == KeywordKind::Maximum;
            const bool ok = maximum ? (k.exclusive ? c < 0 : c <= 0) : (k.exclusive ? c > 0 : c >= 0);
            if (ok)
                return true;
            fail(schema, k.name, instance, [&] {
                const QString limit = qstr(schema.document->tree().text(schema.document->tree().member(schema.node, k.name)));
                return QStringLiteral("%1 is %2 %3").arg(qstr(tree.text(instance)),
                    maximum ? (k.exclusive ? QStringLiteral("not less than") : QStringLiteral("greater than"))
                            : (k.exclusive ? QStringLiteral("not greater than") : QStringLiteral("less than")), limit);
            });
            return false;
        }
        case KeywordKind::MaxLength:
        case KeywordKind::MinLength: {
            if (kind != NodeKind::String)
                return true;
            const std::size_t length = codePoints(tree.text(instance));
            const bool max = k.kind == KeywordKind::MaxLength;
            if (max ? length <= k.count : length >= k.count)
                return true;
            fail(schema, k.name, instance, [&] { return QStringLiteral("string of %1 characters is %2 than %3").arg(length).arg(max ? QStringLiteral("longer") : QStringLiteral("shorter")).arg(k.count); });
            return false;
        }
        case KeywordKind::Pattern: {
            if (kind != NodeKind::String || ecmaSearch(k.byName->patterns.front().regex, tree.text(instance)))
                return true;
            fail(schema, k.name, instance, [&] { return QStringLiteral("%1 does not match the pattern %2").arg(shortJson(tree, instance), qstr(k.byName->patterns.front().pattern)); });
            return false;
        }
        case KeywordKind::Format: {
            if ((kind != NodeKind::String && kind != NodeKind::Number) || !(m_options.assertFormat || (schema.vocabularies & VocabFormatAssertion)))
                return true;
            const FormatCheck check = kind == NodeKind::String ? checkFormat(k.text, tree.text(instance))
                                                                : checkNumberFormat(k.text, tree.text(instance));
            if (check != FormatCheck::Invalid)
                return true;
            fail(schema, k.name, instance, [&] { return QStringLiteral("%1 is not a valid %2").arg(shortJson(tree, instance), qstr(k.text)); });
            return false;
        }
        case KeywordKind::MaxItems:
        case KeywordKind::MinItems:
        case KeywordKind::MaxProperties:
        case KeywordKind::MinProperties: {
            const bool items = k.kind == KeywordKind::MaxItems || k.kind == KeywordKind::MinItems;
            if (kind != (items ? NodeKind::Array : NodeKind::Object))
                return true;
            const std::uint64_t n = tree.node(instance).count;
            const bool max = k.kind == KeywordKind::MaxItems || k.kind == KeywordKind::MaxProperties;
            if (max ? n <= k.count : n >= k.count)
                return true;
            fail(schema, k.name, instance, [&] { return QStringLiteral("%1 has %2 %3, %4 %5 allowed").arg(items ? QStringLiteral("array") : QStringLiteral("object"))
                 .arg(n).arg(items ? QStringLiteral("items") : QStringLiteral("properties"))
                 .arg(max ? QStringLiteral("at most") : QStringLiteral("at least")).arg(k.count); });
            return false;
        }
        case KeywordKind::UniqueItems: return uniqueItems(schema, k, instance);
        case KeywordKind::Required: {
            if (kind != NodeKind::Object)
                return true;
            bool valid = true;
            for (std::string_view name : k.strings) {
                if (tree.member(instance, name) != kNoNode || exemptFromRequired(schema, name))
                    continue;
                fail(schema, k.name, instance, [&] { return QStringLiteral("required property '%1' is missing").arg(qstr(name)); });
                valid = false;
            }
            return valid;
        }
        case KeywordKind::DependentRequired: {
            if (kind != NodeKind::Object)
                return true;
            bool valid = true;
            for (const Dependency &d : k.detail->dependencies) {
                if (tree.member(instance, d.name) == kNoNode)
                    continue;
                for (std::string_view name : d.required) {
                    if (tree.member(instance, name) == kNoNode) {
                        fail(schema, k.name, instance, [&] { return QStringLiteral("property '%1' is required when '%2' is present").arg(qstr(name), qstr(d.name)); });
                        valid = false;
                    }
                }
            }
            return valid;
        }
        default:
            break;
        }
        return true;
    }

    // Keywords that apply subschemas: the recursion runs through here.
    bool applicator(const Schema &schema, const Keyword &k, NodeId instance, Annotations *annotations)
    {
        const NodeTree &tree = *m_tree;
        const NodeKind kind = tree.kind(instance);
        (void)kind;
        (void)annotations;
        switch (k.kind) {
        case KeywordKind::Ref:
        case KeywordKind::DynamicRef: {
            const Schema *target = k.schema;
            if (!target) {
                fail(schema, k.name, instance, k.detail->problem);
                return false;
            }
            if (k.dynamicBookend) {
                // The outermost resource of the dynamic scope with that $dynamicAnchor wins.
                for (const Resource *resource : m_scope) {
                    if (!resource)
                        continue;
                    const auto it = resource->dynamicAnchors.find(k.detail->dynamicAnchor);
                    if (it != resource->dynamicAnchors.end()) {
                        target = it->second;
                        break;
                    }
                }
            }
            return evaluate(*target, instance, annotations);
        }
        case KeywordKind::Items:
        case KeywordKind::PrefixItems: {
            if (kind != NodeKind::Array)
                return true;
            bool valid = true;
            const std::size_t n = tree.node(instance).count;
            const std::size_t begin = k.kind == KeywordKind::Items ? std::size_t(k.count) : 0;
            const std::size_t end = k.kind == KeywordKind::Items ? n : std::min(n, k.schemas.size());
            for (std::size_t i = begin; i < end && !m_aborted; ++i) {
                const Schema *sub = k.kind == KeywordKind::Items ? k.schema : k.schemas[i];
                if (sub && !(k.kind == KeywordKind::Items ? evaluateChild(*sub, tree.element(instance, i), i)
                                                          : evaluateChild(*sub, tree.element(instance, i), i, i))) {
                    valid = false;
                    if (!m_errors)
                        return false;
                }
                if (annotations)
                    annotations->mark(i, n);
            }
            return valid;
        }
        case KeywordKind::Contains: {
            if (kind != NodeKind::Array)
                return true;
            std::uint64_t matches = 0;
            const std::size_t n = tree.node(instance).count;
            for (std::size_t i = 0; i < n && !m_aborted; ++i) {
                PathStep item(m_instancePath, i);
                if (quietly(*k.schema, tree.element(instance, i), nullptr)) {
                    ++matches;
                    if (annotations)
                        annotations->mark(i, n);
                }
            }
            if (matches >= k.count && matches <= k.detail->maxContains)
                return true;
            if (matches < k.count)
                fail(schema, k.name, instance, [&] { return k.count == 1 ? QStringLiteral("no item matches the 'contains' schema")
                     : QStringLiteral("%1 items match the 'contains' schema, at least %2 must").arg(matches).arg(k.count); });
            else
                fail(schema, k.name, instance, [&] { return QStringLiteral("%1 items match the 'contains' schema, at most %2 may").arg(matches).arg(k.detail->maxContains); });
            return false;
        }
        case KeywordKind::Properties:
        case KeywordKind::PatternProperties:
        case KeywordKind::AdditionalProperties:
        case KeywordKind::UnevaluatedProperties:
            return properties(schema, k, instance, annotations);
        case KeywordKind::PropertyNames: {
            if (kind != NodeKind::Object)
                return true;
            bool valid = true;
            for (const Member *m = tree.membersBegin(instance); m != tree.membersEnd(instance) && !m_aborted; ++m) {
                // The key as a value of its own: a one-string tree that owns a copy of it.
                NodeTree names;
                names.finish(names.addScalar(NodeKind::String, 0, names.storeString(std::string(m->key()))));
                const NodeTree *saved = m_tree;
                m_tree = &names;
                m_propertyName = m->key();
                m_propertyNameNode = m->value;
                const bool ok = evaluate(*k.schema, names.root(), nullptr);
                m_propertyName = {};
                m_tree = saved;
                if (!ok) {
                    valid = false;
                    if (!m_errors)
                        return false;
                }
            }
            return valid;
        }
        case KeywordKind::DependentSchemas: {
            if (kind != NodeKind::Object)
                return true;
            bool valid = true;
            for (const NamedSchema &d : k.byName->named) {
                if (tree.member(instance, d.name) == kNoNode)
                    continue;
                PathStep name(m_schemaPath, d.name);
                if (!evaluate(*d.schema, instance, annotations)) {
                    valid = false;
                    if (!m_errors)
                        return false;
                }
            }
            return valid;
        }
        case KeywordKind::AllOf: {
            bool valid = true;
            for (std::size_t i = 0; i < k.schemas.size() && !m_aborted; ++i) {
                if (!k.schemas[i])
                    continue;
                PathStep index(m_schemaPath, i);
                if (!evaluate(*k.schemas[i], instance, annotations)) {
                    valid = false;
                    if (!m_errors)
                        return false;
                }
            }
            return valid;
        }
        case KeywordKind::AnyOf:
        case KeywordKind::OneOf: return alternatives(schema, k, instance, annotations);
        case KeywordKind::Not: {
            if (!quietly(*k.schema, instance, nullptr))
                return true;
            fail(schema, k.name, instance, QStringLiteral("must not match the schema in 'not'"));
            return false;
        }
        case KeywordKind::IfThenElse: {
            m_schemaPath.pop();
            Annotations condition;
            const bool matched = quietly(*k.schemas[0], instance, annotations ? &condition : nullptr);
            if (matched && annotations)
                annotations->merge(condition);
            const Schema *branch = k.schemas[matched ? 1 : 2];
            bool valid = true;
            if (branch) {
                PathStep name(m_schemaPath, matched ? std::string_view("then") : std::string_view("else"));
                valid = evaluate(*branch, instance, annotations);
            }
            m_schemaPath.push(k.name, -1);
            return valid;
        }
        case KeywordKind::UnevaluatedItems: {
            if (kind != NodeKind::Array)
                return true;
            bool valid = true;
            const std::size_t n = tree.node(instance).count;
            for (std::size_t i = 0; i < n && !m_aborted; ++i) {
                if (annotations && annotations->has(i))
                    continue;
                if (!evaluateChild(*k.schema, tree.element(instance, i), i)) {
                    valid = false;
                    if (!m_errors)
                        return false;
                }
                if (annotations)
                    annotations->mark(i, n);
            }
            return valid;
        }

        default:
            break;
        }
        return true;
    }

    bool isInteger(const Schema &schema, std::string_view text) const
    {
        if (text.find_first_of(".eE") == std::string_view::npos)
            return text.find_first_of("0123456789") != std::string_view::npos;
        if (schema.dialect == Dialect::Draft4 && text.find('.') != std::string_view::npos)
            return false;  // draft 4 counts 1.0 as a number, not an integer
        const std::optional<JsonNumber> n = JsonNumber::parse(text);
        return n && n->isInteger();
    }

    static int compareNumber(std::string_view text, const JsonNumber &limit)
    {
        double value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size()) {
            // Rounding to double keeps order, so unequal doubles decide.
            if (value < limit.approx)
                return -1;
            if (value > limit.approx)
                return 1;
        }
        const std::optional<JsonNumber> n = JsonNumber::parse(text);
        return n ? compare(*n, limit) : 0;
    }

    // OpenAPI: a required readOnly property need not be sent in a request,
    // nor a writeOnly one come back in a response.
    bool exemptFromRequired(const Schema &schema, std::string_view name) const
    {
        if (m_options.direction == Direction::Any)
            return false;
        const Schema *property = propertySchema(schema, name);
        return property && (m_options.direction == Direction::Request ? flag(property, &Schema::readOnly) : flag(property, &Schema::writeOnly));
    }

    static const Schema *propertySchema(const Schema &schema, std::string_view name)
    {
        for (const Keyword &k : schema.keywords) {
            if (k.kind == KeywordKind::Properties)
                return findProperty(k, name);
        }
        return nullptr;
    }

    // readOnly/writeOnly on a property's schema, or on what its $refs and allOf lead to.
    static bool flag(const Schema *schema, bool Schema::*which, int depth = 0)
    {
        if (!schema || depth > 16)
            return false;
        if (schema->*which)
            return true;
        for (const Keyword &k : schema->keywords) {
            if (k.kind == KeywordKind::Ref && flag(k.schema, which, depth + 1))
                return true;
            if (k.kind == KeywordKind::AllOf) {
                for (const Schema *s : k.schemas) {
                    if (flag(s, which, depth + 1))
                        return true;
                }
            }
        }
        return false;
    }

    // properties, patternProperties, additionalProperties and
    // unevaluatedProperties, each in a pass over the members (but see memberPass()).
    bool properties(const Schema &schema, const Keyword &k, NodeId instance, Annotations *annotations)
    {
        const NodeTree &tree = *m_tree;
        if (!tree.isObject(instance))
            return true;
        const std::size_t n = tree.node(instance).count;
        bool valid = true;
        std::size_t index = 0;
        for (const Member *m = tree.membersBegin(instance), *end = tree.membersEnd(instance); m != end && !m_aborted; ++m, ++index) {
            const std::string_view key = m->key();  // once: a key is unpacked from its member (see Member)
            bool ok = true;
            switch (k.kind) {
            case KeywordKind::Properties: {
                const Schema *sub = findProperty(k, key);
                if (!sub)
                    continue;
                ok = declaredProperty(schema, k, *sub, *m, key);
                break;
            }
            case KeywordKind::PatternProperties: {
                bool matched = false;
                ok = patternProperties(k, *m, key, matched);
                if (!matched)
                    continue;
                break;
            }
            case KeywordKind::AdditionalProperties:
                ok = otherProperty(schema, k, *m, key);
                break;
            default:  // UnevaluatedProperties
                if (annotations && annotations->has(index))
                    continue;
                ok = otherProperty(schema, k, *m, key);
                break;
            }
            if (!memberDone(ok, index, n, annotations, valid))
                return false;
        }
        return valid;
    }

    // additionalProperties with its sibling properties and patternProperties,
    // in one pass: each key is looked up once, where a pass per keyword looked
    // it up in each, and additionalProperties the declared ones again (most
    // objects of an OpenAPI document meet all three). Each member's
    // evaluation is under its own keyword's schema path, as in separate passes;
    // only the errors' order differs, by member rather than by keyword.
    bool memberPass(const Schema &schema, const Keyword &additional, NodeId instance, Annotations *annotations)
    {
        const NodeTree &tree = *m_tree;
        if (!tree.isObject(instance))
            return true;
        const Keyword *declared = additional.propertiesIndex >= 0 ? &schema.keywords[std::size_t(additional.propertiesIndex)] : nullptr;
        const Keyword *patterned = additional.patternPropertiesIndex >= 0 ? &schema.keywords[std::size_t(additional.patternPropertiesIndex)] : nullptr;
        const std::size_t n = tree.node(instance).count;
        bool valid = true;
        std::size_t index = 0;
        for (const Member *m = tree.membersBegin(instance), *end = tree.membersEnd(instance); m != end && !m_aborted; ++m, ++index) {
            const std::string_view key = m->key();
            bool ok = true;
            bool evaluated = false;
            if (const Schema *sub = declared ? findProperty(*declared, key) : nullptr) {
                PathStep path(m_schemaPath, declared->name);
                ok = declaredProperty(schema, *declared, *sub, *m, key);
                evaluated = true;
            }
            if (patterned) {
                PathStep path(m_schemaPath, patterned->name);
                bool matched = false;
                ok = patternProperties(*patterned, *m, key, matched) && ok;
                evaluated = evaluated || matched;
            }
            if (!evaluated) {
                PathStep path(m_schemaPath, additional.name);
                ok = otherProperty(schema, additional, *m, key);
            }
            if (!memberDone(ok, index, n, annotations, valid))
                return false;
        }
        return valid;
    }

    // After a member's evaluation by a pass over the members: notes it as
    // evaluated, and says whether the pass goes on (without errors to record,
    // the first failure ends it).
    Q_ALWAYS_INLINE bool memberDone(bool ok, std::size_t index, std::size_t members, Annotations *annotations, bool &valid)
    {
        if (annotations)
            annotations->mark(index, members);
        if (ok)
            return true;
        valid = false;
        return m_errors != nullptr;
    }

    // A member `properties` declares, against its schema; in a request or a
    // response, also against its readOnly or writeOnly.
    bool declaredProperty(const Schema &schema, const Keyword &k, const Schema &sub, const Member &m, std::string_view key)
    {
        bool ok = evaluateChild(sub, m.value, key, key);
        if (m_options.direction != Direction::Any) {
            const bool request = m_options.direction == Direction::Request;
            if (flag(&sub, request ? &Schema::readOnly : &Schema::writeOnly)) {
                PathStep at(m_instancePath, key);
                fail(schema, k.name, m.value, [&] { return request ? QStringLiteral("'%1' is read-only: it must not be sent in a request").arg(qstr(key))
                                                       : QStringLiteral("'%1' is write-only: it must not appear in a response").arg(qstr(key)); });
                ok = false;
            }
        }
        return ok;
    }

    // A member against every pattern of `patternProperties` its key matches; `matched` says whether one did.
    bool patternProperties(const Keyword &k, const Member &m, std::string_view key, bool &matched)
    {
        bool ok = true;
        for (const PatternSchema &p : k.byName->patterns) {
            if (!keyMatches(p.regex, key))
                continue;
            matched = true;
            ok = evaluateChild(*p.schema, m.value, key, std::string_view(p.pattern)) && ok;
        }
        return ok;
    }

    // A member no other keyword evaluated, against additionalProperties or unevaluatedProperties.
    bool otherProperty(const Schema &schema, const Keyword &k, const Member &m, std::string_view key)
    {
        if (!k.schema->alwaysFalse)
            return evaluateChild(*k.schema, m.value, key);
        PathStep at(m_instancePath, key);
        fail(schema, k.name, m.value, [&] {
            return k.kind == KeywordKind::UnevaluatedProperties ? QStringLiteral("property '%1' is not allowed (unevaluated)").arg(qstr(key))
                                                                : QStringLiteral("property '%1' is not allowed").arg(qstr(key));
        });
        return false;
    }

    // patternProperties, by pattern and key, remembered: keys repeat (every
    // response's "200"), and a pattern the regex engine must run costs
    // thousands of instructions a call. Bounded: past the limit, unremembered.
    bool keyMatches(const EcmaRegex &pattern, std::string_view key)
    {
        if (pattern.literalPrefix)
            return ecmaSearch(pattern, key);  // as cheap as a look-up
        auto &byKey = m_keyMatches[&pattern];
        if (const auto found = byKey.find(key); found != byKey.end())
            return found->second;
        const bool matches = ecmaSearch(pattern, key);
        if (m_keyMatchCount < kMaxKeyMatches) {
            byKey.emplace(key, matches);
            ++m_keyMatchCount;
        }
        return matches;
    }

    // Whether `branch`, or the schema its lone $ref leads to, fails on the
    // value for its type or a required property it lacks, whatever else it
    // holds. In an OpenAPI document most values meet `oneOf: [Schema,
    // Reference]`, and evaluating the branch that cannot match was a sixth
    // of the structure check.
    bool rejectsAtOnce(const Schema &branch, NodeId instance) const
    {
        const Schema *s = branch.refTarget ? branch.refTarget : &branch;
        const NodeTree &tree = *m_tree;
        const NodeKind kind = tree.kind(instance);
        // A number may be an integer: only a schema allowing neither rejects it here.
        const std::uint8_t bit = kind == NodeKind::Number ? (TypeNumber | TypeInteger) : typeBit(kind);
        if (!(s->types & bit))
            return true;
        if (kind != NodeKind::Object || s->requiredIndex < 0 || m_options.direction != Direction::Any)
            return false;  // in a request or response, readOnly/writeOnly may exempt a property
        const Keyword &required = s->keywords[std::size_t(s->requiredIndex)];
        return std::any_of(required.strings.begin(), required.strings.end(),
                           [&](std::string_view name) { return tree.member(instance, name) == kNoNode; });
    }

    static std::uint8_t typeBit(NodeKind kind)
    {
        switch (kind) {
        case NodeKind::Null: return TypeNull;
        case NodeKind::Bool: return TypeBoolean;
        case NodeKind::Object: return TypeObject;
        case NodeKind::Array: return TypeArray;
        case NodeKind::String: return TypeString;
        case NodeKind::Number: return TypeNumber;
        }
        return 0;
    }

    bool alternatives(const Schema &schema, const Keyword &k, NodeId instance, Annotations *annotations)
    {
        const bool oneOf = k.kind == KeywordKind::OneOf;
        // The first two matching branches: all a message names. Not a vector:
        // every oneOf of every value would allocate.
        std::size_t matching[2] = {};
        std::size_t matches = 0;
        for (std::size_t i = 0; i < k.schemas.size() && !m_aborted; ++i) {
            if (!k.schemas[i] || rejectsAtOnce(*k.schemas[i], instance))
                continue;
            PathStep index(m_schemaPath, i);
            Annotations branch;
            if (quietly(*k.schemas[i], instance, annotations ? &branch : nullptr)) {
                if (matches < 2)
                    matching[matches] = i;
                ++matches;
                if (annotations)
                    annotations->merge(branch);
                else if (!oneOf || matches > 1)
                    break;
            }
        }
        if (m_aborted)
            return false;
        if (matches == 1 || (!oneOf && matches > 0))
            return true;
        if (!m_errors)
            return false;
        if (matches > 0) {
            fail(schema, k.name, instance, QStringLiteral("matches alternatives %1 and %2 of oneOf; exactly one must match").arg(matching[0]).arg(matching[1]));
            return false;
        }
        reportClosestAlternative(schema, k, instance);
        return false;
    }

    // Which branch the value most likely meant: the one OpenAPI's
    // discriminator names, else the one failing least (a wrong type counts
    // as far off). Its errors follow the summary.
    void reportClosestAlternative(const Schema &schema, const Keyword &k, NodeId instance)
    {
        const NodeTree &tree = *m_tree;
        int chosen = -1;
        QString why;
        if (k.detail && !k.detail->discriminatorProperty.empty() && tree.isObject(instance)) {
            const std::string_view value = tree.text(tree.member(instance, k.detail->discriminatorProperty));
            for (const auto &[name, branch] : k.detail->discriminator) {
                if (name == value) {
                    chosen = branch;
                    break;
                }
            }
            if (chosen >= 0)
                why = QStringLiteral(" ('%1' is '%2')").arg(qstr(k.detail->discriminatorProperty), qstr(value));
        }
        std::vector<QVector<ValidationError>> branchErrors(k.schemas.size());
        if (chosen < 0) {
            std::size_t best = SIZE_MAX;
            const QString here = pointerOf(m_instancePath);
            for (std::size_t i = 0; i < k.schemas.size() && !m_aborted; ++i) {
                if (!k.schemas[i])
                    continue;
                branchErrors[i] = collect(*k.schemas[i], instance, i);
                std::size_t score = std::size_t(branchErrors[i].size());
                for (const ValidationError &e : branchErrors[i]) {
                    if (e.instancePointer == here && (e.keyword == QLatin1String("type") || e.keyword == QLatin1String("const") || e.keyword == QLatin1String("enum")))
                        score += 1000;
                }
                if (score < best) {
                    best = score;
                    chosen = int(i);
                }
            }
        } else {
            branchErrors[std::size_t(chosen)] = collect(*k.schemas[std::size_t(chosen)], instance, std::size_t(chosen));
        }
        fail(schema, k.name, instance, chosen < 0 ? QStringLiteral("matches none of the alternatives of %1").arg(qstr(k.name))
             : QStringLiteral("matches none of the %1 alternatives of %2; closest is #%3%4:").arg(k.schemas.size()).arg(qstr(k.name)).arg(chosen).arg(why));
        if (chosen < 0)
            return;
        for (ValidationError &e : branchErrors[std::size_t(chosen)]) {
            if (m_errors->size() >= m_options.maxErrors)
                break;
            m_errors->push_back(std::move(e));
        }
    }

    QVector<ValidationError> collect(const Schema &branch, NodeId instance, std::size_t index)
    {
        QVector<ValidationError> errors;
        QVector<ValidationError> *saved = m_errors;
        m_errors = &errors;
        PathStep path(m_schemaPath, index);
        evaluate(branch, instance, nullptr);
        m_errors = saved;
        return errors;
    }

    // JSON equality: numbers by value, objects regardless of member order.
    bool equal(const NodeTree &ta, NodeId a, const NodeTree &tb, NodeId b)
    {
        if (++m_steps > m_options.maxSteps) {
            abort(QStringLiteral("validation stopped after %1 steps (the step budget)").arg(m_options.maxSteps));
            return false;
        }
        const NodeKind kind = ta.kind(a);
        if (kind != tb.kind(b))
            return false;
        switch (kind) {
        case NodeKind::Null: return true;
        case NodeKind::Bool: return boolText(ta.text(a)) == boolText(tb.text(b));
        case NodeKind::String: return ta.text(a) == tb.text(b);
        case NodeKind::Number: {
            if (ta.text(a) == tb.text(b))
                return true;
            const std::optional<JsonNumber> x = JsonNumber::parse(ta.text(a)), y = JsonNumber::parse(tb.text(b));
            return x && y && compare(*x, *y) == 0;
        }
        case NodeKind::Array: {
            if (ta.node(a).count != tb.node(b).count)
                return false;
            for (std::uint32_t i = 0; i < ta.node(a).count; ++i) {
                if (!equal(ta, ta.element(a, i), tb, tb.element(b, i)))
                    return false;
            }
            return true;
        }
        case NodeKind::Object: {
            if (ta.node(a).count != tb.node(b).count)
                return false;
            for (const Member *m = ta.membersBegin(a); m != ta.membersEnd(a); ++m) {
                const NodeId other = tb.member(b, m->key());
                if (other == kNoNode || !equal(ta, m->value, tb, other))
                    return false;
            }
            return true;
        }
        }
        return false;
    }

    // A hash that agrees with equal(): equal values hash alike.
    std::size_t hash(NodeId id)
    {
        const NodeTree &tree = *m_tree;
        const std::hash<std::string_view> h;
        switch (tree.kind(id)) {
        case NodeKind::Null: return 1;
        case NodeKind::Bool: return boolText(tree.text(id)) ? 2 : 3;
        case NodeKind::String: return h(tree.text(id)) * 31 + 4;
        case NodeKind::Number: {
            const std::optional<JsonNumber> n = JsonNumber::parse(tree.text(id));
            return n ? h(n->digits) ^ std::size_t(n->exponent * 1000003) ^ (n->negative ? 7 : 5) : 5;
        }
        case NodeKind::Array: {
            std::size_t out = 6;
            for (const Member *m = tree.membersBegin(id); m != tree.membersEnd(id); ++m)
                out = out * 1000003 + hash(m->value);
            return out;
        }
        case NodeKind::Object: {
            std::size_t out = 8;
            for (const Member *m = tree.membersBegin(id); m != tree.membersEnd(id); ++m)
                out += (h(m->key()) * 31) ^ hash(m->value);  // order-independent
            return out;
        }
        }
        return 0;
    }

    bool uniqueItems(const Schema &schema, const Keyword &k, NodeId instance)
    {
        const NodeTree &tree = *m_tree;
        if (!tree.isArray(instance))
            return true;
        const std::uint32_t n = tree.node(instance).count;
        m_steps += n;
        auto duplicate = [&](std::uint32_t i, std::uint32_t j) {
            const auto [first, second] = std::minmax(i, j);
            fail(schema, k.name, instance, [&] { return QStringLiteral("items %1 and %2 are equal; items must be unique").arg(first).arg(second); });
            return false;
        };
        // Most arrays are short (an operation's parameters, a schema's
        // `required`): comparing pairs stops at each pair's first difference,
        // where hashing would read every item whole.
        if (n <= 16) {
            for (std::uint32_t i = 0; i < n && !m_aborted; ++i) {
                for (std::uint32_t j = i + 1; j < n && !m_aborted; ++j) {
                    if (equal(tree, tree.element(instance, i), tree, tree.element(instance, j)))
                        return duplicate(i, j);
                }
            }
            return !m_aborted;
        }
        std::vector<std::pair<std::size_t, std::uint32_t>> hashes;
        for (std::uint32_t i = 0; i < n; ++i)
            hashes.emplace_back(hash(tree.element(instance, i)), i);
        std::sort(hashes.begin(), hashes.end());
        for (std::size_t i = 0; i < hashes.size() && !m_aborted; ++i) {
            for (std::size_t j = i + 1; j < hashes.size() && hashes[j].first == hashes[i].first; ++j) {
                if (equal(tree, tree.element(instance, hashes[i].second), tree, tree.element(instance, hashes[j].second)))
                    return duplicate(hashes[i].second, hashes[j].second);
            }
        }
        return !m_aborted;
    }

    const NodeTree *m_tree;
    const ValidationOptions &m_options;
    Path m_instancePath;
    Path m_schemaPath;
    const std::string_view *m_assertion = nullptr;  // the assertion running, if any: see keyword()
    std::vector<const Resource *> m_scope;
    QVector<ValidationError> *m_root = nullptr;
    QVector<ValidationError> *m_errors = nullptr;  // null: only whether it is valid
    const SourceDocument *m_urlDocument = nullptr;  // whose URL m_url spells, for schemaLocation
    QString m_url;
    std::string_view m_propertyName;  // propertyNames: the key being validated
    NodeId m_propertyNameNode = kNoNode;
    qint64 m_steps = 0;
    int m_depth = 0;
    std::uintptr_t m_stackBase = 0;
    bool m_aborted = false;
    ValidationError m_abortError;
    static constexpr std::size_t kMaxKeyMatches = 65536;
    std::unordered_map<const EcmaRegex *, std::unordered_map<std::string_view, bool>> m_keyMatches;  // see keyMatches()
    std::size_t m_keyMatchCount = 0;
};

void addPositions(ValidationResult &result, const std::function<TextPosition(NodeId)> &position)
{
    for (ValidationError &e : result.errors) {
        if (e.instanceNode == kNoNode)
            continue;
        const TextPosition p = position(e.instanceNode);
        e.line = p.line;
        e.column = p.column;
    }
}

} // namespace

ValidationResult validate(const Schema &schema, NodeRef instance, const ValidationOptions &options)
{
    if (!instance.isValid())
        return {};
    ValidationResult result = Evaluator(instance.tree(), options).run(schema, instance.id);
    addPositions(result, [&](NodeId id) { return instance.document->position(id); });
    return result;
}

ValidationResult validate(const Schema &schema, const NodeTree &tree, NodeId instance, const ValidationOptions &options)
{
    ValidationResult result = Evaluator(tree, options).run(schema, instance);
    if (!result.errors.isEmpty()) {
        const LineIndex lines(tree.source());
        addPositions(result, [&](NodeId id) { return id < tree.nodeCount() ? lines.position(tree.node(id).offset) : TextPosition{}; });
    }
    return result;
}

} // namespace portolan::jsonschema
