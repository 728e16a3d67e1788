#include "tokenmanager.h"

#include <QFile>
#include <QPointer>

namespace portolan::auth {

TokenManager::TokenManager(CredentialStore *store, TokenClient *client, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_client(client)
{
}

bool TokenManager::clientConfig(const CredentialInfo &info, const Secrets &secrets, ClientConfig *config, QString *error)
{
    config->clientId = info.clientId;
    config->clientSecret = secrets.value(QLatin1String(secret::ClientSecret));
    if (!info.clientAuthMethod.isEmpty() && !clientAuthMethodFromName(info.clientAuthMethod, &config->authMethod)) {
        *error = QStringLiteral("unknown client authentication method %1").arg(info.clientAuthMethod);
        return false;
    }
    if (!info.caCertificatePath.isEmpty()) {
        QFile ca(info.caCertificatePath);
        if (!ca.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the CA certificate %1: %2").arg(info.caCertificatePath, ca.errorString());
            return false;
        }
        config->caCertificatesPem = ca.readAll();
    }
    const QByteArray passphrase = secrets.value(QLatin1String(secret::PrivateKeyPassphrase));
    if (config->authMethod == ClientAuthMethod::PrivateKeyJwt || config->authMethod == ClientAuthMethod::TlsClientAuth) {
        QFile keyFile(info.privateKeyPath);
        if (!keyFile.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the client key %1: %2").arg(info.privateKeyPath, keyFile.errorString());
            return false;
        }
        const QByteArray pem = keyFile.readAll();
        if (config->authMethod == ClientAuthMethod::PrivateKeyJwt) {
            config->assertionKey = JsonWebKey::fromPrivatePem(pem, passphrase, error);
            if (config->assertionKey.isNull()) {
                *error = QStringLiteral("%1: %2").arg(info.privateKeyPath, *error);
                return false;
            }
            config->assertionAudience = info.issuer;
        } else {
            config->clientKeyPem = pem;
            config->clientKeyPassphrase = passphrase;
            QFile certificate(info.clientCertificatePath);
            if (!certificate.open(QIODevice::ReadOnly)) {
                *error = QStringLiteral("cannot read the client certificate %1: %2")
                             .arg(info.clientCertificatePath, certificate.errorString());
                return false;
            }
            config->clientCertificatePem = certificate.readAll();
        }
    }
    return true;
}

JsonWebKey TokenManager::dpopKey(const Secrets &secrets)
{
    const QByteArray pem = secrets.value(QLatin1String(secret::DpopKey));
    if (pem.isEmpty())
        return {};
    QString error;
    return JsonWebKey::fromPrivatePem(pem, {}, &error);
}

void TokenManager::withOAuthSecrets(const QString &id,
                                    std::function<void(const CredentialInfo &, const Secrets &, const ClientConfig &)> run,
                                    std::function<void(const QString &)> fail)
{
    if (!m_store->contains(id)) {
        fail(QStringLiteral("no stored credential %1").arg(id));
        return;
    }
    const CredentialInfo info = m_store->info(id);
    if (info.kind != CredentialKind::OAuth2) {
        fail(QStringLiteral("credential %1 is %2, not OAuth 2.0").arg(id, credentialKindName(info.kind)));
        return;
    }
    m_store->readSecrets(id, [self = QPointer<TokenManager>(this), info, run, fail](const SecretsResult &secrets) {
        if (!self)
            return;  // destroyed while the keychain was answering
        if (!secrets.ok) {
            fail(secrets.error);
            return;
        }
        ClientConfig config;
        QString error;
        if (!clientConfig(info, secrets.secrets, &config, &error)) {
            fail(error);
            return;
        }
        run(info, secrets.secrets, config);
    });
}

void TokenManager::currentSecrets(const QString &id, std::function<void(const SecretsResult &)> done, int leewaySeconds)
{
    const CredentialInfo info = m_store->info(id);
    const bool needsRefresh = info.kind == CredentialKind::OAuth2 && info.hasRefreshToken && !info.tokenUrl.isEmpty()
        && info.isExpired(QDateTime::currentDateTimeUtc(), leewaySeconds);
    if (!needsRefresh) {
        m_store->readSecrets(id, done);
        return;
    }
    refresh(id, [this, id, done](bool ok, const QString &error) {
        if (!ok) {
            SecretsResult failed;
            failed.error = QStringLiteral("the access token expired and refreshing it failed: ") + error;
            done(failed);
            return;
        }
        m_store->readSecrets(id, done);
    });
}

void TokenManager::refresh(const QString &id, std::function<void(bool, const QString &)> done)
{
    auto &waiting = m_pendingRefreshes[id];
    waiting.append(done);
    if (waiting.size() > 1)
        return;  // one refresh already on its way
    auto finish = [this, id](bool ok, const QString &error) {
        const auto callbacks = m_pendingRefreshes.take(id);
        if (ok)
            Q_EMIT refreshed(id);
        for (const auto &callback : callbacks)
            callback(ok, error);
    };
    if (m_refreshRunner) {
        m_refreshRunner(id, finish);
        return;
    }
    withOAuthSecrets(
        id,
        [this, finish](const CredentialInfo &info, const Secrets &secrets, const ClientConfig &config) {
            const QByteArray refreshToken = secrets.value(QLatin1String(secret::RefreshToken));
            if (refreshToken.isEmpty()) {
                finish(false, QStringLiteral("no refresh token is stored; log in again"));
                return;
            }
            Parameters parameters{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                  {QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken)}};
            for (auto it = info.tokenParameters.begin(); it != info.tokenParameters.end(); ++it)
                parameters.append({it.key(), it.value().toString()});
            const QString secretPrefix = QLatin1String(secret::TokenParameterPrefix);
            for (auto it = secrets.cbegin(); it != secrets.cend(); ++it)
                if (it.key().startsWith(secretPrefix))
                    parameters.append({it.key().mid(secretPrefix.size()), QString::fromUtf8(it.value())});
            m_client->requestToken(
                QUrl(info.tokenUrl), config, parameters, dpopKey(secrets),
                [this, self = QPointer<TokenManager>(this), info, secrets, finish](const TokenResult &result) {
                    if (!self)
                        return;  // destroyed while the call was on its way
                    if (!result.ok) {
                        QString message = result.error.text();
                        if (result.error.error == QLatin1String("invalid_grant"))
                            message += QStringLiteral(" — the refresh token is no longer valid; log in again");
                        finish(false, message);
                        return;
                    }
                    CredentialInfo updated = info;
                    Secrets fresh = secrets;
                    fresh.insert(QLatin1String(secret::AccessToken), result.tokens.accessToken);
                    // Servers that rotate refresh tokens send a new one; others keep the old one valid.
                    if (!result.tokens.refreshToken.isEmpty())
                        fresh.insert(QLatin1String(secret::RefreshToken), result.tokens.refreshToken);
                    if (!result.tokens.idToken.isEmpty())
                        fresh.insert(QLatin1String(secret::IdToken), result.tokens.idToken);
                    updated.expiresAt = result.tokens.expiresAt;
                    updated.tokenType = result.tokens.tokenType;
                    if (!result.tokens.scopes.isEmpty())
                        updated.scopes = result.tokens.scopes;
                    auto keep = [this, updated, fresh, finish]() {
                        m_store->save(updated, fresh, [finish](const StoreResult &stored, const CredentialInfo &) {
                            // Session-only storage still leaves a working credential.
                            finish(stored.ok || stored.sessionOnly, stored.error);
                        });
                    };
                    if (result.tokens.idToken.isEmpty() || !m_discovery || info.jwksUrl.isEmpty() || info.issuer.isEmpty()) {
                        keep();
                        return;
                    }
                    // OIDC Core §12.2: a refreshed ID token is checked like the first, for the same subject.
                    IdTokenExpectations expected;
                    expected.issuer = info.issuer;
                    expected.clientId = info.clientId;
                    expected.accessToken = result.tokens.accessToken;
                    m_discovery->validateIdToken(
                        result.tokens.idToken, QUrl(info.jwksUrl), expected,
                        [self, info, keep, finish](const IdTokenValidation &validation) {
                            if (!self)
                                return;
                            const QString subject = validation.claims.value(QLatin1String("sub")).toString();
                            if (!validation.valid)
                                finish(false, QStringLiteral("the refreshed ID token is invalid: ") + validation.error);
                            else if (!info.subject.isEmpty() && subject != info.subject)
                                finish(false, QStringLiteral("the refreshed ID token is for another subject (%1)").arg(subject));
                            else
                                keep();
                        });
                });
        },
        [finish](const QString &error) { finish(false, error); });
}

void TokenManager::revoke(const QString &id, std::function<void(bool, const QString &)> done)
{
    withOAuthSecrets(
        id,
        [this, done](const CredentialInfo &info, const Secrets &secrets, const ClientConfig &config) {
            if (info.revocationUrl.isEmpty()) {
                done(false, QStringLiteral("the provider has no revocation endpoint (RFC 7009)"));
                return;
            }
            const QByteArray refreshToken = secrets.value(QLatin1String(secret::RefreshToken));
            const QByteArray accessToken = secrets.value(QLatin1String(secret::AccessToken));
            auto forget = [this, self = QPointer<TokenManager>(this), info, secrets, done]() {
                if (!self)
                    return;  // destroyed while the call was on its way
                CredentialInfo updated = info;
                Secrets remaining = secrets;
                remaining.remove(QLatin1String(secret::AccessToken));
                remaining.remove(QLatin1String(secret::RefreshToken));
                remaining.remove(QLatin1String(secret::IdToken));
                updated.hasRefreshToken = false;
                updated.expiresAt = QDateTime::currentDateTimeUtc();
                m_store->save(updated, remaining, [done](const StoreResult &stored, const CredentialInfo &) {
                    done(true, stored.error);
                });
            };
            auto revokeAccess = [this, self = QPointer<TokenManager>(this), info, config, accessToken, forget, done]() {
                if (!self)
                    return;  // destroyed while the call was on its way
                if (accessToken.isEmpty()) {
                    forget();
                    return;
                }
                m_client->revoke(QUrl(info.revocationUrl), config, accessToken, QStringLiteral("access_token"),
                                 [forget, done](const OAuthError &error) {
                                     if (!error.isNull()) {
                                         done(false, error.text());
                                         return;
                                     }
                                     forget();
                                 });
            };
            if (refreshToken.isEmpty()) {
                revokeAccess();
                return;
            }
            m_client->revoke(QUrl(info.revocationUrl), config, refreshToken, QStringLiteral("refresh_token"),
                             [revokeAccess, done](const OAuthError &error) {
                                 if (!error.isNull()) {
                                     done(false, error.text());
                                     return;
                                 }
                                 revokeAccess();
                             });
        },
        [done](const QString &error) { done(false, error); });
}

void TokenManager::introspect(const QString &id, const QString &tokenTypeHint,
                              std::function<void(const QJsonObject &, const QString &)> done)
{
    withOAuthSecrets(
        id,
        [this, tokenTypeHint, done](const CredentialInfo &info, const Secrets &secrets, const ClientConfig &config) {
            if (info.introspectionUrl.isEmpty()) {
                done({}, QStringLiteral("the provider has no introspection endpoint (RFC 7662)"));
                return;
            }
            const QString hint = tokenTypeHint.isEmpty() ? QStringLiteral("access_token") : tokenTypeHint;
            const QByteArray token = secrets.value(hint == QLatin1String("refresh_token") ? QLatin1String(secret::RefreshToken)
                                                                                          : QLatin1String(secret::AccessToken));
            if (token.isEmpty()) {
                done({}, QStringLiteral("no %1 is stored").arg(hint));
                return;
            }
            m_client->introspect(QUrl(info.introspectionUrl), config, token, hint,
                                 [done](const QJsonObject &response, const OAuthError &error) {
                                     done(response, error.isNull() ? QString() : error.text());
                                 });
        },
        [done](const QString &error) { done({}, error); });
}

void TokenManager::userinfo(const QString &id, std::function<void(const QJsonObject &, const QString &)> done)
{
    const CredentialInfo info = m_store->info(id);
    if (info.userinfoUrl.isEmpty()) {
        done({}, QStringLiteral("the provider has no userinfo endpoint"));
        return;
    }
    currentSecrets(id, [this, self = QPointer<TokenManager>(this), info, done](const SecretsResult &secrets) {
        if (!self)
            return;  // destroyed while the call was on its way
        if (!secrets.ok) {
            done({}, secrets.error);
            return;
        }
        m_client->userinfo(QUrl(info.userinfoUrl), secrets.secrets.value(QLatin1String(secret::AccessToken)),
                           info.tokenType, dpopKey(secrets.secrets),
                           [done, info](const QJsonObject &claims, const OAuthError &error) {
                               const QString subject = claims.value(QLatin1String("sub")).toString();
                               // OIDC Core §5.3.2: claims for another subject are not this user's.
                               if (error.isNull() && !info.subject.isEmpty() && subject != info.subject)
                                   done({}, QStringLiteral("the userinfo response is for subject \"%1\", not %2")
                                                .arg(subject, info.subject));
                               else
                                   done(claims, error.isNull() ? QString() : error.text());
                           });
    });
}

} // namespace portolan::auth
