#pragma once

#include "dpop.h"
#include "oauthtypes.h"
#include "tokenresponse.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace portolan::auth {

struct DeviceAuthorization {
    QByteArray deviceCode;  // secret
    QString userCode;
    QUrl verificationUri;
    QUrl verificationUriComplete;
    int expiresInSeconds = 0;
    int intervalSeconds = 5;
};

// Calls an authorization server's back-channel endpoints: token (every grant),
// device authorization, revocation, introspection and userinfo. Authenticates
// the client as configured, adds DPoP proofs when given a key (retrying once
// with the server's nonce), and turns error responses into OAuthError with
// any secret that was sent redacted. Everything is asynchronous.
class TokenClient : public QObject {
    Q_OBJECT
public:
    // `network` is not owned and must outlive this object.
    explicit TokenClient(QNetworkAccessManager *network, QObject *parent = nullptr);

    // POSTs `parameters` (grant_type and the grant's own) to the token endpoint.
    void requestToken(const QUrl &tokenUrl, const ClientConfig &client, const Parameters &parameters,
                      const JsonWebKey &dpopKey, std::function<void(const TokenResult &)> done);

    void requestDeviceAuthorization(const QUrl &url, const ClientConfig &client, const Parameters &parameters,
                                    std::function<void(const DeviceAuthorization &, const OAuthError &)> done);

    // RFC 7009. `tokenTypeHint`: access_token or refresh_token.
    void revoke(const QUrl &url, const ClientConfig &client, const QByteArray &token, const QString &tokenTypeHint,
                std::function<void(const OAuthError &)> done);

    // RFC 7662: the introspection response (active, scope, exp, …).
    void introspect(const QUrl &url, const ClientConfig &client, const QByteArray &token, const QString &tokenTypeHint,
                    std::function<void(const QJsonObject &, const OAuthError &)> done);

    // OIDC userinfo with a bearer or DPoP-bound access token.
    void userinfo(const QUrl &url, const QByteArray &accessToken, const QString &tokenType, const JsonWebKey &dpopKey,
                  std::function<void(const QJsonObject &, const OAuthError &)> done);

    // Makes the network manager for a tls_client_auth certificate's own
    // connection pool (see networkFor()); by default a plain one. A recorder
    // passes a pool that records into it, so those requests are traced too.
    using PoolFactory = std::function<QNetworkAccessManager *(QObject *parent)>;
    void setConnectionPoolFactory(PoolFactory factory) { m_newPool = std::move(factory); }

    DpopNonces &dpopNonces() { return m_nonces; }
    QNetworkAccessManager *network() const { return m_network; }

    // Builds an OAuthError from an error response, replacing any of `secrets` found in it.
    static OAuthError errorFromResponse(const EndpointAnswer &answer, const QList<QByteArray> &secrets);
    static QByteArray formEncode(const Parameters &parameters);

private:
    using ReplyHandler = std::function<void(int status, const QByteArray &body, QNetworkReply *reply)>;
    // Authenticates the client, adds a DPoP proof when `dpopKey` is set, POSTs,
    // and retries once when the server demands a fresh DPoP nonce.
    // Revocation and introspection: POST the token (and its type hint) with client authentication.
    void postToken(const QUrl &url, const ClientConfig &client, const QByteArray &token, const QString &tokenTypeHint,
                   std::function<void(int status, const QByteArray &body, OAuthError error)> done);
    void post(const QUrl &url, const ClientConfig &client, Parameters parameters, const JsonWebKey &dpopKey,
              ReplyHandler handler, bool isRetry = false);
    bool authenticateClient(const QUrl &url, const ClientConfig &client, Parameters *parameters,
                            QNetworkRequest *request, QString *error);

    // Qt reuses keep-alive connections per host whatever client certificate
    // they were opened with, so each tls_client_auth certificate gets its own
    // connection pool.
    QNetworkAccessManager *networkFor(const ClientConfig &client);

    QNetworkAccessManager *m_network;  // not owned
    QHash<QByteArray, QNetworkAccessManager *> m_certificateNetworks;  // children of this object
    PoolFactory m_newPool;
    DpopNonces m_nonces;
};

} // namespace portolan::auth
