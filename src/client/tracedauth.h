#pragma once

#include <QObject>

namespace portolan::http {
class NetworkRecorder;
}

namespace portolan::auth {
class CredentialStore;
class OidcDiscovery;
class TokenClient;
class TokenManager;
}

namespace portolan::client {

// The auth engines for one traced login, refresh, revocation, introspection
// or userinfo call: every request they make (discovery, JWKS, token,
// userinfo, device polls, and tls_client_auth's per-certificate connections)
// goes through one NetworkRecorder, so that the user can see, and export as
// HAR, what was sent and what came back, secrets redacted. Both front ends
// make one per such action.
class TracedAuth : public QObject {
    Q_OBJECT
public:
    // `store` is not owned and must outlive this object.
    explicit TracedAuth(auth::CredentialStore *store, QObject *parent = nullptr);

    http::NetworkRecorder *recorder() const { return m_recorder; }
    auth::TokenClient *tokenClient() const { return m_tokenClient; }
    auth::OidcDiscovery *discovery() const { return m_discovery; }
    auth::TokenManager *tokens() const { return m_tokens; }

private:
    http::NetworkRecorder *m_recorder;  // owned by this, like the objects below
    auth::TokenClient *m_tokenClient;
    auth::OidcDiscovery *m_discovery;
    auth::TokenManager *m_tokens;
};

} // namespace portolan::client
