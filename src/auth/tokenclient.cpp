#include "tokenclient.h"

#include "tokenresponse.h"
#include "urlpolicy.h"
#include "pemidentity.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

#include <algorithm>

namespace portolan::auth {

namespace {

constexpr int kTimeoutMs = 30'000;
// Token, introspection and userinfo answers are small; a server sending more is broken.
constexpr qint64 kMaxResponseBytes = 1024 * 1024;

void limitSize(QNetworkReply *reply)
{
    QObject::connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxResponseBytes)
            reply->abort();
    });
}
const char kJwtBearer[] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

const struct {
    ClientAuthMethod method;
    const char *name;
} kMethodNames[] = {
    {ClientAuthMethod::ClientSecretBasic, "client_secret_basic"}, {ClientAuthMethod::ClientSecretPost, "client_secret_post"},
    {ClientAuthMethod::None, "none"}, {ClientAuthMethod::PrivateKeyJwt, "private_key_jwt"},
    {ClientAuthMethod::TlsClientAuth, "tls_client_auth"},
};

QByteArray formComponent(const QString &value) { return QUrl::toPercentEncoding(value); }

// Values a server could echo back that must never reach a message.
QList<QByteArray> secretValues(const Parameters &parameters, const ClientConfig &client)
{
    static const QStringList secretNames = {QStringLiteral("client_secret"), QStringLiteral("password"),
                                            QStringLiteral("refresh_token"), QStringLiteral("code"),
                                            QStringLiteral("code_verifier"), QStringLiteral("client_assertion"),
                                            QStringLiteral("token"), QStringLiteral("device_code")};
    QList<QByteArray> values;
    for (const auto &parameter : parameters)
        if (secretNames.contains(parameter.first) && !parameter.second.isEmpty())
            values.append(parameter.second.toUtf8());
    if (!client.clientSecret.isEmpty())
        values.append(client.clientSecret);
    return values;
}

using tokenresponse::redact;

EndpointAnswer answerOf(int status, const QByteArray &body, QNetworkReply *reply)
{
    return {status, reply ? reply->header(QNetworkRequest::ContentTypeHeader).toByteArray() : QByteArray(), body,
            reply ? reply->url() : QUrl()};
}

QString networkErrorText(QNetworkReply *reply)
{
    return QStringLiteral("%1: %2").arg(reply->url().toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery), reply->errorString());
}

} // namespace

QString clientAuthMethodName(ClientAuthMethod method)
{
    for (const auto &entry : kMethodNames)
        if (entry.method == method)
            return QLatin1String(entry.name);
    return {};
}

QStringList clientAuthMethodNames()
{
    QStringList names;
    for (const auto &entry : kMethodNames)
        names << QLatin1String(entry.name);
    return names;
}

bool clientAuthMethodFromName(const QString &name, ClientAuthMethod *method)
{
    for (const auto &entry : kMethodNames) {
        if (name == QLatin1String(entry.name)) {
            *method = entry.method;
            return true;
        }
    }
    return false;
}

QString OAuthError::text() const
{
    QString out = error;
    if (!description.isEmpty())
        out += QStringLiteral(": ") + description;
    if (!uri.isEmpty())
        out += QStringLiteral(" (see %1)").arg(uri);
    if (httpStatus)
        out += QStringLiteral(" [HTTP %1]").arg(httpStatus);
    return out;
}

TokenClient::TokenClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
}

QByteArray TokenClient::formEncode(const Parameters &parameters)
{
    QByteArray body;
    for (const auto &parameter : parameters) {
        if (!body.isEmpty())
            body += '&';
        body += formComponent(parameter.first) + '=' + formComponent(parameter.second);
    }
    return body;
}

OAuthError TokenClient::errorFromResponse(const EndpointAnswer &answer, const QList<QByteArray> &secrets)
{
    OAuthError error = tokenresponse::errorFrom(answer, secrets);
    if (error.isNull() && answer.status / 100 != 2) {  // e.g. a 3xx
        error.httpStatus = answer.status;
        error.error = QStringLiteral("server_error");
        error.description = QStringLiteral("%1 answered HTTP %2").arg(answer.endpoint.toString(QUrl::RemoveQuery)).arg(answer.status);
    }
    return error;
}

