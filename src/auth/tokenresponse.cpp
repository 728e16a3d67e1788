#include "tokenresponse.h"

#include "tokenclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrlQuery>

namespace portolan::auth::tokenresponse {

namespace {

QString text(const QJsonObject &fields, const char *name)
{
    const QJsonValue value = fields.value(QLatin1String(name));
    return value.isString() ? value.toString() : QString();
}

// A lifetime in seconds from a JSON number or a numeric string; -1 when absent or unusable.
qint64 seconds(const QJsonValue &value)
{
    bool ok = value.isDouble();
    double number = value.toDouble();
    if (value.isString())
        number = value.toString().trimmed().toDouble(&ok);
    return ok && number >= 0 && number < 1e12 ? qint64(number) : -1;
}

// Space-separated as RFC 6749 §3.3 says, comma-separated as GitHub and Slack send, or a JSON array.
QStringList scopes(const QJsonValue &value)
{
    QStringList out;
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            if (item.isString() && !item.toString().isEmpty())
                out.append(item.toString());
        return out;
    }
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    return value.toString().split(separators, Qt::SkipEmptyParts);
}

// Members that carry tokens, at any depth (Slack nests the user's token under `authed_user`).
QJsonObject withoutTokens(QJsonObject object)
{
    for (auto it = object.begin(); it != object.end();) {
        const QString key = it.key();
        if (key.endsWith(QLatin1String("_token")) && key != QLatin1String("token_type")) {
            it = object.erase(it);
            continue;
        }
        if (it.value().isObject())
            *it = withoutTokens(it.value().toObject());
        ++it;
    }
    return object;
}

QString endpointName(const QUrl &endpoint)
{
    return endpoint.isEmpty() ? QStringLiteral("the endpoint")
                              : endpoint.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

} // namespace

QString redact(QString text, const QList<QByteArray> &secrets)
{
    for (const QByteArray &secret : secrets)
        if (secret.size() >= 4)
            text.replace(QString::fromUtf8(secret), QStringLiteral("[redacted]"));
    return text;
}

bool readFields(const QByteArray &body, const QByteArray &contentType, QJsonObject *fields)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.startsWith('{')) {
        const QJsonDocument document = QJsonDocument::fromJson(trimmed);
        if (!document.isObject())
            return false;
        *fields = document.object();
        return true;
    }
    // Form-encoded when declared so, or when it plainly looks like name=value pairs
    // (some servers label it text/plain).
    static const QRegularExpression formLike(QStringLiteral("^[A-Za-z0-9_.~%+-]+=[^\\s<>]*$"));
    const bool declared = contentType.toLower().contains("application/x-www-form-urlencoded");
    if (trimmed.isEmpty() || (!declared && !formLike.match(QString::fromUtf8(trimmed)).hasMatch()))
        return false;
    QByteArray plusDecoded = trimmed;
    plusDecoded.replace('+', ' ');  // form encoding writes a space as '+'
    QJsonObject out;
    const QUrlQuery query(QString::fromLatin1(plusDecoded));
    for (const auto &item : query.queryItems(QUrl::FullyDecoded))
        out.insert(item.first, item.second);
    if (out.isEmpty())
        return false;
    *fields = out;
    return true;
}

OAuthError errorFrom(const EndpointAnswer &answer, const QList<QByteArray> &secrets)
{
    OAuthError error;
    QJsonObject fields;
    const bool readable = readFields(answer.body, answer.contentType, &fields);
    const bool success = answer.status / 100 == 2;
    const QJsonValue ok = fields.value(QLatin1String("ok"));
    const QString code = text(fields, "error");
    if (readable && (!code.isEmpty() || (ok.isBool() && !ok.toBool()))) {
        error.httpStatus = answer.status;
        error.error = redact(code.isEmpty() ? QStringLiteral("error") : code, secrets);
        error.description = redact(text(fields, "error_description"), secrets);
        error.uri = redact(text(fields, "error_uri"), secrets);
        if (success && error.description.isEmpty())
            error.description = QStringLiteral("%1 answered HTTP %2 with an error").arg(endpointName(answer.endpoint)).arg(answer.status);
        return error;
    }
    if (success)
        return error;
    error.httpStatus = answer.status;
    error.error = QStringLiteral("server_error");
    // Not an OAuth error body: say what came, but do not echo the body (it may hold anything).
    if (answer.body.trimmed().isEmpty())
        error.description = QStringLiteral("%1 answered HTTP %2 with an empty body").arg(endpointName(answer.endpoint)).arg(answer.status);
    else
        error.description = QStringLiteral("%1 answered HTTP %2 without an OAuth error object (%3 bytes%4)")
                                .arg(endpointName(answer.endpoint)).arg(answer.status).arg(answer.body.size())
                                .arg(answer.contentType.isEmpty() ? QString() : QStringLiteral(" of ") + QString::fromLatin1(answer.contentType));
    return error;
}

