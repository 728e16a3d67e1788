#pragma once

// The bridge from the HTTP engine to the auth engine: a RequestAuthenticator
// that applies a stored credential through auth::RequestSigner. It lives in
// its own library (portolan_http_auth) so portolan_http builds without auth.

#include "requestauthenticator.h"

#include <apimodel.h>

namespace portolan::auth {
class RequestSigner;
struct SignResult;
} // namespace portolan::auth

namespace portolan::http {

class SignerAuthenticator : public RequestAuthenticator {
public:
    // `signer` is not owned; it and `document` must outlive this object.
    // `scheme` is the credential's security scheme, used with `credentialId`.
    SignerAuthenticator(auth::RequestSigner *signer, const ApiDocument &document, SecurityAlternative alternative,
                        QString scheme, QString credentialId);

    void authenticate(const HttpRequest &request, std::function<void(AuthenticationResult)> done) override;
    // Answers a digest challenge, or refreshes an OAuth token after invalid_token / a DPoP nonce.
    void onUnauthorized(const HttpRequest &request, const SentRequest &sent, const ReceivedResponse &response,
                        std::function<void(std::optional<AuthenticationResult>)> done) override;

    // The alternative of the operation's requirement that uses `scheme`; a
    // scheme the operation does not name is used alone when it is declared.
    static bool chooseAlternative(const ApiDocument &document, const Operation &operation, const QString &scheme,
                                  SecurityAlternative *chosen, QString *error);

private:
    AuthenticationResult apply(HttpRequest request, const auth::SignResult &signed_);

    auth::RequestSigner *m_signer;  // not owned
    const ApiDocument &m_document;
    SecurityAlternative m_alternative;
    QString m_scheme;
    QString m_credentialId;
    QString m_digestScheme;  // set once the signer says the credential is HTTP digest
};

} // namespace portolan::http