bool TokenClient::authenticateClient(const QUrl &url, const ClientConfig &client, Parameters *parameters,
                                     QNetworkRequest *request, QString *error)
{
    switch (client.authMethod) {
    case ClientAuthMethod::ClientSecretBasic: {
        // RFC 6749 §2.3.1: id and secret are form-encoded before base64.
        const QByteArray credentials = formComponent(client.clientId) + ':' + formComponent(QString::fromUtf8(client.clientSecret));
        request->setRawHeader("Authorization", "Basic " + credentials.toBase64());
        return true;
    }
    case ClientAuthMethod::ClientSecretPost:
        parameters->append({QStringLiteral("client_id"), client.clientId});
        parameters->append({QStringLiteral("client_secret"), QString::fromUtf8(client.clientSecret)});
        return true;
    case ClientAuthMethod::None:
    case ClientAuthMethod::TlsClientAuth:
        parameters->append({QStringLiteral("client_id"), client.clientId});
        if (client.authMethod == ClientAuthMethod::TlsClientAuth) {
            QSslConfiguration ssl = request->sslConfiguration();
            const PemIdentity identity = readPemIdentity(client.clientKeyPem, client.clientCertificatePem, client.clientKeyPassphrase);
            if (!identity.ok() || identity.certificates.isEmpty()) {
                *error = QStringLiteral("tls_client_auth needs a PEM client certificate and its private key: %1")
                             .arg(identity.ok() ? QStringLiteral("no certificate") : identity.error);
                return false;
            }
            ssl.setLocalCertificateChain(identity.certificates);
            ssl.setPrivateKey(identity.key);
            request->setSslConfiguration(ssl);
        }
        return true;
    case ClientAuthMethod::PrivateKeyJwt: {
        // RFC 7523 §2.2: a short-lived JWT signed with the client's key.
        const JsonWebKey &key = client.assertionKey;
        if (key.isNull() || !key.hasPrivateKey()) {
            *error = QStringLiteral("private_key_jwt needs the client's private key");
            return false;
        }
        QString alg = client.assertionAlgorithm;
        if (alg.isEmpty())
            alg = key.keyType() == QLatin1String("RSA") ? QStringLiteral("RS256")
                : key.keyType() == QLatin1String("EC")  ? QStringLiteral("ES256")
                                                        : QStringLiteral("EdDSA");
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonObject claims;
        claims.insert(QLatin1String("iss"), client.clientId);
        claims.insert(QLatin1String("sub"), client.clientId);
        claims.insert(QLatin1String("aud"), client.assertionAudience.isEmpty()
                                               ? url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment).toString()
                                               : client.assertionAudience);
        claims.insert(QLatin1String("jti"), QString::fromLatin1(randomToken(16)));
        claims.insert(QLatin1String("iat"), now);
        claims.insert(QLatin1String("exp"), now + 60);
        QJsonObject header;
        header.insert(QLatin1String("typ"), QStringLiteral("JWT"));
        const QByteArray assertion = signJwt(header, claims, key, alg, error);
        if (assertion.isEmpty())
            return false;
        parameters->append({QStringLiteral("client_id"), client.clientId});
        parameters->append({QStringLiteral("client_assertion_type"), QLatin1String(kJwtBearer)});
        parameters->append({QStringLiteral("client_assertion"), QString::fromLatin1(assertion)});
        return true;
    }
    }
    return false;
}

QNetworkAccessManager *TokenClient::networkFor(const ClientConfig &client)
{
    if (client.authMethod != ClientAuthMethod::TlsClientAuth)
        return m_network;
    const QByteArray key = QCryptographicHash::hash(client.clientCertificatePem, QCryptographicHash::Sha256);
    QNetworkAccessManager *&network = m_certificateNetworks[key];
    if (!network)
        network = m_newPool ? m_newPool(this) : new QNetworkAccessManager(this);
    return network;
}

