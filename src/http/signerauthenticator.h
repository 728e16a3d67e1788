#pragma once

// The bridge from the HTTP engine to the auth engine: a RequestAuthenticator
// that applies stored credentials through auth::RequestSigner. It lives in
// its own library (portolan_http_auth) so portolan_http builds without auth.
// The CLI and the desktop app both send authenticated requests through it.

#include "requestauthenticator.h"

#include <apimodel.h>

#include <QHash>

#include <memory>

namespace portolan::auth {
class RequestSigner;
struct RequestAuth;
} // namespace portolan::auth

namespace portolan::http {

class SignerAuthenticator : public RequestAuthenticator {
public:
    // Applies every scheme of `alternative` (an empty one sends the request as
    // it is). `credentials` picks the credential id per scheme name; schemes
    // not in it use their most recent credential. `signer` is not owned; it
    // and `document` must outlive this object.
    SignerAuthenticator(auth::RequestSigner *signer, const ApiDocument &document, SecurityAlternative alternative,
                        QHash<QString, QString> credentials);

    void authenticate(const HttpRequest &request, std::function<void(AuthenticationResult)> done) override;
    // Answers a digest challenge, or refreshes an OAuth token after invalid_token / a DPoP nonce.
    void onUnauthorized(const HttpRequest &request, const SentRequest &sent, const ReceivedResponse &response,
                        std::function<void(std::optional<AuthenticationResult>)> done) override;

private:
    // The credential secrets are attributed to in the record (for redaction)
    // and refreshed after a 401: the one of the alternative's first scheme.
    QString primaryCredential() const;
    AuthenticationResult apply(HttpRequest request, const auth::RequestAuth &auth, const QString &credentialId) const;

    auth::RequestSigner *m_signer;  // not owned
    const ApiDocument &m_document;
    SecurityAlternative m_alternative;
    QHash<QString, QString> m_credentials;  // scheme -> credential id
    QString m_digestCredential;             // set once the signer says a scheme is HTTP digest
    // Keychain reads and refreshes answer later: they check this before touching the object.
    std::shared_ptr<int> m_alive = std::make_shared<int>();
};

} // namespace portolan::http
