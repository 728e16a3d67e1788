#include "loginplan.h"

#include "credentialstore.h"
#include "pemidentity.h"
#include "requestplan.h"
#include "requestsigner.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

namespace portolan::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portolan::client::LoginPlan", text);
}

LoginPlan invalid(const QString &error)
{
    LoginPlan plan;
    plan.error = error;
    return plan;
}

QString absolute(const QString &path)
{
    return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath();
}

} // namespace

QUrl securityBaseUrl(const ApiDocument &document)
{
    if (document.specVersion.startsWith(QLatin1String("3.0")) && !document.servers.isEmpty())
        return document.sourceUrl.resolved(QUrl(resolveServerTemplate(document.servers.first(), {})));
    return document.sourceUrl;
}

QUrl resolveSecurityUrl(const ApiDocument &document, const QString &text)
{
    return text.trimmed().isEmpty() ? QUrl() : securityBaseUrl(document).resolved(QUrl(text.trimmed()));
}

bool isOAuthScheme(const SecurityScheme &scheme)
{
    return scheme.type == SecuritySchemeType::OAuth2 || scheme.type == SecuritySchemeType::OpenIdConnect;
}

bool storedCredentialKind(const SecurityScheme &scheme, auth::CredentialKind *kind, QString *error)
{
    if (scheme.type == SecuritySchemeType::ApiKey) {
        *kind = auth::CredentialKind::ApiKey;
        return true;
    }
    if (scheme.type == SecuritySchemeType::Http) {
        const QString name = scheme.scheme.toLower();
        if (name == QLatin1String("basic") || name == QLatin1String("bearer") || name == QLatin1String("digest")) {
            *kind = name == QLatin1String("basic") ? auth::CredentialKind::Basic
                  : name == QLatin1String("digest") ? auth::CredentialKind::Digest : auth::CredentialKind::Bearer;
            return true;
        }
        *error = tr("scheme %1 uses HTTP \"%2\" authentication, which Portolan cannot send (it can: basic, bearer, digest)")
                     .arg(scheme.name, scheme.scheme);
        return false;
    }
    *error = tr("scheme %1 (%2) has no credential to type in").arg(scheme.name, securitySchemeTypeName(scheme.type));
    return false;
}

bool flowDefaults(const ApiDocument &document, const SecurityScheme &scheme, OAuthFlowKind flow,
                  auth::LoginSettings *settings, QString *error)
{
    return auth::settingsFromScheme(scheme, flow, securityBaseUrl(document), settings, error);
}

