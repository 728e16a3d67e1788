#include "oauthlogin.h"

#include "deviceflow.h"
#include "urlpolicy.h"

#include <QJsonDocument>
#include <QPointer>

namespace portolan::auth {

namespace {

QUrl resolved(const QString &text, const QUrl &base)
{
    if (text.isEmpty())
        return {};
    const QUrl url(text);
    return url.isRelative() ? base.resolved(url) : url;
}

void fillEmpty(QUrl *target, const QUrl &value)
{
    if (target->isEmpty())
        *target = value;
}

bool readsFromBrowser(const LoginSettings &settings)
{
    return settings.flow == OAuthFlowKind::AuthorizationCode || settings.flow == OAuthFlowKind::Implicit;
}

// Where a plain oauth2 scheme's provider may publish its metadata, derived
// from the endpoint the login used (never from the unverified ID token):
// the issuer is that endpoint's origin plus a prefix of its path, longest
// first (https://sso.example/realms/x/protocol/openid-connect/token has the
// issuer https://sso.example/realms/x). At most five places are asked.
QList<QUrl> issuerCandidates(const QUrl &endpoint)
{
    QList<QUrl> candidates;
    QStringList segments = endpoint.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (!segments.isEmpty())
        segments.removeLast();  // the endpoint itself
    for (;;) {
        QUrl candidate = endpoint.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
        candidate.setPath(segments.isEmpty() ? QString() : QLatin1Char('/') + segments.join(QLatin1Char('/')));
        candidates.append(candidate);
        if (segments.isEmpty() || candidates.size() == 5)
            break;
        segments.removeLast();
    }
    return candidates;
}

bool scopeGranted(const LoginResult &result, const LoginSettings &settings, const QString &scope)
{
    return (result.tokens.scopes.isEmpty() ? settings.scopes : result.tokens.scopes).contains(scope);
}

} // namespace

bool settingsFromScheme(const SecurityScheme &scheme, OAuthFlowKind flow, const QUrl &base, LoginSettings *settings,
                        QString *error)
{
    settings->flow = flow;
    if (scheme.type == SecuritySchemeType::OpenIdConnect) {
        settings->discoveryUrl = resolved(scheme.openIdConnectUrl, base);
        if (!settings->discoveryUrl.isValid()) {
            *error = QStringLiteral("scheme %1 has no usable openIdConnectUrl").arg(scheme.name);
            return false;
        }
        if (!settings->scopes.contains(QLatin1String("openid")))
            settings->scopes.prepend(QStringLiteral("openid"));
        return true;
    }
    if (scheme.type != SecuritySchemeType::OAuth2) {
        *error = QStringLiteral("scheme %1 is not OAuth 2.0 or OpenID Connect").arg(scheme.name);
        return false;
    }
    for (const OAuthFlow &candidate : scheme.flows) {
        if (candidate.kind != flow)
            continue;
        settings->authorizationUrl = resolved(candidate.authorizationUrl, base);
        settings->tokenUrl = resolved(candidate.tokenUrl, base);
        settings->refreshUrl = resolved(candidate.refreshUrl, base);
        settings->deviceAuthorizationUrl = resolved(candidate.deviceAuthorizationUrl, base);
        if (settings->scopes.isEmpty())
            for (const auto &scope : candidate.scopes)
                settings->scopes.append(scope.first);
        return true;
    }
    QStringList offered;
    for (const OAuthFlow &candidate : scheme.flows)
        offered.append(oauthFlowName(candidate.kind));
    *error = QStringLiteral("scheme %1 has no %2 flow (it offers: %3)")
                 .arg(scheme.name, oauthFlowName(flow), offered.isEmpty() ? QStringLiteral("none") : offered.join(QLatin1String(", ")));
    return false;
}

void credentialFromLogin(const LoginResult &result, CredentialInfo *info, Secrets *secrets)
{
    const LoginSettings &s = result.settings;
    info->kind = CredentialKind::OAuth2;
    info->flow = oauthFlowName(s.flow);
    info->clientId = s.client.clientId;
    info->clientAuthMethod = clientAuthMethodName(s.client.authMethod);
    info->privateKeyPath = s.privateKeyPath;
    info->clientCertificatePath = s.clientCertificatePath;
    info->caCertificatePath = s.caCertificatePath;
    info->tokenUrl = (s.refreshUrl.isEmpty() ? s.tokenUrl : s.refreshUrl).toString();
    info->revocationUrl = s.revocationUrl.toString();
    info->introspectionUrl = s.introspectionUrl.toString();
    info->userinfoUrl = s.userinfoUrl.toString();
    info->issuer = s.issuer;
    info->jwksUrl = s.jwksUrl.toString();
    info->subject = result.idTokenClaims.value(QLatin1String("sub")).toString();
    info->username = s.username;
    info->scopes = result.tokens.scopes.isEmpty() ? s.scopes : result.tokens.scopes;
    info->tokenType = result.tokens.tokenType;
    info->expiresAt = result.tokens.expiresAt;
    info->hasRefreshToken = !result.tokens.refreshToken.isEmpty();
    info->dpop = !result.dpopKey.isNull();
    auto put = [secrets](const char *name, const QByteArray &value) {
        if (!value.isEmpty())
            secrets->insert(QLatin1String(name), value);
    };
    QJsonObject tokenParameters;
    for (const auto &parameter : s.tokenParameters) {
        if (s.secretTokenParameters.contains(parameter.first) || isSecretParameterName(parameter.first))
            secrets->insert(QLatin1String(secret::TokenParameterPrefix) + parameter.first, parameter.second.toUtf8());
        else
            tokenParameters.insert(parameter.first, parameter.second);
    }
    info->tokenParameters = tokenParameters;
    put(secret::AccessToken, result.tokens.accessToken);
    put(secret::RefreshToken, result.tokens.refreshToken);
    put(secret::IdToken, result.tokens.idToken);
    put(secret::ClientSecret, s.client.clientSecret);
    put(secret::PrivateKeyPassphrase, s.client.clientKeyPassphrase);
    if (!result.dpopKey.isNull())
        put(secret::DpopKey, result.dpopKey.privatePem());
    if (!result.userinfoClaims.isEmpty())
        put(secret::Userinfo, QJsonDocument(result.userinfoClaims).toJson(QJsonDocument::Compact));
}

OAuthLogin::OAuthLogin(TokenClient *client, OidcDiscovery *discovery, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_discovery(discovery)
{
}

OAuthLogin::~OAuthLogin() = default;

void OAuthLogin::start(const LoginSettings &settings, BrowserLauncher *browser)
{
    cancel();
    m_running = true;
    m_settings = settings;
    m_browser = browser;
    m_result = LoginResult{};
    if (settings.useDpop)
        m_result.dpopKey = JsonWebKey::generateEs256();
    if (readsFromBrowser(settings) && !browser) {
        fail(QStringLiteral("no_browser"), QStringLiteral("this flow needs a browser to show the login page"));
        return;
    }
    if (settings.discoveryUrl.isEmpty()) {
        runGrant();
        return;
    }
    if (!transportAllowed(settings.discoveryUrl, QStringLiteral("discovery document")))
        return;
    Q_EMIT progress(QStringLiteral("Fetching provider metadata from %1").arg(settings.discoveryUrl.toString()));
    const quint64 generation = m_generation;
    m_discovery->discover(settings.discoveryUrl, [this, self = QPointer<OAuthLogin>(this), generation](const ProviderMetadata &metadata, const QString &error) {
        if (!self || generation != m_generation)
            return;
        if (!error.isEmpty()) {
            fail(QStringLiteral("discovery_failed"), error);
            return;
        }
        LoginSettings &s = m_settings;
        if (s.issuer.isEmpty())
            s.issuer = metadata.issuer;
        fillEmpty(&s.authorizationUrl, metadata.authorizationEndpoint);
        fillEmpty(&s.tokenUrl, metadata.tokenEndpoint);
        fillEmpty(&s.deviceAuthorizationUrl, metadata.deviceAuthorizationEndpoint);
        fillEmpty(&s.revocationUrl, metadata.revocationEndpoint);
        fillEmpty(&s.introspectionUrl, metadata.introspectionEndpoint);
        fillEmpty(&s.userinfoUrl, metadata.userinfoEndpoint);
        fillEmpty(&s.jwksUrl, metadata.jwksUri);
        s.issuerParameterRequired = s.issuerParameterRequired || metadata.authorizationResponseIssParameterSupported;
        if (s.client.assertionAudience.isEmpty() && s.client.authMethod == ClientAuthMethod::PrivateKeyJwt)
            s.client.assertionAudience = metadata.issuer;
        runGrant();
    });
}

void OAuthLogin::runGrant()
{
    const LoginSettings &s = m_settings;
    const quint64 generation = m_generation;
    auto onTokens = [this, self = QPointer<OAuthLogin>(this), generation](const TokenResult &result) {
        if (self && generation == m_generation)
            receivedTokens(result);
    };
    auto requireUrl = [this](const QUrl &url, const char *what) {
        if (!url.isValid() || url.isEmpty()) {
            fail(QStringLiteral("missing_endpoint"), QStringLiteral("no %1 is known for this flow").arg(QLatin1String(what)));
            return false;
        }
        return transportAllowed(url, QLatin1String(what));
    };
    Parameters parameters;
    switch (s.flow) {
    case OAuthFlowKind::AuthorizationCode:
    case OAuthFlowKind::Implicit: {
        if (!requireUrl(s.authorizationUrl, "authorization URL")
            || (s.flow == OAuthFlowKind::AuthorizationCode && !requireUrl(s.tokenUrl, "token URL")))
            return;
        if (s.redirectUri.isEmpty()) {
            fail(QStringLiteral("missing_redirect_uri"), QStringLiteral("no redirect URI is set"));
            return;
        }
        QString notBrowsable;
        if (!isBrowsableUrl(s.authorizationUrl, &notBrowsable)) {
            fail(QStringLiteral("invalid_authorization_url"), notBrowsable);
            return;
        }
        AuthorizationConfig config;
        config.authorizationUrl = s.authorizationUrl;
        config.clientId = s.client.clientId;
        config.redirectUri = s.redirectUri;
        config.scopes = s.scopes;
        config.responseType = s.flow == OAuthFlowKind::Implicit ? ResponseType::IdTokenToken : ResponseType::Code;
        config.pkceMethod = s.pkceMethod;
        config.openId = s.scopes.contains(QLatin1String("openid"));
        config.issuer = s.issuer;
        config.issuerParameterRequired = s.issuerParameterRequired;
        config.extraParameters = s.authorizationParameters;
        if (s.maxAgeSeconds >= 0)
            config.extraParameters.append({QStringLiteral("max_age"), QString::number(s.maxAgeSeconds)});
        m_request = std::make_unique<AuthorizationRequest>(config);
        Q_EMIT progress(QStringLiteral("Waiting for the login in the browser"));
        m_browser->openAuthorizationUrl(m_request->url(), s.redirectUri);
        return;
    }
    case OAuthFlowKind::Password:
        if (!requireUrl(s.tokenUrl, "token URL"))
            return;
        parameters = {{QStringLiteral("grant_type"), QStringLiteral("password")},
                      {QStringLiteral("username"), s.username},
                      {QStringLiteral("password"), QString::fromUtf8(s.password)}};
        break;
    case OAuthFlowKind::ClientCredentials:
        if (!requireUrl(s.tokenUrl, "token URL"))
            return;
        parameters = {{QStringLiteral("grant_type"), QStringLiteral("client_credentials")}};
        break;
    case OAuthFlowKind::DeviceAuthorization: {
        if (!requireUrl(s.deviceAuthorizationUrl, "device authorization URL") || !requireUrl(s.tokenUrl, "token URL"))
            return;
        m_deviceFlow = std::make_unique<DeviceFlow>(m_client);
        connect(m_deviceFlow.get(), &DeviceFlow::userCodeReady, this, &OAuthLogin::deviceCodeReady);
        connect(m_deviceFlow.get(), &DeviceFlow::finished, this, onTokens);
        Q_EMIT progress(QStringLiteral("Requesting a device code"));
        m_deviceFlow->start(s.deviceAuthorizationUrl, s.tokenUrl, s.client, s.scopes, s.tokenParameters, m_result.dpopKey);
        return;
    }
    }
    if (!s.scopes.isEmpty())
        parameters.append({QStringLiteral("scope"), s.scopes.join(QLatin1Char(' '))});
    parameters += s.tokenParameters;
    Q_EMIT progress(QStringLiteral("Requesting tokens from %1").arg(s.tokenUrl.toString()));
    m_client->requestToken(s.tokenUrl, s.client, parameters, m_result.dpopKey, onTokens);
}

bool OAuthLogin::handleRedirect(const QUrl &url)
{
    if (!m_running || !m_request || !m_request->isRedirect(url))
        return false;
    const CallbackResult callback = m_request->consume(url);
    if (!callback.ok) {
        fail(callback.error);
        return true;
    }
    if (m_settings.flow == OAuthFlowKind::Implicit) {
        receivedTokens(TokenResult{true, callback.tokens, {}});
        return true;
    }
    Parameters parameters{{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                          {QStringLiteral("code"), callback.code},
                          {QStringLiteral("redirect_uri"), m_settings.redirectUri.toString(QUrl::FullyEncoded)}};
    if (!m_request->codeVerifier().isEmpty())
        parameters.append({QStringLiteral("code_verifier"), QString::fromLatin1(m_request->codeVerifier())});
    parameters += m_settings.tokenParameters;
    Q_EMIT progress(QStringLiteral("Exchanging the authorization code"));
    const quint64 generation = m_generation;
    m_client->requestToken(m_settings.tokenUrl, m_settings.client, parameters, m_result.dpopKey,
                           [this, self = QPointer<OAuthLogin>(this), generation](const TokenResult &result) {
                               if (self && generation == m_generation)
                                   receivedTokens(result);
                           });
    return true;
}

void OAuthLogin::receivedTokens(const TokenResult &result)
{
    if (!result.ok) {
        fail(result.error);
        return;
    }
    m_result.tokens = result.tokens;
    if (result.tokens.idToken.isEmpty()) {
        if (m_request && m_request->config().openId && m_settings.flow != OAuthFlowKind::ClientCredentials) {
            fail(QStringLiteral("invalid_response"), QStringLiteral("scope openid was granted but no ID token came back"));
            return;
        }
        finish();
        return;
    }
    if (m_settings.jwksUrl.isEmpty() || m_settings.issuer.isEmpty()) {
        discoverFromEndpoint(result.tokens.idToken, issuerCandidates(m_settings.flow == OAuthFlowKind::Implicit
                                                                         ? m_settings.authorizationUrl
                                                                         : m_settings.tokenUrl));
        return;
    }
    validateIdToken(result.tokens.idToken);
}

void OAuthLogin::discoverFromEndpoint(const QByteArray &idToken, QList<QUrl> candidates)
{
    // A plain oauth2 scheme that returned an ID token: its keys come from the
    // provider that operates the endpoint this login used. The token's own
    // `iss` is not a place to fetch from before its signature is checked; it
    // must then equal the issuer found here.
    if (candidates.isEmpty()) {
        fail(QStringLiteral("id_token_unverifiable"),
             QStringLiteral("an ID token came back but no provider metadata names the endpoint this login used, "
                            "so its signature cannot be checked (an openIdConnect scheme names its provider)"));
        return;
    }
    const QUrl candidate = candidates.takeFirst();
    if (!transportAllowed(candidate, QStringLiteral("discovery document")))
        return;
    Q_EMIT progress(QStringLiteral("Looking for the provider's metadata at %1").arg(candidate.toString()));
    const quint64 generation = m_generation;
    m_discovery->discover(candidate, [this, self = QPointer<OAuthLogin>(this), generation, idToken, candidates](
                                         const ProviderMetadata &metadata, const QString &error) {
        if (!self || generation != m_generation)
            return;
        const bool sameServer = m_settings.flow == OAuthFlowKind::Implicit
            ? metadata.authorizationEndpoint == m_settings.authorizationUrl
            : metadata.tokenEndpoint == m_settings.tokenUrl;
        if (!error.isEmpty() || !sameServer) {
            discoverFromEndpoint(idToken, candidates);
            return;
        }
        m_settings.issuer = metadata.issuer;
        m_settings.jwksUrl = metadata.jwksUri;
        fillEmpty(&m_settings.userinfoUrl, metadata.userinfoEndpoint);
        fillEmpty(&m_settings.revocationUrl, metadata.revocationEndpoint);
        fillEmpty(&m_settings.introspectionUrl, metadata.introspectionEndpoint);
        validateIdToken(idToken);
    });
}

void OAuthLogin::validateIdToken(const QByteArray &idToken)
{
    IdTokenExpectations expected;
    expected.issuer = m_settings.issuer;
    expected.clientId = m_settings.client.clientId;
    expected.maxAgeSeconds = m_settings.maxAgeSeconds;
    expected.accessToken = m_result.tokens.accessToken;
    expected.requireAtHash = m_settings.flow == OAuthFlowKind::Implicit;
    // Only the front-channel flows send a nonce.
    if (m_request && m_request->config().openId)
        expected.nonce = m_request->nonce();
    if (!transportAllowed(m_settings.jwksUrl, QStringLiteral("key set (JWKS)")))
        return;
    Q_EMIT progress(QStringLiteral("Validating the ID token"));
    const quint64 generation = m_generation;
    m_discovery->validateIdToken(idToken, m_settings.jwksUrl, expected,
                                 [this, self = QPointer<OAuthLogin>(this), generation](const IdTokenValidation &validation) {
                                     if (!self || generation != m_generation)
                                         return;
                                     if (!validation.valid) {
                                         fail(QStringLiteral("invalid_id_token"), validation.error);
                                         return;
                                     }
                                     m_result.idTokenClaims = validation.claims;
                                     fetchUserinfo();
                                 });
}

void OAuthLogin::fetchUserinfo()
{
    // OIDC Core §5.3: with scope openid granted and a userinfo endpoint, the
    // claims about the user come from there, for the subject of the ID token.
    if (m_settings.userinfoUrl.isEmpty() || !scopeGranted(m_result, m_settings, QStringLiteral("openid"))) {
        finish();
        return;
    }
    Q_EMIT progress(QStringLiteral("Fetching the user's claims from %1").arg(m_settings.userinfoUrl.toString()));
    const quint64 generation = m_generation;
    m_client->userinfo(m_settings.userinfoUrl, m_result.tokens.accessToken, m_result.tokens.tokenType, m_result.dpopKey,
                       [this, self = QPointer<OAuthLogin>(this), generation](const QJsonObject &claims, const OAuthError &error) {
                           if (!self || generation != m_generation)
                               return;
                           if (!error.isNull()) {
                               // The tokens are good without it; say what is missing.
                               Q_EMIT progress(QStringLiteral("The userinfo endpoint gave no claims: ") + error.text());
                               finish();
                               return;
                           }
                           // §5.3.2: a different sub means the response is not about this user.
                           const QString subject = m_result.idTokenClaims.value(QLatin1String("sub")).toString();
                           const QString userinfoSubject = claims.value(QLatin1String("sub")).toString();
                           if (userinfoSubject != subject) {
                               fail(QStringLiteral("userinfo_subject_mismatch"),
                                    QStringLiteral("the userinfo response is for subject \"%1\", the ID token for \"%2\"")
                                        .arg(userinfoSubject, subject));
                               return;
                           }
                           m_result.userinfoClaims = claims;
                           finish();
                       });
}

bool OAuthLogin::transportAllowed(const QUrl &url, const QString &what)
{
    QString error;
    if (endpointTransportAllowed(url, m_settings.allowedHttpHosts, what, &error))
        return true;
    fail(QStringLiteral("insecure_endpoint"), error);
    return false;
}

void OAuthLogin::fail(const QString &error, const QString &description)
{
    OAuthError e;
    e.error = error;
    e.description = description;
    fail(e);
}

void OAuthLogin::fail(const OAuthError &error)
{
    m_result.ok = false;
    m_result.error = error;
    m_result.tokens = TokenSet{};
    finish();
}

void OAuthLogin::finish()
{
    m_result.ok = m_result.error.isNull();
    m_result.settings = m_settings;
    m_result.settings.password.clear();  // never kept beyond the grant
    const LoginResult result = m_result;
    m_running = false;
    ++m_generation;
    m_request.reset();
    if (m_deviceFlow) {
        m_deviceFlow->cancel();
        m_deviceFlow.release()->deleteLater();  // may be inside its own signal
    }
    if (m_browser)
        m_browser->authorizationFinished();
    m_browser = nullptr;
    Q_EMIT finished(result);
}

void OAuthLogin::cancel()
{
    if (!m_running)
        return;
    fail(QStringLiteral("cancelled"), QStringLiteral("the login was cancelled"));
}

} // namespace portolan::auth
