#include "oidc.h"

#include "urlpolicy.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace portolan::auth {

namespace {

constexpr int kTimeoutMs = 30'000;
constexpr qint64 kMaxDocumentBytes = 1024 * 1024;
// How long a key set is trusted without asking again (RFC 9111 max-age, bounded).
constexpr int kDefaultKeysMaxAge = 3600;
constexpr int kMinKeysMaxAge = 60;
constexpr int kMaxKeysMaxAge = 24 * 3600;

int maxAgeOf(const QByteArray &cacheControl)
{
    static const QRegularExpression maxAge(QStringLiteral("(?:^|[,\\s])max-age\\s*=\\s*(\\d+)"),
                                           QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = maxAge.match(QString::fromLatin1(cacheControl));
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

QUrl urlMember(const QJsonObject &object, const char *name)
{
    return QUrl(object.value(QLatin1String(name)).toString(), QUrl::StrictMode);
}

// Candidate keys for a JWS header: by kid when given, else every key that fits the algorithm.
QList<JsonWebKey> candidateKeys(const QJsonArray &jwks, const QJsonObject &header, const QString &alg)
{
    const QString kid = header.value(QLatin1String("kid")).toString();
    QList<JsonWebKey> keys;
    for (const QJsonValue &value : jwks) {
        const QJsonObject jwk = value.toObject();
        if (!kid.isEmpty() && jwk.value(QLatin1String("kid")).toString() != kid)
            continue;
        const QString use = jwk.value(QLatin1String("use")).toString();
        if (!use.isEmpty() && use != QLatin1String("sig"))
            continue;
        QString error;
        const JsonWebKey key = JsonWebKey::fromJwk(jwk, &error);
        if (key.isNull() || !key.supportsAlgorithm(alg))
            continue;
        if (!key.algorithmHint().isEmpty() && key.algorithmHint() != alg
            && !(alg == QLatin1String("Ed25519") && key.algorithmHint() == QLatin1String("EdDSA")))
            continue;
        keys.append(key);
    }
    return keys;
}

bool verifyWithKeys(const DecodedJwt &jwt, const QJsonArray &jwks, QString *keyId, QString *error, bool *unknownKey)
{
    const QList<JsonWebKey> keys = candidateKeys(jwks, jwt.header, jwt.algorithm());
    if (keys.isEmpty()) {
        *unknownKey = true;
        *error = QStringLiteral("no key in the provider's JWKS matches kid \"%1\" and alg %2")
                     .arg(jwt.header.value(QLatin1String("kid")).toString(), jwt.algorithm());
        return false;
    }
    for (const JsonWebKey &key : keys) {
        QString verifyError;
        if (verifySignature(jwt.signingInput, jwt.signature, key, jwt.algorithm(), &verifyError)) {
            *keyId = key.keyId();
            return true;
        }
        *error = verifyError;
    }
    *error = QStringLiteral("the signature is invalid (%1)").arg(*error);
    return false;
}

} // namespace

bool ProviderMetadata::parse(const QJsonObject &o, const QString &expectedIssuer, ProviderMetadata *out, QString *error)
{
    ProviderMetadata m;
    m.raw = o;
    m.issuer = o.value(QLatin1String("issuer")).toString();
    if (m.issuer.isEmpty()) {
        *error = QStringLiteral("the discovery document has no issuer");
        return false;
    }
    if (!expectedIssuer.isEmpty() && m.issuer != expectedIssuer) {
        *error = QStringLiteral("the discovery document names issuer %1, expected %2").arg(m.issuer, expectedIssuer);
        return false;
    }
    m.authorizationEndpoint = urlMember(o, "authorization_endpoint");
    m.tokenEndpoint = urlMember(o, "token_endpoint");
    m.userinfoEndpoint = urlMember(o, "userinfo_endpoint");
    m.jwksUri = urlMember(o, "jwks_uri");
    m.revocationEndpoint = urlMember(o, "revocation_endpoint");
    m.introspectionEndpoint = urlMember(o, "introspection_endpoint");
    m.deviceAuthorizationEndpoint = urlMember(o, "device_authorization_endpoint");
    m.scopesSupported = stringList(o.value(QLatin1String("scopes_supported")));
    m.grantTypesSupported = stringList(o.value(QLatin1String("grant_types_supported")));
    m.codeChallengeMethodsSupported = stringList(o.value(QLatin1String("code_challenge_methods_supported")));
    m.tokenEndpointAuthMethodsSupported = stringList(o.value(QLatin1String("token_endpoint_auth_methods_supported")));
    m.idTokenSigningAlgValuesSupported = stringList(o.value(QLatin1String("id_token_signing_alg_values_supported")));
    m.dpopSigningAlgValuesSupported = stringList(o.value(QLatin1String("dpop_signing_alg_values_supported")));
    m.authorizationResponseIssParameterSupported =
        o.value(QLatin1String("authorization_response_iss_parameter_supported")).toBool();
    *out = m;
    return true;
}

namespace {
// OIDC Core §3.1.3.6: base64url of the left half of the token's hash, with
// the hash of the ID token's JWS algorithm (SHA-512 for Ed25519, as the OpenID
// Foundation settled for EdDSA).
QByteArray tokenHash(const QByteArray &token, const QString &alg)
{
    const bool ed25519 = alg == QLatin1String("EdDSA") || alg == QLatin1String("Ed25519");
    const QByteArray digest = QCryptographicHash::hash(token, ed25519 ? QCryptographicHash::Sha512 : QCryptographicHash::Sha256);
    return base64UrlEncode(digest.left(digest.size() / 2));
}
} // namespace

IdTokenValidation validateIdToken(const QByteArray &idToken, const QJsonArray &jwks, const IdTokenExpectations &expected)
{
    IdTokenValidation result;
    const DecodedJwt jwt = DecodedJwt::decode(idToken);
    if (!jwt.wellFormed) {
        result.error = QStringLiteral("the ID token is malformed: ") + jwt.error;
        return result;
    }
    const QString alg = jwt.algorithm();
    if (!expected.allowedAlgorithms.contains(alg)) {
        result.error = QStringLiteral("the ID token's algorithm \"%1\" is not accepted").arg(alg);
        return result;
    }
    if (!verifyWithKeys(jwt, jwks, &result.keyId, &result.error, &result.unknownKey))
        return result;

    const QJsonObject &c = jwt.payload;
    const qint64 now = expected.now.toSecsSinceEpoch();
    if (c.value(QLatin1String("iss")).toString() != expected.issuer) {
        result.error = QStringLiteral("the ID token's iss \"%1\" is not the issuer %2")
                           .arg(c.value(QLatin1String("iss")).toString(), expected.issuer);
        return result;
    }
    const QJsonValue sub = c.value(QLatin1String("sub"));
    if (!sub.isString() || sub.toString().isEmpty()) {
        result.error = QStringLiteral("the ID token has no sub (subject) claim, which OpenID Connect requires");
        return result;
    }
    QStringList audiences;
    const QJsonValue aud = c.value(QLatin1String("aud"));
    if (aud.isArray())
        audiences = stringList(aud);
    else
        audiences.append(aud.toString());
    if (!audiences.contains(expected.clientId)) {
        result.error = QStringLiteral("the ID token's aud (%1) does not contain the client id %2")
                           .arg(audiences.join(QLatin1String(", ")), expected.clientId);
        return result;
    }
    const QString azp = c.value(QLatin1String("azp")).toString();
    if ((audiences.size() > 1 || !azp.isEmpty()) && azp != expected.clientId) {
        result.error = QStringLiteral("the ID token's azp \"%1\" is not the client id %2").arg(azp, expected.clientId);
        return result;
    }
    if (!c.value(QLatin1String("exp")).isDouble() || !c.value(QLatin1String("iat")).isDouble()) {
        result.error = QStringLiteral("the ID token lacks a numeric exp or iat");
        return result;
    }
    const qint64 exp = qint64(c.value(QLatin1String("exp")).toDouble());
    const qint64 iat = qint64(c.value(QLatin1String("iat")).toDouble());
    if (now - expected.leewaySeconds >= exp) {
        result.error = QStringLiteral("the ID token expired at %1")
                           .arg(QDateTime::fromSecsSinceEpoch(exp, Qt::UTC).toString(Qt::ISODate));
        return result;
    }
    if (iat > now + expected.leewaySeconds) {
        result.error = QStringLiteral("the ID token was issued in the future (iat %1); check the clock")
                           .arg(QDateTime::fromSecsSinceEpoch(iat, Qt::UTC).toString(Qt::ISODate));
        return result;
    }
    if (!expected.nonce.isEmpty() && c.value(QLatin1String("nonce")).toString().toUtf8() != expected.nonce) {
        result.error = QStringLiteral("the ID token's nonce does not match the one sent (possible replay)");
        return result;
    }
    if (expected.maxAgeSeconds >= 0) {
        const qint64 authTime = qint64(c.value(QLatin1String("auth_time")).toDouble(-1));
        if (authTime < 0 || now - expected.leewaySeconds > authTime + expected.maxAgeSeconds) {
            result.error = QStringLiteral("the ID token's auth_time is older than max_age");
            return result;
        }
    }
    const QString atHash = c.value(QLatin1String("at_hash")).toString();
    if (expected.requireAtHash && atHash.isEmpty()) {
        result.error = QStringLiteral("the ID token has no at_hash, which the implicit flow requires to tie it to its access token");
        return result;
    }
    if (!expected.accessToken.isEmpty() && !atHash.isEmpty() && atHash.toLatin1() != tokenHash(expected.accessToken, alg)) {
        result.error = QStringLiteral("the ID token's at_hash does not match the access token it came with");
        return result;
    }
    result.claims = c;
    result.valid = true;
    return result;
}

JwtInspection inspectJwt(const QByteArray &token, const QJsonArray &jwks)
{
    JwtInspection inspection;
    const DecodedJwt jwt = DecodedJwt::decode(token);
    if (!jwt.wellFormed) {
        inspection.error = jwt.error;
        return inspection;
    }
    inspection.wellFormed = true;
    inspection.header = jwt.header;
    inspection.claims = jwt.payload;
    if (jwt.algorithm() == QLatin1String("none")) {
        inspection.signatureStatus = QStringLiteral("unsigned (alg none)");
    } else if (jwks.isEmpty()) {
        inspection.signatureStatus = QStringLiteral("not checked: no keys");
    } else {
        QString keyId, error;
        bool unknownKey = false;
        inspection.signatureStatus = verifyWithKeys(jwt, jwks, &keyId, &error, &unknownKey)
            ? QStringLiteral("valid (%1, kid %2)").arg(jwt.algorithm(), keyId.isEmpty() ? QStringLiteral("-") : keyId)
            : QStringLiteral("invalid: ") + error;
    }
    return inspection;
}

OidcDiscovery::OidcDiscovery(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
}

QString OidcDiscovery::defaultCacheDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QLatin1String("/jwks");
}

void OidcDiscovery::getJson(const QUrl &url, std::function<void(const QJsonObject &, const QString &, int)> done)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(kTimeoutMs);
    refuseRedirects(&request);
    request.setRawHeader("Accept", "application/json");
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxDocumentBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [reply, url, done] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString redirect = redirectRefusal(reply, QStringLiteral("the document at"));
        if (!redirect.isEmpty()) {
            done({}, redirect, -1);
            return;
        }
        if (reply->error() != QNetworkReply::NoError) {
            done({}, QStringLiteral("%1: %2").arg(url.toString(), status ? QStringLiteral("HTTP %1").arg(status)
                                                                          : reply->errorString()), -1);
            return;
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(reply->readAll(), &parseError);
        if (!document.isObject()) {
            done({}, QStringLiteral("%1: not a JSON object (%2 at offset %3)")
                         .arg(url.toString(), parseError.errorString()).arg(parseError.offset), -1);
            return;
        }
        done(document.object(), {}, maxAgeOf(reply->rawHeader("Cache-Control")));
    });
}