LoginPlan planLogin(const ApiDocument &document, const SecurityScheme &scheme, const LoginInput &input)
{
    LoginPlan plan;
    if (!isOAuthScheme(scheme)) {
        QString error;
        if (!storedCredentialKind(scheme, &plan.info.kind, &error))
            return invalid(error);
        const bool userAndPassword = plan.info.kind == auth::CredentialKind::Basic || plan.info.kind == auth::CredentialKind::Digest;
        if (userAndPassword && input.username.isEmpty())
            return invalid(tr("HTTP %1 needs a user name").arg(scheme.scheme));
        const QByteArray value = userAndPassword ? input.password : input.secret;
        if (value.isEmpty() && !userAndPassword)
            return invalid(plan.info.kind == auth::CredentialKind::ApiKey ? tr("enter the API key") : tr("enter the token"));
        plan.info.api = auth::apiIdentity(document);
        plan.info.apiTitle = document.info.title;
        plan.info.scheme = scheme.name;
        plan.info.username = userAndPassword ? input.username : QString();
        plan.info.label = !input.label.isEmpty() ? input.label : !plan.info.username.isEmpty() ? plan.info.username : scheme.name;
        const char *name = plan.info.kind == auth::CredentialKind::ApiKey ? auth::secret::ApiKey
                         : plan.info.kind == auth::CredentialKind::Bearer ? auth::secret::Token
                                                                          : auth::secret::Password;
        plan.secrets.insert(QLatin1String(name), value);
        plan.status = LoginPlan::Status::Ready;
        return plan;
    }

    plan.oauth = true;
    auth::LoginSettings &settings = plan.settings;
    OAuthFlowKind flow = OAuthFlowKind::AuthorizationCode;
    if (!input.flow.isEmpty()) {
        const std::optional<OAuthFlowKind> named = oauthFlowFromName(input.flow);
        if (!named)
            return invalid(tr("unknown flow '%1'").arg(input.flow));
        flow = *named;
    } else if (scheme.type == SecuritySchemeType::OAuth2 && !scheme.flows.isEmpty()) {
        flow = scheme.flows.first().kind;
    }
    settings.scopes = input.scopes;
    QString error;
    const bool typedEndpoints = !input.authorizationUrl.isEmpty() || !input.tokenUrl.isEmpty()
        || !input.deviceAuthorizationUrl.isEmpty() || !input.discoveryUrl.isEmpty();
    // An OpenID Connect scheme offers every flow; a form may also name endpoints the document lacks.
    if (!flowDefaults(document, scheme, flow, &settings, &error) && !typedEndpoints)
        return invalid(error);
    settings.flow = flow;
    const auto override = [&](QUrl *target, const QString &typed) {
        if (!typed.trimmed().isEmpty())
            *target = resolveSecurityUrl(document, typed);
    };
    override(&settings.discoveryUrl, input.discoveryUrl);
    override(&settings.authorizationUrl, input.authorizationUrl);
    override(&settings.tokenUrl, input.tokenUrl);
    override(&settings.deviceAuthorizationUrl, input.deviceAuthorizationUrl);

    if (input.clientId.trimmed().isEmpty())
        return invalid(tr("the client ID registered with the provider is required"));
    settings.client.clientId = input.clientId.trimmed();
    settings.client.clientSecret = input.clientSecret;
    const QString method = !input.authMethod.isEmpty() ? input.authMethod
                         : !input.clientSecret.isEmpty() ? QStringLiteral("client_secret_basic")
                         : !input.privateKeyPath.isEmpty() ? QStringLiteral("private_key_jwt")
                                                           : QStringLiteral("none");
    if (!auth::clientAuthMethodFromName(method, &settings.client.authMethod))
        return invalid(tr("unknown client authentication method '%1'").arg(method));

    settings.privateKeyPath = absolute(input.privateKeyPath);
    settings.clientCertificatePath = absolute(input.clientCertificatePath);
    settings.caCertificatePath = absolute(input.caCertificatePath);
    if (!settings.caCertificatePath.isEmpty()) {
        QFile ca(settings.caCertificatePath);
        if (!ca.open(QIODevice::ReadOnly))
            return invalid(tr("cannot read the CA certificate %1: %2").arg(settings.caCertificatePath, ca.errorString()));
        settings.client.caCertificatesPem = ca.readAll();
    }
    const bool jwt = settings.client.authMethod == auth::ClientAuthMethod::PrivateKeyJwt;
    const bool tls = settings.client.authMethod == auth::ClientAuthMethod::TlsClientAuth;
    if (jwt || tls) {
        if (settings.privateKeyPath.isEmpty())
            return invalid(tr("%1 needs a private key file").arg(method));
        // For tls_client_auth without a separate certificate, the key file holds both.
        if (tls && settings.clientCertificatePath.isEmpty())
            settings.clientCertificatePath = settings.privateKeyPath;
        const auth::PemIdentity identity = auth::loadPemIdentity(settings.privateKeyPath, tls ? settings.clientCertificatePath : QString(),
                                                                 input.privateKeyPassphrase);
        if (identity.status == auth::PemIdentity::Status::NeedsPassphrase) {
            plan.status = LoginPlan::Status::NeedsPassphrase;
            plan.error = identity.error;
            return plan;
        }
        if (!identity.ok())
            return invalid(identity.error);
        if (tls && identity.certificates.isEmpty())
            return invalid(tr("tls_client_auth needs a client certificate: %1 holds none").arg(settings.clientCertificatePath));
        settings.client.clientKeyPassphrase = input.privateKeyPassphrase;
        if (jwt) {
            settings.client.assertionKey = identity.signingKey;
        } else {
            QFile key(settings.privateKeyPath), certificate(settings.clientCertificatePath);
            key.open(QIODevice::ReadOnly);
            certificate.open(QIODevice::ReadOnly);
            settings.client.clientKeyPem = key.readAll();
            settings.client.clientCertificatePem = certificate.readAll();
        }
    }
    if (flow == OAuthFlowKind::Password) {
        if (input.username.isEmpty())
            return invalid(tr("the password flow needs a user name"));
        settings.username = input.username;
        settings.password = input.password;
    }
    if (!input.redirectUri.trimmed().isEmpty()) {
        settings.redirectUri = QUrl(input.redirectUri.trimmed(), QUrl::StrictMode);
        if (!settings.redirectUri.isValid() || settings.redirectUri.isRelative())
            return invalid(tr("the redirect URI '%1' is not an absolute URI").arg(input.redirectUri));
    }
    settings.pkceMethod = input.pkceMethod;
    settings.authorizationParameters = input.authorizationParameters;
    settings.tokenParameters = input.tokenParameters;
    settings.secretTokenParameters = input.secretTokenParameters;
    settings.allowedHttpHosts = input.allowedHttpHosts;
    settings.useDpop = input.dpop;
    plan.status = LoginPlan::Status::Ready;
    return plan;
}

void credentialForLogin(const ApiDocument &document, const SecurityScheme &scheme, const auth::LoginResult &result,
                        const QString &label, auth::CredentialInfo *info, auth::Secrets *secrets)
{
    auth::credentialFromLogin(result, info, secrets);
    info->api = auth::apiIdentity(document);
    info->apiTitle = document.info.title;
    info->scheme = scheme.name;
    info->label = !label.isEmpty() ? label : !info->subject.isEmpty() ? info->subject
                : !info->username.isEmpty() ? info->username : info->clientId;
}

QString credentialToReplace(const auth::CredentialStore &store, const auth::CredentialInfo &fresh)
{
    for (const auth::CredentialInfo &stored : store.forScheme(fresh.api, fresh.scheme)) {
        if (stored.kind != fresh.kind)
            continue;
        switch (fresh.kind) {
        case auth::CredentialKind::OAuth2:
            if (stored.clientId == fresh.clientId && stored.subject == fresh.subject)
                return stored.id;
            break;
        case auth::CredentialKind::Basic:
        case auth::CredentialKind::Digest:
            if (stored.username == fresh.username)
                return stored.id;
            break;
        case auth::CredentialKind::ApiKey:
        case auth::CredentialKind::Bearer:
            return stored.id;
        }
    }
    return {};
}

} // namespace portolan::client
