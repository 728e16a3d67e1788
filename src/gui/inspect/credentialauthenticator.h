#pragma once

#include "requestauthenticator.h"

#include <apimodel.h>

#include <QHash>
#include <QPointer>

#include <memory>

namespace portolan::auth {
class RequestSigner;
class CredentialStore;
}

namespace portolan::gui {

// Bridges the two engines: the HTTP engine asks a RequestAuthenticator for
// credentials, the auth engine's RequestSigner supplies them for one chosen
// alternative of an operation's security requirement, and answers 401s
// (digest challenges, expired tokens). Neither engine links the other, so
// this glue lives with the code that links both.
class CredentialAuthenticator : public http::RequestAuthenticator {
public:
    // `signer` and `store` are not owned; if they go away, requests fail cleanly.
    CredentialAuthenticator(auth::RequestSigner *signer, auth::CredentialStore *store,
                            std::shared_ptr<const ApiDocument> document, const SecurityAlternative &alternative);

    void authenticate(const http::HttpRequest &request, std::function<void(http::AuthenticationResult)> done) override;
    void onUnauthorized(const http::HttpRequest &request, const http::SentRequest &sent,
                        const http::ReceivedResponse &response,
                        std::function<void(std::optional<http::AuthenticationResult>)> done) override;

private:
    QString credentialFor(const QString &scheme) const;

    QPointer<auth::RequestSigner> m_signer;   // not owned
    QPointer<auth::CredentialStore> m_store;  // not owned
    std::shared_ptr<const ApiDocument> m_document;
    SecurityAlternative m_alternative;
    http::HttpRequest m_lastRequest;  // before credentials, to sign again after a refresh
    QString m_digestCredential;       // set when the alternative holds a digest scheme
    // Asynchronous answers check it before touching this object.
    std::shared_ptr<int> m_alive = std::make_shared<int>();
};

} // namespace portolan::gui
