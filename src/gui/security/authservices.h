#pragma once

#include <QObject>

class QNetworkAccessManager;

namespace portolan::auth {
class CredentialStore;
class OidcDiscovery;
class RequestSigner;
class TokenClient;
class TokenManager;
}

namespace portolan::gui {

// The auth engine's objects the windows share: one credential store, one
// token manager and one request signer for every open API, so the security
// panels, the token manager and sending all see the same credentials.
class AuthServices : public QObject {
    Q_OBJECT
public:
    // `metadataFile` empty = the credential store's default location.
    explicit AuthServices(const QString &metadataFile = QString(), QObject *parent = nullptr);
    ~AuthServices() override;

    // The application's instance, made on first use and owned by the application object.
    static AuthServices *shared();

    QNetworkAccessManager *network() const { return m_network; }
    auth::CredentialStore *store() const { return m_store; }
    auth::TokenClient *tokenClient() const { return m_tokenClient; }
    auth::TokenManager *tokens() const { return m_tokens; }
    auth::OidcDiscovery *discovery() const { return m_discovery; }
    auth::RequestSigner *signer() const { return m_signer; }

private:
    QNetworkAccessManager *m_network;  // owned by this, like the objects below
    auth::CredentialStore *m_store;
    auth::TokenClient *m_tokenClient;
    auth::TokenManager *m_tokens;
    auth::OidcDiscovery *m_discovery;
    auth::RequestSigner *m_signer;
};

} // namespace portolan::gui
