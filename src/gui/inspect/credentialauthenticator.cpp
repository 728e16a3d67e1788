#include "credentialauthenticator.h"

#include "credentialstore.h"
#include "requestsigner.h"

#include <QUrlQuery>

namespace portolan::gui {

namespace {

// Puts what the signer produced into the HTTP engine's request, recording
// where each secret went so history and exports can redact it.
http::SecretUse secretUse(http::SecretUse::Location location, const QByteArray &name, const QString &credentialId,
                          const QByteArray &value)
{
    http::SecretUse use;
    use.location = location;
    use.name = name;
    use.credentialId = credentialId;
    use.value = value;  // in memory only, so redaction finds it wherever a server echoes it
    return use;
}

http::AuthenticationResult applied(const http::HttpRequest &request, const auth::RequestAuth &auth,
                                   const QString &credentialId)
{
    http::AuthenticationResult result;
    result.ok = true;
    result.request = request;
    for (const auto &header : auth.headers) {
        http::setHeader(result.request.headers, header.first, header.second);
        result.secrets.append(secretUse(http::SecretUse::Location::Header, header.first, credentialId, header.second));
    }
    if (!auth.queryItems.isEmpty()) {
        QUrl url = result.request.url;
        QString query = url.query(QUrl::FullyEncoded);
        for (const auto &item : auth.queryItems) {
            if (!query.isEmpty())
                query += QLatin1Char('&');
            query += QString::fromLatin1(QUrl::toPercentEncoding(item.first)) + QLatin1Char('=')
                     + QString::fromLatin1(QUrl::toPercentEncoding(item.second));
            result.secrets.append(secretUse(http::SecretUse::Location::Query, item.first.toUtf8(), credentialId, item.second.toUtf8()));
        }
        url.setQuery(query, QUrl::StrictMode);
        result.request.url = url;
    }
    if (!auth.cookies.isEmpty()) {
        // A cookie credential joins the request's other cookies; same-named ones are replaced.
        QList<QByteArray> kept;
        for (const QByteArray &part : http::headerValue(result.request.headers, "Cookie").split(';')) {
            const QByteArray cookie = part.trimmed();
            const QByteArray name = cookie.split('=').constFirst();
            const bool replaced = std::any_of(auth.cookies.cbegin(), auth.cookies.cend(),
                                              [&name](const auto &c) { return c.first.toUtf8() == name; });
            if (!cookie.isEmpty() && !replaced)
                kept.append(cookie);
        }
        for (const auto &cookie : auth.cookies) {
            kept.append(cookie.first.toUtf8() + '=' + QUrl::toPercentEncoding(cookie.second));
            result.secrets.append(secretUse(http::SecretUse::Location::Cookie, cookie.first.toUtf8(), credentialId, cookie.second.toUtf8()));
        }
        http::setHeader(result.request.headers, "Cookie", kept.join("; "));
    }
    return result;
}

http::AuthenticationResult failed(const QString &error)
{
    http::AuthenticationResult result;
    result.error = error;
    return result;
}

} // namespace

CredentialAuthenticator::CredentialAuthenticator(auth::RequestSigner *signer, auth::CredentialStore *store,
                                                 std::shared_ptr<const ApiDocument> document,
                                                 const SecurityAlternative &alternative)
    : m_signer(signer), m_store(store), m_document(std::move(document)), m_alternative(alternative)
{
}

QString CredentialAuthenticator::credentialFor(const QString &scheme) const
{
    if (!m_store || !m_document)
        return {};
    const QList<auth::CredentialInfo> candidates = m_store->forScheme(auth::apiIdentity(*m_document), scheme);
    return candidates.isEmpty() ? QString() : candidates.first().id;
}

void CredentialAuthenticator::authenticate(const http::HttpRequest &request,
                                           std::function<void(http::AuthenticationResult)> done)
{
    m_lastRequest = request;
    if (m_alternative.isEmpty()) {
        http::AuthenticationResult none;
        none.ok = true;
        none.request = request;
        done(none);
        return;
    }
    if (!m_signer || !m_document) {
        done(failed(QStringLiteral("the credential store is not available")));
        return;
    }
    // With a single scheme every secret comes from its credential; with
    // several, each header is attributed to the first (references stay unique enough to redact).
    const QString credential = credentialFor(m_alternative.first().scheme);
    m_signer->sign(*m_document, m_alternative, QString::fromLatin1(request.method), request.url,
                   [this, alive = std::weak_ptr<int>(m_alive), request, credential, done](const auth::SignResult &signed_) {
                       if (alive.expired())
                           return;  // the sender and this are gone
                       if (!signed_.ok) {
                           done(failed(signed_.error));
                           return;
                       }
                       m_digestCredential = signed_.auth.digestScheme.isEmpty() ? QString()
                                                                                : credentialFor(signed_.auth.digestScheme);
                       done(applied(request, signed_.auth, credential));
                   });
}

void CredentialAuthenticator::onUnauthorized(const http::HttpRequest &request, const http::SentRequest &sent,
                                             const http::ReceivedResponse &response,
                                             std::function<void(std::optional<http::AuthenticationResult>)> done)
{
    const QByteArray challenge = http::headerValue(response.headers, "WWW-Authenticate");
    if (!m_signer || challenge.isEmpty()) {
        done(std::nullopt);
        return;
    }
    const QString method = QString::fromLatin1(sent.method);
    if (!m_digestCredential.isEmpty() && challenge.trimmed().toLower().startsWith("digest")) {
        const QString credential = m_digestCredential;
        m_signer->answerDigest(credential, challenge, method, sent.url, sent.body.inMemoryBytes(),
                               [alive = std::weak_ptr<int>(m_alive), request, credential, done](const auth::SignResult &answer) {
                                   if (alive.expired())
                                       return;
                                   if (!answer.ok) {
                                       done(std::nullopt);
                                       return;
                                   }
                                   done(applied(request, answer.auth, credential));
                               });
        return;
    }
    const QString credential = credentialFor(m_alternative.isEmpty() ? QString() : m_alternative.first().scheme);
    if (credential.isEmpty()) {
        done(std::nullopt);
        return;
    }
    m_signer->refreshAfterUnauthorized(
        credential, challenge, http::headerValue(response.headers, "DPoP-Nonce"),
        [this, alive = std::weak_ptr<int>(m_alive), done](bool retry, const QString &) {
            if (alive.expired())
                return;
            if (!retry || !m_signer) {
                done(std::nullopt);
                return;
            }
            // Sign the request as the user built it again, with the refreshed token.
            const http::HttpRequest unsigned_ = m_lastRequest;
            authenticate(unsigned_, [done](http::AuthenticationResult again) {
                done(again.ok ? std::optional<http::AuthenticationResult>(again) : std::nullopt);
            });
        });
}

} // namespace portolan::gui
