#pragma once

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QString>

namespace portolan::auth {

// One parsed WWW-Authenticate challenge (RFC 7235): scheme plus auth-params.
struct AuthChallenge {
    QString scheme;                     // as sent, compare case-insensitively
    QMap<QString, QString> parameters;  // keys lower case, values unquoted
};
// All challenges of a WWW-Authenticate header value (several may be comma-joined).
QList<AuthChallenge> parseAuthChallenges(const QByteArray &header);

// Answers HTTP digest challenges (RFC 7616): MD5 and SHA-256 (and their
// -sess variants), qop=auth (preferred) or auth-int (hashes `body`), or
// no qop for RFC 2069 servers. Keeps the nonce count
// per server nonce so repeated requests with one nonce count up.
class DigestResponder {
public:
    // The Authorization header value, or empty with `error` set (unsupported
    // algorithm, not a Digest challenge, …).
    QByteArray authorization(const QByteArray &wwwAuthenticate, const QString &method, const QByteArray &requestUri,
                             const QByteArray &body, const QString &username, const QByteArray &password, QString *error,
                             const QByteArray &clientNonce = QByteArray());

private:
    QHash<QString, quint32> m_nonceCounts;
};

} // namespace portolan::auth