void TokenClient::post(const QUrl &url, const ClientConfig &client, Parameters parameters, const JsonWebKey &dpopKey,
                       ReplyHandler handler, bool isRetry)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(kTimeoutMs);
    refuseRedirects(&request);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    if (!client.caCertificatesPem.isEmpty()) {
        QSslConfiguration ssl = request.sslConfiguration();
        ssl.addCaCertificates(QSslCertificate::fromData(client.caCertificatesPem, QSsl::Pem));
        request.setSslConfiguration(ssl);
    }
    const Parameters plain = parameters;  // before client authentication, for the retry
    QString error;
    if (!authenticateClient(url, client, &parameters, &request, &error)) {
        handler(0, error.toUtf8(), nullptr);
        return;
    }
    if (!dpopKey.isNull()) {
        const QByteArray proof = dpopProof(dpopKey, QStringLiteral("POST"), url, m_nonces.nonceFor(url), {}, &error);
        if (proof.isEmpty()) {
            handler(0, error.toUtf8(), nullptr);
            return;
        }
        request.setRawHeader("DPoP", proof);
    }
    QNetworkReply *reply = networkFor(client)->post(request, formEncode(parameters));
    limitSize(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply, url, client, plain, dpopKey, handler, isRetry] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        m_nonces.remember(url, reply->rawHeader("DPoP-Nonce"));
        if (!dpopKey.isNull() && !isRetry && status == 400 && reply->hasRawHeader("DPoP-Nonce")
            && QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toString() == QLatin1String("use_dpop_nonce")) {
            post(url, client, plain, dpopKey, handler, true);
            return;
        }
        const QString redirect = redirectRefusal(reply, QStringLiteral("the endpoint"));
        if (!redirect.isEmpty()) {
            handler(0, redirect.toUtf8(), reply);
            return;
        }
        if (status == 0) {
            handler(0, networkErrorText(reply).toUtf8(), reply);
            return;
        }
        handler(status, body, reply);
    });
}

void TokenClient::requestToken(const QUrl &tokenUrl, const ClientConfig &client, const Parameters &parameters,
                               const JsonWebKey &dpopKey, std::function<void(const TokenResult &)> done)
{
    const QList<QByteArray> secrets = secretValues(parameters, client);
    post(tokenUrl, client, parameters, dpopKey, [done, secrets](int status, const QByteArray &body, QNetworkReply *reply) {
        TokenResult result;
        if (status == 0) {
            result.error.error = QStringLiteral("network_error");
            result.error.description = redact(QString::fromUtf8(body), secrets);
        } else {
            result = tokenresponse::parse(answerOf(status, body, reply), secrets);
        }
        done(result);
    });
}

void TokenClient::requestDeviceAuthorization(const QUrl &url, const ClientConfig &client, const Parameters &parameters,
                                             std::function<void(const DeviceAuthorization &, const OAuthError &)> done)
{
    const QList<QByteArray> secrets = secretValues(parameters, client);
    post(url, client, parameters, {}, [done, secrets](int status, const QByteArray &body, QNetworkReply *reply) {
        DeviceAuthorization authorization;
        OAuthError error;
        if (status == 0) {
            error.error = QStringLiteral("network_error");
            error.description = QString::fromUtf8(body);
        } else {
            error = tokenresponse::parseDeviceAuthorization(answerOf(status, body, reply), secrets, &authorization);
        }
        done(authorization, error);
    });
}

void TokenClient::postToken(const QUrl &url, const ClientConfig &client, const QByteArray &token, const QString &tokenTypeHint,
                            std::function<void(int status, const QByteArray &body, OAuthError error)> done)
{
    // RFC 7009 §2.1 and RFC 7662 §2.1 send the same two parameters.
    Parameters parameters{{QStringLiteral("token"), QString::fromUtf8(token)}};
    if (!tokenTypeHint.isEmpty())
        parameters.append({QStringLiteral("token_type_hint"), tokenTypeHint});
    const QList<QByteArray> secrets = secretValues(parameters, client);
    post(url, client, parameters, {}, [done, secrets](int status, const QByteArray &body, QNetworkReply *reply) {
        OAuthError error;
        if (status == 0) {
            error.error = QStringLiteral("network_error");
            error.description = redact(QString::fromUtf8(body), secrets);
        } else if (status != 200) {
            error = errorFromResponse(answerOf(status, body, reply), secrets);
        }
        done(status, body, error);
    });
}

