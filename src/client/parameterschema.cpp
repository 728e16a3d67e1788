#include "parameterschema.h"

#include "examplegenerator.h"

#include "referenceresolver.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace portolan::client {

namespace {
QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("portolan::client::FieldSchema", text, nullptr, n);
}

std::optional<double> numberMember(NodeRef schema, std::string_view key)
{
    const NodeRef value = schema.member(key);
    if (value.kind() != NodeKind::Number)
        return std::nullopt;
    bool ok = false;
    const double number = value.string().toDouble(&ok);
    return ok ? std::optional<double>(number) : std::nullopt;
}

std::optional<qint64> integerMember(NodeRef schema, std::string_view key)
{
    const auto number = numberMember(schema, key);
    return number ? std::optional<qint64>(qint64(*number)) : std::nullopt;
}

QStringList enumOf(NodeRef schema)
{
    QStringList values;
    const NodeRef list = schema.member("enum");
    if (list.kind() != NodeKind::Array)
        return values;
    for (const Member *m = list.tree().membersBegin(list.id); m != list.tree().membersEnd(list.id); ++m) {
        const NodeRef value{list.document, m->value};
        if (value.kind() != NodeKind::Null)
            values.append(value.string());
    }
    return values;
}

QString formatNumber(double value)
{
    return QString::number(value, 'g', 15);
}

QString validateScalar(const FieldSchema &schema, const QString &type, const QStringList &enumValues,
                       const QString &value)
{
    if (!enumValues.isEmpty() && !enumValues.contains(value))
        return tr("Must be one of: %1").arg(enumValues.join(QStringLiteral(", ")));
    if (type == QLatin1String("integer") || type == QLatin1String("number")) {
        bool ok = false;
        const double number = value.toDouble(&ok);
        static const QRegularExpression integerPattern(QStringLiteral("^[+-]?\\d+$"));
        if (!ok || (type == QLatin1String("integer") && !integerPattern.match(value).hasMatch()))
            return type == QLatin1String("integer") ? tr("Must be a whole number") : tr("Must be a number");
        if (schema.minimum && (number < *schema.minimum || (schema.exclusiveMinimum && number == *schema.minimum)))
            return (schema.exclusiveMinimum ? tr("Must be greater than %1") : tr("Must be at least %1"))
                .arg(formatNumber(*schema.minimum));
        if (schema.maximum && (number > *schema.maximum || (schema.exclusiveMaximum && number == *schema.maximum)))
            return (schema.exclusiveMaximum ? tr("Must be less than %1") : tr("Must be at most %1"))
                .arg(formatNumber(*schema.maximum));
    } else if (type == QLatin1String("boolean")) {
        if (value != QLatin1String("true") && value != QLatin1String("false"))
            return tr("Must be true or false");
    }
    return {};
}
} // namespace

QString scalarText(NodeRef node)
{
    if (node.kind() == NodeKind::Array) {
        QStringList parts;
        for (const Member *m = node.tree().membersBegin(node.id); m != node.tree().membersEnd(node.id); ++m)
            parts.append(NodeRef{node.document, m->value}.string());
        return parts.join(QStringLiteral(", "));
    }
    return node.string();
}

QString referenceName(NodeRef node)
{
    if (!ReferenceResolver::isReference(node))
        return {};
    const QString ref = node.member("$ref").string();
    return ref.mid(ref.lastIndexOf(QLatin1Char('/')) + 1);
}

FieldSchema readFieldSchema(NodeRef schema, const ReferenceResolver &resolver)
{
    FieldSchema field;
    field.refName = referenceName(schema);
    const NodeRef resolved = resolver.resolve(schema);
    if (!resolved.isValid() || resolved.kind() != NodeKind::Object)
        return field;
    field.type = http::schemaType(resolver, resolved);
    field.format = resolved.member("format").string();
    field.enumValues = enumOf(resolved);
    const NodeRef defaultValue = resolved.member("default");
    if (defaultValue.isValid() && defaultValue.kind() != NodeKind::Object && defaultValue.kind() != NodeKind::Null)
        field.defaultValue = scalarText(defaultValue);
    field.minimum = numberMember(resolved, "minimum");
    field.maximum = numberMember(resolved, "maximum");
    // OpenAPI 3.0 / 2.0: booleans beside minimum/maximum; 3.1: the bound itself.
    const NodeRef exclusiveMin = resolved.member("exclusiveMinimum");
    if (exclusiveMin.kind() == NodeKind::Number) {
        field.minimum = numberMember(resolved, "exclusiveMinimum");
        field.exclusiveMinimum = true;
    } else {
        field.exclusiveMinimum = exclusiveMin.text() == "true";
    }
    const NodeRef exclusiveMax = resolved.member("exclusiveMaximum");
    if (exclusiveMax.kind() == NodeKind::Number) {
        field.maximum = numberMember(resolved, "exclusiveMaximum");
        field.exclusiveMaximum = true;
    } else {
        field.exclusiveMaximum = exclusiveMax.text() == "true";
    }
    field.minLength = integerMember(resolved, "minLength");
    field.maxLength = integerMember(resolved, "maxLength");
    field.minItems = integerMember(resolved, "minItems");
    field.maxItems = integerMember(resolved, "maxItems");
    field.pattern = resolved.member("pattern").string();
    if (field.type == QLatin1String("array")) {
        const NodeRef items = resolver.resolve(resolved.member("items"));
        if (items.isValid()) {
            field.itemType = http::schemaType(resolver, items);
            field.itemEnumValues = enumOf(items);
        }
    }
    return field;
}

QString validateField(const FieldSchema &schema, const QString &value, bool required)
{
    if (value.isEmpty())
        return required ? tr("Required") : QString();
    if (schema.type == QLatin1String("array")) {
        const QStringList items = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (schema.minItems && items.size() < *schema.minItems)
            return tr("At least %1 items").arg(*schema.minItems);
        if (schema.maxItems && items.size() > *schema.maxItems)
            return tr("At most %1 items").arg(*schema.maxItems);
        for (const QString &item : items) {
            const QString problem = validateScalar(schema, schema.itemType, schema.itemEnumValues, item.trimmed());
            if (!problem.isEmpty())
                return tr("Item \"%1\": %2").arg(item.trimmed(), problem);
        }
        return {};
    }
    const QString problem = validateScalar(schema, schema.type, schema.enumValues, value);
    if (!problem.isEmpty())
        return problem;
    if (schema.minLength && value.size() < *schema.minLength)
        return tr("At least %n character(s)", int(*schema.minLength));
    if (schema.maxLength && value.size() > *schema.maxLength)
        return tr("At most %n character(s)", int(*schema.maxLength));
    if (!schema.pattern.isEmpty()) {
        const QRegularExpression pattern(schema.pattern);
        if (pattern.isValid() && !pattern.match(value).hasMatch())
            return tr("Must match %1").arg(schema.pattern);
    }
    return {};
}

} // namespace portolan::client
