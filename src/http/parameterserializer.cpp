#include "parameterserializer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <functional>

namespace portolan::http {

namespace {

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~';
}

// A value flattened into what every style works on: a scalar, a list of
// scalars, or key/value pairs of an object (in document order).
struct Flat {
    enum Kind { Scalar, List, Pairs } kind = Scalar;
    QString scalar;
    QStringList items;
    QList<std::pair<QString, QString>> pairs;
    bool isEmpty() const
    {
        return kind == Scalar ? scalar.isEmpty() : kind == List ? items.isEmpty() : pairs.isEmpty();
    }
};

Flat flatten(const QJsonValue &value)
{
    Flat flat;
    if (value.isArray()) {
        flat.kind = Flat::List;
        for (const QJsonValue &v : value.toArray())
            flat.items.append(scalarText(v));
    } else if (value.isObject()) {
        flat.kind = Flat::Pairs;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            flat.pairs.append({it.key(), scalarText(it.value())});
    } else {
        flat.scalar = scalarText(value);
    }
    return flat;
}

using Encoder = std::function<QByteArray(const QString &)>;

QByteArray joined(const QList<QByteArray> &parts, const QByteArray &separator)
{
    QByteArray out;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i)
            out += separator;
        out += parts[i];
    }
    return out;
}

// Scalars, lists and pairs (as k,v,k,v or k=v) encoded and joined.
QList<QByteArray> encodedItems(const Flat &flat, const Encoder &encode, bool pairsAsAssignments)
{
    QList<QByteArray> out;
    switch (flat.kind) {
    case Flat::Scalar:
        out.append(encode(flat.scalar));
        break;
    case Flat::List:
        for (const QString &s : flat.items)
            out.append(encode(s));
        break;
    case Flat::Pairs:
        for (const auto &[k, v] : flat.pairs) {
            if (pairsAsAssignments) {
                out.append(encode(k) + '=' + encode(v));
            } else {
                out.append(encode(k));
                out.append(encode(v));
            }
        }
        break;
    }
    return out;
}

QByteArray collectionSeparator(const QString &format)
{
    if (format == QLatin1String("ssv"))
        return "%20";
    if (format == QLatin1String("tsv"))
        return "%09";
    if (format == QLatin1String("pipes"))
        return "%7C";
    return ",";  // csv and the default
}

// deepObject, nested as servers in the Rails/PHP/Stripe tradition read it:
// a[b][c]=1 for objects, a[b][0]=x for arrays (OpenAPI defines one level only).
void deepObjectPairs(const QByteArray &prefix, const QJsonValue &value, const Encoder &encode, QList<QByteArray> &out)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            deepObjectPairs(prefix + "%5B" + percentEncode(it.key()) + "%5D", it.value(), encode, out);
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            deepObjectPairs(prefix + "%5B" + QByteArray::number(i) + "%5D", array[i], encode, out);
    } else {
        out.append(prefix + '=' + encode(scalarText(value)));
    }
}

} // namespace

QByteArray percentEncode(const QString &text, const QByteArray &keep)
{
    static const char hex[] = "0123456789ABCDEF";
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (isUnreserved(c) || (c != 0 && keep.contains(c))) {
            out += c;
        } else {
            const auto b = static_cast<unsigned char>(c);
            out += '%';
            out += hex[b >> 4];
            out += hex[b & 0xF];
        }
    }
    return out;
}

QString scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::floor(d) == d && std::abs(d) < 9.007199254740992e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
    case QJsonValue::Object:
        // Nested containers have no defined style: send their JSON text.
        return QString::fromUtf8(value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                                 : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    default:
        return {};
    }
}

SerializationRule serializationRule(const Parameter &parameter)
{
    SerializationRule rule;
    rule.in = parameter.in;
    rule.collectionFormat = parameter.collectionFormat;
    rule.allowReserved = parameter.allowReserved;
    if (!parameter.style.isEmpty()) {
        rule.style = parameter.style;
        rule.explode = parameter.explode;
        return rule;
    }
    switch (parameter.in) {
    case ParameterLocation::Path:
    case ParameterLocation::Header:
        rule.style = QStringLiteral("simple");
        break;
    default:
        rule.style = QStringLiteral("form");
        break;
    }
    rule.explode = rule.style == QLatin1String("form");
    return rule;
}