void TokenClient::revoke(const QUrl &url, const ClientConfig &client, const QByteArray &token,
                         const QString &tokenTypeHint, std::function<void(const OAuthError &)> done)
{
    postToken(url, client, token, tokenTypeHint,
              [done](int, const QByteArray &, const OAuthError &error) { done(error); });
}

void TokenClient::introspect(const QUrl &url, const ClientConfig &client, const QByteArray &token,
                             const QString &tokenTypeHint, std::function<void(const QJsonObject &, const OAuthError &)> done)
{
    postToken(url, client, token, tokenTypeHint,
              [done](int status, const QByteArray &body, OAuthError error) {
                  QJsonObject response;
                  if (status == 200) {
                      response = QJsonDocument::fromJson(body).object();
                      if (!response.value(QLatin1String("active")).isBool()) {
                          error.error = QStringLiteral("invalid_response");
                          error.description = QStringLiteral("the introspection response has no boolean \"active\"");
                      }
                  }
                  done(response, error);
              });
}

void TokenClient::userinfo(const QUrl &url, const QByteArray &accessToken, const QString &tokenType,
                           const JsonWebKey &dpopKey, std::function<void(const QJsonObject &, const OAuthError &)> done)
{
    // Sent once, and once more when the server asks for a fresh DPoP nonce.
    // The reply callback owns the function; it refers to itself weakly.
    auto send = std::make_shared<std::function<void(bool)>>();
    std::weak_ptr<std::function<void(bool)>> weakSend = send;
    *send = [this, url, accessToken, tokenType, dpopKey, done, weakSend](bool isRetry) {
        const std::shared_ptr<std::function<void(bool)>> send = weakSend.lock();
        QNetworkRequest request(url);
        request.setTransferTimeout(kTimeoutMs);
        refuseRedirects(&request);
        request.setRawHeader("Accept", "application/json");
        const bool dpop = tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0;
        request.setRawHeader("Authorization", (dpop ? "DPoP " : "Bearer ") + accessToken);
        if (dpop) {
            QString error;
            const QByteArray proof = dpopProof(dpopKey, QStringLiteral("GET"), url, m_nonces.nonceFor(url), accessToken, &error);
            if (proof.isEmpty()) {
                done({}, OAuthError{QStringLiteral("dpop_error"), error, {}, 0});
                return;
            }
            request.setRawHeader("DPoP", proof);
        }
        QNetworkReply *reply = m_network->get(request);
        limitSize(reply);
        connect(reply, &QNetworkReply::finished, this, [this, reply, url, accessToken, done, send, dpop, isRetry] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            m_nonces.remember(url, reply->rawHeader("DPoP-Nonce"));
            const QByteArray challenge = reply->rawHeader("WWW-Authenticate");
            if (dpop && !isRetry && status == 401 && challenge.contains("use_dpop_nonce")) {
                (*send)(true);
                return;
            }
            if (status == 200) {
                done(QJsonDocument::fromJson(reply->readAll()).object(), {});
                return;
            }
            const QString redirect = redirectRefusal(reply, QStringLiteral("the userinfo endpoint"));
            if (!redirect.isEmpty()) {
                done({}, OAuthError{QStringLiteral("redirect_refused"), redirect, {}, status});
                return;
            }
            OAuthError error;
            error.httpStatus = status;
            error.error = status ? QStringLiteral("userinfo_failed") : QStringLiteral("network_error");
            error.description = status ? redact(QString::fromLatin1(challenge), {accessToken}) : networkErrorText(reply);
            done({}, error);
        });
    };
    (*send)(false);
}

} // namespace portolan::auth
