#include "signerauthenticator.h"

#include "requestsigner.h"

namespace portolan::http {

SignerAuthenticator::SignerAuthenticator(auth::RequestSigner *signer, const ApiDocument &document,
                                         SecurityAlternative alternative, QHash<QString, QString> credentials)
    : m_signer(signer), m_document(document), m_alternative(std::move(alternative)), m_credentials(std::move(credentials))
{
}

QString SignerAuthenticator::primaryCredential() const
{
    return m_alternative.isEmpty() ? QString() : m_credentials.value(m_alternative.first().scheme);
}

void SignerAuthenticator::authenticate(const HttpRequest &request, std::function<void(AuthenticationResult)> done)
{
    if (m_alternative.isEmpty()) {
        AuthenticationResult unchanged;
        unchanged.ok = true;
        unchanged.request = request;
        done(unchanged);
        return;
    }
    m_signer->sign(m_document, m_alternative, QString::fromLatin1(request.method), request.url,
                   [this, alive = std::weak_ptr<int>(m_alive), request, done](const auth::SignResult &signed_) {
                       if (alive.expired())
                           return;
                       if (!signed_.ok) {
                           AuthenticationResult failed;
                           failed.error = signed_.error;
                           done(failed);
                           return;
                       }
                       m_digestCredential = m_credentials.value(signed_.auth.digestScheme);
                       done(apply(request, signed_.auth, primaryCredential()));
                   },
                   m_credentials);
}

void SignerAuthenticator::onUnauthorized(const HttpRequest &request, const SentRequest &sent, const ReceivedResponse &response,
                                         std::function<void(std::optional<AuthenticationResult>)> done)
{
    const QByteArray challenge = headerValue(response.headers, "WWW-Authenticate");
    auto alive = std::weak_ptr<int>(m_alive);
    // `request` is the one built before any credential: apply() adds them afresh.
    if (!m_digestCredential.isEmpty() && challenge.trimmed().toLower().startsWith("digest")) {
        m_signer->answerDigest(m_digestCredential, challenge, QString::fromLatin1(sent.method), sent.url,
                               sent.body.inMemoryBytes(), [this, alive, request, done](const auth::SignResult &r) {
                                   if (alive.expired())
                                       return;
                                   done(r.ok ? std::optional(apply(request, r.auth, m_digestCredential)) : std::nullopt);
                               });
        return;
    }
    const QString credential = primaryCredential();
    if (credential.isEmpty() || !(challenge.contains("invalid_token") || hasHeader(response.headers, "DPoP-Nonce"))) {
        done(std::nullopt);
        return;
    }
    const int status = response.status;
    m_signer->refreshAfterUnauthorized(credential, challenge, headerValue(response.headers, "DPoP-Nonce"),
                                       [this, alive, request, done, status](bool again, const QString &error) {
                                           if (alive.expired())
                                               return;
                                           if (again)
                                               return authenticate(request, [done](AuthenticationResult r) { done(r); });
                                           AuthenticationResult failed;
                                           failed.error = QStringLiteral("the server answered %1 and the credential "
                                                                         "could not be renewed: %2").arg(status).arg(error);
                                           done(failed);
                                       });
}

AuthenticationResult SignerAuthenticator::apply(HttpRequest request, const auth::RequestAuth &auth, const QString &credentialId) const
{
    AuthenticationResult result;
    result.ok = true;
    for (const auto &[name, value] : auth.headers) {
        setHeader(request.headers, name, value);
        result.secrets.append({SecretUse::Location::Header, name, credentialId, {}, value});
    }
    if (!auth.queryItems.isEmpty()) {
        // Replaces a value the same parameter got before: a retry starts from the request already sent.
        QStringList pairs = request.url.query(QUrl::FullyEncoded).split(QLatin1Char('&'), Qt::SkipEmptyParts);
        for (const auto &[name, value] : auth.queryItems) {
            const QString encodedName = QString::fromLatin1(QUrl::toPercentEncoding(name));
            pairs.removeIf([&](const QString &pair) { return pair.section(QLatin1Char('='), 0, 0) == encodedName; });
            pairs.append(encodedName + QLatin1Char('=') + QString::fromLatin1(QUrl::toPercentEncoding(value)));
            result.secrets.append({SecretUse::Location::Query, name.toUtf8(), credentialId, {}, value.toUtf8()});
        }
        request.url.setQuery(pairs.join(QLatin1Char('&')), QUrl::StrictMode);
    }
    if (!auth.cookies.isEmpty()) {
        // A cookie credential joins the request's other cookies; a same-named one is replaced.
        QList<QByteArray> cookies = headerValue(request.headers, "Cookie").split(';');
        cookies.removeIf([](const QByteArray &c) { return c.trimmed().isEmpty(); });
        for (const auto &[name, value] : auth.cookies) {
            cookies.removeIf([&](const QByteArray &c) { return c.trimmed().startsWith(name.toUtf8() + '='); });
            cookies.append(name.toUtf8() + '=' + QUrl::toPercentEncoding(value));
            result.secrets.append({SecretUse::Location::Cookie, name.toUtf8(), credentialId, {}, value.toUtf8()});
        }
        QByteArray header;
        for (const QByteArray &c : cookies)
            header += (header.isEmpty() ? "" : "; ") + c.trimmed();
        setHeader(request.headers, "Cookie", header);
    }
    result.request = request;
    return result;
}

} // namespace portolan::http
