#pragma once

#include "oauthtypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QUrl>

namespace portolan::auth {

struct DeviceAuthorization;

// What an OAuth endpoint answered, as received.
struct EndpointAnswer {
    int status = 0;
    QByteArray contentType;  // the Content-Type header, may be empty
    QByteArray body;
    QUrl endpoint;           // named in messages about empty or unreadable answers
};

// Reads token endpoint answers as real providers send them, not only as
// RFC 6749 §5.1 writes them: form-encoded bodies (GitHub without an Accept
// header), errors inside HTTP 200 (GitHub, Slack's `"ok": false`),
// `expires_in` as a string or `expires` instead, lower-case or unusual
// `token_type`, comma-separated scopes. Pure functions: no network, no state.
namespace tokenresponse {

// The members of a JSON object body or of a form-encoded body (every value a
// string); false when the body is neither.
bool readFields(const QByteArray &body, const QByteArray &contentType, QJsonObject *fields);

// The provider's error when the answer is one — a non-2xx status, an `error`
// member whatever the status, or `"ok": false` — else a null error. Values of
// `secrets` the server echoed are replaced by "[redacted]".
OAuthError errorFrom(const EndpointAnswer &answer, const QList<QByteArray> &secrets);

// A token endpoint answer: tokens, or the provider's error.
TokenResult parse(const EndpointAnswer &answer, const QList<QByteArray> &secrets = {});

// A device authorization endpoint answer (RFC 8628 §3.2). Null error on success.
OAuthError parseDeviceAuthorization(const EndpointAnswer &answer, const QList<QByteArray> &secrets,
                                    DeviceAuthorization *authorization);

// "Bearer" for any spelling of bearer, "DPoP" for DPoP, "Bearer" when
// missing, anything else (Slack's "bot", "user") as sent.
QString normalizedTokenType(const QString &tokenType);

// `text` with each of `secrets` (4 bytes or longer) replaced by "[redacted]".
QString redact(QString text, const QList<QByteArray> &secrets);

} // namespace tokenresponse
} // namespace portolan::auth
