#include "examplegenerator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace portolan::http {

namespace {
constexpr int kMaxDepth = 12;  // deep enough for real APIs, bounded for hostile ones

QString firstNonNullType(NodeRef type)
{
    if (type.kind() == NodeKind::String)
        return type.string();
    if (type.kind() == NodeKind::Array) {
        const NodeTree &tree = type.tree();
        for (const Member *m = tree.membersBegin(type.id); m != tree.membersEnd(type.id); ++m) {
            const QString t = NodeRef{type.document, m->value}.string();
            if (t != QLatin1String("null"))
                return t;
        }
    }
    return {};
}

QList<NodeRef> elements(NodeRef array)
{
    QList<NodeRef> out;
    if (array.kind() != NodeKind::Array)
        return out;
    const NodeTree &tree = array.tree();
    for (const Member *m = tree.membersBegin(array.id); m != tree.membersEnd(array.id); ++m)
        out.append({array.document, m->value});
    return out;
}

QJsonValue stringExample(const QString &format)
{
    if (format == QLatin1String("date-time"))
        return QStringLiteral("2024-01-01T12:00:00Z");
    if (format == QLatin1String("date"))
        return QStringLiteral("2024-01-01");
    if (format == QLatin1String("email"))
        return QStringLiteral("user@example.com");
    if (format == QLatin1String("uuid"))
        return QStringLiteral("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    if (format == QLatin1String("uri") || format == QLatin1String("url"))
        return QStringLiteral("https://example.com");
    if (format == QLatin1String("byte"))
        return QStringLiteral("U3dhZ2dlciByb2Nrcw==");
    return QStringLiteral("string");
}

// A value of the parsed document, its object members in document order ($refs are not followed).
ExampleValue nodeToExample(NodeRef node)
{
    if (!node.isValid())
        return {};
    const NodeTree &tree = node.tree();
    switch (node.kind()) {
    case NodeKind::Null:
        return QJsonValue(QJsonValue::Null);
    case NodeKind::Bool:
        return QJsonValue(tree.boolValue(node.id, false));
    case NodeKind::Number:
        return QJsonValue(node.string().toDouble());
    case NodeKind::String:
        return QJsonValue(node.string());
    case NodeKind::Array: {
        ExampleValue array = ExampleValue::array();
        for (const Member *m = tree.membersBegin(node.id); m != tree.membersEnd(node.id); ++m)
            array.append(nodeToExample({node.document, m->value}));
        return array;
    }
    case NodeKind::Object: {
        ExampleValue object = ExampleValue::object();
        for (const Member *m = tree.membersBegin(node.id); m != tree.membersEnd(node.id); ++m)
            object.insert(QString::fromUtf8(m->key().data(), qsizetype(m->key().size())), nodeToExample({node.document, m->value}));
        return object;
    }
    }
    return {};
}

} // namespace

ExampleValue::ExampleValue(const QJsonValue &scalar) : m_scalar(scalar) {}

ExampleValue ExampleValue::array()
{
    ExampleValue value;
    value.m_kind = Kind::Array;
    return value;
}

ExampleValue ExampleValue::object()
{
    ExampleValue value;
    value.m_kind = Kind::Object;
    return value;
}

void ExampleValue::append(const ExampleValue &item)
{
    m_children.push_back(item);
}

void ExampleValue::merge(const ExampleValue &other)
{
    for (qsizetype i = 0; i < other.m_keys.size(); ++i)
        insert(other.m_keys[i], other.m_children[size_t(i)]);
}

void ExampleValue::insert(const QString &key, const ExampleValue &value)
{
    const qsizetype index = m_keys.indexOf(key);
    if (index >= 0) {
        m_children[size_t(index)] = value;
        return;
    }
    m_keys.append(key);
    m_children.push_back(value);
}

QJsonValue ExampleValue::toJson() const
{
    switch (m_kind) {
    case Kind::Scalar:
        return m_scalar;
    case Kind::Array: {
        QJsonArray array;
        for (const ExampleValue &item : m_children)
            array.append(item.toJson());
        return array;
    }
    case Kind::Object: {
        QJsonObject object;
        for (qsizetype i = 0; i < m_keys.size(); ++i)
            object.insert(m_keys[i], m_children[size_t(i)].toJson());
        return object;
    }
    }
    return {};
}

QByteArray ExampleValue::toText(bool indented) const
{
    QByteArray out;
    write(out, indented, 0);
    if (indented)
        out += '\n';
    return out;
}

void ExampleValue::write(QByteArray &out, bool indented, int level) const
{
    if (m_kind == Kind::Scalar) {
        // QJsonDocument writes scalars only inside a container: write one and unwrap it.
        const QByteArray wrapped = QJsonDocument(QJsonArray{isUndefined() ? QJsonValue(QJsonValue::Null) : m_scalar})
                                       .toJson(QJsonDocument::Compact);
        out += wrapped.mid(1, wrapped.size() - 2);
        return;
    }
    const bool isObj = m_kind == Kind::Object;
    out += isObj ? '{' : '[';
    if (m_children.empty()) {
        out += isObj ? '}' : ']';
        return;
    }
    const QByteArray inner = indented ? QByteArray(4 * (level + 1), ' ') : QByteArray();
    for (size_t i = 0; i < m_children.size(); ++i) {
        out += i ? (indented ? ",\n" : ",") : (indented ? "\n" : "");
        out += inner;
        if (isObj) {
            ExampleValue(QJsonValue(m_keys[qsizetype(i)])).write(out, indented, level + 1);
            out += indented ? ": " : ":";
        }
        m_children[i].write(out, indented, level + 1);
    }
    if (indented)
        out += '\n' + QByteArray(4 * level, ' ');
    out += isObj ? '}' : ']';
}

QString schemaType(const ReferenceResolver &resolver, NodeRef schema)
{
    const NodeRef resolved = resolver.resolve(schema);
    if (!resolved.isValid())
        return {};
    QString type = firstNonNullType(resolved.member("type"));
    if (!type.isEmpty())
        return type;
    for (const char *combiner : {"allOf", "oneOf", "anyOf"}) {
        for (const NodeRef &part : elements(resolved.member(combiner))) {
            type = schemaType(resolver, part);
            if (!type.isEmpty())
                return type;
        }
    }
    if (resolved.member("properties").isValid())
        return QStringLiteral("object");
    if (resolved.member("items").isValid())
        return QStringLiteral("array");
    return {};
}

namespace {
void collectPropertyNames(const ReferenceResolver &resolver, NodeRef schema, QList<NodeRef> &seen, QStringList &names)
{
    const NodeRef node = resolver.resolve(schema);
    if (!node.isValid() || seen.contains(node))
        return;  // broken, or an allOf cycle
    seen.append(node);
    for (const NodeRef &part : elements(node.member("allOf")))
        collectPropertyNames(resolver, part, seen, names);
    const NodeRef properties = node.member("properties");
    if (properties.kind() != NodeKind::Object)
        return;
    const NodeTree &tree = properties.tree();
    for (const Member *m = tree.membersBegin(properties.id); m != tree.membersEnd(properties.id); ++m) {
        const QString name = QString::fromUtf8(m->key().data(), qsizetype(m->key().size()));
        if (!names.contains(name))
            names.append(name);
    }
}
} // namespace

QStringList propertyOrder(const ReferenceResolver &resolver, NodeRef schema)
{
    QStringList names;
    QList<NodeRef> seen;
    collectPropertyNames(resolver, schema, seen, names);
    return names;
}

ExampleGenerator::ExampleGenerator(const ApiDocument &document) : m_resolver(document.documents) {}

ExampleValue ExampleGenerator::firstExample(NodeRef example, NodeRef examples)
{
    if (example.isValid())
        return nodeToExample(example);
    if (examples.kind() == NodeKind::Object) {
        const NodeTree &tree = examples.tree();
        const Member *first = tree.membersBegin(examples.id);
        if (first != tree.membersEnd(examples.id)) {
            const NodeRef value = NodeRef{examples.document, first->value}.member("value");
            if (value.isValid())
                return nodeToExample(value);
        }
    }
    if (examples.kind() == NodeKind::Array) {  // JSON Schema `examples`
        const QList<NodeRef> list = elements(examples);
        if (!list.isEmpty())
            return nodeToExample(list.first());
    }
    return {};
}

ExampleValue ExampleGenerator::forMediaType(const MediaType &mediaType) const
{
    const ExampleValue given = firstExample(mediaType.example, mediaType.examples);
    return given.isUndefined() ? forSchema(mediaType.schema) : given;
}

ExampleValue ExampleGenerator::forParameter(const Parameter &parameter) const
{
    const ExampleValue given = firstExample(parameter.example, parameter.examples);
    return given.isUndefined() ? forSchema(parameter.schema) : given;
}

ExampleValue ExampleGenerator::forSchema(NodeRef schema) const
{
    QList<NodeRef> path;
    const ExampleValue value = build(schema, path, 0);
    return value.isUndefined() ? ExampleValue(QJsonValue(QJsonValue::Null)) : value;
}

void ExampleGenerator::addProperties(NodeRef schema, QList<NodeRef> &path, int depth, ExampleValue &object) const
{
    const NodeRef properties = schema.member("properties");
    if (properties.kind() != NodeKind::Object)
        return;
    const NodeTree &tree = properties.tree();
    for (const Member *m = tree.membersBegin(properties.id); m != tree.membersEnd(properties.id); ++m) {
        const NodeRef property = m_resolver.resolve({properties.document, m->value});
        if (property.isValid() && property.member("readOnly").text() == "true")
            continue;  // the server fills these in; sending them is wrong
        const ExampleValue v = build({properties.document, m->value}, path, depth + 1);
        if (!v.isUndefined())
            object.insert(QString::fromUtf8(m->key().data(), qsizetype(m->key().size())), v);
    }
}

ExampleValue ExampleGenerator::build(NodeRef schema, QList<NodeRef> &path, int depth) const
{
    const NodeRef node = m_resolver.resolve(schema);
    if (!node.isValid() || depth > kMaxDepth || path.contains(node))
        return {};  // broken or cyclic: cut here
    path.append(node);
    struct Pop { QList<NodeRef> &p; ~Pop() { p.removeLast(); } } pop{path};

    for (const char *key : {"example", "default", "const"}) {
        if (node.member(key).isValid())
            return nodeToExample(node.member(key));
    }
    const ExampleValue listed = firstExample({}, node.member("examples"));
    if (!listed.isUndefined())
        return listed;
    const QList<NodeRef> enumValues = elements(node.member("enum"));
    if (!enumValues.isEmpty())
        return nodeToExample(enumValues.first());

    const QList<NodeRef> allOf = elements(node.member("allOf"));
    if (!allOf.isEmpty()) {
        ExampleValue merged = ExampleValue::object();
        ExampleValue last;
        for (const NodeRef &part : allOf) {
            last = build(part, path, depth + 1);
            merged.merge(last);
        }
        const bool allObjects = !merged.keys().isEmpty() || node.member("properties").isValid();
        if (!allObjects)
            return last;  // allOf of scalars: the last constraint's example
        addProperties(node, path, depth, merged);  // own properties next to allOf count too
        return merged;
    }
    for (const char *combiner : {"oneOf", "anyOf"}) {
        for (const NodeRef &branch : elements(node.member(combiner))) {
            const ExampleValue v = build(branch, path, depth + 1);
            if (!v.isUndefined())
                return v;
        }
    }

    const QString type = schemaType(m_resolver, node);
    const QString format = node.member("format").string();
    if (type == QLatin1String("object") || (type.isEmpty() && node.member("properties").isValid())) {
        ExampleValue object = ExampleValue::object();
        addProperties(node, path, depth, object);
        return object;
    }
    if (type == QLatin1String("array")) {
        ExampleValue array = ExampleValue::array();
        const ExampleValue item = build(node.member("items"), path, depth + 1);
        if (!item.isUndefined())
            array.append(item);
        return array;
    }
    if (type == QLatin1String("integer"))
        return node.member("minimum").isValid() ? nodeToExample(node.member("minimum")) : ExampleValue(QJsonValue(0));
    if (type == QLatin1String("number"))
        return node.member("minimum").isValid() ? nodeToExample(node.member("minimum")) : ExampleValue(QJsonValue(0.0));
    if (type == QLatin1String("boolean"))
        return QJsonValue(true);
    if (type == QLatin1String("string"))
        return stringExample(format);
    return QJsonValue(QJsonValue::Null);
}

} // namespace portolan::http