QString normalizedTokenType(const QString &tokenType)
{
    if (tokenType.isEmpty() || tokenType.compare(QLatin1String("bearer"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("Bearer");
    if (tokenType.compare(QLatin1String("dpop"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("DPoP");
    return tokenType;
}

TokenResult parse(const EndpointAnswer &answer, const QList<QByteArray> &secrets)
{
    TokenResult result;
    result.error = errorFrom(answer, secrets);
    if (!result.error.isNull())
        return result;
    QJsonObject fields;
    if (!readFields(answer.body, answer.contentType, &fields)) {
        result.error.error = QStringLiteral("invalid_response");
        result.error.httpStatus = answer.status;
        result.error.description = answer.body.trimmed().isEmpty()
            ? QStringLiteral("%1 answered HTTP %2 with an empty body").arg(endpointName(answer.endpoint)).arg(answer.status)
            : QStringLiteral("the answer of %1 is neither a JSON object nor form-encoded").arg(endpointName(answer.endpoint));
        return result;
    }
    TokenSet &tokens = result.tokens;
    tokens.accessToken = text(fields, "access_token").toUtf8();
    if (tokens.accessToken.isEmpty()) {
        result.error.error = QStringLiteral("invalid_response");
        result.error.httpStatus = answer.status;
        result.error.description = QStringLiteral("the answer of %1 has no access_token").arg(endpointName(answer.endpoint));
        return result;
    }
    tokens.tokenType = normalizedTokenType(text(fields, "token_type"));
    tokens.refreshToken = text(fields, "refresh_token").toUtf8();
    tokens.idToken = text(fields, "id_token").toUtf8();
    tokens.scopes = scopes(fields.value(QLatin1String("scope")));
    qint64 lifetime = seconds(fields.value(QLatin1String("expires_in")));
    if (lifetime < 0)
        lifetime = seconds(fields.value(QLatin1String("expires")));  // Facebook's older spelling
    if (lifetime >= 0)
        tokens.expiresAt = QDateTime::currentDateTimeUtc().addSecs(lifetime);
    tokens.otherFields = withoutTokens(fields);
    result.ok = true;
    return result;
}

OAuthError parseDeviceAuthorization(const EndpointAnswer &answer, const QList<QByteArray> &secrets,
                                    DeviceAuthorization *authorization)
{
    OAuthError error = errorFrom(answer, secrets);
    if (!error.isNull())
        return error;
    QJsonObject fields;
    readFields(answer.body, answer.contentType, &fields);
    authorization->deviceCode = text(fields, "device_code").toUtf8();
    authorization->userCode = text(fields, "user_code");
    // Google names it verification_url.
    QString uri = text(fields, "verification_uri");
    if (uri.isEmpty())
        uri = text(fields, "verification_url");
    authorization->verificationUri = QUrl(uri);
    authorization->verificationUriComplete = QUrl(text(fields, "verification_uri_complete"));
    authorization->expiresInSeconds = int(qMin<qint64>(seconds(fields.value(QLatin1String("expires_in"))), 86'400 * 7));
    const qint64 interval = seconds(fields.value(QLatin1String("interval")));
    authorization->intervalSeconds = interval > 0 ? int(qMin<qint64>(interval, 3600)) : 5;
    if (authorization->deviceCode.isEmpty() || authorization->userCode.isEmpty() || !authorization->verificationUri.isValid()
        || uri.isEmpty() || authorization->expiresInSeconds <= 0) {
        error.error = QStringLiteral("invalid_response");
        error.httpStatus = answer.status;
        error.description = QStringLiteral("the answer of %1 lacks device_code, user_code, verification_uri or expires_in")
                                .arg(endpointName(answer.endpoint));
    }
    return error;
}

} // namespace portolan::auth::tokenresponse