void OidcDiscovery::discover(const QUrl &url, std::function<void(const ProviderMetadata &, const QString &)> done)
{
    const QString key = url.toString();
    if (m_metadata.contains(key)) {
        done(m_metadata.value(key), {});
        return;
    }
    const bool isWellKnown = url.path().contains(QLatin1String("/.well-known/"));
    QString expectedIssuer;
    QUrl documentUrl = url;
    if (isWellKnown) {
        // OIDC Discovery §4.3: issuer + /.well-known/openid-configuration.
        QString path = url.path();
        path.truncate(path.indexOf(QLatin1String("/.well-known/")));
        QUrl issuer = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
        issuer.setPath(path);
        expectedIssuer = issuer.toString();
    } else {
        expectedIssuer = url.toString(QUrl::StripTrailingSlash);
        documentUrl = QUrl(expectedIssuer + QLatin1String("/.well-known/openid-configuration"));
    }
    getJson(documentUrl, [this, key, url, expectedIssuer, isWellKnown, done](const QJsonObject &object, const QString &error, int) {
        if (!error.isEmpty() && !isWellKnown) {
            // RFC 8414 servers publish under a different well-known name.
            QUrl fallback = url;
            fallback.setPath(QLatin1String("/.well-known/oauth-authorization-server") + url.path(QUrl::FullyEncoded));
            getJson(fallback, [this, key, expectedIssuer, done, error](const QJsonObject &o, const QString &fallbackError, int) {
                ProviderMetadata metadata;
                QString parseError = fallbackError.isEmpty() ? QString() : error;
                if (parseError.isEmpty() && ProviderMetadata::parse(o, expectedIssuer, &metadata, &parseError))
                    m_metadata.insert(key, metadata);
                done(metadata, parseError);
            });
            return;
        }
        ProviderMetadata metadata;
        QString parseError = error;
        if (parseError.isEmpty() && ProviderMetadata::parse(object, expectedIssuer, &metadata, &parseError))
            m_metadata.insert(key, metadata);
        done(metadata, parseError);
    });
}

