#include "requestbuilder.h"

#include "examplegenerator.h"
#include "parameterserializer.h"
#include "referenceresolver.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace portolan::http {

namespace {

QString describe(ParameterLocation in, const QString &name)
{
    return QStringLiteral("%1 parameter '%2'").arg(parameterLocationName(in), name);
}

bool isJsonMediaType(const QString &contentType)
{
    const QString base = contentType.section(QLatin1Char(';'), 0, 0).trimmed().toLower();
    return base == QLatin1String("application/json") || base.endsWith(QLatin1String("+json"))
        || base.contains(QLatin1String("/json"));
}

// QJsonDocument only holds objects and arrays; a JSON body may be any value.
QByteArray jsonText(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

bool hasValue(const QJsonValue &value)
{
    return !value.isUndefined() && !value.isNull();
}

const Encoding *encodingFor(const QList<Encoding> &encodings, const QString &property)
{
    for (const Encoding &e : encodings) {
        if (e.property == property)
            return &e;
    }
    return nullptr;
}

// The fields in `order` first (the schema's order), then any others.
QStringList orderedNames(const QStringList &names, const QStringList &order)
{
    QStringList out;
    for (const QString &name : order)
        if (names.contains(name))
            out.append(name);
    for (const QString &name : names)
        if (!out.contains(name))
            out.append(name);
    return out;
}

} // namespace

RequestBuilder::RequestBuilder(const ApiDocument &document) : m_document(document) {}

QString RequestBuilder::substituteServerVariables(const Server &server, const QHash<QString, QString> &values,
                                                 QList<BuildError> *errors)
{
    QString text = server.url.isEmpty() ? QStringLiteral("/") : server.url;
    for (const ServerVariable &variable : server.variables) {
        const QString value = values.value(variable.name, variable.defaultValue);
        if (!variable.enumValues.isEmpty() && !variable.enumValues.contains(value) && errors) {
            errors->append({QStringLiteral("server variable '%1'").arg(variable.name),
                            QStringLiteral("'%1' is not one of: %2").arg(value, variable.enumValues.join(QStringLiteral(", ")))});
        }
        text.replace(QLatin1Char('{') + variable.name + QLatin1Char('}'), value);
    }
    // {{environment variables}} are not server variables: they are filled in later.
    static const QRegularExpression leftover(QStringLiteral(R"((?<!\{)\{([^{}]*)\}(?!\}))"));
    const QRegularExpressionMatch match = leftover.match(text);
    if (match.hasMatch()) {
        const QString value = values.value(match.captured(1));
        if (value.isEmpty()) {
            if (errors)
                errors->append({QStringLiteral("server variable '%1'").arg(match.captured(1)),
                                QStringLiteral("no value and no default")});
        } else {
            text.replace(match.captured(0), value);
        }
    }
    return text;
}

QUrl RequestBuilder::serverUrl(const Server &server, const QHash<QString, QString> &values,
                               QList<BuildError> *errors) const
{
    const QString text = substituteServerVariables(server, values, errors);
    QUrl url(text);
    if (url.isRelative() && m_document.sourceUrl.isValid())
        url = m_document.sourceUrl.resolved(url);
    if ((url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) && errors)
        errors->append({QStringLiteral("server"),
                        QStringLiteral("'%1' is not an http(s) URL; choose or enter a server").arg(url.toString())});
    return url;
}

QJsonValue RequestBuilder::valueFromText(const Parameter &parameter, const QString &text) const
{
    const ReferenceResolver resolver(m_document.documents);
    const QString type = schemaType(resolver, parameter.schema);
    if (type == QLatin1String("array") || type == QLatin1String("object")) {
        QJsonParseError error;
        const QJsonDocument json = QJsonDocument::fromJson(text.toUtf8(), &error);
        if (error.error == QJsonParseError::NoError && (json.isArray() || json.isObject()))
            return json.isArray() ? QJsonValue(json.array()) : QJsonValue(json.object());
        const QStringList parts = text.isEmpty() ? QStringList() : text.split(QLatin1Char(','));
        if (type == QLatin1String("array"))
            return QJsonArray::fromStringList(parts);
        QJsonObject object;
        for (qsizetype i = 0; i + 1 < parts.size(); i += 2)
            object.insert(parts[i], parts[i + 1]);
        return object;
    }
    return text;
}

BuildResult RequestBuilder::build(const Operation &operation, const OperationDetails &details, const BuildInput &input) const
{
    BuildResult result;
    HttpRequest &request = result.request;
    request.method = operation.method.toUtf8();

    // Server
    Server server;
    const QList<Server> &servers = m_document.effectiveServers(operation);
    if (!input.serverUrl.isEmpty()) {
        server.url = input.serverUrl;
        for (const Server &s : servers) {
            if (s.url == input.serverUrl)
                server = s;
        }
    } else if (!servers.isEmpty()) {
        server = servers.first();
    }
    const QUrl base = serverUrl(server, input.serverVariables, &result.errors);

    auto inputFor = [&](const Parameter &p) -> const ParameterInput * {
        for (const ParameterInput &in : input.parameters) {
            if (in.in == p.in && in.name == p.name)
                return &in;
        }
        return nullptr;
    };

    QByteArray path(operation.pathText.data(), qsizetype(operation.pathText.size()));
    QList<QByteArray> query;
    QList<QByteArray> cookies;
    for (const Parameter &p : details.parameters) {
        const ParameterInput *given = inputFor(p);
        QJsonValue value = given ? given->value : QJsonValue(QJsonValue::Undefined);
        if (!hasValue(value)) {
            if (p.required)
                result.errors.append({describe(p.in, p.name), QStringLiteral("required but no value given")});
            continue;
        }
        if (!p.contentType.isEmpty() && isJsonMediaType(p.contentType) && (value.isArray() || value.isObject()))
            value = QString::fromUtf8(jsonText(value));
        const SerializationRule rule = serializationRule(p);
        switch (p.in) {
        case ParameterLocation::Path:
            path.replace('{' + p.name.toUtf8() + '}', serializePathParameter(p.name, value, rule));
            break;
        case ParameterLocation::Query:
            query += serializeQueryParameter(p.name, value, rule);
            break;
        case ParameterLocation::QueryString:
            query.append(percentEncode(scalarText(value), "=&:/?@!$'()*+,;"));
            break;
        case ParameterLocation::Header: {
            // OpenAPI: these three are governed by other fields and ignored as parameters.
            static const QStringList governed{QStringLiteral("accept"), QStringLiteral("content-type"),
                                              QStringLiteral("authorization")};
            if (governed.contains(p.name.toLower()))
                break;
            const QByteArray headerText = serializeHeaderParameter(value, rule);
            if (headerText.contains('\r') || headerText.contains('\n')) {
                result.errors.append({describe(p.in, p.name), QStringLiteral("a header value cannot contain a line break")});
                break;
            }
            request.headers.append({p.name.toUtf8(), headerText});
            break;
        }
        case ParameterLocation::Cookie:
            cookies += serializeCookieParameter(p.name, value, rule);
            break;
        case ParameterLocation::FormData:  // Swagger 2.0 form fields live in the request body
            break;
        }
    }
    // Values for parameters the description does not declare are sent too: the
    // user asked for them (e.g. an undocumented filter).
    for (const ParameterInput &in : input.parameters) {
        const bool declared = std::any_of(details.parameters.begin(), details.parameters.end(),
                                          [&](const Parameter &p) { return p.in == in.in && p.name == in.name; });
        if (declared || !hasValue(in.value))
            continue;
        SerializationRule rule;
        rule.in = in.in;
        rule.style = in.in == ParameterLocation::Query || in.in == ParameterLocation::Cookie ? QStringLiteral("form")
                                                                                           : QStringLiteral("simple");
        rule.explode = rule.style == QLatin1String("form");
        if (in.in == ParameterLocation::Path && path.contains('{' + in.name.toUtf8() + '}'))
            path.replace('{' + in.name.toUtf8() + '}', serializePathParameter(in.name, in.value, rule));
        else if (in.in == ParameterLocation::Query)
            query += serializeQueryParameter(in.name, in.value, rule);
        else if (in.in == ParameterLocation::Header)
            request.headers.append({in.name.toUtf8(), serializeHeaderParameter(in.value, rule)});
        else if (in.in == ParameterLocation::Cookie)
            cookies += serializeCookieParameter(in.name, in.value, rule);
        else
            result.errors.append({describe(in.in, in.name), QStringLiteral("the path has no such parameter")});
    }
    static const QRegularExpression unfilled(QStringLiteral(R"(\{([^}/]+)\})"));
    const QRegularExpressionMatch missing = unfilled.match(QString::fromUtf8(path));
    if (missing.hasMatch() && !std::any_of(result.errors.begin(), result.errors.end(), [&](const BuildError &e) {
            return e.location == describe(ParameterLocation::Path, missing.captured(1));
        })) {
        result.errors.append({describe(ParameterLocation::Path, missing.captured(1)), QStringLiteral("no value given")});
    }

    QByteArray urlText = base.toEncoded(QUrl::RemoveQuery | QUrl::RemoveFragment);
    while (urlText.endsWith('/'))
        urlText.chop(1);
    urlText += path.startsWith('/') ? path : '/' + path;
    QByteArray queryText = base.query(QUrl::FullyEncoded).toUtf8();
    for (const QByteArray &pair : query)
        queryText += (queryText.isEmpty() ? "" : "&") + pair;
    if (!queryText.isEmpty())
        urlText += '?' + queryText;
    request.url = QUrl::fromEncoded(urlText, QUrl::StrictMode);
    if (!request.url.isValid() && result.errors.isEmpty())
        result.errors.append({QStringLiteral("url"), request.url.errorString()});

    if (!cookies.isEmpty()) {
        QByteArray cookieHeader;
        for (const QByteArray &c : cookies)
            cookieHeader += (cookieHeader.isEmpty() ? "" : "; ") + c;
        request.headers.append({"Cookie", cookieHeader});
    }
    buildBody(details.requestBody, input.body, request, result.errors);
    for (const HeaderField &h : input.extraHeaders)
        setHeader(request.headers, h.name, h.value);
    return result;
}

void RequestBuilder::buildBody(const std::optional<RequestBody> &requestBody, const BodyInput &input, HttpRequest &request,
                               QList<BuildError> &errors) const
{
    if (input.source == BodyInput::Source::None) {
        if (requestBody && requestBody->required)
            errors.append({QStringLiteral("body"), QStringLiteral("the operation requires a request body")});
        return;
    }
    QString contentType = input.contentType;
    const MediaType *media = nullptr;
    if (requestBody) {
        for (const MediaType &m : requestBody->content) {
            if (contentType.isEmpty() || m.contentType == contentType) {
                media = &m;
                break;
            }
        }
    }
    if (contentType.isEmpty())
        contentType = media ? media->contentType : QStringLiteral("application/json");
    const QList<Encoding> encodings = media ? media->encoding : QList<Encoding>();
    QByteArray contentTypeHeader = contentType.toUtf8();
    const QString base = contentType.section(QLatin1Char(';'), 0, 0).trimmed().toLower();

    switch (input.source) {
    case BodyInput::Source::None:
        break;
    case BodyInput::Source::Raw:
        request.body = RequestBodyData::fromBytes(input.raw);
        break;
    case BodyInput::Source::File: {
        const QFileInfo info(input.filePath);
        if (!info.isFile() || !info.isReadable()) {
            errors.append({QStringLiteral("body"), QStringLiteral("cannot read file '%1'").arg(input.filePath)});
            return;
        }
        request.body = RequestBodyData::fromFile(info.absoluteFilePath());
        break;
    }
    case BodyInput::Source::Value: {
        // Form fields go out in the order the document declares them (QJsonObject sorts its keys).
        QStringList fieldOrder;
        if (media && !media->formParameters.isEmpty()) {
            for (const Parameter &p : media->formParameters)
                fieldOrder.append(p.name);
        } else if (media) {
            fieldOrder = propertyOrder(ReferenceResolver(m_document.documents), media->schema);
        }
        if (base == QLatin1String("multipart/form-data")) {
            request.body = multipartBody(input.value.toObject(), input.fileFields, encodings, fieldOrder, &contentTypeHeader,
                                         &errors);
        } else if (base == QLatin1String("application/x-www-form-urlencoded")) {
            if (!input.value.isObject()) {
                errors.append({QStringLiteral("body"), QStringLiteral("form fields must be given as an object")});
                return;
            }
            request.body = RequestBodyData::fromBytes(
                formUrlEncodedBody(input.value.toObject(), encodings, fieldOrder, media ? media->formParameters : QList<Parameter>()));
        } else if (base.startsWith(QLatin1String("text/")) && !input.value.isObject() && !input.value.isArray()) {
            request.body = RequestBodyData::fromBytes(scalarText(input.value).toUtf8());
        } else {
            request.body = RequestBodyData::fromBytes(jsonText(input.value));
        }
        break;
    }
    }
    setHeader(request.headers, "Content-Type", contentTypeHeader);
}

QByteArray RequestBuilder::formUrlEncodedBody(const QJsonObject &fields, const QList<Encoding> &encodings,
                                              const QStringList &fieldOrder, const QList<Parameter> &formParameters)
{
    QList<QByteArray> pairs;
    for (const QString &name : orderedNames(fields.keys(), fieldOrder)) {
        const auto it = fields.find(name);
        const auto formParameter = std::find_if(formParameters.begin(), formParameters.end(),
                                                [&](const Parameter &p) { return p.name == it.key(); });
        if (formParameter != formParameters.end()) {  // Swagger 2.0: its collectionFormat decides
            SerializationRule rule = serializationRule(*formParameter);
            rule.collectionFormat = formParameter->collectionFormat.isEmpty() ? QStringLiteral("csv")
                                                                              : formParameter->collectionFormat;
            pairs += serializeQueryParameter(it.key(), it.value(), rule);
            continue;
        }
        const Encoding *encoding = encodingFor(encodings, it.key());
        QJsonValue value = it.value();
        if (encoding && isJsonMediaType(encoding->contentType) && (value.isObject() || value.isArray()))
            value = QString::fromUtf8(jsonText(value));
        SerializationRule rule;
        rule.style = encoding && !encoding->style.isEmpty() ? encoding->style : QStringLiteral("form");
        rule.explode = encoding && !encoding->style.isEmpty() ? encoding->explode : true;
        rule.allowReserved = encoding && encoding->allowReserved;
        pairs += serializeQueryParameter(it.key(), value, rule);
    }
    QByteArray out;
    for (const QByteArray &p : pairs)
        out += (out.isEmpty() ? "" : "&") + p;
    return out;
}

RequestBodyData RequestBuilder::multipartBody(const QJsonObject &fields, const QHash<QString, QString> &fileFields,
                                              const QList<Encoding> &encodings, const QStringList &fieldOrder,
                                              QByteArray *contentType, QList<BuildError> *errors)
{
    QList<FormPart> parts;
    QStringList names = fields.keys();
    for (auto it = fileFields.begin(); it != fileFields.end(); ++it) {
        if (!names.contains(it.key()))
            names.append(it.key());
    }
    for (const QString &name : orderedNames(names, fieldOrder)) {
        const Encoding *encoding = encodingFor(encodings, name);
        const QByteArray declaredType = encoding ? encoding->contentType.toUtf8() : QByteArray();
        if (fileFields.contains(name)) {
            const QFileInfo info(fileFields.value(name));
            if (!info.isFile() || !info.isReadable()) {
                if (errors)
                    errors->append({QStringLiteral("body field '%1'").arg(name),
                                    QStringLiteral("cannot read file '%1'").arg(info.filePath())});
                continue;
            }
            parts.append({name, {}, info.absoluteFilePath(), {}, declaredType.isEmpty() ? "application/octet-stream" : declaredType});
            continue;
        }
        const QJsonValue value = fields.value(name);
        // An array of values is one part per value, as browsers send repeated fields.
        const QJsonArray values = value.isArray() && !isJsonMediaType(QString::fromUtf8(declaredType))
            ? value.toArray() : QJsonArray{value};
        for (const QJsonValue &item : values) {
            const bool structured = item.isObject() || item.isArray();
            const QByteArray type = declaredType.isEmpty() && structured ? QByteArray("application/json") : declaredType;
            parts.append({name, structured ? jsonText(item) : scalarText(item).toUtf8(), {}, {}, type});
        }
    }
    return multipartFormData(parts, contentType);
}

} // namespace portolan::http
