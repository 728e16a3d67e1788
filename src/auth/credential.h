#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace portolan::auth {

// What a stored credential answers for.
enum class CredentialKind { ApiKey, Basic, Bearer, Digest, OAuth2 };
QString credentialKindName(CredentialKind kind);
bool credentialKindFromName(const QString &name, CredentialKind *kind);

// Names of the secrets a credential can hold. Secrets live only in the keychain
// (or, without one, in process memory); never in CredentialInfo.
namespace secret {
inline constexpr char ApiKey[] = "api_key";
inline constexpr char Password[] = "password";
inline constexpr char Token[] = "token";  // a bearer token typed by the user
inline constexpr char AccessToken[] = "access_token";
inline constexpr char RefreshToken[] = "refresh_token";
inline constexpr char IdToken[] = "id_token";
inline constexpr char ClientSecret[] = "client_secret";
inline constexpr char PrivateKeyPassphrase[] = "private_key_passphrase";
inline constexpr char DpopKey[] = "dpop_key";  // PKCS#8 PEM of the credential's DPoP key
// An extra token request parameter kept as a secret: the prefix, then its name.
inline constexpr char TokenParameterPrefix[] = "token_parameter:";
} // namespace secret

// Whether a request parameter's name says it carries a secret (client_secret,
// client_assertion, password, refresh_token, api_key, …). Such parameters are
// never written to credentials.json, whatever the user marked.
bool isSecretParameterName(const QString &name);

using Secrets = QMap<QString, QByteArray>;

// Everything about a credential except its secrets. Safe to write to disk and show.
struct CredentialInfo {
    QString id;          // random, stable
    QString api;         // which API: apiIdentity() of the document
    QString apiTitle;    // for display
    QString scheme;      // the securitySchemes key
    CredentialKind kind = CredentialKind::Bearer;
    QString label;       // free text shown in lists
    QString username;    // basic / digest / password grant
    QDateTime created;
    QDateTime updated;

    // OAuth 2.0 / OIDC
    QString flow;        // authorizationCode, implicit, password, clientCredentials, deviceAuthorization
    QString clientId;
    QString clientAuthMethod;  // client_secret_basic, client_secret_post, none, private_key_jwt, tls_client_auth
    QString privateKeyPath;    // private_key_jwt / tls_client_auth key file (the file, not its content)
    QString clientCertificatePath;
    QString caCertificatePath;  // extra CA trusted for the authorization server
    QString tokenUrl;
    QString revocationUrl;
    QString introspectionUrl;
    QString userinfoUrl;
    QString issuer;
    QString jwksUrl;
    QString subject;
    QStringList scopes;  // granted
    QString tokenType;   // Bearer or DPoP
    QDateTime expiresAt; // access token expiry; invalid when unknown
    bool hasRefreshToken = false;
    bool dpop = false;
    // Extra token request parameters (audience, resource, …) that are not
    // secret; secret ones are in the keychain under secret::TokenParameterPrefix.
    QJsonObject tokenParameters;

    // True when the keychain could not take the secrets: they live in memory for this session only.
    bool sessionOnly = false;

    QJsonObject toJson() const;
    static CredentialInfo fromJson(const QJsonObject &object);
    bool isExpired(const QDateTime &now = QDateTime::currentDateTimeUtc(), int leewaySeconds = 0) const;
};

} // namespace portolan::auth
