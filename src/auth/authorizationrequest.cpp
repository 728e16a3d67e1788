#include "authorizationrequest.h"

#include "redirectmatcher.h"

#include <QCryptographicHash>
#include <QUrlQuery>

namespace portolan::auth {

namespace {

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (int i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

CallbackResult failure(const QString &error, const QString &description)
{
    CallbackResult result;
    result.error.error = error;
    result.error.description = description;
    return result;
}

// Redirect parameters are form-encoded (RFC 6749 Appendix B): '+' is a space.
QString item(const QUrlQuery &query, const char *name)
{
    QByteArray encoded = query.queryItemValue(QLatin1String(name), QUrl::FullyEncoded).toUtf8();
    encoded.replace('+', ' ');
    return QUrl::fromPercentEncoding(encoded);
}

// A plain oauth2 scheme names no issuer: RFC 9207 §2.4 still wants a mix-up
// caught, so the `iss` must at least be served from where the login page was.
bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.isValid() && a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0
        && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && a.port(-1) == b.port(-1);
}

} // namespace

AuthorizationRequest::AuthorizationRequest(const AuthorizationConfig &config)
    : m_config(config)
    , m_state(randomToken(32))
    , m_nonce(randomToken(32))
    , m_verifier(config.responseType == ResponseType::Code && !config.pkceMethod.isEmpty() ? randomToken(48) : QByteArray())
{
    if (m_config.responseType == ResponseType::IdTokenToken)
        m_config.openId = true;  // implicit `id_token token` is OpenID Connect and needs a nonce
}

QByteArray AuthorizationRequest::codeChallenge(const QByteArray &verifier, const QString &method)
{
    if (method == QLatin1String("plain"))
        return verifier;
    return base64UrlEncode(QCryptographicHash::hash(verifier, QCryptographicHash::Sha256));
}

QUrl AuthorizationRequest::url() const
{
    QUrl url = m_config.authorizationUrl;
    QUrlQuery query(url);
    auto add = [&query](const QString &name, const QString &value) {
        // Encode everything outside the unreserved set so '+', '&' and '=' survive.
        query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    add(QStringLiteral("response_type"),
        m_config.responseType == ResponseType::Code ? QStringLiteral("code") : QStringLiteral("id_token token"));
    add(QStringLiteral("client_id"), m_config.clientId);
    add(QStringLiteral("redirect_uri"), m_config.redirectUri.toString(QUrl::FullyEncoded));
    if (!m_config.scopes.isEmpty())
        add(QStringLiteral("scope"), m_config.scopes.join(QLatin1Char(' ')));
    add(QStringLiteral("state"), QString::fromLatin1(m_state));
    if (m_config.openId)
        add(QStringLiteral("nonce"), QString::fromLatin1(m_nonce));
    if (!m_verifier.isEmpty()) {
        add(QStringLiteral("code_challenge"), QString::fromLatin1(codeChallenge(m_verifier, m_config.pkceMethod)));
        add(QStringLiteral("code_challenge_method"), m_config.pkceMethod);
    }
    for (const auto &parameter : m_config.extraParameters)
        add(parameter.first, parameter.second);
    url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return url;
}

bool AuthorizationRequest::isRedirect(const QUrl &url) const
{
    return matchesRedirectUri(url, m_config.redirectUri);
}

CallbackResult AuthorizationRequest::consume(const QUrl &callbackUrl) const
{
    if (!isRedirect(callbackUrl))
        return failure(QStringLiteral("redirect_mismatch"),
                       QStringLiteral("the browser was sent to %1, not to the registered redirect URI %2")
                           .arg(callbackUrl.toString(QUrl::RemoveQuery | QUrl::RemoveFragment),
                                m_config.redirectUri.toString()));
    // Code flow answers in the query, implicit in the fragment (RFC 6749 §4.2.2).
    // Implicit tokens are read only from the fragment, which never reaches a
    // server; an error may come in the query either way.
    const QUrlQuery query(callbackUrl.query(QUrl::FullyEncoded));
    const QUrlQuery fragment(callbackUrl.fragment(QUrl::FullyEncoded));
    const bool implicit = m_config.responseType == ResponseType::IdTokenToken;
    const bool fragmentAnswers = fragment.hasQueryItem(QStringLiteral("state")) || fragment.hasQueryItem(QStringLiteral("error"));
    const QUrlQuery &source = implicit && fragmentAnswers ? fragment : query;
    if (implicit && !fragmentAnswers && !query.hasQueryItem(QStringLiteral("error")))
        return failure(QStringLiteral("invalid_response"),
                       QStringLiteral("the redirect carries no response in its fragment (implicit tokens are only "
                                      "accepted there)"));

    if (!constantTimeEquals(item(source, "state").toUtf8(), m_state))
        return failure(QStringLiteral("state_mismatch"),
                       QStringLiteral("the redirect's state does not match this request: it is not the answer to "
                                      "the login started here (possible CSRF); start the login again"));
    // RFC 9207: a present `iss` must be the expected issuer; a missing one is an error
    // when the server promised to send it.
    if (source.hasQueryItem(QStringLiteral("iss"))) {
        const QString iss = item(source, "iss");
        if (!m_config.issuer.isEmpty() ? iss != m_config.issuer : !sameOrigin(QUrl(iss), m_config.authorizationUrl))
            return failure(QStringLiteral("issuer_mismatch"),
                           QStringLiteral("the redirect came from issuer %1, expected %2 (possible mix-up attack)")
                               .arg(iss, m_config.issuer.isEmpty()
                                             ? QStringLiteral("one at the authorization endpoint's origin %1")
                                                   .arg(m_config.authorizationUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery).toString())
                                             : m_config.issuer));
    } else if (m_config.issuerParameterRequired && !source.hasQueryItem(QStringLiteral("id_token"))) {
        // (A response carrying an ID token may leave `iss` out, RFC 9207 §2.4: the ID token names it.)
        return failure(QStringLiteral("issuer_missing"),
                       QStringLiteral("the server promised an iss parameter in the redirect (RFC 9207) but sent none"));
    }
    if (source.hasQueryItem(QStringLiteral("error"))) {
        CallbackResult result;
        result.error.error = item(source, "error");
        result.error.description = item(source, "error_description");
        result.error.uri = item(source, "error_uri");
        return result;
    }
    CallbackResult result;
    if (m_config.responseType == ResponseType::Code) {
        result.code = item(source, "code");
        if (result.code.isEmpty())
            return failure(QStringLiteral("invalid_response"), QStringLiteral("the redirect carries no authorization code"));
    } else {
        result.tokens.accessToken = item(source, "access_token").toUtf8();
        result.tokens.tokenType = item(source, "token_type");
        result.tokens.idToken = item(source, "id_token").toUtf8();
        const QString scope = item(source, "scope");
        if (!scope.isEmpty())
            result.tokens.scopes = scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        bool ok = false;
        const qint64 expiresIn = item(source, "expires_in").toLongLong(&ok);
        if (ok)
            result.tokens.expiresAt = QDateTime::currentDateTimeUtc().addSecs(expiresIn);
        if (result.tokens.accessToken.isEmpty() || result.tokens.tokenType.isEmpty())
            return failure(QStringLiteral("invalid_response"),
                           QStringLiteral("the redirect fragment lacks access_token or token_type"));
    }
    result.ok = true;
    return result;
}

} // namespace portolan::auth
