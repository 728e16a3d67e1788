#pragma once

#include "authorizationrequest.h"
#include "credential.h"
#include "oidc.h"
#include "tokenclient.h"

#include <apimodel.h>

#include <QObject>

#include <memory>

namespace portolan::auth {

class DeviceFlow;

// Shows an authorization URL to the user. The GUI implements it with an
// embedded browser, the CLI with the system browser plus a LoopbackReceiver
// (or by printing the URL). Whoever sees the browser reach the redirect URI
// passes that URL to OAuthLogin::handleRedirect().
class BrowserLauncher {
public:
    virtual ~BrowserLauncher() = default;
    virtual void openAuthorizationUrl(const QUrl &url, const QUrl &redirectUri) = 0;
    // The flow is over (success, failure or cancel): close the browser if it is ours.
    virtual void authorizationFinished() {}
};

// Everything one OAuth 2.0 / OIDC login needs. Endpoints left empty are filled
// in by discovery when `discoveryUrl` (an openIdConnectUrl or issuer) is set.
struct LoginSettings {
    OAuthFlowKind flow = OAuthFlowKind::AuthorizationCode;
    QUrl discoveryUrl;
    QUrl authorizationUrl;
    QUrl tokenUrl;
    QUrl refreshUrl;  // empty = tokenUrl
    QUrl deviceAuthorizationUrl;
    QUrl revocationUrl;
    QUrl introspectionUrl;
    QUrl userinfoUrl;
    QUrl jwksUrl;
    QString issuer;
    bool issuerParameterRequired = false;
    ClientConfig client;
    QString privateKeyPath;         // remembered for refresh; the key itself is in `client`
    QString clientCertificatePath;  // tls_client_auth, remembered for refresh
    QString caCertificatePath;      // remembered for refresh; the CAs themselves are in `client`
    QStringList scopes;
    QUrl redirectUri;               // code / implicit; must be registered with the server
    QString pkceMethod = QStringLiteral("S256");
    QString username;               // password grant
    QByteArray password;            // password grant; secret, never stored
    Parameters authorizationParameters;  // audience, resource, prompt, …
    Parameters tokenParameters;
    // Names of `tokenParameters` the user marked secret: kept in the keychain, not
    // in credentials.json. Parameters named like secrets (isSecretParameterName())
    // always are.
    QStringList secretTokenParameters;
    // Hosts the user allows plain http to for the authorization, token,
    // discovery and JWKS endpoints (loopback never needs it).
    QStringList allowedHttpHosts;
    bool useDpop = false;
    int maxAgeSeconds = -1;
};

// Builds settings from a document's scheme: the flow's URLs (relative ones
// resolved against `base`: client::securityBaseUrl() gives the rule), its scopes, and the
// OpenID Connect discovery URL. False with `error` when the scheme has no such flow.
bool settingsFromScheme(const SecurityScheme &scheme, OAuthFlowKind flow, const QUrl &base, LoginSettings *settings,
                        QString *error);

struct LoginResult {
    bool ok = false;
    OAuthError error;
    TokenSet tokens;
    QJsonObject idTokenClaims;  // validated claims, when an ID token came back
    QJsonObject userinfoClaims; // the provider's userinfo for the same subject, when it has an endpoint
    JsonWebKey dpopKey;         // the key the tokens are bound to, when DPoP was used
    LoginSettings settings;     // with discovered endpoints filled in
};

// The credential to store for a finished login: metadata and secrets.
void credentialFromLogin(const LoginResult &result, CredentialInfo *info, Secrets *secrets);

// Runs one OAuth 2.0 / OpenID Connect login: discovery, the grant, and ID
// token validation. Asynchronous; emits finished() exactly once per start().
class OAuthLogin : public QObject {
    Q_OBJECT
public:
    // Neither pointer is owned; both must outlive this object.
    OAuthLogin(TokenClient *client, OidcDiscovery *discovery, QObject *parent = nullptr);
    ~OAuthLogin() override;

    // `browser` (not owned) is needed for authorization code and implicit.
    void start(const LoginSettings &settings, BrowserLauncher *browser = nullptr);
    // Feed every URL the browser navigates to; true when it was the redirect and is now consumed.
    bool handleRedirect(const QUrl &url);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progress(const QString &message);
    void deviceCodeReady(const QString &userCode, const QUrl &verificationUri, const QUrl &verificationUriComplete,
                         int expiresInSeconds);
    void finished(const portolan::auth::LoginResult &result);

private:
    void runGrant();
    void receivedTokens(const TokenResult &tokens);
    void discoverFromEndpoint(const QByteArray &idToken, QList<QUrl> candidates);
    void validateIdToken(const QByteArray &idToken);
    void fetchUserinfo();
    // Fails the login (and returns false) when `url` may not be used over plain http.
    bool transportAllowed(const QUrl &url, const QString &what);
    void fail(const OAuthError &error);
    void fail(const QString &error, const QString &description);
    void finish();

    TokenClient *m_client;         // not owned
    OidcDiscovery *m_discovery;    // not owned
    BrowserLauncher *m_browser = nullptr;  // not owned
    LoginSettings m_settings;
    std::unique_ptr<AuthorizationRequest> m_request;
    std::unique_ptr<DeviceFlow> m_deviceFlow;
    LoginResult m_result;
    bool m_running = false;
    quint64 m_generation = 0;
};

} // namespace portolan::auth

Q_DECLARE_METATYPE(portolan::auth::LoginResult)
