#pragma once

#include "oauthtypes.h"

#include <QUrl>

namespace portolan::auth {

enum class ResponseType { Code, IdTokenToken };  // authorization code, or implicit `id_token token`

struct AuthorizationConfig {
    QUrl authorizationUrl;
    QString clientId;
    QUrl redirectUri;
    QStringList scopes;
    ResponseType responseType = ResponseType::Code;
    QString pkceMethod = QStringLiteral("S256");  // "S256", "plain" (only on request) or empty = no PKCE
    bool openId = false;                          // sends a nonce (always for implicit)
    QString issuer;                               // expected RFC 9207 `iss`; empty = unknown
    bool issuerParameterRequired = false;         // server advertised authorization_response_iss_parameter_supported
    Parameters extraParameters;                   // audience, resource, prompt, login_hint, …
};

struct CallbackResult {
    bool ok = false;
    OAuthError error;     // the server's error response, or what check failed
    QString code;         // authorization code flow
    TokenSet tokens;      // implicit flow: tokens from the fragment
};

// One authorization request: fresh `state`, `nonce` and PKCE verifier from the
// system CSPRNG, the URL to open in a browser, and the checks applied to the
// redirect the browser lands on. Browsers are not its business.
class AuthorizationRequest {
public:
    explicit AuthorizationRequest(const AuthorizationConfig &config);

    const AuthorizationConfig &config() const { return m_config; }
    QUrl url() const;
    QByteArray state() const { return m_state; }
    QByteArray nonce() const { return m_nonce; }
    QByteArray codeVerifier() const { return m_verifier; }  // secret

    // True when `url` is the registered redirect URI (matchesRedirectUri()):
    // only then is it ours to consume.
    bool isRedirect(const QUrl &url) const;
    // Checks the redirect (exact redirect URI, state, iss) and extracts the code
    // or the implicit tokens, or the error the server sent.
    CallbackResult consume(const QUrl &callbackUrl) const;

    static QByteArray codeChallenge(const QByteArray &verifier, const QString &method);

private:
    AuthorizationConfig m_config;
    QByteArray m_state;
    QByteArray m_nonce;
    QByteArray m_verifier;
};

} // namespace portolan::auth
