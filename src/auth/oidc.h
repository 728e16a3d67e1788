#pragma once

#include "jose.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace portolan::auth {

// OpenID Provider / OAuth authorization server metadata (OIDC Discovery, RFC 8414).
struct ProviderMetadata {
    QString issuer;
    QUrl authorizationEndpoint;
    QUrl tokenEndpoint;
    QUrl userinfoEndpoint;
    QUrl jwksUri;
    QUrl revocationEndpoint;
    QUrl introspectionEndpoint;
    QUrl deviceAuthorizationEndpoint;
    QStringList scopesSupported;
    QStringList grantTypesSupported;
    QStringList codeChallengeMethodsSupported;
    QStringList tokenEndpointAuthMethodsSupported;
    QStringList idTokenSigningAlgValuesSupported;
    QStringList dpopSigningAlgValuesSupported;
    bool authorizationResponseIssParameterSupported = false;
    QJsonObject raw;

    // Checks that `issuer` is present and equals `expectedIssuer` (when given).
    static bool parse(const QJsonObject &object, const QString &expectedIssuer, ProviderMetadata *out, QString *error);
};

struct IdTokenExpectations {
    QString issuer;
    QString clientId;
    QByteArray nonce;           // empty: no nonce was sent, none is checked
    QDateTime now = QDateTime::currentDateTimeUtc();
    int leewaySeconds = 60;     // clock skew allowance for exp / iat
    int maxAgeSeconds = -1;     // max_age requested: auth_time must be recent
    QByteArray accessToken;     // issued with the ID token: its at_hash claim, when present, must match
    bool requireAtHash = false; // implicit `id_token token` (OIDC Core §3.2.2.10): at_hash must be there
    QStringList allowedAlgorithms = {QStringLiteral("RS256"), QStringLiteral("PS256"), QStringLiteral("ES256"),
                                     QStringLiteral("EdDSA"), QStringLiteral("Ed25519")};
};

struct IdTokenValidation {
    bool valid = false;
    QString error;      // the first check that failed
    QJsonObject claims;
    QString keyId;      // the key that verified it
    bool unknownKey = false;  // no key in the JWKS matched: refetch the JWKS once
};

// OIDC Core §3.1.3.7: signature against `jwks` (alg never "none", never HMAC),
// iss, sub (§2: required), aud, azp, exp, iat, nonce, auth_time, and at_hash
// (§3.1.3.8, §3.2.2.9).
// (No c_hash: Portolan runs no hybrid flow, so no code arrives with an ID token.)
IdTokenValidation validateIdToken(const QByteArray &idToken, const QJsonArray &jwks, const IdTokenExpectations &expected);

// For display: a JWT's header and claims, and whether its signature checks out
// against `jwks` (empty = "not checked").
struct JwtInspection {
    bool wellFormed = false;
    QString error;
    QJsonObject header;
    QJsonObject claims;
    QString signatureStatus;  // "valid (kid …)", "invalid: …", "not checked: no keys", "unsigned (alg none)"
};
JwtInspection inspectJwt(const QByteArray &jwt, const QJsonArray &jwks = {});

// Fetches discovery documents (cached per URL for the session) and JWKS.
// A JWKS is public: it is kept per issuer and key-set URL until it expires
// (the server's Cache-Control max-age, within 1 min to 1 day; 1 h without
// one), in memory and, with a cache directory, on disk so later logins and
// later runs reuse it. An unknown `kid` refetches it once.
class OidcDiscovery : public QObject {
    Q_OBJECT
public:
    // `network` is not owned and must outlive this object.
    explicit OidcDiscovery(QNetworkAccessManager *network, QObject *parent = nullptr);

    // Where key sets are kept between runs; empty (the default) = memory only.
    void setCacheDirectory(const QString &directory) { m_cacheDirectory = directory; }
    // <CacheLocation>/jwks: what the front ends use.
    static QString defaultCacheDirectory();

    // `url`: an `openIdConnectUrl` (…/.well-known/openid-configuration) or a bare
    // issuer, to which /.well-known/openid-configuration is appended (RFC 8414
    // oauth-authorization-server is tried when that fails).
    void discover(const QUrl &url, std::function<void(const ProviderMetadata &, const QString &error)> done);
    // The keys of a JWKS; `refresh` bypasses the cache (after an unknown kid).
    // `issuer`: whose keys these are (part of the cache key).
    void fetchJwks(const QUrl &url, bool refresh, std::function<void(const QJsonArray &keys, const QString &error)> done,
                   const QString &issuer = QString());

    // Validates an ID token, refetching the JWKS once when its key is unknown.
    void validateIdToken(const QByteArray &idToken, const QUrl &jwksUrl, const IdTokenExpectations &expected,
                         std::function<void(const IdTokenValidation &)> done);

private:
    struct CachedKeys {
        QJsonArray keys;
        QDateTime expires;
    };
    void getJson(const QUrl &url, std::function<void(const QJsonObject &, const QString &error, int maxAgeSeconds)> done);
    QString cacheFile(const QString &key) const;
    bool cachedKeys(const QString &key, CachedKeys *out);
    void keepKeys(const QString &key, const QString &issuer, const QUrl &url, const CachedKeys &keys);

    QNetworkAccessManager *m_network;  // not owned
    QString m_cacheDirectory;
    QHash<QString, ProviderMetadata> m_metadata;
    QHash<QString, CachedKeys> m_jwks;
};

} // namespace portolan::auth
