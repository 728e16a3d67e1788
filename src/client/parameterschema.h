#pragma once

#include "sourcedocument.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace portolan {
class ReferenceResolver;
}

namespace portolan::client {

// What validation (and a form) needs to know about a parameter's schema: its
// effective type (following $ref, allOf, oneOf and anyOf, as the request
// builder does), the allowed values and the bounds to check, read once.
struct FieldSchema {
    QString type;  // string, integer, number, boolean, array, object, or empty when untyped
    QString format;
    QStringList enumValues;
    QString defaultValue;  // as the user would type it; arrays joined with ", "
    QString itemType;      // arrays
    QStringList itemEnumValues;
    std::optional<double> minimum;
    std::optional<double> maximum;
    bool exclusiveMinimum = false;
    bool exclusiveMaximum = false;
    std::optional<qint64> minLength;
    std::optional<qint64> maxLength;
    std::optional<qint64> minItems;
    std::optional<qint64> maxItems;
    QString pattern;
    QString refName;  // the name of the $ref the schema came through, if any
};

// Reads a schema (or a Swagger 2.0 parameter, which carries the same keys).
FieldSchema readFieldSchema(NodeRef schema, const ReferenceResolver &resolver);

// Why `value` (as the user typed it) is not acceptable, or an empty string
// when it is. An empty value is only a problem when the field is required.
// Both front ends show these messages.
QString validateField(const FieldSchema &schema, const QString &value, bool required);

// The text of a scalar node, or its items joined with ", " for an array of scalars.
QString scalarText(NodeRef node);

// "Pet" for "#/components/schemas/Pet"; empty when `node` is not a $ref object.
QString referenceName(NodeRef node);

} // namespace portolan::client
