#pragma once

#include "jose.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QMetaType>

namespace portolan::auth {

using Parameters = QList<QPair<QString, QString>>;

enum class ClientAuthMethod { ClientSecretBasic, ClientSecretPost, None, PrivateKeyJwt, TlsClientAuth };
QString clientAuthMethodName(ClientAuthMethod method);
bool clientAuthMethodFromName(const QString &name, ClientAuthMethod *method);
QStringList clientAuthMethodNames();  // every method, in the table's order

// How the client authenticates at the token, revocation and introspection endpoints.
struct ClientConfig {
    QString clientId;
    QByteArray clientSecret;  // secret
    ClientAuthMethod authMethod = ClientAuthMethod::ClientSecretBasic;
    // private_key_jwt: the signing key and its JWS algorithm (empty = from the key: RS256/ES256/EdDSA).
    JsonWebKey assertionKey;
    QString assertionAlgorithm;
    // Audience of client assertions; empty = the endpoint being called.
    QString assertionAudience;
    // tls_client_auth: PEM certificate chain and private key presented on TLS connections.
    QByteArray clientCertificatePem;
    QByteArray clientKeyPem;  // secret
    QByteArray clientKeyPassphrase;  // secret
    // Extra certificate authorities (PEM) trusted for the authorization server,
    // for self-hosted servers with a private CA.
    QByteArray caCertificatesPem;
};

// An OAuth error (RFC 6749 §4.1.2.1, §5.2), or a transport/validation problem
// described in `description` with `error` naming the category.
struct OAuthError {
    QString error;
    QString description;
    QString uri;
    int httpStatus = 0;

    bool isNull() const { return error.isEmpty(); }
    QString text() const;  // "invalid_grant: the code expired (see URI) [HTTP 400]"
};

struct TokenSet {
    QByteArray accessToken;   // secret
    QByteArray refreshToken;  // secret
    QByteArray idToken;       // secret
    QString tokenType;
    QStringList scopes;       // empty: as requested
    QDateTime expiresAt;      // invalid: unknown
    QJsonObject otherFields;  // non-token members of the response (never the tokens)
};

struct TokenResult {
    bool ok = false;
    TokenSet tokens;
    OAuthError error;
};

} // namespace portolan::auth

Q_DECLARE_METATYPE(portolan::auth::TokenResult)
