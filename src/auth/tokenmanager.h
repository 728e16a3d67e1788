#pragma once

#include "credentialstore.h"
#include "oidc.h"
#include "tokenclient.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace portolan::auth {

// Keeps stored OAuth credentials usable: refreshes before expiry (and on
// demand), revokes, introspects and calls userinfo. Shared by the GUI, the CLI
// and the HTTP engine (through RequestSigner).
class TokenManager : public QObject {
    Q_OBJECT
public:
    // Neither pointer is owned; both must outlive this object.
    TokenManager(CredentialStore *store, TokenClient *client, QObject *parent = nullptr);

    // With discovery (not owned), ID tokens returned by a refresh are validated too.
    void setDiscovery(OidcDiscovery *discovery) { m_discovery = discovery; }

    CredentialStore *store() const { return m_store; }
    TokenClient *client() const { return m_client; }

    // The credential's secrets; an OAuth access token expiring within
    // `leewaySeconds` is refreshed first when a refresh token is stored.
    void currentSecrets(const QString &id, std::function<void(const SecretsResult &)> done, int leewaySeconds = 60);
    // Refreshes now. Concurrent calls for one credential share one request.
    void refresh(const QString &id, std::function<void(bool ok, const QString &error)> done);
    // Makes the one request of each refresh through `runner` instead of this
    // manager's own client (the client core traces them that way).
    using RefreshRunner = std::function<void(const QString &id, std::function<void(bool ok, const QString &error)> done)>;
    void setRefreshRunner(RefreshRunner runner) { m_refreshRunner = std::move(runner); }
    // Revokes the refresh token (which revokes its access tokens) and the access
    // token (RFC 7009), then forgets both; the credential's settings stay.
    void revoke(const QString &id, std::function<void(bool ok, const QString &error)> done);
    // RFC 7662 for the access token (or `refresh_token` when `tokenTypeHint` says so).
    void introspect(const QString &id, const QString &tokenTypeHint,
                    std::function<void(const QJsonObject &response, const QString &error)> done);
    void userinfo(const QString &id, std::function<void(const QJsonObject &claims, const QString &error)> done);

    // The client configuration a stored credential was made with (reads the
    // private key file for private_key_jwt / tls_client_auth).
    static bool clientConfig(const CredentialInfo &info, const Secrets &secrets, ClientConfig *config, QString *error);
    static JsonWebKey dpopKey(const Secrets &secrets);

Q_SIGNALS:
    void refreshed(const QString &id);

private:
    void withOAuthSecrets(const QString &id,
                          std::function<void(const CredentialInfo &, const Secrets &, const ClientConfig &)> run,
                          std::function<void(const QString &error)> fail);

    CredentialStore *m_store;  // not owned
    TokenClient *m_client;     // not owned
    OidcDiscovery *m_discovery = nullptr;  // not owned; optional
    QHash<QString, QList<std::function<void(bool, const QString &)>>> m_pendingRefreshes;
    RefreshRunner m_refreshRunner;
};

} // namespace portolan::auth
