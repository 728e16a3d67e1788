#pragma once

#include "apimodel.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace portolan::http {

// RFC 3986 reserved characters: gen-delims and sub-delims.
inline constexpr char kReservedCharacters[] = ":/?#[]@!$&'()*+,;=";

// Percent-encodes UTF-8 `text`, leaving unreserved characters (ALPHA DIGIT - . _ ~)
// and those in `keep` as they are.
QByteArray percentEncode(const QString &text, const QByteArray &keep = {});

// How one parameter's value becomes text: OpenAPI 3 style/explode/allowReserved,
// or a Swagger 2.0 collectionFormat (which wins when set).
struct SerializationRule {
    ParameterLocation in = ParameterLocation::Query;
    QString style;
    bool explode = false;
    bool allowReserved = false;
    QString collectionFormat;
};

// The rule for a parameter, with the OpenAPI defaults for its location when
// the document says nothing.
SerializationRule serializationRule(const Parameter &parameter);

// A JSON scalar as the text that goes on the wire before encoding:
// strings as they are, numbers without a trailing ".0", true/false, null as "".
QString scalarText(const QJsonValue &value);

// The encoded text that replaces `{name}` in the path.
QByteArray serializePathParameter(const QString &name, const QJsonValue &value, const SerializationRule &rule);
// Encoded `key=value` pairs to join with '&' into the query.
QList<QByteArray> serializeQueryParameter(const QString &name, const QJsonValue &value, const SerializationRule &rule);
// A header's value (headers are not percent-encoded; CR and LF are refused by the builder).
QByteArray serializeHeaderParameter(const QJsonValue &value, const SerializationRule &rule);
// `name=value` pairs to join with "; " into the Cookie header.
QList<QByteArray> serializeCookieParameter(const QString &name, const QJsonValue &value, const SerializationRule &rule);

} // namespace portolan::http
