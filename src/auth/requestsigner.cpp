#include "requestsigner.h"

#include "credentialstore.h"
#include "digest.h"
#include "dpop.h"
#include "tokenmanager.h"

#include <QPointer>
#include <QUrlQuery>

#include <memory>

namespace portolan::auth {

namespace {

QList<QPair<QByteArray, QByteArray>> parseCookieHeader(const QByteArray &header)
{
    QList<QPair<QByteArray, QByteArray>> cookies;
    for (const QByteArray &part : header.split(';')) {
        const QByteArray trimmed = part.trimmed();
        if (trimmed.isEmpty())
            continue;
        const int equals = trimmed.indexOf('=');
        cookies.append(equals < 0 ? qMakePair(trimmed, QByteArray()) : qMakePair(trimmed.left(equals), trimmed.mid(equals + 1)));
    }
    return cookies;
}

// The request-target digest hashes: path and query as sent on the wire.
QByteArray requestUri(const QUrl &url)
{
    QByteArray uri = url.path(QUrl::FullyEncoded).toLatin1();
    if (uri.isEmpty())
        uri = "/";
    if (url.hasQuery())
        uri += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    return uri;
}

QString schemeError(const QString &scheme, const QString &message)
{
    return QStringLiteral("%1: %2").arg(scheme, message);
}

} // namespace

QString apiIdentity(const ApiDocument &document)
{
    if (!document.sourceUrl.isEmpty())
        return document.sourceUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveFragment);
    return document.info.title;
}

void RequestAuth::applyTo(QNetworkRequest *request) const
{
    for (const auto &header : headers)
        request->setRawHeader(header.first, header.second);
    if (!queryItems.isEmpty()) {
        QUrl url = request->url();
        QUrlQuery query(url);
        for (const auto &item : queryItems)
            query.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(item.first)),
                               QString::fromLatin1(QUrl::toPercentEncoding(item.second)));
        url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
        request->setUrl(url);
    }
    if (!cookies.isEmpty()) {
        auto merged = parseCookieHeader(request->rawHeader("Cookie"));
        for (const auto &cookie : cookies) {
            const QByteArray name = cookie.first.toUtf8();
            merged.erase(std::remove_if(merged.begin(), merged.end(), [&name](const auto &c) { return c.first == name; }),
                         merged.end());
            merged.append({name, QUrl::toPercentEncoding(cookie.second)});
        }
        QByteArray header;
        for (const auto &cookie : merged) {
            if (!header.isEmpty())
                header += "; ";
            header += cookie.first + '=' + cookie.second;
        }
        request->setRawHeader("Cookie", header);
    }
}

bool AlternativeStatus::satisfied() const
{
    for (const SchemeStatus &scheme : schemes)
        if (!scheme.satisfied())
            return false;
    return true;
}

