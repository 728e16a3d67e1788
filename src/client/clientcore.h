#pragma once

#include "loginmemory.h"

#include <QObject>

#include <functional>

class QNetworkAccessManager;

namespace portolan::auth {
class CredentialStore;
class OidcDiscovery;
class RequestSigner;
class TokenClient;
class TokenManager;
struct CredentialInfo;
struct StoreResult;
}

namespace portolan::client {

class CredentialTraces;

// The engines one front end works with, made once by the program (main) and
// passed to whatever needs them: one network manager, one credential store,
// token manager and request signer, so that every window, command and
// request sees the same credentials. No widgets; `portolan-cli` and
// `portolan` both use it.
class ClientCore : public QObject {
    Q_OBJECT
public:
    // Empty paths = the default locations (credentials.json, login-settings.json).
    explicit ClientCore(const QString &credentialsFile = QString(), const QString &loginMemoryFile = QString(),
                        QObject *parent = nullptr);
    ~ClientCore() override;

    QNetworkAccessManager *network() const { return m_network; }
    auth::CredentialStore *store() const { return m_store; }
    auth::TokenClient *tokenClient() const { return m_tokenClient; }
    auth::TokenManager *tokens() const { return m_tokens; }
    auth::OidcDiscovery *discovery() const { return m_discovery; }
    auth::RequestSigner *signer() const { return m_signer; }
    LoginMemory &loginMemory() { return m_loginMemory; }
    // Each credential's last traced login, refresh, … this session (memory only).
    CredentialTraces *traces() const { return m_traces; }

    // Stores a credential by the re-login policy (credentialToReplace()): it
    // replaces the scheme's credential for the same client and subject or user,
    // and keeps the others.
    void saveCredential(auth::CredentialInfo info, const auth::Secrets &secrets,
                        std::function<void(const auth::StoreResult &, const auth::CredentialInfo &)> done);

private:
    QNetworkAccessManager *m_network;  // owned by this, like the objects below
    auth::CredentialStore *m_store;
    auth::TokenClient *m_tokenClient;
    auth::TokenManager *m_tokens;
    auth::OidcDiscovery *m_discovery;
    auth::RequestSigner *m_signer;
    CredentialTraces *m_traces;
    LoginMemory m_loginMemory;
};

} // namespace portolan::client
