#pragma once

#include "apimodel.h"
#include "referenceresolver.h"

#include <QJsonValue>
#include <QStringList>

#include <vector>

namespace portolan::http {

// A JSON value whose object members stay in the order they were added.
// QJsonObject sorts its keys; an example must read in the schema's order.
class ExampleValue {
public:
    ExampleValue() = default;                // undefined: no example
    ExampleValue(const QJsonValue &scalar);  // null, bool, number or string
    static ExampleValue array();
    static ExampleValue object();

    bool isUndefined() const { return m_kind == Kind::Scalar && m_scalar.isUndefined(); }
    bool isObject() const { return m_kind == Kind::Object; }
    bool isArray() const { return m_kind == Kind::Array; }

    void append(const ExampleValue &item);  // arrays
    // Objects: a new key goes last, an existing one keeps its place (allOf merging).
    void insert(const QString &key, const ExampleValue &value);
    void merge(const ExampleValue &other);  // objects: inserts each member of `other` (nothing if not an object)
    QStringList keys() const { return m_keys; }  // objects, in order

    QJsonValue toJson() const;
    // JSON text in member order: indented by four spaces like QJsonDocument, or compact.
    QByteArray toText(bool indented = true) const;

private:
    enum class Kind { Scalar, Array, Object };
    void write(QByteArray &out, bool indented, int level) const;

    Kind m_kind = Kind::Scalar;
    QJsonValue m_scalar = QJsonValue(QJsonValue::Undefined);
    QStringList m_keys;                  // objects: member names, parallel to m_children
    std::vector<ExampleValue> m_children;  // array items, or object member values
};

// An example value to start editing a body or parameter from. The document's
// own examples come first; otherwise one is built from the schema, taking the
// first branch of oneOf/anyOf, merging allOf, and cutting reference cycles.
// Objects keep the document's order (properties, example members).
class ExampleGenerator {
public:
    explicit ExampleGenerator(const ApiDocument &document);

    ExampleValue forMediaType(const MediaType &mediaType) const;
    ExampleValue forParameter(const Parameter &parameter) const;
    ExampleValue forSchema(NodeRef schema) const;

private:
    ExampleValue build(NodeRef schema, QList<NodeRef> &path, int depth) const;
    void addProperties(NodeRef schema, QList<NodeRef> &path, int depth, ExampleValue &object) const;
    static ExampleValue firstExample(NodeRef example, NodeRef examples);

    ReferenceResolver m_resolver;
};

// The names of a schema's properties in document order, those of its allOf
// parts first (as the example merges them). Follows $refs.
QStringList propertyOrder(const ReferenceResolver &resolver, NodeRef schema);

// The first non-null type a schema names: "object", "array", "string", …
// or empty. Follows $refs; a 3.1 type array counts by its first non-null entry.
QString schemaType(const ReferenceResolver &resolver, NodeRef schema);

} // namespace portolan::http
