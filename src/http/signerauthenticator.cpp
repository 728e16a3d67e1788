#include "signerauthenticator.h"

#include "requestsigner.h"

namespace portolan::http {

SignerAuthenticator::SignerAuthenticator(auth::RequestSigner *signer, const ApiDocument &document,
                                         SecurityAlternative alternative, QString scheme, QString credentialId)
    : m_signer(signer), m_document(document), m_alternative(std::move(alternative)), m_scheme(std::move(scheme)),
      m_credentialId(std::move(credentialId))
{
}

void SignerAuthenticator::authenticate(const HttpRequest &request, std::function<void(AuthenticationResult)> done)
{
    m_signer->sign(m_document, m_alternative, QString::fromLatin1(request.method), request.url,
                   [this, request, done](const auth::SignResult &signed_) { done(apply(request, signed_)); },
                   {{m_scheme, m_credentialId}});
}

void SignerAuthenticator::onUnauthorized(const HttpRequest &request, const SentRequest &sent, const ReceivedResponse &response,
                                         std::function<void(std::optional<AuthenticationResult>)> done)
{
    const QByteArray challenge = headerValue(response.headers, "WWW-Authenticate");
    const HttpRequest &retry = request;  // apply() replaces the credential headers
    if (!m_digestScheme.isEmpty() && challenge.trimmed().toLower().startsWith("digest")) {
        m_signer->answerDigest(m_credentialId, challenge, QString::fromLatin1(sent.method), sent.url,
                               sent.body.inMemoryBytes(), [this, retry, done](const auth::SignResult &r) {
                                   done(r.ok ? std::optional(apply(retry, r)) : std::nullopt);
                               });
        return;
    }
    if (challenge.contains("invalid_token") || hasHeader(response.headers, "DPoP-Nonce")) {
        const int status = response.status;
        m_signer->refreshAfterUnauthorized(m_credentialId, challenge, headerValue(response.headers, "DPoP-Nonce"),
                                           [this, retry, done, status](bool again, const QString &error) {
                                               if (again)
                                                   return authenticate(retry, [done](AuthenticationResult r) { done(r); });
                                               AuthenticationResult failed;
                                               failed.error = QStringLiteral("the server answered %1 and the credential "
                                                                             "could not be renewed: %2").arg(status).arg(error);
                                               done(failed);
                                           });
        return;
    }
    done(std::nullopt);
}

AuthenticationResult SignerAuthenticator::apply(HttpRequest request, const auth::SignResult &signed_)
{
    AuthenticationResult result;
    result.ok = signed_.ok;
    result.error = signed_.error;
    if (!signed_.ok)
        return result;
    m_digestScheme = signed_.auth.digestScheme;
    for (const auto &[name, value] : signed_.auth.headers) {
        setHeader(request.headers, name, value);
        result.secrets.append({SecretUse::Location::Header, name, m_credentialId, {}, value});
    }
    if (!signed_.auth.queryItems.isEmpty()) {
        // Replaces a value the same parameter got before: a retry starts from the request already sent.
        QStringList pairs = request.url.query(QUrl::FullyEncoded).split(QLatin1Char('&'), Qt::SkipEmptyParts);
        for (const auto &[name, value] : signed_.auth.queryItems) {
            const QString encodedName = QString::fromLatin1(QUrl::toPercentEncoding(name));
            pairs.removeIf([&](const QString &pair) { return pair.section(QLatin1Char('='), 0, 0) == encodedName; });
            pairs.append(encodedName + QLatin1Char('=') + QString::fromLatin1(QUrl::toPercentEncoding(value)));
            result.secrets.append({SecretUse::Location::Query, name.toUtf8(), m_credentialId, {}, value.toUtf8()});
        }
        request.url.setQuery(pairs.join(QLatin1Char('&')), QUrl::StrictMode);
    }
    if (!signed_.auth.cookies.isEmpty()) {
        QList<QByteArray> cookies = headerValue(request.headers, "Cookie").split(';');
        cookies.removeIf([](const QByteArray &c) { return c.trimmed().isEmpty(); });
        for (const auto &[name, value] : signed_.auth.cookies) {
            cookies.removeIf([&](const QByteArray &c) { return c.trimmed().startsWith(name.toUtf8() + '='); });
            cookies.append(name.toUtf8() + '=' + QUrl::toPercentEncoding(value));
            result.secrets.append({SecretUse::Location::Cookie, name.toUtf8(), m_credentialId, {}, value.toUtf8()});
        }
        QByteArray header;
        for (const QByteArray &c : cookies)
            header += (header.isEmpty() ? "" : "; ") + c.trimmed();
        setHeader(request.headers, "Cookie", header);
    }
    result.request = request;
    return result;
}

bool SignerAuthenticator::chooseAlternative(const ApiDocument &document, const Operation &op, const QString &scheme,
                                            SecurityAlternative *chosen, QString *error)
{
    for (const SecurityAlternative &alternative : document.effectiveSecurity(op)) {
        for (const SchemeUse &use : alternative) {
            if (use.scheme == scheme) {
                *chosen = alternative;
                return true;
            }
        }
    }
    // A credential for a scheme the operation does not name is still applied
    // when the user asks for it explicitly.
    if (!document.securityScheme(scheme)) {
        *error = QStringLiteral("the credential's scheme '%1' is not declared in this document").arg(scheme);
        return false;
    }
    *chosen = {SchemeUse{scheme, {}}};
    return true;
}

} // namespace portolan::http