QString OidcDiscovery::cacheFile(const QString &key) const
{
    return m_cacheDirectory + QLatin1Char('/')
        + QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(32))
        + QLatin1String(".json");
}

bool OidcDiscovery::cachedKeys(const QString &key, CachedKeys *out)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto fresh = m_jwks.constFind(key);
    if (fresh != m_jwks.cend() && fresh->expires > now) {
        *out = *fresh;
        return true;
    }
    if (m_cacheDirectory.isEmpty())
        return false;
    QFile file(cacheFile(key));
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxDocumentBytes)
        return false;
    const QJsonObject stored = QJsonDocument::fromJson(file.readAll()).object();
    CachedKeys keys{stored.value(QLatin1String("keys")).toArray(),
                    QDateTime::fromString(stored.value(QLatin1String("expires")).toString(), Qt::ISODate)};
    if (stored.value(QLatin1String("key")).toString() != key || !keys.expires.isValid() || keys.expires <= now)
        return false;
    m_jwks.insert(key, keys);
    *out = keys;
    return true;
}

void OidcDiscovery::keepKeys(const QString &key, const QString &issuer, const QUrl &url, const CachedKeys &keys)
{
    m_jwks.insert(key, keys);
    if (m_cacheDirectory.isEmpty() || !QDir().mkpath(m_cacheDirectory))
        return;
    QJsonObject stored;
    stored.insert(QLatin1String("key"), key);
    stored.insert(QLatin1String("issuer"), issuer);
    stored.insert(QLatin1String("jwksUri"), url.toString());
    stored.insert(QLatin1String("expires"), keys.expires.toString(Qt::ISODate));
    stored.insert(QLatin1String("keys"), keys.keys);
    QSaveFile file(cacheFile(key));
    if (file.open(QIODevice::WriteOnly)) {
        file.write(QJsonDocument(stored).toJson(QJsonDocument::Compact));
        file.commit();  // a cache: failing to keep it only costs a fetch later
    }
}