RequestSigner::RequestSigner(CredentialStore *store, TokenManager *tokens, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_tokens(tokens)
    , m_digest(std::make_unique<DigestResponder>())
{
}

RequestSigner::~RequestSigner() = default;

QList<AlternativeStatus> RequestSigner::evaluate(const ApiDocument &document, const SecurityRequirement &requirement) const
{
    const QString api = apiIdentity(document);
    QList<AlternativeStatus> statuses;
    for (const SecurityAlternative &alternative : requirement) {
        AlternativeStatus status;
        status.alternative = alternative;
        for (const SchemeUse &use : alternative) {
            SchemeStatus scheme;
            scheme.scheme = use.scheme;
            scheme.scopes = use.scopes;
            scheme.definition = document.securityScheme(use.scheme);
            const QList<CredentialInfo> candidates = m_store->forScheme(api, use.scheme);
            if (!scheme.definition) {
                scheme.problem = QStringLiteral("scheme %1 is not declared in the document").arg(use.scheme);
            } else if (candidates.isEmpty()) {
                scheme.problem = QStringLiteral("no credential stored for %1").arg(use.scheme);
            } else {
                const CredentialInfo &info = candidates.first();
                scheme.credentialId = info.id;
                QStringList missing;
                if (info.kind == CredentialKind::OAuth2 && !info.scopes.isEmpty())
                    for (const QString &scope : use.scopes)
                        if (!info.scopes.contains(scope))
                            missing.append(scope);
                if (info.kind == CredentialKind::OAuth2 && info.isExpired() && !info.hasRefreshToken)
                    scheme.problem = QStringLiteral("the token for %1 expired and cannot be refreshed; log in again").arg(use.scheme);
                else if (!missing.isEmpty())
                    scheme.problem = QStringLiteral("the token for %1 lacks scope %2").arg(use.scheme, missing.join(QLatin1String(", ")));
            }
            status.schemes.append(scheme);
        }
        statuses.append(status);
    }
    return statuses;
}

void RequestSigner::sign(const ApiDocument &document, const SecurityAlternative &alternative, const QString &method,
                         const QUrl &url, std::function<void(const SignResult &)> done,
                         const QHash<QString, QString> &overrides)
{
    struct Job {
        QList<QPair<SecurityScheme, QString>> steps;  // scheme, credential id
        int next = 0;
        SignResult result;
    };
    auto job = std::make_shared<Job>();
    const QString api = apiIdentity(document);
    for (const SchemeUse &use : alternative) {
        const SecurityScheme *scheme = document.securityScheme(use.scheme);
        QString id = overrides.value(use.scheme);
        if (id.isEmpty()) {
            const QList<CredentialInfo> candidates = m_store->forScheme(api, use.scheme);
            if (!candidates.isEmpty())
                id = candidates.first().id;
        }
        if (!scheme || id.isEmpty() || !m_store->contains(id)) {
            SignResult failed;
            failed.error = schemeError(use.scheme, !scheme ? QStringLiteral("not declared in the document")
                                                           : QStringLiteral("no credential stored; log in first"));
            done(failed);
            return;
        }
        job->steps.append({*scheme, id});
        m_lastSignedUrl.insert(id, url);
    }

    // Schemes are applied one after the other, each maybe waiting for the
    // keychain or a refresh. The pending callback owns the chain; the chain
    // refers to itself weakly so nothing keeps it alive once it is done.
    auto step = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weakStep = step;
    *step = [this, job, weakStep, method, url, done]() {
        const std::shared_ptr<std::function<void()>> step = weakStep.lock();
        if (job->next == job->steps.size()) {
            job->result.ok = true;
            done(job->result);
            return;
        }
        const SecurityScheme scheme = job->steps[job->next].first;
        const QString id = job->steps[job->next].second;
        ++job->next;
        const CredentialInfo info = m_store->info(id);
        auto fail = [job, done, scheme](const QString &message) {
            job->result.ok = false;
            job->result.error = schemeError(scheme.name, message);
            done(job->result);
        };
        if (scheme.type == SecuritySchemeType::Http && scheme.scheme == QLatin1String("digest")) {
            job->result.auth.digestScheme = scheme.name;
            job->result.auth.appliedSchemes.append(scheme.name);
            (*step)();
            return;
        }
        m_tokens->currentSecrets(id, [this, self = QPointer<RequestSigner>(this), job, step, scheme, info, method, url, fail](const SecretsResult &secrets) {
            if (!self)
                return;  // destroyed while the call was on its way
            if (!secrets.ok) {
                fail(secrets.error);
                return;
            }
            const Secrets &s = secrets.secrets;
            RequestAuth &auth = job->result.auth;
            const CredentialInfo current = m_store->info(info.id);  // refreshed metadata
            switch (scheme.type) {
            case SecuritySchemeType::ApiKey: {
                const QByteArray key = s.value(QLatin1String(secret::ApiKey));
                if (scheme.in == QLatin1String("header"))
                    auth.headers.append({scheme.parameterName.toLatin1(), key});
                else if (scheme.in == QLatin1String("query"))
                    auth.queryItems.append({scheme.parameterName, QString::fromUtf8(key)});
                else if (scheme.in == QLatin1String("cookie"))
                    auth.cookies.append({scheme.parameterName, QString::fromUtf8(key)});
                else {
                    fail(QStringLiteral("apiKey location \"%1\" is not header, query or cookie").arg(scheme.in));
                    return;
                }
                break;
            }
            case SecuritySchemeType::Http:
                if (scheme.scheme == QLatin1String("basic")) {
                    const QByteArray pair = current.username.toUtf8() + ':' + s.value(QLatin1String(secret::Password));
                    auth.headers.append({"Authorization", "Basic " + pair.toBase64()});
                } else if (scheme.scheme == QLatin1String("bearer")) {
                    QByteArray token = s.value(QLatin1String(secret::Token));
                    if (token.isEmpty())
                        token = s.value(QLatin1String(secret::AccessToken));
                    auth.headers.append({"Authorization", "Bearer " + token});
                } else {
                    fail(QStringLiteral("HTTP scheme \"%1\" is not supported").arg(scheme.scheme));
                    return;
                }
                break;
            case SecuritySchemeType::OAuth2:
            case SecuritySchemeType::OpenIdConnect: {
                const QByteArray token = current.kind == CredentialKind::Bearer ? s.value(QLatin1String(secret::Token))
                                                                                : s.value(QLatin1String(secret::AccessToken));
                if (token.isEmpty()) {
                    fail(QStringLiteral("no access token is stored (revoked?); log in again"));
                    return;
                }
                if (current.tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0) {
                    QString error;
                    const QByteArray proof = auth::dpopProof(TokenManager::dpopKey(s), method, url,
                                                       m_tokens->client()->dpopNonces().nonceFor(url), token, &error);
                    if (proof.isEmpty()) {
                        fail(QStringLiteral("cannot make a DPoP proof: ") + error);
                        return;
                    }
                    auth.headers.append({"Authorization", "DPoP " + token});
                    auth.headers.append({"DPoP", proof});
                } else {
                    auth.headers.append({"Authorization", "Bearer " + token});
                }
                break;
            }
            default:
                fail(QStringLiteral("%1 schemes are not supported for requests yet").arg(securitySchemeTypeName(scheme.type)));
                return;
            }
            auth.appliedSchemes.append(scheme.name);
            (*step)();
        });
    };
    (*step)();
}

void RequestSigner::answerDigest(const QString &credentialId, const QByteArray &wwwAuthenticate, const QString &method,
                                 const QUrl &url, const QByteArray &body, std::function<void(const SignResult &)> done)
{
    if (!m_store->contains(credentialId)) {
        done(SignResult{false, QStringLiteral("no stored credential %1").arg(credentialId), {}});
        return;
    }
    const CredentialInfo info = m_store->info(credentialId);
    m_store->readSecrets(credentialId, [this, self = QPointer<RequestSigner>(this), info, wwwAuthenticate, method, url, body, done](const SecretsResult &secrets) {
        if (!self)
            return;  // destroyed while the call was on its way
        SignResult result;
        if (!secrets.ok) {
            result.error = schemeError(info.scheme, secrets.error);
            done(result);
            return;
        }
        QString error;
        const QByteArray header = m_digest->authorization(wwwAuthenticate, method, requestUri(url), body, info.username,
                                                          secrets.secrets.value(QLatin1String(secret::Password)), &error);
        if (header.isEmpty()) {
            result.error = schemeError(info.scheme, error);
        } else {
            result.ok = true;
            result.auth.headers.append({"Authorization", header});
            result.auth.appliedSchemes.append(info.scheme);
        }
        done(result);
    });
}

void RequestSigner::rememberDpopNonce(const QUrl &url, const QByteArray &nonce)
{
    m_tokens->client()->dpopNonces().remember(url, nonce);
}

void RequestSigner::refreshAfterUnauthorized(const QString &credentialId, const QByteArray &wwwAuthenticate,
                                             const QByteArray &dpopNonceHeader,
                                             std::function<void(bool, const QString &)> done)
{
    refreshAfterUnauthorized(credentialId, m_lastSignedUrl.value(credentialId), wwwAuthenticate, dpopNonceHeader, done);
}

void RequestSigner::refreshAfterUnauthorized(const QString &credentialId, const QUrl &requestUrl,
                                             const QByteArray &wwwAuthenticate, const QByteArray &dpopNonceHeader,
                                             std::function<void(bool, const QString &)> done)
{
    QString error;
    for (const AuthChallenge &challenge : parseAuthChallenges(wwwAuthenticate)) {
        const QString code = challenge.parameters.value(QStringLiteral("error"));
        if (!code.isEmpty())
            error = code;
    }
    const CredentialInfo info = m_store->info(credentialId);
    if (error == QLatin1String("use_dpop_nonce") && !dpopNonceHeader.isEmpty()) {
        // Only a DPoP proof carries a nonce: retrying a bearer token would just send it again.
        if (info.tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) != 0) {
            done(false, QStringLiteral("the server wants a DPoP proof with a nonce, but this credential's token is not DPoP-bound"));
            return;
        }
        if (!requestUrl.isValid() || requestUrl.isEmpty()) {
            done(false, QStringLiteral("the server wants a DPoP nonce but the request URL is unknown"));
            return;
        }
        rememberDpopNonce(requestUrl, dpopNonceHeader);
        done(true, {});
        return;
    }
    if (error != QLatin1String("invalid_token")) {
        done(false, error.isEmpty() ? QStringLiteral("the server refused the credentials (HTTP 401)")
                                    : QStringLiteral("the server refused the credentials: %1").arg(error));
        return;
    }
    if (info.kind != CredentialKind::OAuth2 || !info.hasRefreshToken) {
        done(false, QStringLiteral("the token is no longer valid and cannot be refreshed; log in again"));
        return;
    }
    m_tokens->refresh(credentialId, done);
}

void RequestSigner::dpopProof(const QString &credentialId, const QString &method, const QUrl &url,
                              std::function<void(const SignResult &)> done)
{
    m_tokens->currentSecrets(credentialId, [this, self = QPointer<RequestSigner>(this), method, url, done](const SecretsResult &secrets) {
        if (!self)
            return;  // destroyed while the call was on its way
        SignResult result;
        if (!secrets.ok) {
            result.error = secrets.error;
            done(result);
            return;
        }
        QString error;
        const QByteArray token = secrets.secrets.value(QLatin1String(secret::AccessToken));
        const QByteArray proof = auth::dpopProof(TokenManager::dpopKey(secrets.secrets), method, url,
                                                 m_tokens->client()->dpopNonces().nonceFor(url), token, &error);
        if (proof.isEmpty()) {
            result.error = error;
        } else {
            result.ok = true;
            result.auth.headers.append({"DPoP", proof});
        }
        done(result);
    });
}

} // namespace portolan::auth