QByteArray serializePathParameter(const QString &name, const QJsonValue &value, const SerializationRule &rule)
{
    const QByteArray keep = rule.allowReserved ? QByteArray(kReservedCharacters) : QByteArray();
    const Encoder encode = [&](const QString &s) { return percentEncode(s, keep); };
    const Flat flat = flatten(value);
    if (!rule.collectionFormat.isEmpty())
        return joined(encodedItems(flat, encode, false), collectionSeparator(rule.collectionFormat));

    const QByteArray encodedName = percentEncode(name);
    if (rule.style == QLatin1String("label")) {
        const QByteArray separator = rule.explode ? "." : ",";
        return '.' + joined(encodedItems(flat, encode, rule.explode), separator);
    }
    if (rule.style == QLatin1String("matrix")) {
        if (flat.isEmpty())
            return ';' + encodedName;
        if (flat.kind == Flat::Pairs && rule.explode)
            return ';' + joined(encodedItems(flat, encode, true), ";");
        if (flat.kind == Flat::List && rule.explode) {
            QList<QByteArray> parts;
            for (const QByteArray &item : encodedItems(flat, encode, false))
                parts.append(encodedName + '=' + item);
            return ';' + joined(parts, ";");
        }
        return ';' + encodedName + '=' + joined(encodedItems(flat, encode, false), ",");
    }
    // simple
    return joined(encodedItems(flat, encode, rule.explode), ",");
}

QList<QByteArray> serializeQueryParameter(const QString &name, const QJsonValue &value, const SerializationRule &rule)
{
    // allowReserved lets reserved characters through, but never the ones that
    // would split the query into other parameters.
    const QByteArray keep = rule.allowReserved ? QByteArray(":/?[]@!$'()*+,;") : QByteArray();
    const Encoder encode = [&](const QString &s) { return percentEncode(s, keep); };
    const QByteArray encodedName = percentEncode(name);
    const Flat flat = flatten(value);

    auto oneEach = [&]() {
        QList<QByteArray> out;
        if (flat.kind == Flat::Pairs) {
            out = encodedItems(flat, encode, true);
        } else {
            for (const QByteArray &item : encodedItems(flat, encode, false))
                out.append(encodedName + '=' + item);
        }
        return out;
    };
    auto delimited = [&](const QByteArray &separator) {
        return QList<QByteArray>{encodedName + '=' + joined(encodedItems(flat, encode, false), separator)};
    };

    if (!rule.collectionFormat.isEmpty()) {
        if (rule.collectionFormat == QLatin1String("multi"))
            return oneEach();
        return delimited(collectionSeparator(rule.collectionFormat));
    }
    if (rule.style == QLatin1String("deepObject")) {
        QList<QByteArray> out;
        deepObjectPairs(encodedName, value, encode, out);
        return out;
    }
    if (flat.kind != Flat::Scalar && rule.explode)
        return oneEach();
    if (rule.style == QLatin1String("spaceDelimited"))
        return delimited("%20");
    if (rule.style == QLatin1String("pipeDelimited"))
        return delimited("%7C");
    return delimited(",");  // form
}

QByteArray serializeHeaderParameter(const QJsonValue &value, const SerializationRule &rule)
{
    const Encoder asIs = [](const QString &s) { return s.toUtf8(); };
    const Flat flat = flatten(value);
    return joined(encodedItems(flat, asIs, rule.explode && rule.collectionFormat.isEmpty()), ",");
}

QList<QByteArray> serializeCookieParameter(const QString &name, const QJsonValue &value, const SerializationRule &rule)
{
    // Cookie values may not hold whitespace, quotes, commas, semicolons or backslashes (RFC 6265).
    const Encoder encode = [](const QString &s) { return percentEncode(s, "!#$&'()*+-./:<=>?@[]^_`{|}~"); };
    const QByteArray cookieName = name.toUtf8();
    const Flat flat = flatten(value);
    if (rule.explode && flat.kind == Flat::List) {
        QList<QByteArray> out;
        for (const QByteArray &item : encodedItems(flat, encode, false))
            out.append(cookieName + '=' + item);
        return out;
    }
    if (rule.explode && flat.kind == Flat::Pairs)
        return encodedItems(flat, encode, true);
    return {cookieName + '=' + joined(encodedItems(flat, encode, false), ",")};
}

} // namespace portolan::http