void OidcDiscovery::fetchJwks(const QUrl &url, bool refresh, std::function<void(const QJsonArray &, const QString &)> done,
                              const QString &issuer)
{
    const QString key = issuer + QLatin1Char(' ') + url.toString();
    CachedKeys cached;
    if (!refresh && cachedKeys(key, &cached)) {
        done(cached.keys, {});
        return;
    }
    getJson(url, [this, key, issuer, url, done](const QJsonObject &object, const QString &error, int maxAge) {
        if (!error.isEmpty()) {
            done({}, error);
            return;
        }
        const int seconds = maxAge < 0 ? kDefaultKeysMaxAge : qBound(kMinKeysMaxAge, maxAge, kMaxKeysMaxAge);
        const CachedKeys keys{object.value(QLatin1String("keys")).toArray(), QDateTime::currentDateTimeUtc().addSecs(seconds)};
        keepKeys(key, issuer, url, keys);
        done(keys.keys, {});
    });
}

void OidcDiscovery::validateIdToken(const QByteArray &idToken, const QUrl &jwksUrl, const IdTokenExpectations &expected,
                                    std::function<void(const IdTokenValidation &)> done)
{
    fetchJwks(jwksUrl, false, [this, idToken, jwksUrl, expected, done](const QJsonArray &keys, const QString &error) {
        if (!error.isEmpty()) {
            IdTokenValidation failed;
            failed.error = QStringLiteral("cannot fetch the provider's keys: ") + error;
            done(failed);
            return;
        }
        const IdTokenValidation first = auth::validateIdToken(idToken, keys, expected);
        if (!first.unknownKey) {
            done(first);
            return;
        }
        // Keys rotate: refetch once before giving up.
        fetchJwks(jwksUrl, true, [idToken, expected, done](const QJsonArray &fresh, const QString &refetchError) {
            if (!refetchError.isEmpty()) {
                IdTokenValidation failed;
                failed.error = QStringLiteral("cannot fetch the provider's keys: ") + refetchError;
                done(failed);
                return;
            }
            done(auth::validateIdToken(idToken, fresh, expected));
        }, expected.issuer);
    }, expected.issuer);
}

} // namespace portolan::auth
